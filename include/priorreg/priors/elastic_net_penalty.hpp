#ifndef PRIORREG_PRIORS_ELASTIC_NET_PENALTY_HPP
#define PRIORREG_PRIORS_ELASTIC_NET_PENALTY_HPP

/// \file elastic_net_penalty.hpp
/// \brief The coordinate-wise maths of the penalty \f$l_1|\beta| + \tfrac{l_2}{2}\beta^2\f$,
/// written once: the flat, Gaussian, Laplace and elastic-net priors inherit it, and so may a
/// user's prior.

#include <algorithm>
#include <cmath>

#include "../detail/numeric.hpp"
#include "prior_contract.hpp"

namespace priorreg {

/// \brief The five coordinate members of the prior contract for the penalty
/// \f$\psi(\beta) = l_1|\beta| + \tfrac{l_2}{2}\beta^2\f$, with \f$l_1 = \lambda\,\mathrm{pf}\,
/// \alpha\f$ and \f$l_2 = \lambda\,\mathrm{pf}\,(1-\alpha)\f$.
///
/// Inherit it to write a prior whose MAP estimate is an elastic-net-type fit, and add
/// `Scalar`, `log_density` and `penalty_parameters`. Such a prior is solved by coordinate
/// descent through these members, like any user prior: the closed forms and Newton steps are
/// kept for the library's own priors.
struct ElasticNetPenalty {
    /// \f$\psi(\beta)\f$.
    template <class T> static T penalty(T beta, const CoordinatePenalty<T>& w) {
        return w.l1 * std::abs(beta) + T(0.5) * w.l2 * beta * beta;
    }

    /// \f$\arg\min_\beta \tfrac{c}{2}\beta^2 - z\beta + \psi(\beta) = S(z, l_1)/(c + l_2)\f$:
    /// the one-coordinate update of coordinate descent (\f$c\f$ is the column's curvature,
    /// \f$z\f$ its correlation with the partial residual).
    template <class T> static T proximal_step(T z, T curvature, const CoordinatePenalty<T>& w) {
        return detail::soft_threshold(z, w.l1) / (curvature + w.l2);
    }

    /// Convex conjugate \f$\psi^*(u) = \sup_\beta u\beta - \psi(\beta)\f$, evaluated only at
    /// points made feasible by `dual_scale` (where it is finite).
    template <class T> static T conjugate(T u, const CoordinatePenalty<T>& w) {
        if (!(w.l2 > T(0)))
            return T(0);
        const T excess = std::max(std::abs(u) - w.l1, T(0));
        return excess * excess / (T(2) * w.l2);
    }

    /// The largest \f$s \in [0, 1]\f$ with \f$\psi^*(s\,u) < \infty\f$.
    template <class T> static T dual_scale(T u, const CoordinatePenalty<T>& w) {
        if (w.l2 > T(0) || std::abs(u) <= w.l1)
            return T(1);
        return w.l1 / std::abs(u);
    }

    /// The smallest \f$l_1\f$ at which \f$\beta = 0\f$ is optimal for gradient \f$g\f$.
    template <class T> static T zero_threshold(T gradient, const CoordinatePenalty<T>& /*w*/) {
        return std::abs(gradient);
    }
};

namespace detail {
/// What the library knows of its own priors built on `ElasticNetPenalty` (see
/// `PriorCapabilities`).
inline constexpr PriorCapabilities elastic_net_capabilities{true, true, true, false};
template <> struct prior_capabilities<ElasticNetPenalty> {
    static constexpr PriorCapabilities value = elastic_net_capabilities;
};
} // namespace detail

} // namespace priorreg

#endif // PRIORREG_PRIORS_ELASTIC_NET_PENALTY_HPP
