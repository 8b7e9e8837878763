#ifndef PRIORREG_BAYES_RIDGE_POSTERIOR_HPP
#define PRIORREG_BAYES_RIDGE_POSTERIOR_HPP

/// \file ridge_posterior.hpp
/// \brief `RidgePosterior`: the whole posterior behind a Ridge in MAP form, whose mode the
/// estimator computes: the covariance of the coefficients, the predictive distribution of new
/// rows and the evidence.

#include <Eigen/Core>
#include <cmath>
#include <stdexcept>

#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../priors/gaussian_prior.hpp"
#include "gaussian_posterior.hpp"

namespace priorreg {

/// \brief The Gaussian posterior of `Ridge(GaussianPrior(tau), sigma)` on given data.
///
/// With noise \f$N(0, \sigma^2/w_i)\f$ and the prior \f$N(0, \tau^2)\f$ on every (standardized,
/// unless the model has `set_standardize(false)`) coefficient, the posterior is Gaussian: its
/// mean is the MAP that `Ridge::fit` returns on the same data, its covariance is
/// \f$(X_c^TWX_c/\sigma^2 + S^2/\tau^2)^{-1}\f$ (\f$X_c\f$ the centered design, S the column
/// scales of the prior), and a new row's response has the predictive standard deviation
/// `predict_std` (noise, the intercept's uncertainty under its flat prior, and the
/// coefficients'). `log_evidence()` is the log marginal likelihood of the centered data,
/// \f$\log N(y_c;\ 0,\ \sigma^2W^{-1} + \tau^2X_cS^{-2}X_c^T)\f$ (with weights, less the
/// constant \f$\tfrac12\sum_i\log w_i\f$, as scikit-learn's score), which compares priors
/// (values of \f$\tau\f$) on the same data; `BayesianRidge` maximizes it over both precisions.
/// One eigendecomposition of the smaller of the data's Gram and kernel (as `BayesianRidge`).
/// \code
/// priorreg::Ridge ridge(priorreg::GaussianPrior<>(0.5), 2.0);
/// priorreg::RidgePosterior posterior(ridge, X, y);
/// Eigen::VectorXd sd = posterior.predict_std(Xnew);
/// \endcode
template <class Scalar = double> class BasicRidgePosterior {
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Model = MapRegression<GaussianPrior<Scalar>>;

    /// The posterior of `model`'s prior and noise on `X`, `y` (unit weights). The model need not
    /// be fitted; its intercept, standardization and threads settings apply. It must be in MAP
    /// form (`Ridge(GaussianPrior(tau), sigma)`: the penalty form has no noise level) with no
    /// penalty factors, exclusions or box (each changes the prior).
    template <class DX, class DY>
    BasicRidgePosterior(const Model& model, const Eigen::MatrixBase<DX>& X,
                        const Eigen::MatrixBase<DY>& y)
        : BasicRidgePosterior(model, X, y, Vector::Ones(X.rows())) {}

    /// With precision weights `w`: row i's noise variance is \f$\sigma^2/w_i\f$.
    template <class DX, class DY, class DW>
    BasicRidgePosterior(const Model& model, const Eigen::MatrixBase<DX>& X,
                        const Eigen::MatrixBase<DY>& y, const Eigen::MatrixBase<DW>& w) {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            require_plain_gaussian_prior(model);
            detail::require_training_data(X, y);
            detail::require_weights(w, X.rows());
            const T sigma = T(model.sigma()), tau = T(model.prior().tau());
            noise_ = T(1) / (sigma * sigma);
            weight_ = T(1) / (tau * tau);
            T total = T(0);
            const detail::Vector<T> v = detail::unit_weights<T>(w, total);
            if (!posterior_.decompose(X, y, v, total, model.fit_intercept(), model.standardize(),
                                      detail::resolve_threads(model.threads())))
                throw std::runtime_error("priorreg: RidgePosterior: the eigendecomposition of "
                                         "the data's Gram did not converge");
            const auto point = posterior_.at(noise_, weight_);
            const detail::GammaShapeRate<T> none{T(0), T(0)};
            log_evidence_ = posterior_.log_evidence(noise_, weight_, point, none, none);
            detail::Vector<T> coef;
            T intercept = T(0);
            detail::back_transform(posterior_.problem(), posterior_.working_mean(point), coef,
                                   intercept);
            mean_ = coef.template cast<Scalar>();
            intercept_ = static_cast<Scalar>(intercept);
        }
    }

    /// Posterior mean of the coefficients on the original scale: the MAP (p).
    const Vector& mean() const { return mean_; }
    /// The intercept that goes with the mean.
    Scalar intercept() const { return intercept_; }
    /// Posterior covariance of the coefficients on the original scale (p x p).
    Matrix covariance() const {
        return posterior_.covariance(noise_, weight_).template cast<Scalar>();
    }
    /// Log marginal likelihood of the centered data under this prior and noise.
    Scalar log_evidence() const { return static_cast<Scalar>(log_evidence_); }

    /// Predictive mean for new rows.
    template <class DX> Vector predict(const Eigen::MatrixBase<DX>& X) const {
        detail::require_fitted_columns(X.cols(), mean_.size(), "predict", "posterior");
        return (X * mean_).array() + intercept_;
    }
    /// Predictive standard deviation of a new observation at each row of `X`.
    template <class DX> Vector predict_std(const Eigen::MatrixBase<DX>& X) const {
        detail::require_fitted_columns(X.cols(), mean_.size(), "predict_std", "posterior");
        detail::require_all_finite(X, "X");
        return posterior_.predictive_variance(X, noise_, weight_)
            .cwiseSqrt()
            .template cast<Scalar>();
    }

private:
    using T = detail::compute_scalar_t<Scalar>;

    static void require_plain_gaussian_prior(const Model& model) {
        if (!model.is_map_form())
            throw std::logic_error("priorreg: RidgePosterior needs a Ridge in MAP form "
                                   "(GaussianPrior(tau), sigma): the penalty form has no noise "
                                   "level");
        const auto& factors = model.penalty_factors();
        if ((factors.size() > 0 && (factors.array() != Scalar(1)).any()) ||
            !model.excluded_features().empty() || !model.coefficient_bounds().empty())
            throw std::logic_error("priorreg: RidgePosterior covers the plain Gaussian prior: "
                                   "penalty factors, excluded features and boxes change it");
    }

    detail::SpectralPosterior<T> posterior_;
    T noise_ = T(1), weight_ = T(1), log_evidence_ = T(0);
    Vector mean_;
    Scalar intercept_ = Scalar(0);
};

/// The Ridge posterior in double precision.
using RidgePosterior = BasicRidgePosterior<double>;

} // namespace priorreg

#endif // PRIORREG_BAYES_RIDGE_POSTERIOR_HPP
