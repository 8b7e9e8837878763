#ifndef PRIORREG_SOLVERS_SIGN_PATTERN_STEP_HPP
#define PRIORREG_SOLVERS_SIGN_PATTERN_STEP_HPP

/// \file sign_pattern_step.hpp
/// \brief The exact step on a sign pattern, as an active-set method on the working set, for a
/// prior that is the elastic-net penalty on each orthant.
///
/// With the signs of the nonzero coefficients held, the objective on them is quadratic, and its
/// minimizer is \f$\beta_S + d\f$ with \f$(G_{SS} + \mathrm{diag}(l_2)_S)\, d = g_S - l_{2,S}
/// \beta_S - l_{1,S}\,\mathrm{sign}(\beta_S)\f$. The step is taken up to the first sign change,
/// where that coefficient lands on zero and leaves \f$S\f$; the step is then solved again on
/// the smaller \f$S\f$. Once a step reaches the minimizer on its orthant, a working-set
/// coefficient at zero whose gradient breaks its optimality condition there enters \f$S\f$ (a
/// coordinate step takes it off zero with the sign of that gradient), and the steps go on.
///
/// Coordinate descent only creeps along the narrow valleys of strongly correlated designs; this
/// crosses them, and the sweeps that follow (and the gap) decide whether the signs were right.
/// Near duplicates need both halves: a step zeroes one of a pair, its gradient then calls it back
/// (or calls the other), until the weight sits where the pair's small difference wants it, which
/// coordinate descent would take the inverse square of that difference in sweeps to find. The
/// factor follows \f$S\f$ by updates while its ridge weights stay the same
/// (solvers/support_factor.hpp).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"
#include "duality_gap.hpp"
#include "extrapolation.hpp"
#include "penalty_weights.hpp"
#include "support_factor.hpp"

namespace priorreg::detail {

template <class T> class SignPatternStep {
public:
    /// Steps from `beta` on the support of `active` (its nonzero members), at most
    /// 8 + 2|S| of them and no more than `budget` flops in all (each step's factor and solve as
    /// solvers/support_factor.hpp estimates them, and its coordinate updates); `update(j)` is
    /// the solver's coordinate update. Returns the flops spent (0: no step taken).
    template <class Prior, class Workspace, class CoordinateUpdate>
    double take(const Prior& prior, const PenaltyWeights<T>& weights, Workspace& workspace,
                Vector<T>& beta, const std::vector<Eigen::Index>& active,
                const std::vector<Eigen::Index>& working_set, double budget,
                const CoordinateUpdate& update) {
        collect_support(weights, beta, active);
        const int max_rounds = 8 + 2 * static_cast<int>(support_.size());
        double spent = 0;
        for (int round = 0; round < max_rounds && !support_.empty(); ++round) {
            const double cost = this->cost(weights, workspace);
            if (spent + cost > budget)
                return spent;
            const Eigen::Index blocked = step(weights, workspace, beta);
            if (blocked == -2)
                return spent;
            spent += cost;
            if (blocked >= 0) {
                support_.erase(std::find(support_.begin(), support_.end(), blocked));
                continue;
            }
            const Eigen::Index entering =
                most_violated_at_zero(prior, weights, workspace, beta, working_set);
            if (entering < 0)
                return spent;
            // A coordinate step first: it leaves zero with the sign its gradient asks for,
            // lowering the objective, so that the next step starts inside that orthant.
            update(entering);
            support_.push_back(entering);
        }
        return spent;
    }

    /// `take`, kept only when it lowers the objective (`objective_change`, exact from the
    /// gradients over the working set before and after); otherwise the working set's
    /// coefficients are put back. Returns the objective's change, negative, or 0 when nothing
    /// was kept.
    template <class Prior, class Workspace, class CoordinateUpdate>
    T take_if_lower(const Prior& prior, const PenaltyWeights<T>& weights, Workspace& workspace,
                    Vector<T>& beta, const std::vector<Eigen::Index>& active,
                    const std::vector<Eigen::Index>& working_set, double budget,
                    const CoordinateUpdate& update) {
        const auto w = static_cast<Eigen::Index>(working_set.size());
        saved_.resize(w);
        gradient_before_.resize(w);
        for (Eigen::Index a = 0; a < w; ++a) {
            const Eigen::Index j = working_set[static_cast<std::size_t>(a)];
            saved_(a) = beta(j);
            gradient_before_(a) = workspace.correlation(j);
        }
        if (!(take(prior, weights, workspace, beta, active, working_set, budget, update) > 0))
            return T(0);
        const auto saved = [&](Eigen::Index a) { return saved_(a); };
        const auto now = [&](Eigen::Index a) {
            return beta(working_set[static_cast<std::size_t>(a)]);
        };
        const T change =
            objective_change(prior, weights, workspace, working_set, saved, now, gradient_before_);
        if (change < T(0))
            return change;
        for (Eigen::Index a = 0; a < w; ++a) {
            const Eigen::Index j = working_set[static_cast<std::size_t>(a)];
            const T delta = saved_(a) - beta(j);
            if (delta != T(0))
                workspace.apply(j, delta);
            beta(j) = saved_(a);
        }
        return T(0);
    }

    /// About the flops of a step on the support of `active`.
    template <class Workspace>
    double cost(const std::vector<Eigen::Index>& active, const Vector<T>& beta,
                const PenaltyWeights<T>& weights, const Workspace& workspace) {
        collect_support(weights, beta, active);
        return cost(weights, workspace);
    }

private:
    /// The members of `active` that are free: nonzero and not held at an end of a box.
    void collect_support(const PenaltyWeights<T>& weights, const Vector<T>& beta,
                         const std::vector<Eigen::Index>& active) {
        support_.clear();
        for (const Eigen::Index j : active)
            if (beta(j) != T(0) && !weights.at_bound(j, beta(j)))
                support_.push_back(j);
    }

    /// About the flops of a step on `support_`: the factor's assignment and solve, and the
    /// coordinates it moves.
    template <class Workspace>
    double cost(const PenaltyWeights<T>& weights, const Workspace& workspace) {
        const Eigen::Index largest = workspace.max_factor_size();
        if (static_cast<Eigen::Index>(support_.size()) > largest)
            return std::numeric_limits<double>::infinity();
        factor_.limit_capacity(largest);
        return factor_.cost(
                   support_, [&](Eigen::Index j) { return weights.l2(j); }, workspace) +
               static_cast<double>(support_.size()) * workspace.update_cost();
    }

    /// The working-set feature at zero, outside the support, whose gradient breaks its
    /// optimality condition by the most (relative to its weight; not by rounding); -1 when none.
    template <class Prior, class Workspace>
    Eigen::Index most_violated_at_zero(const Prior& prior, const PenaltyWeights<T>& weights,
                                       const Workspace& workspace, const Vector<T>& beta,
                                       const std::vector<Eigen::Index>& working_set) const {
        constexpr T margin = T(1) + T(64) * std::numeric_limits<T>::epsilon();
        Eigen::Index worst = -1;
        T worst_ratio = T(1);
        for (const Eigen::Index j : working_set) {
            if (beta(j) != T(0) || !(weights.l1(j) > T(0)))
                continue;
            const T ratio =
                box_zero_threshold(prior, weights, j, workspace.correlation(j)) / weights.l1(j);
            if (ratio > margin * worst_ratio &&
                std::find(support_.begin(), support_.end(), j) == support_.end()) {
                worst = j;
                worst_ratio = ratio;
            }
        }
        return worst;
    }

    /// One step on the support up to the first sign change or end of a box. A member at zero
    /// (one that has just entered) takes the sign of its gradient; a step against that sign
    /// blocks at once. Returns the feature that landed on (or stayed at) zero or an end of its
    /// box, which leaves the support, -1 when none did, -2 when no step was taken.
    template <class Workspace>
    Eigen::Index step(const PenaltyWeights<T>& weights, Workspace& workspace, Vector<T>& beta) {
        if (!factor_.assign(
                support_, [&](Eigen::Index j) { return weights.l2(j); }, workspace))
            return -2; // no Gram entries: coordinate descent goes on
        // The features the factor holds; any other of the support depends on them and keeps
        // its value (solvers/support_factor.hpp).
        const std::vector<Eigen::Index>& order = factor_.order();
        const Eigen::Index m = factor_.size();
        direction_.resize(m);
        signs_.resize(m);
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = order[static_cast<std::size_t>(a)];
            const T value = beta(j) != T(0) ? beta(j) : workspace.correlation(j);
            signs_(a) = value > T(0) ? T(1) : T(-1);
            direction_(a) =
                workspace.correlation(j) - weights.l2(j) * beta(j) - weights.l1(j) * signs_(a);
        }
        factor_.solve(direction_);
        if (!direction_.allFinite())
            return -2;
        T length = T(1);
        Eigen::Index blocking = -1;
        T landing = T(0); // where the blocking member lands: zero, or an end of its box
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = order[static_cast<std::size_t>(a)];
            const T b = beta(j);
            const T d = direction_(a);
            const T stop = b == T(0) ? (signs_(a) * d < T(0) ? T(0) : length) : -b / d;
            if ((b == T(0) || b * (b + d) < T(0)) && stop < length) {
                length = stop;
                blocking = a;
                landing = T(0);
            }
            // An end of the box the step would cross (the box holds 0, so a sign change
            // crosses zero first).
            const T end = d > T(0) ? weights.highest(j) : weights.lowest(j);
            if (end != T(0) && std::isfinite(end) && d != T(0) && (end - b) / d < length) {
                length = std::max((end - b) / d, T(0));
                blocking = a;
                landing = end;
            }
        }
        moved_.clear();
        deltas_.resize(m);
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = order[static_cast<std::size_t>(a)];
            const T delta = a == blocking ? landing - beta(j) : length * direction_(a);
            if (delta == T(0))
                continue;
            beta(j) = a == blocking ? landing : beta(j) + delta;
            deltas_(static_cast<Eigen::Index>(moved_.size())) = delta;
            moved_.push_back(j);
        }
        workspace.apply(moved_, deltas_);
        return blocking < 0 ? -1 : order[static_cast<std::size_t>(blocking)];
    }

    std::vector<Eigen::Index> support_; ///< S
    SupportFactor<T> factor_;           ///< of G_SS + diag(l2_S)
    Vector<T> direction_, signs_;       ///< of the current step, in the factor's order
    std::vector<Eigen::Index> moved_;   ///< features the step changes, by `deltas_`
    Vector<T> saved_, gradient_before_; ///< `take_if_lower`: the working set before the steps
    Vector<T> deltas_;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_SIGN_PATTERN_STEP_HPP
