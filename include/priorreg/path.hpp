#ifndef PRIORREG_PATH_HPP
#define PRIORREG_PATH_HPP

/// \file path.hpp
/// \brief Regularization paths: the options that define the \f$\lambda\f$ grid and the
/// solutions along it.

#include <Eigen/Core>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "detail/numeric.hpp"
#include "detail/standardize.hpp"
#include "detail/validate.hpp"
#include "priors/laplace_prior.hpp"
#include "solvers/path_driver.hpp"
#include "solvers/solver_mode.hpp"
#include "status.hpp"

namespace priorreg {

template <class Prior> class MapRegression;

/// \brief The \f$\lambda\f$ grid of a path.
///
/// By default `n_lambda` values log-spaced from \f$\lambda_{\max}\f$ (the smallest
/// \f$\lambda\f$ whose solution is all zero) down to `lambda_min_ratio` times it. An explicit,
/// strictly decreasing `lambdas` overrides both.
struct PathOptions {
    int n_lambda = 100; ///< number of grid points (>= 1)
    /// In (0, 1); negative (the default): glmnet's 1e-4 if n > p, else 1e-2, and with
    /// alpha < 1 down to where the quadratic part of the penalty, lambda (1 - alpha), is a
    /// thousandth of the smallest nonzero eigenvalue of the standardized (penalized) Gram at
    /// least: the least-squares end for n > p, the minimum-norm interpolation for p > n
    /// (solvers/path_driver.hpp), but with alpha > 0 not below 1e-8. That end is computed
    /// where the system has at most 2000 rows and columns (p for n > p, else n); larger
    /// systems keep glmnet's ratio.
    double lambda_min_ratio = -1.0;
    std::vector<double> lambdas; ///< explicit grid, strictly decreasing, each >= 0
    /// Called after each solved lambda with its index; returning false stops the path there
    /// (the returned path then ends at that lambda). For progress reports and cancellation.
    std::function<bool(Eigen::Index)> progress;
};

namespace detail {
/// The grid `options` ask for on data of n rows and p columns, validated.
template <class T>
GridRequest<T> grid_request(const PathOptions& options, Eigen::Index n, Eigen::Index p) {
    GridRequest<T> grid;
    if (!options.lambdas.empty()) {
        grid.explicit_lambdas.resize(static_cast<Eigen::Index>(options.lambdas.size()));
        for (std::size_t k = 0; k < options.lambdas.size(); ++k) {
            const double value = options.lambdas[k];
            require_nonnegative_finite(value, "PathOptions::lambdas");
            if (k > 0 && !(value < options.lambdas[k - 1]))
                throw InvalidInput("PathOptions::lambdas must be strictly decreasing (entry " +
                                   std::to_string(k) + ")");
            grid.explicit_lambdas(static_cast<Eigen::Index>(k)) = T(value);
        }
    } else {
        if (options.n_lambda < 1)
            throw InvalidInput("PathOptions::n_lambda must be at least 1");
        const double ratio =
            options.lambda_min_ratio < 0 ? (n > p ? 1e-4 : 1e-2) : options.lambda_min_ratio;
        if (!(ratio > 0 && ratio < 1))
            throw InvalidInput("PathOptions::lambda_min_ratio must lie in (0, 1)");
        grid.count = options.n_lambda;
        grid.min_ratio = T(ratio);
        grid.default_ratio = options.lambda_min_ratio < 0;
    }
    grid.progress = options.progress;
    return grid;
}
} // namespace detail

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

    /// A fitted estimator (penalty form) at `lambdas()[k]`.
    MapRegression<Prior> model(Eigen::Index k) const {
        if (k < 0 || k >= lambdas_.size())
            throw InvalidInput("Path::model: index " + std::to_string(k) + " outside [0, " +
                               std::to_string(lambdas_.size()) + ")");
        MapRegression<Prior> fitted = estimator_;
        fitted.adopt_solution(lambdas_(k), coefs_.col(k), intercepts_(k),
                              duality_gaps_(k) <= gap_target_ ? Status::Success
                                                              : Status::NoConvergence,
                              iterations_[static_cast<std::size_t>(k)], duality_gaps_(k));
        return fitted;
    }

private:
    friend class MapRegression<Prior>;

    /// The path of `run` on `problem`, back on the original scale; `gap_target` is the gap
    /// that certifies a solution.
    template <class T>
    Path(const MapRegression<Prior>& estimator, const detail::PathRun<T>& run,
         const detail::StandardizedProblem<T>& problem, T gap_target)
        : estimator_(estimator) {
        const Eigen::Index L = run.lambdas.size(), p = problem.curvature.size();
        const T null_deviance = problem.null_deviance;
        lambdas_ = run.lambdas.template cast<Scalar>();
        coefs_.resize(p, L);
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
        for (Eigen::Index k = 0; k < L; ++k) {
            detail::back_transform(problem, detail::Vector<T>(run.solution.working_coefs.col(k)),
                                   coef, intercept);
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
