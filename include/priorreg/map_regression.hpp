#ifndef PRIORREG_MAP_REGRESSION_HPP
#define PRIORREG_MAP_REGRESSION_HPP

/// \file map_regression.hpp
/// \brief `MapRegression<Prior>`: the maximum a posteriori linear model under a separable prior
/// (the prior's members are listed, and checked, in priors/prior_contract.hpp).

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "detail/cross_products.hpp"
#include "detail/numeric.hpp"
#include "detail/parallel.hpp"
#include "detail/standardize.hpp"
#include "detail/validate.hpp"
#include "estimator_settings.hpp"
#include "inference.hpp"
#include "path.hpp"
#include "priors/prior_contract.hpp"
#include "solvers/least_squares_inference.hpp"
#include "solvers/map_solver.hpp"
#include "status.hpp"
#include "sufficient_statistics.hpp"

namespace priorreg {

/// \brief Linear regression as the MAP estimate under the prior `Prior` on the coefficients.
///
/// Minimizes \f[ \frac{1}{2\sum_i w_i}\sum_i w_i\,(y_i - \beta_0 - x_i^T\beta)^2
///     + \lambda\sum_j \mathrm{pf}_j\Big[\tfrac{1-\alpha}{2}\beta_j^2 + \alpha|\beta_j|\Big] \f]
/// (for a user's prior, the bracket is its penalty): with Gaussian noise \f$\sigma\f$, the
/// negative log posterior times \f$\sigma^2/\sum_i w_i\f$. With standardization (the default)
/// the prior applies to the coefficients of the columns scaled to unit weighted variance (1/n);
/// coefficients are reported on the original scale. scikit-learn's `Lasso`/`ElasticNet` `alpha`
/// is \f$\lambda\f$ (`l1_ratio` is \f$\alpha\f$; compare with `set_standardize(false)`), its
/// `Ridge` `alpha` is \f$n\lambda\f$; glmnet's `lambda` is \f$\lambda\f$ (README, "Relation to
/// scikit-learn and glmnet").
///
/// Two ways to say how strong the prior is: the penalty form, `Lasso lasso(0.1);`
/// (\f$\lambda\f$, and \f$\alpha\f$ for the elastic net), or the MAP form,
/// `Lasso lasso(LaplacePrior<>(b), sigma);`, where \f$\lambda\f$ follows at fit time from the
/// total weight \f$n = \sum_i w_i\f$ (\f$\lambda = \sigma^2/(n\tau^2)\f$ for
/// `GaussianPrior(tau)`).
/// \code
/// priorreg::Lasso lasso(0.05);
/// lasso.set_standardize(true).fit(X, y);
/// Eigen::VectorXd yhat = lasso.predict(Xtest);
/// \endcode
template <class Prior> class MapRegression {
    using S = typename detail::scalar_of<Prior>::type;
    using T = detail::compute_scalar_t<S>;
    static_assert(detail::check_prior_contract<Prior, T>());
    static constexpr bool is_flat = detail::capabilities_v<Prior>.flat;

public:
    using Scalar = S;
    using PriorType = Prior;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    /// The statistics `fit_path(statistics, options)` takes (in the compute precision).
    using Statistics = CrossProducts<T>;

    /// Penalty form with the default strength: \f$\lambda = 0\f$ for the flat prior, 1 otherwise.
    MapRegression() : lambda_(is_flat ? Scalar(0) : Scalar(1)), alpha_(default_alpha()) {}

    /// Penalty form: strength \f$\lambda \ge 0\f$; \f$\alpha\f$ is the prior's own (0 for
    /// Gaussian, 1 for Laplace, 1/2 for the default elastic-net prior).
    template <class P = Prior, std::enable_if_t<!detail::capabilities_v<P>.flat, int> = 0>
    explicit MapRegression(Scalar lambda) : lambda_(lambda), alpha_(default_alpha()) {
        detail::require_nonnegative_finite(lambda, "lambda");
    }

    /// Penalty form with an explicit L1 share \f$\alpha\in[0,1]\f$ (elastic-net-type priors).
    template <class P = Prior, std::enable_if_t<detail::has_free_mixing<P>::value, int> = 0>
    MapRegression(Scalar lambda, Scalar alpha) : lambda_(lambda), alpha_(alpha) {
        detail::require_nonnegative_finite(lambda, "lambda");
        detail::require_unit_interval(alpha, "alpha");
    }

    /// MAP form: the prior and the noise standard deviation \f$\sigma > 0\f$.
    MapRegression(const Prior& prior, Scalar sigma)
        : prior_(prior), map_form_(true), sigma_(sigma), lambda_(0),
          alpha_(prior.penalty_parameters(Scalar(1), Scalar(1)).alpha) {
        detail::require_positive_finite(sigma, "sigma");
    }

    // The settings (estimator_settings.hpp, where each is documented and checked); every
    // setter returns the estimator, so they chain.

    /// \copydoc priorreg::EstimatorSettings::set_fit_intercept
    MapRegression& set_fit_intercept(bool fit_intercept) {
        return settings_.set_fit_intercept(fit_intercept), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_standardize
    MapRegression& set_standardize(bool standardize) {
        return settings_.set_standardize(standardize), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_tolerance
    MapRegression& set_tolerance(Scalar tolerance) {
        return settings_.set_tolerance(tolerance), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_max_iterations
    MapRegression& set_max_iterations(int max_iterations) {
        return settings_.set_max_iterations(max_iterations), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_penalty_factors
    template <class Derived>
    MapRegression& set_penalty_factors(const Eigen::MatrixBase<Derived>& factors) {
        return settings_.set_penalty_factors(factors), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_excluded_features
    MapRegression& set_excluded_features(std::vector<Eigen::Index> features) {
        return settings_.set_excluded_features(std::move(features)), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_coefficient_bounds
    MapRegression& set_coefficient_bounds(const CoefficientBounds& bounds) {
        return settings_.set_coefficient_bounds(bounds), *this;
    }
    /// Box constraints from vectors of length p, or 1 for all (`CoefficientBounds` above).
    MapRegression& set_coefficient_bounds(const Eigen::VectorXd& lower,
                                          const Eigen::VectorXd& upper) {
        return set_coefficient_bounds(CoefficientBounds{lower, upper});
    }
    /// The same bounds for every coefficient.
    MapRegression& set_coefficient_bounds(double lower, double upper) {
        return set_coefficient_bounds(CoefficientBounds{Eigen::VectorXd::Constant(1, lower),
                                                        Eigen::VectorXd::Constant(1, upper)});
    }
    /// Every coefficient \f$\ge 0\f$ (scikit-learn's `positive=True`, glmnet's
    /// `lower.limits = 0`): the MAP under the prior truncated to the positive orthant.
    MapRegression& set_nonnegative() {
        return set_coefficient_bounds(0.0, std::numeric_limits<double>::infinity());
    }
    /// \copydoc priorreg::EstimatorSettings::set_threads
    MapRegression& set_threads(int threads) { return settings_.set_threads(threads), *this; }
    /// \copydoc priorreg::EstimatorSettings::set_solver_mode
    MapRegression& set_solver_mode(SolverMode mode) {
        return settings_.set_solver_mode(mode), *this;
    }

    /// All the settings at once (another estimator's `settings()`, say).
    MapRegression& set_settings(const EstimatorSettings<Scalar>& settings) {
        return settings_ = settings, *this;
    }
    /// All the settings at once.
    const EstimatorSettings<Scalar>& settings() const { return settings_; }
    bool fit_intercept() const { return settings_.fit_intercept(); }
    int threads() const { return settings_.threads(); }
    SolverMode solver_mode() const { return settings_.solver_mode(); }
    bool standardize() const { return settings_.standardize(); }
    Scalar tolerance() const { return settings_.tolerance(); }
    int max_iterations() const { return settings_.max_iterations(); }
    const Vector& penalty_factors() const { return settings_.penalty_factors(); }
    /// The excluded features, increasing.
    const std::vector<Eigen::Index>& excluded_features() const {
        return settings_.excluded_features();
    }
    /// The box on the coefficients (`set_coefficient_bounds`); empty when there is none.
    const CoefficientBounds& coefficient_bounds() const { return settings_.coefficient_bounds(); }
    const Prior& prior() const { return prior_; }
    bool is_map_form() const { return map_form_; }
    /// The noise standard deviation of the MAP form.
    Scalar sigma() const {
        return map_form_ ? sigma_ : throw std::logic_error("priorreg: sigma() needs the MAP form");
    }

    /// Fits to the rows of `X` (n x p) and the response `y` (n), unit weights.
    template <class DX, class DY>
    MapRegression& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y) {
        return fit(X, y, Vector::Ones(X.rows()));
    }

    /// Fits with observation weights `w` (n, non-negative, not all zero).
    template <class DX, class DY, class DW>
    MapRegression& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                       const Eigen::MatrixBase<DW>& w) {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_training_data(X, y);
            detail::require_weights(w, X.rows());
            return fit_weighted(w, X.cols(), [&](const auto&... arguments) {
                return detail::solve_map(detail::solver_view(prior_), MatrixRef(X), VectorRef(y),
                                         arguments...);
            });
        }
    }

    /// Fits to the rows that `statistics` summarizes (with an intercept), without the rows:
    /// the same problem as `fit` on them, solved in covariance mode (least squares from the
    /// Gram's eigendecomposition). Statistics accumulate in chunks and merge across processes
    /// (sufficient_statistics.hpp).
    MapRegression& fit(const SufficientStatistics<T>& statistics) {
        return fit(statistics.cross_products());
    }

    /// The same from cross-products (detail/cross_products.hpp).
    MapRegression& fit(const Statistics& statistics) {
        if (!settings_.fit_intercept())
            throw std::logic_error("priorreg: fit from statistics needs an intercept");
        detail::require_statistics(statistics);
        if (statistics.xx.cols() == 0 || !(statistics.weight > T(0)))
            throw InvalidInput("fit: the statistics hold no rows of positive weight");
        const T total = statistics.weight * statistics.weight_unit;
        return fit_with_total(total, statistics.xx.cols(), [&](const auto&... arguments) {
            return detail::solve_statistics_map(detail::solver_view(prior_), statistics,
                                                arguments...);
        });
    }

    /// Fits on a sparse X (n x p, column-major) without densifying it: its columns are centered
    /// and scaled implicitly, and a coordinate update touches only a column's stored entries
    /// (docs/algorithms.md, "Sparse X"). The same problem, reading and certificate as on
    /// `X.toDense()`.
    template <class DY>
    MapRegression& fit(const Eigen::SparseMatrix<Scalar>& X, const Eigen::MatrixBase<DY>& y) {
        return fit(X, y, Vector::Ones(X.rows()));
    }

    /// Weighted fit on a sparse X.
    template <class DY, class DW>
    MapRegression& fit(const Eigen::SparseMatrix<Scalar>& X, const Eigen::MatrixBase<DY>& y,
                       const Eigen::MatrixBase<DW>& w) {
        static_assert(detail::holds_scalar_v<Scalar, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_sparse_training_data(X, y);
            detail::require_weights(w, X.rows());
            return fit_weighted(w, X.cols(), [&](const auto&... arguments) {
                return detail::solve_sparse_map(detail::solver_view(prior_), X, VectorRef(y),
                                                arguments...);
            });
        }
    }

    /// Any Eigen object that is not a dense matrix (an array, a sparse matrix): a compile-time
    /// error that says what to pass instead.
    template <class DX, class DY>
    MapRegression& fit(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&) {
        static_assert(detail::always_false_v<DX, DY>, PRIORREG_DENSE_MATRIX_REQUIREMENT);
        return *this;
    }
    template <class DX, class DY, class DW>
    MapRegression& fit(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&,
                       const Eigen::EigenBase<DW>&) {
        static_assert(detail::always_false_v<DX, DY, DW>, PRIORREG_DENSE_MATRIX_REQUIREMENT);
        return *this;
    }

    /// Fits the whole regularization path: warm starts from \f$\lambda_{\max}\f$ down the
    /// grid of `options`, with this model's \f$\alpha\f$, standardization, intercept,
    /// tolerance, penalty factors, threads and solver mode (its own \f$\lambda\f$ is not used).
    template <class DX, class DY>
    Path<Scalar, Prior> fit_path(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                                 const PathOptions& options = PathOptions()) const {
        return fit_path(X, y, Vector::Ones(X.rows()), options);
    }

    /// Weighted path.
    template <class DX, class DY, class DW>
    Path<Scalar, Prior> fit_path(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                                 const Eigen::MatrixBase<DW>& w,
                                 const PathOptions& options = PathOptions()) const {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_training_data(X, y);
            detail::require_weights(w, X.rows());
            return Path<Scalar, Prior>::fit(*this, MatrixRef(X), VectorRef(y), w, options);
        }
    }

    /// The path on a sparse X (column-major), without densifying it. With
    /// `PathOptions::keep_data` (for exact `coef_at` between grid points) the path keeps a copy
    /// of X's storage, unless covariance mode kept the Gram instead.
    template <class DY>
    Path<Scalar, Prior> fit_path(const Eigen::SparseMatrix<Scalar>& X,
                                 const Eigen::MatrixBase<DY>& y,
                                 const PathOptions& options = PathOptions()) const {
        return fit_path(X, y, Vector::Ones(X.rows()), options);
    }

    /// Weighted path on a sparse X.
    template <class DY, class DW>
    Path<Scalar, Prior> fit_path(const Eigen::SparseMatrix<Scalar>& X,
                                 const Eigen::MatrixBase<DY>& y, const Eigen::MatrixBase<DW>& w,
                                 const PathOptions& options = PathOptions()) const {
        static_assert(detail::holds_scalar_v<Scalar, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_sparse_training_data(X, y);
            detail::require_weights(w, X.rows());
            return Path<Scalar, Prior>::fit(*this, X, VectorRef(y), w, options);
        }
    }

    /// The path on the rows summarized by `statistics` (with an intercept, in covariance
    /// mode): the rows themselves are not needed. Cross-validation fits its folds this way.
    Path<Scalar, Prior> fit_path(const Statistics& statistics,
                                 const PathOptions& options = PathOptions()) const {
        if (!settings_.fit_intercept())
            throw std::logic_error("priorreg: fit_path from statistics needs an intercept");
        detail::require_statistics(statistics);
        return Path<Scalar, Prior>::fit(*this, statistics, options);
    }

    /// The path on the rows that `statistics` summarizes (with an intercept).
    Path<Scalar, Prior> fit_path(const SufficientStatistics<T>& statistics,
                                 const PathOptions& options = PathOptions()) const {
        return fit_path(statistics.cross_products(), options);
    }

    /// \f$\hat\beta_0 + X\hat\beta\f$ for new rows with the training column count.
    template <class DX> Vector predict(const Eigen::MatrixBase<DX>& X) const {
        static_assert(detail::holds_scalar_v<Scalar, DX>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            require_fitted("predict");
            detail::require_fitted_columns(X.cols(), coef_.size(), "predict", "model");
            return (X * coef_).array() + intercept_;
        }
    }

    /// Predictions for the rows of a sparse X.
    Vector predict(const Eigen::SparseMatrix<Scalar>& X) const {
        require_fitted("predict");
        detail::require_fitted_columns(X.cols(), coef_.size(), "predict", "model");
        return (X * coef_).array() + intercept_;
    }

    /// Coefficients on the original scale (p).
    const Vector& coef() const { return require_fitted("coef"), coef_; }
    Scalar intercept() const { return require_fitted("intercept"), intercept_; }
    /// The penalty strength used (in MAP form, the one the last fit derived).
    Scalar lambda() const { return map_form_ ? (require_fitted("lambda"), lambda_) : lambda_; }
    /// The L1 share \f$\alpha\f$.
    Scalar alpha() const { return alpha_; }
    Status info() const { return require_fitted("info"), status_; }
    /// Coordinate-descent sweeps of the last fit (1 for the closed forms).
    int iterations() const { return require_fitted("iterations"), iterations_; }
    /// Duality gap of the returned solution in objective units (0 for least squares).
    Scalar duality_gap() const { return require_fitted("duality_gap"), duality_gap_; }
    /// Numerical rank of the design, counting the intercept column (least squares only).
    Eigen::Index rank() const {
        static_assert(is_flat,
                      "rank() is reported by the least-squares estimator (FlatPrior) only");
        if (!settings_.coefficient_bounds().empty())
            throw std::logic_error("priorreg: rank() is reported by least squares; a boxed fit "
                                   "is solved by coordinate descent");
        return require_fitted("rank"), rank_;
    }

    /// The inference of the least-squares fit on its training data `X`, `y` (least squares
    /// only): standard errors, t values, two-sided p-values and `level` confidence intervals of
    /// every term, \f$\hat\sigma\f$, \f$R^2\f$ and the F test, as R's `summary(lm(...))` and
    /// `confint` (solvers/least_squares_inference.hpp). Terms aliased with earlier ones are
    /// reported not estimable, as R's NA; the estimates of the others are then those of the fit
    /// without the aliased terms (where `coef()` holds the minimum-norm solution).
    template <class DX, class DY>
    LeastSquaresSummary<Scalar> summary(const Eigen::MatrixBase<DX>& X,
                                        const Eigen::MatrixBase<DY>& y,
                                        Scalar level = Scalar(0.95)) const {
        return summary(X, y, Vector::Ones(X.rows()), level);
    }

    /// Weighted: `w` are precision weights, as R's `lm(weights = w)` (the noise variance of row
    /// i is \f$\sigma^2/w_i\f$; rows of weight 0 do not count in the degrees of freedom), so
    /// \f$\hat\sigma\f$ depends on their scale and nothing else does.
    template <class DX, class DY, class DW>
    LeastSquaresSummary<Scalar>
    summary(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
            const Eigen::MatrixBase<DW>& w, Scalar level = Scalar(0.95)) const {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            static_assert(is_flat, "summary() is the inference of least squares (FlatPrior) only");
            return detail::EstimatorInference::summary(*this, X, y, w, level);
        }
    }

    /// Log posterior of any coefficients, up to nothing: the Gaussian log likelihood with the
    /// model's \f$\sigma\f$ plus the prior's normalized log density of the (standardized)
    /// penalized coefficients. MAP form only; penalty factors must be 0 (flat) or 1.
    template <class DX, class DY, class DC>
    Scalar log_posterior(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                         Scalar intercept, const Eigen::MatrixBase<DC>& coef) const {
        return log_posterior(X, y, Vector::Ones(X.rows()), intercept, coef);
    }

    /// Weighted log posterior: each row's likelihood counts `w_i` times.
    template <class DX, class DY, class DW, class DC>
    Scalar log_posterior(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                         const Eigen::MatrixBase<DW>& w, Scalar intercept,
                         const Eigen::MatrixBase<DC>& coef) const {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY, DC>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY, DC>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            return detail::EstimatorInference::log_posterior(*this, X, y, w, intercept, coef);
        }
    }

private:
    template <class S2, class P> friend class Path;
    friend struct detail::EstimatorInference;

    // One matrix type per scalar for the solvers; a plain matrix is referenced, not copied.
    using MatrixRef = Eigen::Ref<const Matrix>;
    using VectorRef = Eigen::Ref<const Vector>;

    static Scalar default_alpha() {
        static_assert(std::is_default_constructible_v<Prior>,
                      "MapRegression: the penalty form (a lambda, or no argument) needs a "
                      "default-constructible prior; construct the MAP form "
                      "MapRegression(prior, sigma) instead, or give the prior a default");
        return Prior().penalty_parameters(Scalar(1), Scalar(1)).alpha;
    }

    /// The settings of a fit with p features, in the compute precision.
    detail::SolveSettings<T> solve_settings(Eigen::Index p) const {
        return settings_.template solve_settings<T>(p);
    }

    /// A fit on rows weighted by `w` with p features: `solve(unit_weights, lambda, alpha,
    /// penalty_factors, settings)` returns the solution this model adopts.
    template <class DW, class Solve>
    MapRegression& fit_weighted(const Eigen::MatrixBase<DW>& w, Eigen::Index p, Solve&& solve) {
        T total = T(0);
        const detail::Vector<T> unit_weights = detail::unit_weights<T>(w, total);
        return fit_with_total(
            total, p, [&](const auto&... arguments) { return solve(unit_weights, arguments...); });
    }

    /// A fit of p features on rows of total weight `total` (which sets the MAP form's lambda):
    /// `solve(lambda, alpha, penalty_factors, settings)` returns the solution this model adopts.
    template <class Solve> MapRegression& fit_with_total(T total, Eigen::Index p, Solve&& solve) {
        const auto implied = map_form_ ? prior_.penalty_parameters(sigma_, Scalar(total))
                                       : PenaltyParameters<Scalar>{lambda_, alpha_};
        lambda_ = implied.lambda;
        alpha_ = implied.alpha;
        fitted_ = false;
        const auto solution =
            solve(T(lambda_), T(alpha_), resolved_penalty_factors(p), solve_settings(p));
        coef_ = solution.coef.template cast<Scalar>();
        intercept_ = static_cast<Scalar>(solution.intercept);
        status_ = solution.status;
        iterations_ = solution.iterations;
        duality_gap_ = static_cast<Scalar>(solution.duality_gap);
        rank_ = solution.rank;
        if (!coef_.allFinite() || !std::isfinite(intercept_))
            status_ = Status::NumericalIssue;
        fitted_ = true;
        return *this;
    }

    /// Makes this a fitted penalty-form model with the given solution (used by `Path::model`).
    void adopt_solution(Scalar lambda, Vector coef, Scalar intercept, Status status, int iterations,
                        Scalar gap) {
        map_form_ = false;
        lambda_ = lambda;
        coef_ = std::move(coef);
        intercept_ = intercept;
        status_ = status;
        iterations_ = iterations;
        duality_gap_ = gap;
        fitted_ = true;
    }

    void require_fitted(const char* what) const {
        if (!fitted_)
            throw NotFitted(std::string(what) + " called before fit");
    }

    /// The penalty factors for p features (and the check of the excluded features).
    detail::Vector<T> resolved_penalty_factors(Eigen::Index p) const {
        return settings_.template resolved_penalty_factors<T>(p);
    }
    Prior prior_{};
    bool map_form_ = false;
    Scalar sigma_ = Scalar(1);
    Scalar lambda_;
    Scalar alpha_;
    EstimatorSettings<Scalar> settings_;
    // The last fit.
    bool fitted_ = false;
    Vector coef_;
    Scalar intercept_ = Scalar(0);
    Status status_ = Status::Success;
    int iterations_ = 0;
    Scalar duality_gap_ = Scalar(0);
    Eigen::Index rank_ = -1;
};

} // namespace priorreg

#endif // PRIORREG_MAP_REGRESSION_HPP
