#ifndef PRIORREG_ESTIMATOR_SETTINGS_HPP
#define PRIORREG_ESTIMATOR_SETTINGS_HPP

/// \file estimator_settings.hpp
/// \brief `EstimatorSettings<Scalar>`: everything an estimator is told besides its prior and its
/// strength (intercept, standardization, tolerance, penalty factors, exclusions, box, threads,
/// solver mode), each checked when set, and what a fit with p features resolves them to.

#include <Eigen/Core>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "detail/numeric.hpp"
#include "detail/parallel.hpp"
#include "detail/validate.hpp"
#include "solvers/solver_mode.hpp"
#include "status.hpp"

namespace priorreg {

/// \brief The runtime settings of `MapRegression` (which forwards its chained setters and
/// getters here) and of every path and fit made from it. A setter checks its value and throws
/// `InvalidInput` on a bad one; what depends on p (the box's length, the excluded columns) is
/// checked when a fit resolves the settings.
template <class Scalar> class EstimatorSettings {
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

    /// Fit an unpenalized intercept (default true).
    void set_fit_intercept(bool fit_intercept) { fit_intercept_ = fit_intercept; }
    /// Penalize the coefficients of unit-variance columns (default true, as glmnet).
    void set_standardize(bool standardize) { standardize_ = standardize; }
    /// Convergence: duality gap at most `tolerance` times the null deviance (default 1e-7).
    void set_tolerance(Scalar tolerance) {
        detail::require_positive_finite(tolerance, "tolerance");
        tolerance_ = tolerance;
    }
    /// Largest number of coordinate-descent sweeps (default 100000).
    void set_max_iterations(int max_iterations) {
        if (max_iterations < 1)
            throw InvalidInput("max_iterations must be at least 1");
        max_iterations_ = max_iterations;
    }
    /// Per-coefficient penalty factors \f$\mathrm{pf}_j \ge 0\f$ (0: unpenalized). An empty
    /// vector restores the default of all ones. Unlike glmnet they are used as given, not
    /// rescaled to sum to p.
    template <class Derived> void set_penalty_factors(const Eigen::MatrixBase<Derived>& factors) {
        detail::require_penalty_factors(factors, factors.size());
        penalty_factors_ = factors.template cast<Scalar>();
    }
    /// Features that never enter the model (glmnet's `exclude`): their coefficients are 0 at
    /// every lambda and they take no part in the fit, not even in lambda_max; the other
    /// columns are centered and scaled as without the exclusion. Column indices in [0, p),
    /// checked at fit time; an empty list (the default) excludes nothing.
    void set_excluded_features(std::vector<Eigen::Index> features) {
        excluded_ = detail::excluded_features(std::move(features));
    }
    /// Box constraints \f$l_j \le \beta_j \le u_j\f$ on the coefficients (glmnet's
    /// `lower.limits`, `upper.limits`): vectors of length p, or of length 1 for the same bounds
    /// on every coefficient, with \f$l_j \le 0 \le u_j\f$, as glmnet requires (the null model
    /// must be feasible for a path to start from it), infinities allowed; the length is
    /// checked at fit time. The fit is the MAP under the prior truncated to the box, for any
    /// prior: coordinate descent with the prior's proximal step clamped, certified by the
    /// duality gap of the truncated prior (solvers/penalty_weights.hpp). A bound of 0 on both
    /// sides holds the coefficient at 0 but, unlike `set_excluded_features`, leaves the feature
    /// in lambda_max. Empty vectors remove the box.
    void set_coefficient_bounds(const CoefficientBounds& bounds) {
        detail::require_coefficient_bounds(bounds.lower, bounds.upper);
        bounds_ = bounds;
    }
    /// Threads for the full gradient and the Gram blocks: 0 (default) uses every hardware
    /// thread, 1 is single-threaded. Results do not depend on it.
    void set_threads(int threads) {
        detail::require_nonnegative_finite(threads, "threads");
        threads_ = threads;
    }
    /// Covariance (Gram) or naive (residual) coordinate descent; `automatic` by shape.
    void set_solver_mode(SolverMode mode) { mode_ = mode; }

    bool fit_intercept() const { return fit_intercept_; }
    bool standardize() const { return standardize_; }
    Scalar tolerance() const { return tolerance_; }
    int max_iterations() const { return max_iterations_; }
    /// The penalty factors as set (empty: all ones).
    const Vector& penalty_factors() const { return penalty_factors_; }
    /// The excluded features, increasing.
    const std::vector<Eigen::Index>& excluded_features() const { return excluded_; }
    /// The box on the coefficients; empty when there is none.
    const CoefficientBounds& coefficient_bounds() const { return bounds_; }
    int threads() const { return threads_; }
    SolverMode solver_mode() const { return mode_; }

    /// The settings a solver in precision T reads for a fit with p features (the box checked
    /// against p and spread to p entries; the thread count resolved).
    template <class T> detail::SolveSettings<T> solve_settings(Eigen::Index p) const {
        detail::SolveSettings<T> settings;
        settings.fit_intercept = fit_intercept_;
        settings.standardize = standardize_;
        settings.tolerance = T(tolerance_);
        settings.max_iterations = max_iterations_;
        settings.threads = detail::resolve_threads(threads_);
        settings.mode = mode_;
        settings.excluded = excluded_;
        if (!bounds_.empty()) {
            const Eigen::Index given = bounds_.lower.size();
            if (given != 1 && given != p)
                throw InvalidInput("coefficient bounds: " + std::to_string(given) +
                                   " entries but X has " + std::to_string(p) + " columns");
            const auto spread = [&](const Eigen::VectorXd& bound) {
                return given == 1 ? detail::Vector<T>::Constant(p, T(bound(0)))
                                  : detail::Vector<T>(bound.template cast<T>());
            };
            settings.lower = spread(bounds_.lower);
            settings.upper = spread(bounds_.upper);
        }
        return settings;
    }

    /// The penalty factors for p features in precision T (and the check of the excluded
    /// features against p, which every fit passes through).
    template <class T> detail::Vector<T> resolved_penalty_factors(Eigen::Index p) const {
        detail::require_excluded_columns(excluded_, p);
        return detail::resolved_penalty_factors<T>(penalty_factors_, p);
    }

private:
    bool fit_intercept_ = true;
    bool standardize_ = true;
    Scalar tolerance_ = Scalar(1e-7);
    int max_iterations_ = 100000;
    int threads_ = 0;
    SolverMode mode_ = SolverMode::automatic;
    Vector penalty_factors_;
    std::vector<Eigen::Index> excluded_;
    CoefficientBounds bounds_;
};

} // namespace priorreg

#endif // PRIORREG_ESTIMATOR_SETTINGS_HPP
