#ifndef PRIORREG_COMPILED_HPP
#define PRIORREG_COMPILED_HPP

/// \file compiled.hpp
/// \brief The instantiations that the optional compiled component (`priorreg::compiled`)
/// holds: the solvers behind `fit`, `fit_path` and cross-validation for the shipped priors
/// (flat, Gaussian, Laplace, elastic net) in `double` and `float`.
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
#define PRIORREG_COMPILED_PRIOR(KEYWORD, PRIOR, S)                                                 \
    KEYWORD template ::priorreg::detail::MapSolution<::priorreg::detail::compiled::Work<S>>        \
    priorreg::detail::solve_map<PRIOR, ::priorreg::detail::compiled::Work<S>,                      \
                                ::priorreg::detail::compiled::MatrixRef<S>,                        \
                                ::priorreg::detail::compiled::VectorRef<S>>(                       \
        const PRIOR&, const ::priorreg::detail::compiled::MatrixRef<S>&,                           \
        const ::priorreg::detail::compiled::VectorRef<S>&,                                         \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&,                  \
        ::priorreg::detail::compiled::Work<S>, ::priorreg::detail::compiled::Work<S>,              \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&,                  \
        const ::priorreg::detail::SolveSettings<::priorreg::detail::compiled::Work<S>>&);          \
    KEYWORD template ::priorreg::detail::PathRun<::priorreg::detail::compiled::Work<S>>            \
    priorreg::detail::solve_path<PRIOR, ::priorreg::detail::compiled::Work<S>>(                    \
        const PRIOR&,                                                                              \
        ::priorreg::detail::StandardizedProblem<::priorreg::detail::compiled::Work<S>>&,           \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&,                  \
        ::priorreg::detail::compiled::Work<S>,                                                     \
        const ::priorreg::detail::SolveSettings<::priorreg::detail::compiled::Work<S>>&,           \
        const ::priorreg::detail::GridRequest<::priorreg::detail::compiled::Work<S>>&, bool);      \
    KEYWORD template ::priorreg::detail::PathRun<::priorreg::detail::compiled::Work<S>>            \
    priorreg::detail::solve_sparse_path<PRIOR, ::priorreg::detail::compiled::Work<S>, S>(          \
        const PRIOR&,                                                                              \
        ::priorreg::detail::StandardizedProblem<::priorreg::detail::compiled::Work<S>>&,           \
        const ::priorreg::detail::SparseColumnMatrix<S>&,                                          \
        const ::priorreg::detail::Vector<::priorreg::detail::compiled::Work<S>>&,                  \
        ::priorreg::detail::compiled::Work<S>,                                                     \
        const ::priorreg::detail::SolveSettings<::priorreg::detail::compiled::Work<S>>&,           \
        const ::priorreg::detail::GridRequest<::priorreg::detail::compiled::Work<S>>&, bool)

/// The prior-independent steps for data of scalar `S`: the working problem from the rows, and
/// least squares (which a user's prior reaches at lambda = 0 too).
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
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::FlatPrior<double>, double);                       \
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::GaussianPrior<double>, double);                   \
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::LaplacePrior<double>, double);                    \
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::ElasticNetPrior<double>, double);                 \
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::FlatPrior<float>, float);                         \
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::GaussianPrior<float>, float);                     \
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::LaplacePrior<float>, float);                      \
    PRIORREG_COMPILED_PRIOR(KEYWORD, ::priorreg::ElasticNetPrior<float>, float)

#if defined(PRIORREG_COMPILED) && !defined(PRIORREG_COMPILED_DEFINITIONS)
PRIORREG_COMPILED_ALL(extern);
#endif

#endif // PRIORREG_COMPILED_HPP
