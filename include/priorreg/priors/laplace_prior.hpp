#ifndef PRIORREG_PRIORS_LAPLACE_PRIOR_HPP
#define PRIORREG_PRIORS_LAPLACE_PRIOR_HPP

/// \file laplace_prior.hpp
/// \brief The Laplace prior: its MAP estimate is the Lasso.

#include <Eigen/Core>
#include <cmath>

#include "../detail/validate.hpp"
#include "elastic_net_penalty.hpp"
#include "prior_contract.hpp"

namespace priorreg {

/// \brief Laplace prior \f$p(\beta_j) = e^{-|\beta_j|/b}/(2b)\f$, independently per coefficient.
///
/// With Gaussian noise \f$\sigma\f$ and \f$n\f$ observations the MAP estimate is the Lasso at
/// \f$\lambda = \sigma^2/(n b)\f$, \f$\alpha = 1\f$.
template <class S = double> class LaplacePrior : public ElasticNetPenalty {
public:
    using Scalar = S;

    /// \param b prior scale, positive and finite.
    explicit LaplacePrior(Scalar b = Scalar(1)) : b_(b) {
        detail::require_positive_finite(b, "LaplacePrior: b");
    }

    Scalar b() const { return b_; }

    /// \f$\sum_j -|\beta_j|/b - \log(2b)\f$.
    template <class Derived> Scalar log_density(const Eigen::MatrixBase<Derived>& beta) const {
        using std::log;
        return -beta.template lpNorm<1>() / b_ - Scalar(beta.size()) * log(Scalar(2) * b_);
    }

    /// \f$\lambda = \sigma^2/(n b)\f$, \f$\alpha = 1\f$.
    PenaltyParameters<Scalar> penalty_parameters(Scalar sigma, Scalar n) const {
        return {sigma * sigma / (n * b_), Scalar(1)};
    }

    /// The prior whose MAP estimate is the Lasso fit at `lambda`: \f$b = \sigma^2/(n\lambda)\f$.
    static LaplacePrior from_penalty(Scalar lambda, Scalar sigma, Scalar n) {
        detail::require_positive_finite(lambda, "LaplacePrior::from_penalty: lambda");
        return LaplacePrior(sigma * sigma / (n * lambda));
    }

private:
    Scalar b_;
};

namespace detail {
template <class S> struct prior_capabilities<LaplacePrior<S>> {
    static constexpr PriorCapabilities value = elastic_net_capabilities;
};
template <class S> struct solver_prior<LaplacePrior<S>> { using type = ElasticNetPenalty; };
} // namespace detail

} // namespace priorreg

#endif // PRIORREG_PRIORS_LAPLACE_PRIOR_HPP
