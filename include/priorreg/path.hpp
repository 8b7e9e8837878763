#ifndef PRIORREG_PATH_HPP
#define PRIORREG_PATH_HPP

/// \file path.hpp
/// \brief Regularization paths: the solutions along a \f$\lambda\f$ grid (the grid's options
/// are in path_options.hpp).

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "detail/cross_products.hpp"
#include "detail/numeric.hpp"
#include "detail/parallel.hpp"
#include "detail/sparse_design.hpp"
#include "detail/standardize.hpp"
#include "detail/validate.hpp"
#include "path_options.hpp"
#include "priors/laplace_prior.hpp"
#include "priors/prior_contract.hpp"
#include "solvers/map_solver.hpp"
#include "solvers/path_driver.hpp"
#include "solvers/path_refit.hpp"
#include "solvers/solver_mode.hpp"
#include "status.hpp"

namespace priorreg {

template <class Prior> class MapRegression;

/// \brief Solutions along a decreasing \f$\lambda\f$ grid, on the original scale.
///
/// Returned by `MapRegression::fit_path`. `Path<double>` is the Lasso's path type; use `auto`
/// for others.
template <class Scalar, class Prior = LaplacePrior<Scalar>> class Path {
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using IndexVector = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1>;

    /// The grid, decreasing (L values).
    const Vector& lambdas() const { return lambdas_; }
    /// Coefficients, p x L, original scale.
    const Matrix& coefs() const { return coefs_; }
    /// Intercepts (L).
    const Vector& intercepts() const { return intercepts_; }
    /// Number of nonzero coefficients per \f$\lambda\f$.
    const IndexVector& df() const { return df_; }
    /// Fraction of the null deviance explained per \f$\lambda\f$: \f$1 -
    /// \mathrm{RSS}_w/\mathrm{RSS}_w^{null}\f$.
    const Vector& dev_ratio() const { return dev_ratio_; }
    /// Duality gap of each solution, in objective units.
    const Vector& duality_gaps() const { return duality_gaps_; }
    /// Coordinate-descent sweeps spent at each \f$\lambda\f$.
    const std::vector<int>& iterations() const { return iterations_; }
    /// Features the sequential strong rule screened out that the KKT check then had to add
    /// (each such miss is caught: no returned solution violates KKT).
    Eigen::Index strong_rule_violations() const { return strong_rule_violations_; }
    /// Full gradients formed along the path (one per KKT check; the cost driver of the naive
    /// mode, free in the covariance mode).
    Eigen::Index gradient_evaluations() const { return gradient_evaluations_; }
    /// Success when every \f$\lambda\f$ converged.
    Status info() const { return status_; }
    Eigen::Index size() const { return lambdas_.size(); }

    /// The estimator (its options: alpha, standardization, intercept, penalty factors) that
    /// made the path.
    const MapRegression<Prior>& estimator() const { return estimator_; }

    /// Predictions for new rows at every \f$\lambda\f$: n x L.
    template <class Derived> Matrix predict(const Eigen::MatrixBase<Derived>& X) const {
        detail::require_fitted_columns(X.cols(), coefs_.rows(), "Path::predict", "path");
        Matrix predictions = X * coefs_;
        predictions.rowwise() += intercepts_.transpose();
        return predictions;
    }

    /// Predictions for the rows of a sparse X at every \f$\lambda\f$: n x L.
    Matrix predict(const Eigen::SparseMatrix<Scalar>& X) const {
        detail::require_fitted_columns(X.cols(), coefs_.rows(), "Path::predict", "path");
        Matrix predictions = X * coefs_;
        predictions.rowwise() += intercepts_.transpose();
        return predictions;
    }

    /// Coefficients (original scale) at any \f$\lambda \ge 0\f$: the path's own at a grid
    /// value, else as `lookup` says. An exact refit reports its convergence through
    /// `model_at(lambda).info()`.
    Vector coef_at(Scalar lambda, PathLookup lookup = PathLookup::exact) const {
        return solution_at(lambda, lookup, "Path::coef_at").coef;
    }
    /// The intercept at any \f$\lambda \ge 0\f$, as `coef_at`.
    Scalar intercept_at(Scalar lambda, PathLookup lookup = PathLookup::exact) const {
        return solution_at(lambda, lookup, "Path::intercept_at").intercept;
    }
    /// Predictions for new rows at any \f$\lambda \ge 0\f$, as `coef_at` (one refit).
    template <class Derived>
    Vector predict_at(const Eigen::MatrixBase<Derived>& X, Scalar lambda,
                      PathLookup lookup = PathLookup::exact) const {
        detail::require_fitted_columns(X.cols(), coefs_.rows(), "Path::predict_at", "path");
        const Solution at = solution_at(lambda, lookup, "Path::predict_at");
        return (X * at.coef).array() + at.intercept;
    }
    /// Predictions for the rows of a sparse X at any \f$\lambda \ge 0\f$, as `coef_at`.
    Vector predict_at(const Eigen::SparseMatrix<Scalar>& X, Scalar lambda,
                      PathLookup lookup = PathLookup::exact) const {
        detail::require_fitted_columns(X.cols(), coefs_.rows(), "Path::predict_at", "path");
        const Solution at = solution_at(lambda, lookup, "Path::predict_at");
        return (X * at.coef).array() + at.intercept;
    }
    /// A fitted estimator (penalty form) at any \f$\lambda \ge 0\f$: the path's own solution at
    /// a grid value, else the exact refit, with its status, sweeps and duality gap.
    MapRegression<Prior> model_at(Scalar lambda) const {
        Solution at = solution_at(lambda, PathLookup::exact, "Path::model_at");
        MapRegression<Prior> fitted = estimator_;
        fitted.adopt_solution(lambda, std::move(at.coef), at.intercept, at.status, at.iterations,
                              at.duality_gap);
        return fitted;
    }

    /// A fitted estimator (penalty form) at `lambdas()[k]`.
    MapRegression<Prior> model(Eigen::Index k) const {
        if (k < 0 || k >= lambdas_.size())
            throw InvalidInput("Path::model: index " + std::to_string(k) + " outside [0, " +
                               std::to_string(lambdas_.size()) + ")");
        MapRegression<Prior> fitted = estimator_;
        fitted.adopt_solution(lambdas_(k), coefs_.col(k), intercepts_(k), certified(k),
                              iterations_[static_cast<std::size_t>(k)], duality_gaps_(k));
        return fitted;
    }

private:
    friend class MapRegression<Prior>;
    using Compute = detail::compute_scalar_t<Scalar>;

    struct Solution {
        Vector coef;
        Scalar intercept = Scalar(0);
        Status status = Status::Success;
        int iterations = 0;
        Scalar duality_gap = Scalar(0);
    };

    Status certified(Eigen::Index k) const {
        return duality_gaps_(k) <= gap_target_ ? Status::Success : Status::NoConvergence;
    }

    /// The path's solution at grid index k.
    Solution on_grid(Eigen::Index k) const {
        return {coefs_.col(k), intercepts_(k), certified(k),
                iterations_[static_cast<std::size_t>(k)], duality_gaps_(k)};
    }

    Solution solution_at(Scalar lambda, PathLookup lookup, const char* caller) const {
        detail::require_nonnegative_finite(lambda, (std::string(caller) + ": lambda").c_str());
        const Eigen::Index L = lambdas_.size();
        for (Eigen::Index k = 0; k < L; ++k)
            if (lambdas_(k) == lambda)
                return on_grid(k);
        if (lookup == PathLookup::linear)
            return interpolated(lambda);
        if (!data_)
            throw std::logic_error(std::string("priorreg: ") + caller +
                                   ": an exact solution needs the data the path was fitted on; "
                                   "fit it with PathOptions::keep_data = true, or ask for "
                                   "PathLookup::linear");
        return refit(lambda);
    }

    /// Linear in lambda between the neighbouring grid points; the ends beyond the grid.
    Solution interpolated(Scalar lambda) const {
        const GridBracket<Scalar> at = bracket_on_grid(lambdas_, lambda);
        const Eigen::Index next = std::min(at.upper + 1, lambdas_.size() - 1);
        Solution mixed;
        mixed.coef = (Scalar(1) - at.share) * coefs_.col(at.upper) + at.share * coefs_.col(next);
        mixed.intercept =
            (Scalar(1) - at.share) * intercepts_(at.upper) + at.share * intercepts_(next);
        mixed.status = Status::NoConvergence; // not a solution at lambda
        mixed.duality_gap = std::numeric_limits<Scalar>::quiet_NaN();
        return mixed;
    }

    /// The grid point nearest to lambda on a log scale (lambda 0: the smallest).
    Eigen::Index nearest(Scalar lambda) const {
        const Eigen::Index L = lambdas_.size();
        if (!(lambda > Scalar(0)))
            return L - 1;
        Eigen::Index best = 0;
        Scalar best_distance = std::numeric_limits<Scalar>::infinity();
        for (Eigen::Index k = 0; k < L; ++k) {
            const Scalar distance = lambdas_(k) > Scalar(0)
                                        ? std::abs(std::log(lambdas_(k) / lambda))
                                        : std::numeric_limits<Scalar>::infinity();
            if (distance < best_distance) {
                best_distance = distance;
                best = k;
            }
        }
        return best;
    }

    /// The solution at lambda on the kept data, warm-started from the nearest grid point.
    Solution refit(Scalar lambda) const {
        const detail::StandardizedProblem<Compute>& problem = *data_;
        const Eigen::Index p = coefs_.rows();
        const detail::Vector<Compute> start =
            (coefs_.col(nearest(lambda)).template cast<Compute>().array() *
             problem.x_scale.array() *
             (problem.curvature.array() > Compute(0)).template cast<Compute>())
                .matrix();
        const auto factors = estimator_.resolved_penalty_factors(p);
        const auto settings = estimator_.solve_settings(p);
        const auto run =
            sparse_data_
                ? detail::solve_sparse_at(detail::solver_view(estimator_.prior()), problem,
                                          *sparse_data_, factors, Compute(alpha_), settings,
                                          Compute(lambda), start)
                : detail::solve_at(detail::solver_view(estimator_.prior()), problem, factors,
                                   Compute(alpha_), settings, Compute(lambda), start);
        detail::Vector<Compute> coef;
        Compute intercept = Compute(0);
        detail::back_transform(problem, detail::Vector<Compute>(run.solution.working_coefs.col(0)),
                               coef, intercept);
        Solution at;
        at.coef = coef.template cast<Scalar>();
        at.intercept = static_cast<Scalar>(intercept);
        at.duality_gap = static_cast<Scalar>(run.solution.duality_gaps(0));
        at.iterations = run.solution.iterations[0];
        at.status = run.solution.status;
        if (at.status == Status::Success && !(at.duality_gap <= gap_target_))
            at.status = Status::NoConvergence;
        if (!at.coef.allFinite() || !std::isfinite(at.intercept))
            at.status = Status::NumericalIssue;
        return at;
    }

    /// The path of `run` on `problem`, back on the original scale; `gap_target` is the gap
    /// that certifies a solution.
    using DenseRef = Eigen::Ref<const Matrix>;
    using VectorRef = Eigen::Ref<const Vector>;

    /// The path of `estimator`'s settings on a dense X (inputs validated by the caller).
    template <class DW>
    static Path fit(const MapRegression<Prior>& estimator, DenseRef X, VectorRef y,
                    const Eigen::MatrixBase<DW>& w, const PathOptions& options) {
        Compute total = Compute(0);
        const detail::Vector<Compute> unit_weights = detail::unit_weights<Compute>(w, total);
        auto problem = detail::standardize<Compute>(X, y, unit_weights, estimator.fit_intercept(),
                                                    estimator.standardize(),
                                                    detail::resolve_threads(estimator.threads()));
        detail::require_representable(problem);
        return solve(estimator, problem, X.rows(), total, options);
    }

    /// The same on a sparse X, which is never densified.
    template <class DW>
    static Path fit(const MapRegression<Prior>& estimator, const Eigen::SparseMatrix<Scalar>& X,
                    VectorRef y, const Eigen::MatrixBase<DW>& w, const PathOptions& options) {
        Compute total = Compute(0);
        const detail::Vector<Compute> unit_weights = detail::unit_weights<Compute>(w, total);
        auto problem = detail::standardize_sparse<Compute>(
            X, y, unit_weights, estimator.fit_intercept(), estimator.standardize(),
            detail::resolve_threads(estimator.threads()));
        detail::require_representable(problem);
        return solve(estimator, problem, X.rows(), total, options, &X);
    }

    /// The same on the rows that `statistics` summarizes (covariance mode, with an intercept).
    static Path fit(const MapRegression<Prior>& estimator, const CrossProducts<Compute>& statistics,
                    const PathOptions& options) {
        auto problem = detail::standardize(statistics, estimator.standardize());
        return solve(estimator, problem, statistics.rows,
                     statistics.weight * statistics.weight_unit, options);
    }

    /// The path on a prepared working problem for `n` rows of total weight `total_weight`.
    static Path solve(const MapRegression<Prior>& estimator,
                      detail::StandardizedProblem<Compute>& problem, Eigen::Index n,
                      Compute total_weight, const PathOptions& options,
                      const Eigen::SparseMatrix<Scalar>* sparse = nullptr) {
        using T = Compute;
        static_assert(!detail::capabilities_v<Prior>.flat,
                      "fit_path needs a penalty: the flat prior has no path");
        const Eigen::Index p = problem.curvature.size();
        const auto grid = detail::grid_request<T>(options, n, p);
        const Scalar alpha =
            estimator.map_form_
                ? estimator.prior_
                      .penalty_parameters(estimator.sigma_, static_cast<Scalar>(total_weight))
                      .alpha
                : estimator.alpha_;
        const T gap_target = T(estimator.tolerance()) * problem.null_deviance;
        const detail::Vector<T> factors = estimator.resolved_penalty_factors(p);
        const detail::SolveSettings<T> solve_settings = estimator.solve_settings(p);
        detail::constrain_columns(problem, solve_settings);
        const auto& prior = detail::solver_view(estimator.prior_);
        auto run = sparse ? detail::solve_sparse_path(prior, problem, *sparse, factors, T(alpha),
                                                      solve_settings, grid, options.keep_data)
                          : detail::solve_path(prior, problem, factors, T(alpha), solve_settings,
                                               grid, options.keep_data);
        Path path(estimator, std::move(run), problem, gap_target);
        path.alpha_ = alpha;
        if (options.keep_data) {
            // A sparse X solved in naive mode is read again by a refit: the path keeps a copy.
            if (sparse && problem.gram.size() == 0)
                path.sparse_data_ = std::make_shared<const Eigen::SparseMatrix<Scalar>>(*sparse);
            path.data_ = std::make_shared<const detail::StandardizedProblem<T>>(std::move(problem));
        }
        return path;
    }

    template <class T>
    Path(const MapRegression<Prior>& estimator, detail::PathRun<T>&& run,
         const detail::StandardizedProblem<T>& problem, T gap_target)
        : estimator_(estimator) {
        const Eigen::Index L = run.lambdas.size(), p = problem.curvature.size();
        const T null_deviance = problem.null_deviance;
        lambdas_ = run.lambdas.template cast<Scalar>();
        intercepts_.resize(L);
        df_.resize(L);
        dev_ratio_.resize(L);
        duality_gaps_ = run.solution.duality_gaps.template cast<Scalar>();
        iterations_ = run.solution.iterations;
        status_ = run.solution.status;
        strong_rule_violations_ = run.solution.strong_rule_violations;
        gradient_evaluations_ = run.solution.gradient_evaluations;
        gap_target_ = static_cast<Scalar>(gap_target);
        detail::Vector<T> coef;
        T intercept = T(0);
        // The working coefficients become the reported ones in place where the types agree: a
        // path of 50,000 features keeps one p x L matrix, not two (the peak memory of a sparse
        // path, bench/compare/sparse/RESULTS_SPARSE.md).
        if constexpr (std::is_same_v<T, Scalar>)
            coefs_ = std::move(run.solution.working_coefs);
        else
            coefs_.resize(p, L);
        for (Eigen::Index k = 0; k < L; ++k) {
            if constexpr (std::is_same_v<T, Scalar>)
                coef = coefs_.col(k);
            else
                coef = run.solution.working_coefs.col(k);
            detail::back_transform(problem, detail::Vector<T>(coef), coef, intercept);
            coefs_.col(k) = coef.template cast<Scalar>();
            intercepts_(k) = static_cast<Scalar>(intercept);
            df_(k) = (coef.array() != T(0)).count();
            dev_ratio_(k) = static_cast<Scalar>(
                null_deviance > T(0) ? T(1) - run.solution.residual_norm2(k) / null_deviance
                                     : T(0));
        }
        // A lambda the scalar type cannot hold (a float path on data of order 1e-40 has lambdas
        // of 1e-80) would misstate the problem its column of coefficients solves.
        const T smallest_normal = T(std::numeric_limits<Scalar>::min());
        const bool lambdas_representable =
            (run.lambdas.array() == T(0) || run.lambdas.array() >= smallest_normal).all();
        if (!coefs_.allFinite() || !lambdas_.allFinite() || !lambdas_representable)
            status_ = Status::NumericalIssue;
    }

    MapRegression<Prior> estimator_; ///< options of the estimator that made the path
    /// The working problem the path solved (`PathOptions::keep_data`), shared by copies.
    std::shared_ptr<const detail::StandardizedProblem<Compute>> data_;
    /// A sparse X the path was fitted on in naive mode, kept with `data_` for refits.
    std::shared_ptr<const Eigen::SparseMatrix<Scalar>> sparse_data_;
    Scalar alpha_ = Scalar(1); ///< the L1 share the path solved with
    Vector lambdas_;
    Matrix coefs_;
    Vector intercepts_;
    IndexVector df_;
    Vector dev_ratio_;
    Vector duality_gaps_;
    Scalar gap_target_ = Scalar(0); ///< tolerance times the null deviance
    std::vector<int> iterations_;
    Status status_ = Status::Success;
    Eigen::Index strong_rule_violations_ = 0;
    Eigen::Index gradient_evaluations_ = 0;
};

} // namespace priorreg

#endif // PRIORREG_PATH_HPP
