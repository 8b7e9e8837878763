#ifndef PRIORREG_SOLVERS_SIGN_PATTERN_STEP_HPP
#define PRIORREG_SOLVERS_SIGN_PATTERN_STEP_HPP

/// \file sign_pattern_step.hpp
/// \brief The exact step on a sign pattern, as an active-set method on the working set, for a
/// prior that is the elastic-net penalty on each orthant.
///
/// With the signs of the nonzero coefficients held, the objective on them is quadratic, and its
/// minimizer is \f$\beta_S + d\f$ with \f$(G_{SS} + \mathrm{diag}(l_2)_S)\, d = g_S - l_{2,S}
/// \beta_S - l_{1,S}\,\mathrm{sign}(\beta_S)\f$. A coefficient that the step takes across zero
/// lands there and is held; the others go on, and the path bends at each such point, as long
/// as the objective falls (an exact line search on a piecewise quadratic); those held leave
/// \f$S\f$ and the step is solved again on the smaller \f$S\f$. Once a step reaches the minimizer
/// on its orthant, a working-set coefficient at zero whose gradient breaks its optimality condition
/// there enters \f$S\f$ (a coordinate step takes it off zero with the sign of that gradient), and
/// the steps go on.
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
#include "kernel_factor.hpp"
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
            const int held = step(weights, workspace, beta);
            if (held < 0)
                return spent;
            spent += cost;
            if (held > 0)
                continue; // they left the support
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
        workspace.checkpoint(working_set);
        const double spent =
            take(prior, weights, workspace, beta, active, working_set, budget, update);
        if (spent == 0)
            return T(0);
        const auto saved = [&](Eigen::Index a) { return saved_(a); };
        const auto now = [&](Eigen::Index a) {
            return beta(working_set[static_cast<std::size_t>(a)]);
        };
        const T change =
            objective_change(prior, weights, workspace, working_set, saved, now, gradient_before_);
        if (spent > 0 && change < T(0))
            return change;
        workspace.rollback(); // also after a cost that is not a number
        for (Eigen::Index a = 0; a < w; ++a)
            beta(working_set[static_cast<std::size_t>(a)]) = saved_(a);
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
        const auto ridge = [&](Eigen::Index j) { return weights.l2(j); };
        const Eigen::Index largest = workspace.max_factor_size();
        double own = std::numeric_limits<double>::infinity();
        if (static_cast<Eigen::Index>(support_.size()) <= largest) {
            factor_.limit_capacity(largest);
            own = factor_.cost(support_, ridge, workspace);
        }
        const double kernel = kernel_.cost(support_, ridge, workspace);
        use_kernel_ = kernel < own;
        return std::min(own, kernel) +
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

    /// A point where the step's path bends: member `a` (in the factor's order) reaches zero or
    /// an end of its box at `length` along the step, and is held at `landing` from there on.
    struct Breakpoint {
        T length;
        Eigen::Index a;
        T landing;
    };

    /// One step on the support, bent at each sign change or end of a box it meets: a member
    /// that reaches one is held there, and the others go on along their direction while the
    /// objective falls, to the least objective on that bent path (exact, since it is piecewise
    /// quadratic: see `walk`). Near duplicates trade weight until one of them empties, and a
    /// step that stopped at each such point would need a new solve for each. A member at zero
    /// (one that has just entered) takes the sign of its gradient; a direction against that sign
    /// holds it at zero from the start. Returns the number of members held, which leave the
    /// support, or -1 when no step was taken.
    template <class Workspace>
    int step(const PenaltyWeights<T>& weights, Workspace& workspace, Vector<T>& beta) {
        const auto ridge = [&](Eigen::Index j) { return weights.l2(j); };
        if (use_kernel_ ? !kernel_.assign(support_, ridge, workspace)
                        : !factor_.assign(support_, ridge, workspace))
            return -1; // no Gram entries: coordinate descent goes on
        // The features the factor holds; any other of the support depends on them and keeps
        // its value (solvers/support_factor.hpp).
        const std::vector<Eigen::Index>& order = factored();
        const auto m = static_cast<Eigen::Index>(order.size());
        direction_.resize(m);
        signs_.resize(m);
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = order[static_cast<std::size_t>(a)];
            const T value = beta(j) != T(0) ? beta(j) : workspace.correlation(j);
            signs_(a) = value > T(0) ? T(1) : T(-1);
            direction_(a) =
                workspace.correlation(j) - weights.l2(j) * beta(j) - weights.l1(j) * signs_(a);
        }
        if (walk_.rows() < m) // kept between steps: sizes change with every step
            walk_.resize(std::max(m, 2 * walk_.rows()), walk_columns);
        walk_.col(right_side).head(m) = direction_;
        if (use_kernel_)
            kernel_.solve(direction_);
        else
            factor_.solve(direction_);
        if (!direction_.allFinite())
            return -1;
        breakpoints_.clear();
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = order[static_cast<std::size_t>(a)];
            const T b = beta(j);
            const T d = direction_(a);
            T length = T(1), landing = T(0);
            if (b == T(0) ? signs_(a) * d < T(0) : b * (b + d) < T(0))
                length = b == T(0) ? T(0) : -b / d;
            // An end of the box the step would cross (the box holds 0, so a sign change
            // crosses zero first).
            const T end = d > T(0) ? weights.highest(j) : weights.lowest(j);
            if (end != T(0) && std::isfinite(end) && d != T(0) && (end - b) / d < length) {
                length = std::max((end - b) / d, T(0));
                landing = end;
            }
            if (length < T(1))
                breakpoints_.push_back({length, a, landing});
        }
        std::sort(breakpoints_.begin(), breakpoints_.end(),
                  [](const Breakpoint& x, const Breakpoint& y) {
                      return x.length < y.length || (x.length == y.length && x.a < y.a);
                  });
        const auto held = static_cast<std::size_t>(walk(weights, workspace, beta));
        // The move: held members to where they landed, the others `length_` along.
        moved_.clear();
        deltas_.resize(m);
        for (std::size_t e = 0; e < held; ++e) {
            const Breakpoint& point = breakpoints_[e];
            direction_(point.a) = T(0); // not moved again below
            const Eigen::Index j = order[static_cast<std::size_t>(point.a)];
            const T delta = point.landing - beta(j);
            beta(j) = point.landing;
            if (delta != T(0)) {
                deltas_(static_cast<Eigen::Index>(moved_.size())) = delta;
                moved_.push_back(j);
            }
        }
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = order[static_cast<std::size_t>(a)];
            const T delta = length_ * direction_(a);
            if (delta == T(0))
                continue;
            beta(j) += delta;
            deltas_(static_cast<Eigen::Index>(moved_.size())) = delta;
            moved_.push_back(j);
        }
        workspace.apply(moved_, deltas_);
        for (std::size_t e = 0; e < held; ++e) {
            const Eigen::Index j = order[static_cast<std::size_t>(breakpoints_[e].a)];
            support_.erase(std::find(support_.begin(), support_.end(), j));
        }
        return static_cast<int>(held);
    }

    /// The least objective along the bent path of `step`: sets `length_` and returns how many
    /// of the sorted breakpoints it passed (their members are held). With the members held so
    /// far (set H, at c = landing - beta) and the others moving by t u (u the direction, zero
    /// on H), the objective on a stretch between breakpoints is quadratic in t with derivative
    /// t u^T (G + L_2) u + (-g^T u + u^T G c + sum_a u_a (l_1 s_a + l_{2,a} beta_a)); holding a
    /// member changes Gu and Gc by a multiple of its Gram column (O(m) each, starting from
    /// Gu = right side - L_2 u, by the solve). The walk goes on past a breakpoint while that
    /// derivative is negative there. Without a Gram column it stops at the first breakpoint.
    template <class Workspace>
    Eigen::Index walk(const PenaltyWeights<T>& weights, const Workspace& workspace,
                      const Vector<T>& beta) {
        const std::vector<Eigen::Index>& order = factored();
        const auto m = static_cast<Eigen::Index>(order.size());
        const auto count = static_cast<Eigen::Index>(breakpoints_.size());
        length_ = count > 0 ? breakpoints_.front().length : T(1);
        if (count == 0 || m == 1)
            return count;
        auto free = walk_.col(free_direction).head(m);
        auto gram_free = walk_.col(gram_times_free).head(m);
        auto gram_held = walk_.col(gram_times_held).head(m);
        auto offset = walk_.col(slope_offset).head(m);
        auto ridge = walk_.col(ridge_weight).head(m);
        free = direction_;
        gram_held.setZero();
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = order[static_cast<std::size_t>(a)];
            ridge(a) = weights.l2(j);
            gram_free(a) = walk_(a, right_side) - ridge(a) * free(a);
            offset(a) = weights.l1(j) * signs_(a) + ridge(a) * beta(j) - workspace.correlation(j);
        }
        // The derivative along the path on the current stretch is t * curvature() + slope().
        const auto curvature = [&] {
            return free.dot(gram_free) + (ridge.array() * free.array().square()).sum();
        };
        const auto slope = [&] { return free.dot(gram_held + offset); };
        T previous = T(0);
        for (Eigen::Index e = 0; e < count; ++e) {
            const Breakpoint& point = breakpoints_[static_cast<std::size_t>(e)];
            const T a2 = curvature(), b1 = slope();
            // The objective still falls at this breakpoint: hold its member and go on.
            if (!(a2 > T(0)) || !(-b1 > point.length * a2)) {
                length_ = a2 > T(0) ? std::max(previous, -b1 / a2) : previous;
                return e;
            }
            if (!workspace.gram_column(order, order[static_cast<std::size_t>(point.a)], column_)) {
                length_ = point.length;
                return e + 1;
            }
            const T moving = free(point.a);
            const T landed = point.landing - beta(order[static_cast<std::size_t>(point.a)]);
            free(point.a) = T(0);
            gram_free.noalias() -= moving * column_;
            gram_held.noalias() += landed * column_;
            previous = point.length;
        }
        const T a2 = curvature();
        length_ = a2 > T(0) ? std::clamp(-slope() / a2, previous, T(1)) : previous;
        return count;
    }

    /// The features of the step's system, in the order of its vectors.
    const std::vector<Eigen::Index>& factored() const {
        return use_kernel_ ? kernel_.order() : factor_.order();
    }

    std::vector<Eigen::Index> support_;   ///< S
    SupportFactor<T> factor_;             ///< of G_SS + diag(l2_S)
    KernelFactor<T> kernel_;              ///< the same system through the n x n kernel
    bool use_kernel_ = false;             ///< the step solves by `kernel_` (the cheaper)
    Vector<T> direction_, signs_;         ///< of the current step, in the factor's order
    std::vector<Eigen::Index> moved_;     ///< features the step changes, by `deltas_`
    std::vector<Breakpoint> breakpoints_; ///< of the step, by length
    T length_ = T(1);                     ///< how far the members not held move along the step
    /// `walk`'s vectors over the factor's order (columns below), `column_` a Gram column.
    enum WalkColumn : Eigen::Index {
        right_side,      ///< of the step's system, before its solve
        free_direction,  ///< u: the direction, zero on the members held
        gram_times_free, ///< G u
        gram_times_held, ///< G c, c the moves of the members held
        slope_offset,    ///< l1 s + l2 beta - g
        ridge_weight,    ///< l2
        walk_columns
    };
    Matrix<T> walk_;
    Vector<T> column_;
    Vector<T> saved_, gradient_before_; ///< `take_if_lower`: the working set before the steps
    Vector<T> deltas_;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_SIGN_PATTERN_STEP_HPP
