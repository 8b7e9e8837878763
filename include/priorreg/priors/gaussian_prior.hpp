#ifndef PRIORREG_PRIORS_GAUSSIAN_PRIOR_HPP
#define PRIORREG_PRIORS_GAUSSIAN_PRIOR_HPP

/// \file gaussian_prior.hpp
/// \brief The Gaussian prior \f$N(0, \tau^2)\f$: its MAP estimate is Ridge regression.

#include <Eigen/Core>
#include <cmath>

#include "../detail/validate.hpp"
#include "elastic_net_penalty.hpp"
#include "prior_contract.hpp"

namespace priorreg {

/// \brief Gaussian prior \f$\beta_j \sim N(0, \tau^2)\f$, independently per coefficient.
///
/// With Gaussian noise of standard deviation \f$\sigma\f$ and \f$n\f$ observations the MAP
/// estimate minimizes the ridge objective with \f$\lambda = \sigma^2/(n\tau^2)\f$, \f$\alpha =
/// 0\f$.
template <class S = double> class GaussianPrior : public ElasticNetPenalty {
public:
    using Scalar = S;

    /// \param tau prior standard deviation, positive and finite.
    explicit GaussianPrior(Scalar tau = Scalar(1)) : tau_(tau) {
        detail::require_positive_finite(tau, "GaussianPrior: tau");
    }

    Scalar tau() const { return tau_; }

    /// \f$\sum_j \log N(\beta_j; 0, \tau^2) = \sum_j -\beta_j^2/(2\tau^2) -
    /// \log(\tau\sqrt{2\pi})\f$.
    template <class Derived> Scalar log_density(const Eigen::MatrixBase<Derived>& beta) const {
        using std::log;
        const Scalar log_normalizer = log(tau_) + Scalar(0.5) * log(Scalar(2) * Scalar(EIGEN_PI));
        return -beta.squaredNorm() / (Scalar(2) * tau_ * tau_) -
               Scalar(beta.size()) * log_normalizer;
    }

    /// \f$\lambda = \sigma^2/(n\tau^2)\f$, \f$\alpha = 0\f$.
    PenaltyParameters<Scalar> penalty_parameters(Scalar sigma, Scalar n) const {
        return {sigma * sigma / (n * tau_ * tau_), Scalar(0)};
    }

    /// The prior whose MAP estimate is the ridge fit at `lambda`: \f$\tau =
    /// \sigma/\sqrt{n\lambda}\f$.
    static GaussianPrior from_penalty(Scalar lambda, Scalar sigma, Scalar n) {
        detail::require_positive_finite(lambda, "GaussianPrior::from_penalty: lambda");
        using std::sqrt;
        return GaussianPrior(sigma / sqrt(n * lambda));
    }

private:
    Scalar tau_;
};

namespace detail {
template <class S> struct prior_capabilities<GaussianPrior<S>> {
    static constexpr PriorCapabilities value = elastic_net_capabilities;
};
template <class S> struct solver_prior<GaussianPrior<S>> { using type = ElasticNetPenalty; };
} // namespace detail

} // namespace priorreg

#endif // PRIORREG_PRIORS_GAUSSIAN_PRIOR_HPP
