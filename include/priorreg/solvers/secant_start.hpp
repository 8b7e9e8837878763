#ifndef PRIORREG_SOLVERS_SECANT_START_HPP
#define PRIORREG_SOLVERS_SECANT_START_HPP

/// \file secant_start.hpp
/// \brief Where a path's next lambda starts: the last solution moved along the secant through
/// the last two, kept only where it lowers the objective (docs/algorithms.md, "Regularization
/// paths", step 0).

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"
#include "../detail/standardize.hpp"
#include "penalty_weights.hpp"

namespace priorreg::detail {

/// While the support and its signs hold, the Lasso's solution is affine in lambda (the elastic
/// net's close to it), so the secant through two solutions lands near the next. Where the
/// support changes the secant overshoots, so the step along it is scaled by how far the last
/// solve actually went along its own secant (`learn`, between 0 and 1). A coefficient whose step
/// crosses zero starts at zero; the box holds.
template <class T> class SecantStart {
public:
    /// Moves `beta` (nonzero where the workspace has it) from its solution at `lambda_last`
    /// toward `lambda`, along the secant from `before` (the solution at `lambda_before`), for
    /// the members of `working_set` nonzero with the same sign in both; `weights` are those of
    /// `lambda`. The move is made only when it lowers the objective at `lambda`: along a flat
    /// direction of a rank-deficient design (a binary feature and its powers) the secant drifts
    /// where the penalty grows, and coordinate descent would spend sweeps walking back.
    template <class Prior, class Workspace, class Column>
    void start(const Prior& prior, const PenaltyWeights<T>& weights, Workspace& workspace,
               const StandardizedProblem<T>& problem, const std::vector<Eigen::Index>& working_set,
               const Column& before, T lambda_before, T lambda_last, T lambda, Vector<T>& beta) {
        features_.clear();
        const T step = (lambda - lambda_last) / (lambda_last - lambda_before);
        if (!(step > T(0)) || !(step < std::numeric_limits<T>::infinity()))
            return;
        const bool boxed = problem.lower.size() > 0;
        const auto size = static_cast<Eigen::Index>(working_set.size());
        secant_.resize(size);
        origin_.resize(size);
        deltas_.resize(size);
        targets_.resize(size);
        moved_.clear();
        T penalty_change = T(0);
        for (const Eigen::Index j : working_set) {
            const T last = beta(j), earlier = before(j);
            if (last == T(0) || earlier == T(0) || (last > T(0)) != (earlier > T(0)))
                continue;
            const auto a = static_cast<Eigen::Index>(features_.size());
            features_.push_back(j);
            secant_(a) = step * (last - earlier);
            origin_(a) = last;
            T next = last + scale_ * secant_(a);
            if ((next > T(0)) != (last > T(0)))
                next = T(0);
            if (boxed)
                next = std::clamp(next, problem.lower(j), problem.upper(j));
            if (next != last) {
                const auto m = static_cast<Eigen::Index>(moved_.size());
                deltas_(m) = next - last;
                targets_(m) = next;
                moved_.push_back(j);
                penalty_change +=
                    box_penalty(prior, weights, j, next) - box_penalty(prior, weights, j, last);
            }
        }
        if (moved_.empty() || !(penalty_change < std::numeric_limits<T>::infinity()))
            return;
        deltas_.conservativeResize(static_cast<Eigen::Index>(moved_.size()));
        workspace.checkpoint(moved_);
        if (penalty_change + workspace.apply_measured(moved_, deltas_) < T(0)) {
            for (std::size_t a = 0; a < moved_.size(); ++a)
                beta(moved_[a]) = targets_(static_cast<Eigen::Index>(a));
        } else {
            workspace.rollback();
        }
    }

    /// After the solve that `start` began: the multiple of its secant (least squares weighted
    /// by `curvature`) that the solution `beta` actually moved by, kept within [0, 1].
    void learn(const Vector<T>& curvature, const Vector<T>& beta) {
        T along = T(0), length2 = T(0);
        for (std::size_t a = 0; a < features_.size(); ++a) {
            const Eigen::Index j = features_[a];
            const auto i = static_cast<Eigen::Index>(a);
            along += curvature(j) * (beta(j) - origin_(i)) * secant_(i);
            length2 += curvature(j) * secant_(i) * secant_(i);
        }
        if (length2 > T(0) && along == along)
            scale_ = std::clamp(along / length2, T(0), T(1));
    }

private:
    std::vector<Eigen::Index> features_; ///< with a secant at the last `start`
    Vector<T> secant_, origin_;          ///< their full secant steps and starting values
    std::vector<Eigen::Index> moved_;    ///< those the step moved
    Vector<T> deltas_, targets_;         ///< by how much, and to where
    T scale_ = T(1);                     ///< the share of the secant taken
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_SECANT_START_HPP
