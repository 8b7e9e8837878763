#ifndef PRIORREG_DETAIL_ELASTIC_NET_PENALTY_HPP
#define PRIORREG_DETAIL_ELASTIC_NET_PENALTY_HPP

/// \file elastic_net_penalty.hpp
/// \brief The coordinate-wise maths of the penalty \f$l_1|\beta| + \tfrac{l_2}{2}\beta^2\f$,
/// written once and shared by the flat, Gaussian, Laplace and elastic-net priors.

#include <algorithm>
#include <cmath>

#include "numeric.hpp"

namespace priorreg::detail {

/// Penalty \f$\psi(\beta) = l_1|\beta| + \tfrac{l_2}{2}\beta^2\f$ with \f$l_1 = \lambda\,
/// \mathrm{pf}\,\alpha\f$ and \f$l_2 = \lambda\,\mathrm{pf}\,(1-\alpha)\f$.
struct ElasticNetPenalty {
    /// \f$\psi(\beta)\f$.
    template <class T> static T penalty(T beta, T l1, T l2) {
        return l1 * std::abs(beta) + T(0.5) * l2 * beta * beta;
    }

    /// \f$\arg\min_\beta \tfrac{c}{2}\beta^2 - z\beta + \psi(\beta) = S(z, l_1)/(c + l_2)\f$:
    /// the one-coordinate update of coordinate descent (\f$c\f$ is the column's curvature,
    /// \f$z\f$ its correlation with the partial residual).
    template <class T> static T proximal_step(T z, T curvature, T l1, T l2) {
        return soft_threshold(z, l1) / (curvature + l2);
    }

    /// Convex conjugate \f$\psi^*(u) = \sup_\beta u\beta - \psi(\beta)\f$, evaluated only at
    /// points made feasible by `dual_scale` (where it is finite).
    template <class T> static T conjugate(T u, T l1, T l2) {
        if (!(l2 > T(0)))
            return T(0);
        const T excess = std::max(std::abs(u) - l1, T(0));
        return excess * excess / (T(2) * l2);
    }

    /// The largest \f$s \in (0, 1]\f$ with \f$\psi^*(s\,u) < \infty\f$.
    template <class T> static T dual_scale(T u, T l1, T l2) {
        if (l2 > T(0) || std::abs(u) <= l1)
            return T(1);
        return l1 / std::abs(u);
    }

    /// The smallest \f$l_1\f$ at which \f$\beta = 0\f$ is optimal for gradient \f$g\f$.
    template <class T> static T zero_threshold(T gradient) { return std::abs(gradient); }
};

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_ELASTIC_NET_PENALTY_HPP
