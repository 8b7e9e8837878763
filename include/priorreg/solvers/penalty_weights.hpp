#ifndef PRIORREG_SOLVERS_PENALTY_WEIGHTS_HPP
#define PRIORREG_SOLVERS_PENALTY_WEIGHTS_HPP

/// \file penalty_weights.hpp
/// \brief What the solvers know of each coordinate's penalty: the prior's weights and, when the
/// coefficients are boxed (`MapRegression::set_coefficient_bounds`), its interval; and the
/// prior's coordinate members on that interval.
///
/// \par Box constraints as a truncated prior
/// With \f$a_j \le 0 \le b_j\f$ the penalty of coordinate j is \f$\psi_j + \iota_{[a_j, b_j]}\f$:
/// the prior restricted to the box, so the fit is the MAP under the truncated prior. Every
/// member follows from the prior's own, for any convex \f$\psi_j\f$ (a user's prior too):
/// - the proximal step is the prior's, clamped to the interval (in one dimension the minimizer
///   of a convex function over an interval is its unconstrained minimizer projected onto it);
/// - the conjugate \f$\sup_{a \le \beta \le b} u\beta - \psi(\beta)\f$ is \f$\psi^*(u)\f$ when the
///   unconstrained maximizer lies in the interval, else the value at the end it lies beyond.
///   The maximizer lies at or beyond \f$b\f$ exactly when the proximal step from \f$z = u +
///   cb\f$ with curvature \f$c\f$ does (its optimality condition \f$u - c(\beta - b) \in
///   \partial\psi(\beta)\f$ puts \f$\beta \ge b\f$ iff \f$u \in \partial\psi(\beta')\f$ for some
///   \f$\beta' \ge b\f$), and alike at \f$a\f$;
/// - the conjugate is finite at every \f$u\f$ pointing towards a finite end (the sup is over a
///   bounded set, or over a half-line where \f$u\beta\f$ decreases and \f$\psi\f$ is bounded
///   below); elsewhere it is at most \f$\psi^*\f$, so the prior's dual scale still applies;
/// - zero is optimal for every gradient pushing against an end at 0: \f$\partial(\psi +
///   \iota)(0)\f$ then contains a half-line.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

#include "../detail/numeric.hpp"
#include "../priors/prior_contract.hpp"

namespace priorreg::detail {

/// Per-coordinate penalty weights \f$l_{1,j} = \lambda\,\mathrm{pf}_j\,\alpha\f$,
/// \f$l_{2,j} = \lambda\,\mathrm{pf}_j\,(1-\alpha)\f$, and the box of the working-scale
/// coefficients when there is one.
template <class T> struct PenaltyWeights {
    Vector<T> l1;
    Vector<T> l2;
    const Vector<T>* lower = nullptr; ///< a_j <= 0 (working scale), or no box
    const Vector<T>* upper = nullptr; ///< b_j >= 0

    template <class Factors>
    static PenaltyWeights from(T lambda, T alpha, const Factors& penalty_factors) {
        PenaltyWeights weights;
        weights.l1 = (lambda * alpha) * penalty_factors;
        weights.l2 = (lambda * (T(1) - alpha)) * penalty_factors;
        return weights;
    }

    /// Restricts the coefficients to [lower, upper] (both empty: no box). The vectors must
    /// outlive the weights.
    PenaltyWeights& boxed_by(const Vector<T>& lower_bounds, const Vector<T>& upper_bounds) {
        const bool box = lower_bounds.size() > 0;
        lower = box ? &lower_bounds : nullptr;
        upper = box ? &upper_bounds : nullptr;
        return *this;
    }

    /// What the prior's coordinate members receive for coordinate j.
    CoordinatePenalty<T> at(Eigen::Index j) const { return {l1(j), l2(j), j}; }
    /// Both weights 0: no penalty term of the elastic-net form.
    bool unweighted(Eigen::Index j) const { return !(l1(j) > T(0) || l2(j) > T(0)); }
    /// The coefficients are boxed: the shortcuts that ignore the box (least squares, closed
    /// forms, the Newton settle of the unpenalized block) do not apply; the sign-pattern step
    /// moves only the free members and stops at the box's ends.
    bool boxed() const { return lower != nullptr; }
    /// The box's ends for coordinate j (infinite without a box).
    T lowest(Eigen::Index j) const {
        return boxed() ? (*lower)(j) : -std::numeric_limits<T>::infinity();
    }
    T highest(Eigen::Index j) const {
        return boxed() ? (*upper)(j) : std::numeric_limits<T>::infinity();
    }
    /// `beta` is nonzero and held at an end of coordinate j's box.
    bool at_bound(Eigen::Index j, T beta) const {
        return boxed() && beta != T(0) && (beta == (*lower)(j) || beta == (*upper)(j));
    }
};

/// \f$\psi_j(\beta)\f$ on the box, \f$+\infty\f$ outside it.
template <class Prior, class T>
T box_penalty(const Prior& prior, const PenaltyWeights<T>& weights, Eigen::Index j, T beta) {
    if (weights.boxed() && (beta < (*weights.lower)(j) || beta > (*weights.upper)(j)))
        return std::numeric_limits<T>::infinity();
    return prior.penalty(beta, weights.at(j));
}

/// The prior's proximal step, clamped to the box.
template <class Prior, class T>
T box_proximal_step(const Prior& prior, const PenaltyWeights<T>& weights, Eigen::Index j, T z,
                    T curvature) {
    const T step = prior.proximal_step(z, curvature, weights.at(j));
    if (!weights.boxed())
        return step;
    return std::min(std::max(step, (*weights.lower)(j)), (*weights.upper)(j));
}

/// The conjugate of \f$\psi_j + \iota_{[a_j, b_j]}\f$ at u (where `box_dual_scale` keeps it
/// finite).
template <class Prior, class T>
T box_conjugate(const Prior& prior, const PenaltyWeights<T>& weights, Eigen::Index j, T u) {
    const CoordinatePenalty<T> w = weights.at(j);
    if (!weights.boxed())
        return prior.conjugate(u, w);
    const T lower = (*weights.lower)(j), upper = (*weights.upper)(j);
    // The ends' test: the proximal step from u + c * end. Any c > 0 decides it; c * |end| of
    // the size of u and the weights keeps u's digits in the sum (with c = 1 a bound of 1e6
    // drowned them and picked the wrong case near |u| = l1).
    const auto past = [&](T end, bool is_upper) {
        const T c = end == T(0) ? T(1)
                                : (std::abs(u) + w.l1 + w.l2 + std::numeric_limits<T>::min()) /
                                      std::abs(end);
        const T step = prior.proximal_step(u + c * end, c, w);
        return is_upper ? !(step < end) : !(step > end);
    };
    T value;
    if (std::isfinite(upper) && past(upper, true))
        value = u * upper - prior.penalty(upper, w);
    else if (std::isfinite(lower) && past(lower, false))
        value = u * lower - prior.penalty(lower, w);
    else
        return prior.conjugate(u, w);
    // 0 lies in the box, so the sup is at least -psi(0).
    return std::max(value, -prior.penalty(T(0), w));
}

/// The largest \f$s\in[0,1]\f$ keeping `box_conjugate` finite at \f$s\,u\f$.
template <class Prior, class T>
T box_dual_scale(const Prior& prior, const PenaltyWeights<T>& weights, Eigen::Index j, T u) {
    if (weights.boxed() && ((u > T(0) && std::isfinite((*weights.upper)(j))) ||
                            (u < T(0) && std::isfinite((*weights.lower)(j)))))
        return T(1);
    return prior.dual_scale(u, weights.at(j));
}

/// The smallest \f$l_1\f$ at which zero is optimal for gradient g (\f$A_j^Tr\f$): 0 when g
/// pushes against an end of the box at 0.
template <class Prior, class T>
T box_zero_threshold(const Prior& prior, const PenaltyWeights<T>& weights, Eigen::Index j, T g) {
    if (weights.boxed() &&
        ((g < T(0) && (*weights.lower)(j) == T(0)) || (g > T(0) && (*weights.upper)(j) == T(0))))
        return T(0);
    return prior.zero_threshold(g, weights.at(j));
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PENALTY_WEIGHTS_HPP
