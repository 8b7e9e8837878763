#ifndef PRIORREG_SOLVERS_DUALITY_GAP_HPP
#define PRIORREG_SOLVERS_DUALITY_GAP_HPP

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

#include "../detail/numeric.hpp"
#include "../priors/prior_contract.hpp"
#include "penalty_weights.hpp"

namespace priorreg::detail {

/// \f$P(\beta) - D(s\,\theta)\f$, clamped at zero, for a dual point \f$\theta\f$ given by its
/// statistics: \f$\|\theta\|^2\f$ (`dual_norm2`), \f$b^T\theta\f$ (`response_dot_dual`) and
/// \f$A^T\theta\f$ (`dual_gradient`); the primal needs \f$\|r\|^2\f$ (`residual_norm2`). The step
/// \f$s\f$ maximizes the quadratic part of \f$D\f$ within \f$[0, 1]\f$ and keeps every conjugate
/// finite.
///
/// `uncertainty` (empty, or one entry per coordinate) allows gradients known only to within
/// \f$\pm u_j\f$: each \f$\psi_j^*\f$ is convex, so over the interval its largest value and the
/// smallest admissible step are attained at an end. The result is then an upper bound on the
/// gap of the true gradient, and still a certificate.
template <class Prior, class T>
T duality_gap_from_dual_point(const Prior& prior, T residual_norm2, T dual_norm2,
                              T response_dot_dual, const Vector<T>& dual_gradient,
                              const Vector<T>& beta, const Vector<T>& curvature,
                              const PenaltyWeights<T>& weights,
                              const Vector<T>& uncertainty = Vector<T>()) {
    const bool exact = uncertainty.size() == 0;
    auto ends = [&](Eigen::Index j) {
        const T u = exact ? T(0) : uncertainty(j);
        return std::pair<T, T>(dual_gradient(j) - u, dual_gradient(j) + u);
    };
    T scale = dual_norm2 > T(0) ? std::clamp(response_dot_dual / dual_norm2, T(0), T(1)) : T(1);
    // Coordinates with no data (curvature 0) are held at 0 and take no part. Unweighted
    // coordinates of a prior that vanishes there are unconstrained and settled by the solver.
    // A box constrains them: they take part then.
    const bool skip_unweighted = capabilities_v<Prior>.vanishes_at_zero_weight && !weights.boxed();
    auto penalized = [&](Eigen::Index j) {
        return curvature(j) > T(0) && !(skip_unweighted && weights.unweighted(j));
    };
    for (Eigen::Index j = 0; j < beta.size(); ++j)
        if (penalized(j)) {
            const auto [low, high] = ends(j);
            scale = std::min(scale, box_dual_scale(prior, weights, j, low));
            if (!exact)
                scale = std::min(scale, box_dual_scale(prior, weights, j, high));
        }
    T dual = scale * response_dot_dual - T(0.5) * scale * scale * dual_norm2;
    T primal = T(0.5) * residual_norm2;
    for (Eigen::Index j = 0; j < beta.size(); ++j) {
        primal += box_penalty(prior, weights, j, beta(j));
        if (penalized(j)) {
            const auto [low, high] = ends(j);
            const T at_low = box_conjugate(prior, weights, j, scale * low);
            dual -=
                exact ? at_low : std::max(at_low, box_conjugate(prior, weights, j, scale * high));
        }
    }
    // A gap that cannot be computed (inf - inf at the ends of the range) certifies nothing: it
    // is reported as infinite, never as NaN.
    const T gap = primal - dual;
    return gap >= T(0) ? gap : gap < T(0) ? T(0) : std::numeric_limits<T>::infinity();
}

/// \f$P(\beta) - D(s\,r)\f$ with the residual as the dual point, from \f$\|r\|^2\f$, \f$b^Tr\f$
/// and the gradient \f$A^T r\f$ (the covariance mode knows these without forming \f$r\f$).
template <class Prior, class T>
T duality_gap_from_statistics(const Prior& prior, T residual_norm2, T correlation,
                              const Vector<T>& gradient, const Vector<T>& beta,
                              const Vector<T>& curvature, const PenaltyWeights<T>& weights,
                              const Vector<T>& uncertainty = Vector<T>()) {
    return duality_gap_from_dual_point(prior, residual_norm2, residual_norm2, correlation, gradient,
                                       beta, curvature, weights, uncertainty);
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_DUALITY_GAP_HPP
