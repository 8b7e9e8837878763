#ifndef PRIORREG_SOLVERS_GROUP_NEWTON_HPP
#define PRIORREG_SOLVERS_GROUP_NEWTON_HPP

/// \file group_newton.hpp
/// \brief Newton steps on the nonzero rows of the multi-task problem (solvers/group_problem.hpp),
/// which block coordinate descent (solvers/group_descent.hpp) takes where its sweeps crawl, as
/// on near-duplicate columns; docs/algorithms.md, "Several responses".

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "group_problem.hpp"

namespace priorreg::detail {

/// The Gram matrix A_S^T A_S of the rows a Newton step last used, kept while they stay the same.
template <class T> struct ActiveGram {
    std::vector<Eigen::Index> rows;
    Matrix<T> gram;
};

/// What a Newton step did.
template <class T> struct NewtonStep {
    bool taken = false; ///< the objective went down
    T decrement = 0;    ///< g^T H^{-1} g: twice the model's predicted fall
};

/// The largest number of unknowns (rows times responses) a Newton step solves for densely;
/// above it the solver keeps to coordinate descent.
constexpr Eigen::Index kNewtonUnknowns = 1500;

/// The sweeps over the nonzero rows before their rate is trusted (the first few, with rows
/// settling after a full sweep, move erratically).
constexpr std::size_t kSweepsBeforeNewton = 8;

/// The most Newton steps taken in a row.
constexpr int kNewtonSteps = 8;

/// Whether Newton steps on `rows` nonzero rows should cost less than the sweeps left. `moves`
/// holds the total move of each sweep over those rows since the last change of course; the
/// sweeps stop once the largest move is at most `target`, which the total being at most
/// `target` implies, and the total (smoother than the largest) is foretold to fall at its mean
/// rate over the later half of the sweeps (the first may fall fast into a stall). A sweep costs
/// about 2nmk operations; a Newton step the Gram matrix (nm^2) and a dense factorization
/// ((mk)^3/3), and two steps are the usual need.
template <class T>
bool newton_pays(const MultiTaskProblem<T>& w, Eigen::Index rows, const std::vector<T>& moves,
                 T target) {
    if (rows * w.k > kNewtonUnknowns || moves.size() < kSweepsBeforeNewton ||
        !(moves.back() > target))
        return false;
    const std::size_t span = moves.size() / 2;
    const T rate =
        std::pow(moves.back() / moves[moves.size() - 1 - span], 1.0 / static_cast<double>(span));
    const T sweeps_left = rate < 1 ? std::log(target / moves.back()) / std::log(rate)
                                   : std::numeric_limits<T>::infinity();
    const auto n = static_cast<double>(w.n), m = static_cast<double>(rows),
               unknowns = static_cast<double>(rows * w.k);
    return sweeps_left * 2 * n * unknowns > 2 * (n * m * m + unknowns * unknowns * unknowns / 3);
}

/// One Newton step, with a backtracking line search, on the rows of `beta` where the objective
/// is smooth: the unpenalized rows and the nonzero penalized ones (the group norm is smooth away
/// from 0). Coordinate descent over rows crawls along the valleys that near-duplicate columns
/// make (a row's step cannot trade weight with its near copy); the step here solves the
/// coupled system. The Hessian is \f$G\otimes I_k\f$ (\f$G = A_S^TA_S\f$) plus, for row a,
/// \f$\frac{l_{1a}}{\|b_a\|}(I - u_au_a^T) + l_{2a}I\f$ with \f$u_a = b_a/\|b_a\|\f$; an
/// entry held at 0 by its sign bound stays out. The line search follows the step bent back
/// where the model stops holding (rows and bounded entries it carries through 0 stop at 0;
/// see the breakpoints below) and asks for a fall of the objective by a share of the model's
/// slope. `residual` follows `beta`.
template <class T>
NewtonStep<T> newton_step(const MultiTaskProblem<T>& w, T l1, T l2, Matrix<T>& beta,
                          Matrix<T>& residual, ActiveGram<T>& cache) {
    NewtonStep<T> result;
    const Eigen::Index k = w.k;
    std::vector<Eigen::Index> rows;
    for (Eigen::Index j = 0; j < w.p; ++j)
        if (w.curvature(j) > 0 && (!w.penalized(j) || beta.row(j).squaredNorm() > 0))
            rows.push_back(j);
    const auto m = static_cast<Eigen::Index>(rows.size());
    if (m == 0 || m * k > kNewtonUnknowns)
        return result;
    if (cache.rows != rows) {
        // Rows dropped since the last step: the Gram matrix is a part of the kept one.
        std::vector<Eigen::Index> kept;
        for (std::size_t i = 0, a = 0; a < rows.size() && i < cache.rows.size(); ++i)
            if (cache.rows[i] == rows[a]) {
                kept.push_back(static_cast<Eigen::Index>(i));
                ++a;
            }
        if (kept.size() == rows.size()) {
            const Matrix<T> part = cache.gram(kept, kept);
            cache.gram = part;
        } else {
            const Matrix<T> active = w.design(Eigen::all, rows);
            cache.gram.noalias() = active.transpose() * active;
        }
        cache.rows = rows;
    }
    // Gradient and Hessian over all entries of the m rows, entry (a, c) at a k + c.
    Vector<T> gradient(m * k);
    Matrix<T> hessian = Matrix<T>::Zero(m * k, m * k);
    std::vector<Eigen::Index> free; // the entries that move
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = rows[static_cast<std::size_t>(a)];
        const Eigen::Matrix<T, 1, Eigen::Dynamic> correlation =
            w.design.col(j).transpose() * residual;
        gradient.segment(a * k, k) = -correlation.transpose();
        for (Eigen::Index b = 0; b < m; ++b)
            for (Eigen::Index c = 0; c < k; ++c)
                hessian(a * k + c, b * k + c) = cache.gram(a, b);
        if (w.penalized(j)) {
            const T l1j = l1 * w.penalty_factors(j), l2j = l2 * w.penalty_factors(j);
            const T norm = beta.row(j).norm();
            const Vector<T> u = beta.row(j).transpose() / norm;
            gradient.segment(a * k, k) += l1j * u + l2j * beta.row(j).transpose();
            hessian.block(a * k, a * k, k, k) +=
                (l1j / norm) * (Matrix<T>::Identity(k, k) - u * u.transpose());
            hessian.block(a * k, a * k, k, k).diagonal().array() += l2j;
        }
        for (Eigen::Index c = 0; c < k; ++c) {
            const bool bounded = w.signed_rows() && !(w.allow_negative(j) && w.allow_positive(j));
            if (!(bounded && beta(j, c) == 0))
                free.push_back(a * k + c);
        }
    }
    if (free.empty())
        return result;
    Matrix<T> system = hessian(free, free);
    const Vector<T> slope_vector = gradient(free);
    // A damping at rounding size: exact duplicates leave directions of no curvature.
    system.diagonal().array() += T(1e-12) * std::max(T(1), system.diagonal().maxCoeff());
    // Cholesky (blocked, the fast one) unless rounding leaves the damped matrix indefinite.
    Vector<T> solved;
    const Eigen::LLT<Matrix<T>> cholesky(system);
    if (cholesky.info() == Eigen::Success) {
        solved = -cholesky.solve(slope_vector);
    } else {
        const Eigen::LDLT<Matrix<T>> factor(system);
        if (factor.info() != Eigen::Success)
            return result;
        solved = -factor.solve(slope_vector);
    }
    const T slope = slope_vector.dot(solved);
    if (!(slope < 0) || !solved.allFinite())
        return result;
    Matrix<T> direction = Matrix<T>::Zero(m, k);
    for (std::size_t i = 0; i < free.size(); ++i)
        direction(free[i] / k, free[i] % k) = solved(static_cast<Eigen::Index>(i));
    Matrix<T> moved = Matrix<T>::Zero(w.n, k); // A_S D
    for (Eigen::Index a = 0; a < m; ++a)
        moved.noalias() += w.design.col(rows[static_cast<std::size_t>(a)]) * direction.row(a);
    // Breakpoints, where the smooth model stops holding along the step: a row passing close to
    // 0 (at its nearest point, within half its norm; near-duplicate columns send rows straight
    // through 0 as weight moves between copies) and an entry reaching 0 against its sign
    // bound. Past its breakpoint such a row or entry is held at 0, where the proximal step
    // would leave it. The search walks the breakpoints in order while the objective falls and
    // keeps the best point, so one step may drop many rows; failing a sufficient fall there,
    // it backtracks on the stretch before the first breakpoint.
    struct Break {
        T t;
        Eigen::Index a, c; ///< c < 0: the whole row
    };
    std::vector<Break> breaks;
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = rows[static_cast<std::size_t>(a)];
        if (!w.penalized(j))
            continue;
        const T turn = beta.row(j).dot(direction.row(a)), pace = direction.row(a).squaredNorm();
        if (turn < 0) {
            const T nearest = -turn / pace;
            if (nearest < 1 && (beta.row(j) + nearest * direction.row(a)).squaredNorm() <=
                                   T(0.25) * beta.row(j).squaredNorm())
                breaks.push_back({nearest, a, -1});
        }
        for (Eigen::Index c = 0; c < k; ++c) {
            const T b = beta(j, c), d = direction(a, c);
            if (b != 0 && d != 0 && (b > 0) != (d > 0) && w.forbidden(j, d) && -b / d < 1)
                breaks.push_back({-b / d, a, c});
        }
    }
    std::sort(breaks.begin(), breaks.end(),
              [](const Break& x, const Break& y) { return x.t < y.t; });
    // Along the bent step the residual is base - t slope_of_fit, both updated as entries are
    // held at 0, so that each point costs O(nk + mk).
    Matrix<T> base = residual, fit_slope = moved;
    Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic> held =
        Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(m, k, false);
    const auto hold = [&](Eigen::Index a, Eigen::Index c) {
        if (held(a, c))
            return;
        held(a, c) = true;
        const auto column = w.design.col(rows[static_cast<std::size_t>(a)]);
        const Eigen::Index j = rows[static_cast<std::size_t>(a)];
        base.col(c) += beta(j, c) * column;
        fit_slope.col(c) -= direction(a, c) * column;
    };
    const auto penalty = [&](T t) {
        T value = 0;
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = rows[static_cast<std::size_t>(a)];
            if (!w.penalized(j))
                continue;
            T norm2 = 0;
            for (Eigen::Index c = 0; c < k; ++c)
                if (!held(a, c))
                    norm2 += std::pow(beta(j, c) + t * direction(a, c), 2);
            value += w.penalty_factors(j) * (l1 * std::sqrt(norm2) + T(0.5) * l2 * norm2);
        }
        return value;
    };
    const auto objective = [&](T t) {
        return T(0.5) * (base - t * fit_slope).squaredNorm() + penalty(t);
    };
    const T start = objective(0);
    T best_t = 0, best = start;
    std::size_t applied = 0; // breaks held so far
    std::size_t best_applied = 0;
    for (std::size_t e = 0; e <= breaks.size(); ++e) {
        const T t = e < breaks.size() ? breaks[e].t : T(1);
        while (applied < breaks.size() && breaks[applied].t <= t) {
            const Break& hit = breaks[applied++];
            if (hit.c < 0)
                for (Eigen::Index c = 0; c < k; ++c)
                    hold(hit.a, c);
            else
                hold(hit.a, hit.c);
        }
        const T value = objective(t);
        if (!(value < best))
            break;
        best = value;
        best_t = t;
        best_applied = applied;
        if (e == breaks.size())
            break;
    }
    const T first = breaks.empty() ? T(1) : breaks.front().t;
    if (!(best_t > 0 && best <= start + T(1e-4) * best_t * slope)) { // back before the first
        best_applied = 0;
        best_t = first;
        while (!(T(0.5) * (residual - best_t * moved).squaredNorm() + [&] {
            held.setConstant(false);
            return penalty(best_t);
        }() <= start + T(1e-4) * best_t * slope)) {
            best_t *= T(0.5);
            if (best_t < T(1e-10))
                return result;
        }
    }
    // The step: rows moved by best_t, the breaks met before it held at 0.
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = rows[static_cast<std::size_t>(a)];
        Eigen::Matrix<T, 1, Eigen::Dynamic> row = beta.row(j) + best_t * direction.row(a);
        for (std::size_t e = 0; e < best_applied; ++e)
            if (breaks[e].a == a) {
                if (breaks[e].c < 0)
                    row.setZero();
                else
                    row(breaks[e].c) = 0;
            }
        w.project(j, row); // an entry may land a rounding past 0
        const Eigen::Matrix<T, 1, Eigen::Dynamic> change = row - beta.row(j);
        residual.noalias() -= w.design.col(j) * change;
        beta.row(j) = row;
    }
    result.taken = true;
    result.decrement = -slope;
    return result;
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_GROUP_NEWTON_HPP
