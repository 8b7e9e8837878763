#ifndef PRIORREG_SOLVERS_GROUP_DESCENT_HPP
#define PRIORREG_SOLVERS_GROUP_DESCENT_HPP

/// \file group_descent.hpp
/// \brief The solver of `MultiTaskElasticNet`'s working problem (solvers/group_problem.hpp):
/// block coordinate descent over the rows of the p x k coefficient matrix, with Newton steps on
/// the nonzero rows where the sweeps crawl (solvers/group_newton.hpp), certified by the group
/// duality gap.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../status.hpp"
#include "group_newton.hpp"
#include "group_problem.hpp"

namespace priorreg::detail {

/// The outcome of one solve.
template <class T> struct GroupSolve {
    Status status = Status::Success;
    int sweeps = 0;
    T gap = 0;
};

/// Block coordinate descent at `lambda` (L1 share `alpha`) from `beta` (working scale;
/// `residual` matches it) until the gap is at most `gap_target` or `max_sweeps` sweeps: full
/// sweeps, then the nonzero rows until their moves settle, then a gap check. The unpenalized
/// rows move as one block (least squares given the others) in every sweep, and when the moves
/// shrink so slowly that the sweeps left would cost more than Newton steps on the nonzero
/// rows (near-duplicate columns), Newton steps are taken in their place.
template <class T>
GroupSolve<T> group_descent(const MultiTaskProblem<T>& w, T lambda, T alpha, T gap_target,
                            int max_sweeps, Matrix<T>& beta, Matrix<T>& residual) {
    const T l1 = lambda * alpha, l2 = lambda * (1 - alpha);
    GroupSolve<T> result;
    result.status = Status::NoConvergence;
    Eigen::Matrix<T, 1, Eigen::Dynamic> z(w.k), updated(w.k), delta(w.k);
    auto update = [&](Eigen::Index j) {
        if (!w.penalized(j)) // the unpenalized rows move together (settle_unpenalized_rows)
            return T(0);
        const T c = w.curvature(j);
        const T l1j = l1 * w.penalty_factors(j), l2j = l2 * w.penalty_factors(j);
        z.noalias() = w.design.col(j).transpose() * residual;
        z += c * beta.row(j);
        w.project(j, z); // sign bounds: the step of the group norm on the cone
        const T norm = z.norm();
        if (norm > l1j)
            updated = z * ((1 - l1j / norm) / (c + l2j));
        else
            updated.setZero();
        delta = updated - beta.row(j);
        const T change = delta.squaredNorm();
        if (change > 0) {
            beta.row(j) = updated;
            residual.noalias() -= w.design.col(j) * delta;
        }
        return c * change;
    };
    T change_target = gap_target / static_cast<T>(w.p + 1);
    ActiveGram<T> gram;
    std::vector<T> moves;
    while (result.sweeps < max_sweeps) {
        T change = settle_unpenalized_rows(w, beta, residual);
        for (Eigen::Index j = 0; j < w.p; ++j)
            change = std::max(change, update(j));
        ++result.sweeps;
        // The total moves of the sweeps over the nonzero rows (the full sweep's, with rows
        // entering, foretells nothing).
        moves.clear();
        Eigen::Index moving = w.p; // rows the last sweep visited
        while (change > change_target && result.sweeps < max_sweeps) {
            if (newton_pays(w, moving, moves, change_target)) {
                // Newton steps while they go down and the model foresees a fall worth a sweep.
                for (int step = 0; step < kNewtonSteps; ++step) {
                    const NewtonStep<T> taken = newton_step(w, l1, l2, beta, residual, gram);
                    if (!taken.taken || taken.decrement <= change_target)
                        break;
                }
                moves.clear();
            }
            change = settle_unpenalized_rows(w, beta, residual);
            T total = change;
            moving = 0;
            for (Eigen::Index j = 0; j < w.p; ++j)
                if (w.penalized(j) && beta.row(j).squaredNorm() > 0) {
                    const T move = update(j);
                    change = std::max(change, move);
                    total += move;
                    ++moving;
                }
            ++result.sweeps;
            moves.push_back(total);
        }
        settle_unpenalized_rows(w, beta, residual);
        result.gap = multi_task_gap(w, l1, l2, beta, residual);
        if (!std::isfinite(result.gap) && !beta.allFinite()) {
            result.status = Status::NumericalIssue;
            return result;
        }
        if (result.gap <= gap_target) {
            result.status = Status::Success;
            return result;
        }
        change_target *= 0.1;
    }
    return result;
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_GROUP_DESCENT_HPP
