#ifndef PRIORREG_COMPILED_HPP
#define PRIORREG_COMPILED_HPP

/// \file compiled.hpp
/// \brief The instantiations that the optional compiled component (`priorreg::compiled`)
/// holds: the solvers behind `fit`, `fit_path` and cross-validation for the shipped priors
/// (flat, Gaussian, Laplace, elastic net) on `double` and `float` data. The solvers see the
/// last three as one penalty (`detail::solver_prior_t`), so they are compiled once for them.
///
/// A program linked to `priorreg::compiled` is built with `PRIORREG_COMPILED` defined, and
/// `priorreg.hpp` then includes this file: each function below is declared `extern template`,
/// so the program calls the library's copy instead of instantiating the solvers again (a
/// one-estimator program compiles in seconds instead of a minute). Everything else, a user's
/// own prior included, is instantiated in the program as before. The library is built from
/// `src/` with the same headers; the compiler flags that change Eigen's ABI (vectorization
/// alignment, `EIGEN_*` macros) must agree between the two.

#include <Eigen/Core>

#include "detail/cross_products.hpp"
#include "detail/numeric.hpp"
#include "detail/sparse_design.hpp"
#include "detail/standardize.hpp"
#include "priors/elastic_net_prior.hpp"
#include "priors/flat_prior.hpp"
#include "priors/gaussian_prior.hpp"
#include "priors/laplace_prior.hpp"
#include "solvers/least_squares.hpp"
#include "solvers/map_solver.hpp"
#include "solvers/path_driver.hpp"

namespace priorreg::detail::compiled {

/// The argument types the estimator passes to the solvers for data of scalar `S`.
template <class S>
using MatrixRef = Eigen::Ref<const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>>;
template <class S> using VectorRef = Eigen::Ref<const Eigen::Matrix<S, Eigen::Dynamic, 1>>;
/// The precision the solvers compute in for data of scalar `S`.
template <class S> using Work = compute_scalar_t<S>;

} // namespace priorreg::detail::compiled

/// The solver entry points for one prior type `PRIOR` on data of scalar `S`; `KEYWORD` is
/// `extern` for the declarations and empty for the definitions in `src/`.
// The solvers are instantiated on what they see of a prior (`detail::solver_prior_t`): for the
// shipped priors, `ElasticNetPenalty` (Gaussian, Laplace, elastic net) and `detail::FlatPenalty`,
// whatever their scalar. The path solver for a penalty computes in `T` (`Work<S>` of the data);
// the entry points take the data of scalar `S`.
#define PRIORREG_COMPILED_PATH(KEYWORD, PENALTY, T)                                                \
    KEYWORD template ::priorreg::detail::PathRun<T> priorreg::detail::solve_path<PENALTY, T>(      \
        const PENALTY&, ::priorreg::detail::StandardizedProblem<T>&,                               \
        const ::priorreg::detail::Vector<T>&, T, const ::priorreg::detail::SolveSettings<T>&,      \
        const ::priorreg::detail::GridRequest<T>&, bool)

#define PRIORREG_COMPILED_DATA(KEYWORD, PENALTY, S)                                                \
    KEYWORD template ::priorreg::detail::MapSolution<::priorreg::detail::compiled::Work<S>>        \
    priorreg::detail::solve_map<PENALTY, ::priorreg::detail::compiled::Work<S>,                    \
                                ::priorreg::detail::compiled::MatrixRef<S>,                        \
                                ::priorreg::detail::compiled::VectorRef<S>>(                       \
        const PENALTY&, const ::priorreg::detail::compiled::MatrixRef<S>&,                         \
        const ::priorreg::detail::compiled::VectorRef<S>&,                                         \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&,                  \
        ::priorreg::detail::compiled::Work<S>, ::priorreg::detail::compiled::Work<S>,              \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&,                  \
        const ::priorreg::detail::SolveSettings<::priorreg::detail::compiled::Work<S>>&);          \
    KEYWORD template ::priorreg::detail::PathRun<::priorreg::detail::compiled::Work<S>>            \
    priorreg::detail::solve_sparse_path<PENALTY, ::priorreg::detail::compiled::Work<S>, S>(        \
        const PENALTY&,                                                                            \
        ::priorreg::detail::StandardizedProblem<::priorreg::detail::compiled::Work<S>>&,           \
        const ::priorreg::detail::SparseColumnMatrix<S>&,                                          \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&,                  \
        ::priorreg::detail::compiled::Work<S>,                                                     \
        const ::priorreg::detail::SolveSettings<::priorreg::detail::compiled::Work<S>>&,           \
        const ::priorreg::detail::GridRequest<::priorreg::detail::compiled::Work<S>>&, bool)

#define PRIORREG_COMPILED_SCALAR(KEYWORD, S)                                                       \
    KEYWORD template ::priorreg::detail::StandardizedProblem<                                      \
        ::priorreg::detail::compiled::Work<S>>                                                     \
    priorreg::detail::standardize<::priorreg::detail::compiled::Work<S>,                           \
                                  ::priorreg::detail::compiled::MatrixRef<S>,                      \
                                  ::priorreg::detail::compiled::VectorRef<S>>(                     \
        const Eigen::MatrixBase<::priorreg::detail::compiled::MatrixRef<S>>&,                      \
        const Eigen::MatrixBase<::priorreg::detail::compiled::VectorRef<S>>&,                      \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&, bool, bool, int, \
        ::priorreg::detail::WorkingForm,                                                           \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&);                 \
    KEYWORD template ::priorreg::detail::LeastSquaresResult<::priorreg::detail::compiled::Work<S>> \
    priorreg::detail::least_squares<::priorreg::detail::compiled::Work<S>,                         \
                                    ::priorreg::detail::compiled::MatrixRef<S>,                    \
                                    ::priorreg::detail::compiled::VectorRef<S>>(                   \
        const Eigen::MatrixBase<::priorreg::detail::compiled::MatrixRef<S>>&,                      \
        const Eigen::MatrixBase<::priorreg::detail::compiled::VectorRef<S>>&,                      \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&, bool)

/// Every instantiation the component holds.
#define PRIORREG_COMPILED_ALL(KEYWORD)                                                             \
    PRIORREG_COMPILED_SCALAR(KEYWORD, double);                                                     \
    PRIORREG_COMPILED_SCALAR(KEYWORD, float);                                                      \
    PRIORREG_COMPILED_PATH(KEYWORD, ::priorreg::ElasticNetPenalty, double);                        \
    PRIORREG_COMPILED_DATA(KEYWORD, ::priorreg::ElasticNetPenalty, double);                        \
    PRIORREG_COMPILED_DATA(KEYWORD, ::priorreg::ElasticNetPenalty, float);                         \
    PRIORREG_COMPILED_PATH(KEYWORD, ::priorreg::detail::FlatPenalty, double);                      \
    PRIORREG_COMPILED_DATA(KEYWORD, ::priorreg::detail::FlatPenalty, double);                      \
    PRIORREG_COMPILED_DATA(KEYWORD, ::priorreg::detail::FlatPenalty, float)

#if defined(PRIORREG_COMPILED) && !defined(PRIORREG_COMPILED_DEFINITIONS)
PRIORREG_COMPILED_ALL(extern);
#endif

#endif // PRIORREG_COMPILED_HPP
