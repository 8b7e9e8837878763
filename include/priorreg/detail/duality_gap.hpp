#ifndef PRIORREG_DETAIL_DUALITY_GAP_HPP
#define PRIORREG_DETAIL_DUALITY_GAP_HPP

/// \file duality_gap.hpp
/// \brief The certificate of optimality for any separable prior.
///
/// For the working problem \f$P(\beta) = \tfrac12\|r\|^2 + \sum_j\psi_j(\beta_j)\f$,
/// \f$r = b - A\beta\f$, Fenchel duality gives for every \f$\theta\f$
/// \f$D(\theta) = b^T\theta - \tfrac12\|\theta\|^2 - \sum_j\psi_j^*(A_j^T\theta) \le
/// P(\beta^\star)\f$. With \f$\theta = s\,r\f$, \f$s\f$ the largest step keeping every
/// \f$\psi_j^*\f$ finite (and no larger than the maximizer of the quadratic part), \f$P(\beta) -
/// D(\theta)\f$ bounds the suboptimality of \f$\beta\f$. Unpenalized coordinates are minimized
/// exactly by every sweep and enter through the residual only.

#include <Eigen/Core>
#include <algorithm>
#include <limits>
#include <utility>

#include "numeric.hpp"

namespace priorreg::detail {

/// Per-coordinate penalty weights \f$l_{1,j} = \lambda\,\mathrm{pf}_j\,\alpha\f$,
/// \f$l_{2,j} = \lambda\,\mathrm{pf}_j\,(1-\alpha)\f$.
template <class T> struct PenaltyWeights {
    Vector<T> l1;
    Vector<T> l2;

    template <class Factors>
    static PenaltyWeights from(T lambda, T alpha, const Factors& penalty_factors) {
        PenaltyWeights weights;
        weights.l1 = (lambda * alpha) * penalty_factors;
        weights.l2 = (lambda * (T(1) - alpha)) * penalty_factors;
        return weights;
    }
};

/// \f$P(\beta) - D(s\,r)\f$, clamped at zero, from \f$\|r\|^2\f$, \f$b^Tr\f$ and the
/// gradient \f$A^T r\f$ (the covariance mode knows these without forming \f$r\f$).
///
/// `uncertainty` (empty, or one entry per coordinate) allows gradients known only to within
/// \f$\pm u_j\f$: each \f$\psi_j^*\f$ is convex, so over the interval its largest value and the
/// smallest admissible step are attained at an end. The result is then an upper bound on the
/// gap of the true gradient, and still a certificate.
template <class Prior, class T>
T duality_gap_from_statistics(const Prior& prior, T residual_norm2, T correlation,
                              const Vector<T>& gradient, const Vector<T>& beta,
                              const Vector<T>& curvature, const PenaltyWeights<T>& weights,
                              const Vector<T>& uncertainty = Vector<T>()) {
    const bool exact = uncertainty.size() == 0;
    auto ends = [&](Eigen::Index j) {
        const T u = exact ? T(0) : uncertainty(j);
        return std::pair<T, T>(gradient(j) - u, gradient(j) + u);
    };
    T scale = residual_norm2 > T(0) ? std::clamp(correlation / residual_norm2, T(0), T(1)) : T(1);
    auto penalized = [&](Eigen::Index j) {
        return curvature(j) > T(0) && (weights.l1(j) > T(0) || weights.l2(j) > T(0));
    };
    for (Eigen::Index j = 0; j < beta.size(); ++j)
        if (penalized(j)) {
            const auto [low, high] = ends(j);
            scale = std::min(scale, prior.dual_scale(low, weights.l1(j), weights.l2(j)));
            if (!exact)
                scale = std::min(scale, prior.dual_scale(high, weights.l1(j), weights.l2(j)));
        }
    T dual = scale * correlation - T(0.5) * scale * scale * residual_norm2;
    T primal = T(0.5) * residual_norm2;
    for (Eigen::Index j = 0; j < beta.size(); ++j) {
        primal += prior.penalty(beta(j), weights.l1(j), weights.l2(j));
        if (penalized(j)) {
            const auto [low, high] = ends(j);
            const T at_low = prior.conjugate(scale * low, weights.l1(j), weights.l2(j));
            dual -= exact ? at_low
                          : std::max(at_low,
                                     prior.conjugate(scale * high, weights.l1(j), weights.l2(j)));
        }
    }
    // A gap that cannot be computed (inf - inf at the ends of the range) certifies nothing: it
    // is reported as infinite, never as NaN.
    const T gap = primal - dual;
    return gap >= T(0) ? gap : gap < T(0) ? T(0) : std::numeric_limits<T>::infinity();
}

/// \f$P(\beta) - D(s\,r)\f$ from the residual itself. `gradient` is \f$A^T r\f$.
template <class Prior, class T>
T duality_gap(const Prior& prior, const Vector<T>& response, const Vector<T>& residual,
              const Vector<T>& gradient, const Vector<T>& beta, const Vector<T>& curvature,
              const PenaltyWeights<T>& weights) {
    return duality_gap_from_statistics(prior, residual.squaredNorm(), response.dot(residual),
                                       gradient, beta, curvature, weights);
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_DUALITY_GAP_HPP
