#ifndef PRIORREG_PRIORS_ELASTIC_NET_PRIOR_HPP
#define PRIORREG_PRIORS_ELASTIC_NET_PRIOR_HPP

/// \file elastic_net_prior.hpp
/// \brief The product of a Gaussian and a Laplace prior: its MAP estimate is the Elastic Net.

#include <Eigen/Core>
#include <cmath>

#include "../detail/validate.hpp"
#include "elastic_net_penalty.hpp"
#include "prior_contract.hpp"

namespace priorreg {

namespace detail {
/// \f$\log(e^{t^2}\mathrm{erfc}(t))\f$ for \f$t \ge 0\f$, without overflow for large \f$t\f$.
template <class T> T log_scaled_erfc(T t) {
    using std::log;
    if (t < T(25))
        return t * t + log(std::erfc(t));
    // Asymptotic series: e^{t^2} erfc(t) = 1/(t sqrt(pi)) * sum_k (-1)^k (2k-1)!! / (2t^2)^k.
    const T inverse = T(1) / (T(2) * t * t);
    T term = T(1), sum = T(1);
    for (int k = 1; k < 8; ++k) {
        term *= -T(2 * k - 1) * inverse;
        sum += term;
    }
    return log(sum) - log(t) - T(0.5) * log(T(EIGEN_PI));
}
} // namespace detail

/// \brief Elastic-net prior with density proportional to
/// \f$\exp(-\beta_j^2/(2\tau^2) - |\beta_j|/b)\f$, independently per coefficient.
///
/// With Gaussian noise \f$\sigma\f$ and \f$n\f$ observations the MAP estimate is the Elastic Net
/// at \f$\lambda = (\sigma^2/n)(1/\tau^2 + 1/b)\f$ and \f$\alpha = (1/b)/(1/\tau^2 + 1/b)\f$.
template <class S = double> class ElasticNetPrior : public ElasticNetPenalty {
public:
    using Scalar = S;
    /// The L1 share is a free parameter of the penalty form: `ElasticNet(lambda, alpha)`.
    static constexpr bool free_mixing = true;

    /// \param tau scale of the Gaussian factor, \param b scale of the Laplace factor; both
    /// positive and finite.
    explicit ElasticNetPrior(Scalar tau = Scalar(1), Scalar b = Scalar(1)) : tau_(tau), b_(b) {
        detail::require_positive_finite(tau, "ElasticNetPrior: tau");
        detail::require_positive_finite(b, "ElasticNetPrior: b");
    }

    Scalar tau() const { return tau_; }
    Scalar b() const { return b_; }

    /// Normalized: \f$\sum_j -\beta_j^2/(2\tau^2) - |\beta_j|/b - \log Z\f$ with
    /// \f$Z = \tau\sqrt{2\pi}\, e^{t^2}\mathrm{erfc}(t)\f$, \f$t = \tau/(b\sqrt2)\f$.
    template <class Derived> Scalar log_density(const Eigen::MatrixBase<Derived>& beta) const {
        using std::log;
        using std::sqrt;
        const Scalar t = tau_ / (b_ * sqrt(Scalar(2)));
        const Scalar log_normalizer = log(tau_) + Scalar(0.5) * log(Scalar(2) * Scalar(EIGEN_PI)) +
                                      detail::log_scaled_erfc(t);
        return -beta.squaredNorm() / (Scalar(2) * tau_ * tau_) - beta.template lpNorm<1>() / b_ -
               Scalar(beta.size()) * log_normalizer;
    }

    /// \f$\lambda = (\sigma^2/n)(1/\tau^2 + 1/b)\f$, \f$\alpha = (1/b)/(1/\tau^2 + 1/b)\f$.
    PenaltyParameters<Scalar> penalty_parameters(Scalar sigma, Scalar n) const {
        const Scalar l2_rate = Scalar(1) / (tau_ * tau_);
        const Scalar l1_rate = Scalar(1) / b_;
        return {sigma * sigma / n * (l2_rate + l1_rate), l1_rate / (l2_rate + l1_rate)};
    }

    /// The prior whose MAP estimate is the elastic-net fit at (`lambda`, `alpha`), for
    /// \f$\lambda > 0\f$ and \f$0 < \alpha < 1\f$.
    static ElasticNetPrior from_penalty(Scalar lambda, Scalar alpha, Scalar sigma, Scalar n) {
        detail::require_positive_finite(lambda, "ElasticNetPrior::from_penalty: lambda");
        if (!(alpha > Scalar(0) && alpha < Scalar(1)))
            throw InvalidInput("ElasticNetPrior::from_penalty: alpha must lie in (0, 1)");
        using std::sqrt;
        const Scalar rate = n * lambda / (sigma * sigma);
        return ElasticNetPrior(Scalar(1) / sqrt(rate * (Scalar(1) - alpha)),
                               Scalar(1) / (rate * alpha));
    }

private:
    Scalar tau_;
    Scalar b_;
};

namespace detail {
template <class S> struct prior_capabilities<ElasticNetPrior<S>> {
    static constexpr PriorCapabilities value = elastic_net_capabilities;
};
template <class S> struct solver_prior<ElasticNetPrior<S>> { using type = ElasticNetPenalty; };
} // namespace detail

} // namespace priorreg

#endif // PRIORREG_PRIORS_ELASTIC_NET_PRIOR_HPP
