#ifndef PRIORREG_BAYES_BAYESIAN_RIDGE_HPP
#define PRIORREG_BAYES_BAYESIAN_RIDGE_HPP

/// \file bayesian_ridge.hpp
/// \brief `BayesianRidge`: ridge regression whose two precisions, of the noise and of the
/// weights, are chosen by maximizing the evidence (MacKay's fixed point), with the whole
/// Gaussian posterior of the coefficients and the predictive distribution of new rows.

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/validate.hpp"
#include "../status.hpp"
#include "gaussian_posterior.hpp"

namespace priorreg {

/// \brief Bayesian ridge regression: the Gaussian prior's precision and the noise precision
/// estimated from the data by maximizing the marginal likelihood.
///
/// The model: \f$y_i = \beta_0 + x_i^T\beta + \varepsilon_i\f$ with \f$\varepsilon_i \sim
/// N(0, 1/(a\,w_i))\f$ (a: `noise_precision()`, \f$w_i\f$ the observation weights), \f$\beta
/// \sim N(0, I/l)\f$ on the standardized scale (l: `weight_precision()`; on the original scale
/// with `set_standardize(false)`), a flat prior on \f$\beta_0\f$, and Gamma hyperpriors on a and
/// l (shape and rate \f$10^{-6}\f$ by default: nearly flat on the log scale). Each iteration
/// takes the posterior mean at the current precisions and moves them to MacKay's fixed point,
/// \f$l \leftarrow (\gamma + 2\,\text{shape}_l)/(\|\beta\|^2 + 2\,\text{rate}_l)\f$ and
/// \f$a \leftarrow (n - \gamma + 2\,\text{shape}_a)/(\mathrm{RSS} + 2\,\text{rate}_a)\f$
/// (\f$\gamma\f$ the effective number of parameters, n the rows of positive weight), until the
/// posterior mean moves by less than the tolerance in L1 norm (on the working scale). The
/// data are decomposed once (the eigendecomposition of the smaller of \f$A^TA\f$ and
/// \f$AA^T\f$); each iteration then costs O(p r).
///
/// With `set_standardize(false)` this is scikit-learn's `BayesianRidge` at its defaults
/// (`alpha_` is `noise_precision()`, `lambda_` is `weight_precision()`, `alpha_1`/`alpha_2` and
/// `lambda_1`/`lambda_2` the hyperpriors, `tol` and `max_iter` the tolerance and iteration
/// limit), with three differences, each the exact posterior where scikit-learn 1.2 approximates:
/// - `posterior_covariance()` is \f$(a X_c^TWX_c + lI)^{-1}\f$ also when p > n, where
///   scikit-learn's `sigma_` before 1.7 leaves out the directions the data do not reach (there
///   the posterior is the prior, variance 1/l);
/// - `predict_std` measures new rows from the training means (the intercept is the mean of y
///   less that of the fitted part) and adds the intercept's own variance \f$1/(aW)\f$, where
///   scikit-learn uses \f$x^T\Sigma x\f$: the two agree without an intercept;
/// - `log_evidence()` is the evidence of the returned mean; scikit-learn's last `scores_` entry
///   pairs the final precisions with the mean of the iteration before (they agree once the
///   iterations have converged tightly).
///
/// As in scikit-learn, the default hyperpriors (rate \f$10^{-6}\f$), the initial weight
/// precision (1) and the tolerance (absolute, in coefficient units) assume data near unit
/// scale: with y of order \f$10^{100}\f$ the iterations stop at once near the prior mean.
/// Rescale y (and, without standardization, X) first, or set the three to the data's scale.
/// \code
/// priorreg::BayesianRidge model;
/// model.fit(X, y);
/// Eigen::VectorXd mean = model.predict(Xnew), sd = model.predict_std(Xnew);
/// \endcode
template <class Scalar = double> class BasicBayesianRidge {
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

    /// Fit an intercept (default true), with a flat prior.
    BasicBayesianRidge& set_fit_intercept(bool fit_intercept) {
        fit_intercept_ = fit_intercept;
        return *this;
    }
    /// Put the prior on the coefficients of the columns scaled to unit weighted standard
    /// deviation (default true, as the other estimators); results are reported on the
    /// original scale either way.
    BasicBayesianRidge& set_standardize(bool standardize) {
        standardize_ = standardize;
        return *this;
    }
    /// Stop when the posterior mean moves by less than this in L1 norm (default 1e-3).
    BasicBayesianRidge& set_tolerance(Scalar tolerance) {
        detail::require_nonnegative_finite(tolerance, "BayesianRidge: tolerance");
        tolerance_ = tolerance;
        return *this;
    }
    /// At most this many fixed-point iterations (default 300).
    BasicBayesianRidge& set_max_iterations(int iterations) {
        if (iterations < 1)
            throw InvalidInput("BayesianRidge: max_iterations must be at least 1");
        max_iterations_ = iterations;
        return *this;
    }
    /// Gamma hyperprior on the noise precision (scikit-learn's `alpha_1`, `alpha_2`).
    BasicBayesianRidge& set_noise_precision_prior(Scalar shape, Scalar rate) {
        noise_prior_ = checked_gamma(shape, rate, "noise_precision_prior");
        return *this;
    }
    /// Gamma hyperprior on the weight precision (scikit-learn's `lambda_1`, `lambda_2`).
    BasicBayesianRidge& set_weight_precision_prior(Scalar shape, Scalar rate) {
        weight_prior_ = checked_gamma(shape, rate, "weight_precision_prior");
        return *this;
    }
    /// Starting noise precision (default: one over the variance of y, as scikit-learn's
    /// `alpha_init = None`).
    BasicBayesianRidge& set_initial_noise_precision(Scalar precision) {
        detail::require_positive_finite(precision, "BayesianRidge: initial noise precision");
        initial_noise_ = T(precision);
        return *this;
    }
    /// Starting weight precision (default 1).
    BasicBayesianRidge& set_initial_weight_precision(Scalar precision) {
        detail::require_positive_finite(precision, "BayesianRidge: initial weight precision");
        initial_weight_ = T(precision);
        return *this;
    }
    /// Threads for the decomposition (0, the default: the hardware's); results do not depend
    /// on it.
    BasicBayesianRidge& set_threads(int threads) {
        detail::require_nonnegative_finite(threads, "threads");
        threads_ = threads;
        return *this;
    }

    bool fit_intercept() const { return fit_intercept_; }
    bool standardize() const { return standardize_; }
    Scalar tolerance() const { return tolerance_; }
    int max_iterations() const { return max_iterations_; }

    /// Fits to the rows of `X` (n x p) and `y` (n).
    template <class DX, class DY>
    BasicBayesianRidge& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y) {
        return fit(X, y, Vector::Ones(X.rows()));
    }

    /// With precision weights `w` (non-negative, not all zero): row i's noise variance is
    /// \f$1/(a\,w_i)\f$, as scikit-learn's `sample_weight`.
    template <class DX, class DY, class DW>
    BasicBayesianRidge& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                            const Eigen::MatrixBase<DW>& w) {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_training_data(X, y);
            detail::require_weights(w, X.rows());
            fitted_ = false;
            T total = T(0);
            const detail::Vector<T> v = detail::unit_weights<T>(w, total);
            if (!posterior_.decompose(X, y, v, total, fit_intercept_, standardize_,
                                      detail::resolve_threads(threads_))) {
                adopt_failure(X.cols());
                return *this;
            }
            iterate();
            fitted_ = true;
            return *this;
        }
    }

    /// Posterior mean of the coefficients on the original scale (the MAP, p).
    const Vector& coef() const { return require_fitted(), coef_; }
    Scalar intercept() const { return require_fitted(), intercept_; }
    /// The estimated noise precision a (scikit-learn's `alpha_`): \f$1/\sigma^2\f$.
    Scalar noise_precision() const { return require_fitted(), static_cast<Scalar>(noise_); }
    /// The estimated weight precision l (scikit-learn's `lambda_`) on the standardized scale
    /// (the original one with `set_standardize(false)`): \f$1/\tau^2\f$.
    Scalar weight_precision() const { return require_fitted(), static_cast<Scalar>(weight_); }
    /// Posterior covariance of the coefficients on the original scale, p x p.
    Matrix posterior_covariance() const {
        require_fitted();
        return posterior_.covariance(noise_, weight_).template cast<Scalar>();
    }
    /// Log marginal likelihood of the data at the estimated precisions, with their
    /// hyperpriors (scikit-learn's final `scores_` entry, at convergence).
    Scalar log_evidence() const { return require_fitted(), static_cast<Scalar>(log_evidence_); }
    /// Fixed-point iterations taken (scikit-learn's `n_iter_`).
    int iterations() const { return require_fitted(), iterations_; }
    /// Success, NoConvergence at the iteration limit, NumericalIssue when the decomposition
    /// failed.
    Status info() const { return require_fitted(), status_; }

    /// Posterior (and predictive) mean for new rows.
    template <class DX> Vector predict(const Eigen::MatrixBase<DX>& X) const {
        require_fitted();
        detail::require_fitted_columns(X.cols(), coef_.size(), "predict", "model");
        return (X * coef_).array() + intercept_;
    }
    /// Predictive standard deviation of a new observation at each row: noise, the intercept's
    /// uncertainty and the coefficients' (class description).
    template <class DX> Vector predict_std(const Eigen::MatrixBase<DX>& X) const {
        require_fitted();
        detail::require_fitted_columns(X.cols(), coef_.size(), "predict_std", "model");
        detail::require_all_finite(X, "X");
        return posterior_.predictive_variance(X, noise_, weight_)
            .cwiseSqrt()
            .template cast<Scalar>();
    }

private:
    using T = detail::compute_scalar_t<Scalar>;

    static detail::GammaShapeRate<T> checked_gamma(Scalar shape, Scalar rate, const char* what) {
        detail::require_nonnegative_finite(shape, what);
        detail::require_nonnegative_finite(rate, what);
        return {T(shape), T(rate)};
    }

    /// MacKay's fixed point from the initial precisions, then the mean at the last ones.
    void iterate() {
        const T rows = T(posterior_.counted_rows());
        // One over the variance of the working response as scikit-learn forms it (the
        // weighted, centered y times the square roots of the weights).
        const T spread = posterior_.total_weight() / rows *
                         (posterior_.null_deviance() -
                          posterior_.response_sum() * posterior_.response_sum() / rows);
        T a = initial_noise_ ? *initial_noise_
                             : T(1) / (std::max(spread, T(0)) + std::numeric_limits<T>::epsilon());
        T l = initial_weight_ ? *initial_weight_ : T(1);
        detail::Vector<T> previous;
        status_ = Status::NoConvergence;
        iterations_ = max_iterations_;
        for (int iteration = 0; iteration < max_iterations_; ++iteration) {
            const auto point = posterior_.at(a, l);
            const detail::Vector<T> mean = posterior_.working_mean(point);
            l = (point.gamma + T(2) * weight_prior_.shape) /
                (point.shrunk.squaredNorm() + T(2) * weight_prior_.rate);
            a = (rows - point.gamma + T(2) * noise_prior_.shape) /
                (point.rss + T(2) * noise_prior_.rate);
            if (iteration > 0 && (previous - mean).cwiseAbs().sum() < T(tolerance_)) {
                status_ = Status::Success;
                iterations_ = iteration + 1;
                break;
            }
            previous = mean;
        }
        noise_ = a;
        weight_ = l;
        const auto point = posterior_.at(a, l);
        log_evidence_ = posterior_.log_evidence(a, l, point, noise_prior_, weight_prior_);
        detail::Vector<T> coef;
        T intercept = T(0);
        detail::back_transform(posterior_.problem(), posterior_.working_mean(point), coef,
                               intercept);
        coef_ = coef.template cast<Scalar>();
        intercept_ = static_cast<Scalar>(intercept);
        if (!coef_.allFinite() || !std::isfinite(intercept_) || !std::isfinite(log_evidence_))
            status_ = Status::NumericalIssue;
    }

    void adopt_failure(Eigen::Index p) {
        coef_ = Vector::Zero(p);
        intercept_ = Scalar(0);
        noise_ = weight_ = T(1);
        log_evidence_ = -std::numeric_limits<T>::infinity();
        iterations_ = 0;
        status_ = Status::NumericalIssue;
        fitted_ = true;
    }

    void require_fitted() const {
        if (!fitted_)
            throw NotFitted("BayesianRidge: results requested before fit");
    }

    bool fit_intercept_ = true;
    bool standardize_ = true;
    Scalar tolerance_ = Scalar(1e-3);
    int max_iterations_ = 300;
    int threads_ = 0;
    detail::GammaShapeRate<T> noise_prior_{T(1e-6), T(1e-6)};
    detail::GammaShapeRate<T> weight_prior_{T(1e-6), T(1e-6)};
    std::optional<T> initial_noise_, initial_weight_;

    // The last fit.
    bool fitted_ = false;
    detail::SpectralPosterior<T> posterior_;
    Vector coef_;
    Scalar intercept_ = Scalar(0);
    T noise_ = T(1), weight_ = T(1), log_evidence_ = T(0);
    int iterations_ = 0;
    Status status_ = Status::Success;
};

/// Bayesian ridge in double precision.
using BayesianRidge = BasicBayesianRidge<double>;

} // namespace priorreg

#endif // PRIORREG_BAYES_BAYESIAN_RIDGE_HPP
