#ifndef PRIORREG_SOLVERS_GROUP_DESCENT_HPP
#define PRIORREG_SOLVERS_GROUP_DESCENT_HPP

/// \file group_descent.hpp
/// \brief The working problem of `MultiTaskElasticNet` and its solver: block coordinate
/// descent over the rows of the p x k coefficient matrix, with Newton steps on the nonzero
/// rows where the sweeps crawl, certified by the group duality gap.
///
/// The working problem, on weighted, centered and scaled columns \f$A\f$ and responses \f$Y_w\f$
/// (row i multiplied by \f$\sqrt{v_i}\f$, the weights \f$v\f$ summing to 1), is
/// \f$\tfrac12\|Y_w - AB\|_F^2 + \sum_j \mathrm{pf}_j\lambda[\alpha\|B_j\| +
/// \tfrac{1-\alpha}{2}\|B_j\|^2]\f$. A row's proximal step shrinks its correlation vector towards
/// 0 by \f$l_1 = \mathrm{pf}_j\lambda\alpha\f$ in norm and divides by \f$c_j + l_2\f$. The
/// duality gap with \f$R\f$ the residual and \f$s\f$ the dual scale is \f$D = s\langle Y_w,
/// R\rangle - \tfrac{s^2}{2}\|R\|_F^2 - \sum_j\psi_j^*(s A_j^TR)\f$, \f$\psi_j^*(u) = (\|u\| -
/// l_1)_+^2 / (2 l_2)\f$ (\f$l_2 = 0\f$: the constraint \f$\|u\| \le l_1\f$, which \f$s\f$ keeps).
/// Unpenalized rows (\f$\mathrm{pf}_j = 0\f$) impose \f$A_j^T\theta = 0\f$, which no scale
/// keeps: before each gap check their block is solved by least squares given the other rows
/// (a complete orthogonal decomposition made once, minimum norm where they are collinear), which
/// leaves \f$A_U^TR\f$ at rounding size.
///
/// Sign bounds (each entry of row j at most 0, at least 0, or free, the same for every response)
/// restrict the row to a cone \f$K_j\f$, a product of \f$\mathbb{R}\f$, its halves and
/// \f$\{0\}\f$. For such a cone the largest \f$u^Tb\f$ over \f$b\in K_j\f$ of a given norm is
/// that norm times \f$\|\Pi_{K_j}u\|\f$ (the projection zeroes the entries of the wrong sign),
/// so the row's step shrinks \f$\Pi_{K_j}z\f$ in place of \f$z\f$, and its conjugate is
/// \f$\psi_j^*(\|\Pi_{K_j}u\|)\f$: the same gap with projected correlations. Bounds other
/// than 0 are not of this form (the step is no longer a shrinkage of one vector) and are not
/// offered.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "../status.hpp"

namespace priorreg::detail {

/// The standardized multi-task problem and the maps back to the original scale.
struct MultiTaskProblem {
    Eigen::Index n = 0, p = 0, k = 0;
    Eigen::MatrixXd design;   ///< n x p: sqrt(v_i) (x_ij - center_j) / scale_j
    Eigen::MatrixXd response; ///< n x k: sqrt(v_i) (y_ic - center_c)
    Eigen::VectorXd x_center, x_scale, y_center;
    Eigen::VectorXd curvature;             ///< ||A_j||^2; 0 for a constant or excluded column
    Eigen::VectorXd penalty_factors;       ///< pf_j as given
    double null_deviance = 0;              ///< ||Y_w||^2: the weighted mean squared deviation
    std::vector<Eigen::Index> unpenalized; ///< pf_j = 0, c_j > 0
    Eigen::MatrixXd unpenalized_design;    ///< A_U
    Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> unpenalized_solver; ///< of A_U
    /// Sign constraints per row (empty: none): row j's entries may be negative only where
    /// `allow_negative(j)`, positive only where `allow_positive(j)`.
    Eigen::Array<bool, Eigen::Dynamic, 1> allow_negative, allow_positive;

    bool penalized(Eigen::Index j) const { return curvature(j) > 0 && penalty_factors(j) > 0; }
    bool signed_rows() const { return allow_negative.size() > 0; }
    /// Whether an entry `v` of row j has a sign its bounds forbid.
    bool forbidden(Eigen::Index j, double v) const {
        return signed_rows() && ((v < 0 && !allow_negative(j)) || (v > 0 && !allow_positive(j)));
    }
    /// The projection of `u` (a row) onto row j's cone of allowed signs, in place.
    template <class Row> void project(Eigen::Index j, Row& u) const {
        if (signed_rows())
            for (Eigen::Index c = 0; c < u.size(); ++c)
                if (forbidden(j, u(c)))
                    u(c) = 0;
    }
    /// ||projection of u|| for row j, `u` an evaluated row (no copy is made).
    template <class Row> double projected_norm(Eigen::Index j, const Row& u) const {
        if (!signed_rows())
            return u.norm();
        double sum = 0;
        for (Eigen::Index c = 0; c < u.size(); ++c)
            if (!forbidden(j, u(c)))
                sum += u(c) * u(c);
        return std::sqrt(sum);
    }
};

/// The working problem of `X` (n x p) and `Y` (n x k) with weights `unit_weights` (summing to
/// 1), columns `excluded` (sorted) left out, penalty factors `factors` (p), and sign bounds
/// `lower`, `upper` (p entries in {-inf, 0} and {0, +inf}, or both empty).
inline MultiTaskProblem multi_task_problem(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y,
                                           const Eigen::VectorXd& unit_weights, bool fit_intercept,
                                           bool standardize, const Eigen::VectorXd& factors,
                                           const std::vector<Eigen::Index>& excluded,
                                           const Eigen::VectorXd& lower = Eigen::VectorXd(),
                                           const Eigen::VectorXd& upper = Eigen::VectorXd()) {
    MultiTaskProblem w;
    w.n = X.rows();
    w.p = X.cols();
    w.k = Y.cols();
    const Eigen::VectorXd root = unit_weights.cwiseSqrt();
    // Weighted means; a column constant over the counted rows is its value exactly, whatever
    // the rounding of the weights' sum, so that it centers to zero.
    const auto centers = [&](const Eigen::MatrixXd& M) {
        Eigen::VectorXd center = Eigen::VectorXd::Zero(M.cols());
        if (!fit_intercept)
            return center;
        Eigen::Index first = 0;
        while (!(unit_weights(first) > 0))
            ++first;
        for (Eigen::Index j = 0; j < M.cols(); ++j) {
            const double value = M(first, j);
            const bool constant =
                ((M.col(j).array() == value) || (unit_weights.array() == 0)).all();
            center(j) = constant ? value : unit_weights.dot(M.col(j));
        }
        return center;
    };
    w.x_center = centers(X);
    w.y_center = centers(Y);
    w.design = (X.rowwise() - w.x_center.transpose()).array().colwise() * root.array();
    w.response = (Y.rowwise() - w.y_center.transpose()).array().colwise() * root.array();
    w.x_scale = Eigen::VectorXd::Ones(w.p);
    w.curvature.resize(w.p);
    w.penalty_factors = factors;
    if (lower.size() > 0) {
        w.allow_negative = lower.array() < 0;
        w.allow_positive = upper.array() > 0;
    }
    for (Eigen::Index j = 0; j < w.p; ++j) {
        if (std::binary_search(excluded.begin(), excluded.end(), j)) {
            w.design.col(j).setZero();
            w.curvature(j) = 0;
            continue;
        }
        const double spread = w.design.col(j).norm();
        if (standardize && spread > 0)
            w.x_scale(j) = spread;
        w.design.col(j) /= w.x_scale(j);
        w.curvature(j) = w.design.col(j).squaredNorm();
        if (w.curvature(j) > 0 && !(factors(j) > 0))
            w.unpenalized.push_back(j);
    }
    w.null_deviance = w.response.squaredNorm();
    if (!w.unpenalized.empty()) {
        w.unpenalized_design = w.design(Eigen::all, w.unpenalized);
        w.unpenalized_solver.compute(w.unpenalized_design);
    }
    return w;
}

/// Solves the unpenalized rows of `beta` given the others, keeping `residual` = Y_w - A beta.
/// Returns the squared norm of the change in the fit, ||A_U step||^2, the measure of a
/// coordinate step's move (c_j ||step||^2 for one row); on collinear columns the rows
/// themselves may swing far for a small change in the fit.
inline double settle_unpenalized_rows(const MultiTaskProblem& w, Eigen::MatrixXd& beta,
                                      Eigen::MatrixXd& residual) {
    if (w.unpenalized.empty())
        return 0;
    const Eigen::MatrixXd step = w.unpenalized_solver.solve(residual);
    for (std::size_t i = 0; i < w.unpenalized.size(); ++i)
        beta.row(w.unpenalized[i]) += step.row(static_cast<Eigen::Index>(i));
    const Eigen::MatrixXd fit_change = w.unpenalized_design * step;
    residual -= fit_change;
    return fit_change.squaredNorm();
}

/// The solution at and above lambda_max: the unpenalized rows at their least-squares values,
/// every other row zero; `residual` = Y_w - A beta.
inline void null_model(const MultiTaskProblem& w, Eigen::MatrixXd& beta,
                       Eigen::MatrixXd& residual) {
    beta = Eigen::MatrixXd::Zero(w.p, w.k);
    residual = w.response;
    settle_unpenalized_rows(w, beta, residual);
}

/// The smallest lambda at which every penalized row is zero for L1 share `alpha` (floored at
/// 1e-3 as glmnet does for the ridge end): the largest ||A_j^T R|| / pf_j at the null model;
/// 0 when no row is penalized.
inline double multi_task_lambda_max(const MultiTaskProblem& w, double alpha) {
    Eigen::MatrixXd beta, residual;
    null_model(w, beta, residual);
    const Eigen::MatrixXd correlation = w.design.transpose() * residual; // p x k
    double top = 0;
    for (Eigen::Index j = 0; j < w.p; ++j)
        if (w.penalized(j))
            top = std::max(top, w.projected_norm(j, correlation.row(j)) / w.penalty_factors(j));
    return top / std::max(alpha, 1e-3);
}

/// The duality gap at `beta` (working scale) with the scaled residual as the dual point; the
/// unpenalized rows must be settled (their dual constraint is then met up to rounding).
inline double multi_task_gap(const MultiTaskProblem& w, double l1, double l2,
                             const Eigen::MatrixXd& beta, const Eigen::MatrixXd& residual) {
    const Eigen::MatrixXd correlation = w.design.transpose() * residual; // p x k
    Eigen::VectorXd norms(w.p); // of the projections onto the rows' cones
    for (Eigen::Index j = 0; j < w.p; ++j)
        norms(j) = w.projected_norm(j, correlation.row(j));
    const double residual_norm2 = residual.squaredNorm();
    const double response_dot = (w.response.array() * residual.array()).sum();
    double scale = residual_norm2 > 0 ? std::clamp(response_dot / residual_norm2, 0.0, 1.0) : 1.0;
    if (!(l2 > 0))
        for (Eigen::Index j = 0; j < w.p; ++j)
            if (w.penalized(j) && norms(j) > l1 * w.penalty_factors(j))
                scale = std::min(scale, l1 * w.penalty_factors(j) / norms(j));
    double primal = 0.5 * residual_norm2,
           dual = scale * response_dot - 0.5 * scale * scale * residual_norm2;
    for (Eigen::Index j = 0; j < w.p; ++j) {
        if (!w.penalized(j))
            continue;
        const double l1j = l1 * w.penalty_factors(j), l2j = l2 * w.penalty_factors(j);
        const double row = beta.row(j).norm();
        primal += l1j * row + 0.5 * l2j * row * row;
        if (l2j > 0) {
            const double excess = std::max(scale * norms(j) - l1j, 0.0);
            dual -= excess * excess / (2 * l2j);
        }
    }
    const double value = primal - dual;
    return value >= 0 ? value : value < 0 ? 0.0 : std::numeric_limits<double>::infinity();
}

/// The Gram matrix A_S^T A_S of the rows a Newton step last used, kept while they stay the same.
struct ActiveGram {
    std::vector<Eigen::Index> rows;
    Eigen::MatrixXd gram;
};

/// What a Newton step did.
struct NewtonStep {
    bool taken = false;   ///< the objective went down
    bool full = false;    ///< the whole step, nothing bent back
    double decrement = 0; ///< g^T H^{-1} g: twice the model's predicted fall
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
inline bool newton_pays(const MultiTaskProblem& w, Eigen::Index rows,
                        const std::vector<double>& moves, double target) {
    if (rows * w.k > kNewtonUnknowns || moves.size() < kSweepsBeforeNewton ||
        !(moves.back() > target))
        return false;
    const std::size_t span = moves.size() / 2;
    const double rate =
        std::pow(moves.back() / moves[moves.size() - 1 - span], 1.0 / static_cast<double>(span));
    const double sweeps_left = rate < 1 ? std::log(target / moves.back()) / std::log(rate)
                                        : std::numeric_limits<double>::infinity();
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
inline NewtonStep newton_step(const MultiTaskProblem& w, double l1, double l2,
                              Eigen::MatrixXd& beta, Eigen::MatrixXd& residual, ActiveGram& cache) {
    NewtonStep result;
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
            const Eigen::MatrixXd part = cache.gram(kept, kept);
            cache.gram = part;
        } else {
            const Eigen::MatrixXd active = w.design(Eigen::all, rows);
            cache.gram.noalias() = active.transpose() * active;
        }
        cache.rows = rows;
    }
    // Gradient and Hessian over all entries of the m rows, entry (a, c) at a k + c.
    Eigen::VectorXd gradient(m * k);
    Eigen::MatrixXd hessian = Eigen::MatrixXd::Zero(m * k, m * k);
    std::vector<Eigen::Index> free; // the entries that move
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = rows[static_cast<std::size_t>(a)];
        const Eigen::RowVectorXd correlation = w.design.col(j).transpose() * residual;
        gradient.segment(a * k, k) = -correlation.transpose();
        for (Eigen::Index b = 0; b < m; ++b)
            for (Eigen::Index c = 0; c < k; ++c)
                hessian(a * k + c, b * k + c) = cache.gram(a, b);
        if (w.penalized(j)) {
            const double l1j = l1 * w.penalty_factors(j), l2j = l2 * w.penalty_factors(j);
            const double norm = beta.row(j).norm();
            const Eigen::VectorXd u = beta.row(j).transpose() / norm;
            gradient.segment(a * k, k) += l1j * u + l2j * beta.row(j).transpose();
            hessian.block(a * k, a * k, k, k) +=
                (l1j / norm) * (Eigen::MatrixXd::Identity(k, k) - u * u.transpose());
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
    Eigen::MatrixXd system = hessian(free, free);
    const Eigen::VectorXd slope_vector = gradient(free);
    // A damping at rounding size: exact duplicates leave directions of no curvature.
    system.diagonal().array() += 1e-12 * std::max(1.0, system.diagonal().maxCoeff());
    // Cholesky (blocked, the fast one) unless rounding leaves the damped matrix indefinite.
    Eigen::VectorXd solved;
    const Eigen::LLT<Eigen::MatrixXd> cholesky(system);
    if (cholesky.info() == Eigen::Success) {
        solved = -cholesky.solve(slope_vector);
    } else {
        const Eigen::LDLT<Eigen::MatrixXd> factor(system);
        if (factor.info() != Eigen::Success)
            return result;
        solved = -factor.solve(slope_vector);
    }
    const double slope = slope_vector.dot(solved);
    if (!(slope < 0) || !solved.allFinite())
        return result;
    Eigen::MatrixXd direction = Eigen::MatrixXd::Zero(m, k);
    for (std::size_t i = 0; i < free.size(); ++i)
        direction(free[i] / k, free[i] % k) = solved(static_cast<Eigen::Index>(i));
    Eigen::MatrixXd moved = Eigen::MatrixXd::Zero(w.n, k); // A_S D
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
        double t;
        Eigen::Index a, c; ///< c < 0: the whole row
    };
    std::vector<Break> breaks;
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = rows[static_cast<std::size_t>(a)];
        if (!w.penalized(j))
            continue;
        const double turn = beta.row(j).dot(direction.row(a)),
                     pace = direction.row(a).squaredNorm();
        if (turn < 0) {
            const double nearest = -turn / pace;
            if (nearest < 1 && (beta.row(j) + nearest * direction.row(a)).squaredNorm() <=
                                   0.25 * beta.row(j).squaredNorm())
                breaks.push_back({nearest, a, -1});
        }
        for (Eigen::Index c = 0; c < k; ++c) {
            const double b = beta(j, c), d = direction(a, c);
            if (b != 0 && d != 0 && (b > 0) != (d > 0) && w.forbidden(j, d) && -b / d < 1)
                breaks.push_back({-b / d, a, c});
        }
    }
    std::sort(breaks.begin(), breaks.end(),
              [](const Break& x, const Break& y) { return x.t < y.t; });
    // Along the bent step the residual is base - t slope_of_fit, both updated as entries are
    // held at 0, so that each point costs O(nk + mk).
    Eigen::MatrixXd base = residual, fit_slope = moved;
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
    const auto penalty = [&](double t) {
        double value = 0;
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = rows[static_cast<std::size_t>(a)];
            if (!w.penalized(j))
                continue;
            double norm2 = 0;
            for (Eigen::Index c = 0; c < k; ++c)
                if (!held(a, c))
                    norm2 += std::pow(beta(j, c) + t * direction(a, c), 2);
            value += w.penalty_factors(j) * (l1 * std::sqrt(norm2) + 0.5 * l2 * norm2);
        }
        return value;
    };
    const auto objective = [&](double t) {
        return 0.5 * (base - t * fit_slope).squaredNorm() + penalty(t);
    };
    const double start = objective(0);
    double best_t = 0, best = start;
    std::size_t applied = 0; // breaks held so far
    std::size_t best_applied = 0;
    for (std::size_t e = 0; e <= breaks.size(); ++e) {
        const double t = e < breaks.size() ? breaks[e].t : 1.0;
        while (applied < breaks.size() && breaks[applied].t <= t) {
            const Break& hit = breaks[applied++];
            if (hit.c < 0)
                for (Eigen::Index c = 0; c < k; ++c)
                    hold(hit.a, c);
            else
                hold(hit.a, hit.c);
        }
        const double value = objective(t);
        if (!(value < best))
            break;
        best = value;
        best_t = t;
        best_applied = applied;
        if (e == breaks.size())
            break;
    }
    const double first = breaks.empty() ? 1.0 : breaks.front().t;
    if (!(best_t > 0 && best <= start + 1e-4 * best_t * slope)) { // back before the first
        best_applied = 0;
        best_t = first;
        while (!(0.5 * (residual - best_t * moved).squaredNorm() + [&] {
            held.setConstant(false);
            return penalty(best_t);
        }() <= start + 1e-4 * best_t * slope)) {
            best_t *= 0.5;
            if (best_t < 1e-10)
                return result;
        }
    }
    // The step: rows moved by best_t, the breaks met before it held at 0.
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = rows[static_cast<std::size_t>(a)];
        Eigen::RowVectorXd row = beta.row(j) + best_t * direction.row(a);
        for (std::size_t e = 0; e < best_applied; ++e)
            if (breaks[e].a == a) {
                if (breaks[e].c < 0)
                    row.setZero();
                else
                    row(breaks[e].c) = 0;
            }
        w.project(j, row); // an entry may land a rounding past 0
        const Eigen::RowVectorXd change = row - beta.row(j);
        residual.noalias() -= w.design.col(j) * change;
        beta.row(j) = row;
    }
    result.taken = true;
    result.full = best_t == 1 && best_applied == 0;
    result.decrement = -slope;
    return result;
}

/// The outcome of one solve.
struct GroupSolve {
    Status status = Status::Success;
    int sweeps = 0;
    double gap = 0;
};

/// Block coordinate descent at `lambda` (L1 share `alpha`) from `beta` (working scale;
/// `residual` matches it) until the gap is at most `gap_target` or `max_sweeps` sweeps: full
/// sweeps, then the nonzero rows until their moves settle, then a gap check. The unpenalized
/// rows move as one block (least squares given the others) in every sweep, and when the moves
/// shrink so slowly that the sweeps left would cost more than Newton steps on the nonzero
/// rows (near-duplicate columns), Newton steps are taken in their place.
inline GroupSolve group_descent(const MultiTaskProblem& w, double lambda, double alpha,
                                double gap_target, int max_sweeps, Eigen::MatrixXd& beta,
                                Eigen::MatrixXd& residual) {
    const double l1 = lambda * alpha, l2 = lambda * (1 - alpha);
    GroupSolve result;
    result.status = Status::NoConvergence;
    Eigen::RowVectorXd z(w.k), updated(w.k), delta(w.k);
    auto update = [&](Eigen::Index j) {
        if (!w.penalized(j)) // the unpenalized rows move together (settle_unpenalized_rows)
            return 0.0;
        const double c = w.curvature(j);
        const double l1j = l1 * w.penalty_factors(j), l2j = l2 * w.penalty_factors(j);
        z.noalias() = w.design.col(j).transpose() * residual;
        z += c * beta.row(j);
        w.project(j, z); // sign bounds: the step of the group norm on the cone
        const double norm = z.norm();
        if (norm > l1j)
            updated = z * ((1 - l1j / norm) / (c + l2j));
        else
            updated.setZero();
        delta = updated - beta.row(j);
        const double change = delta.squaredNorm();
        if (change > 0) {
            beta.row(j) = updated;
            residual.noalias() -= w.design.col(j) * delta;
        }
        return c * change;
    };
    double change_target = gap_target / static_cast<double>(w.p + 1);
    ActiveGram gram;
    std::vector<double> moves;
    while (result.sweeps < max_sweeps) {
        double change = settle_unpenalized_rows(w, beta, residual);
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
                    const NewtonStep taken = newton_step(w, l1, l2, beta, residual, gram);
                    if (!taken.taken || taken.decrement <= change_target)
                        break;
                }
                moves.clear();
            }
            change = settle_unpenalized_rows(w, beta, residual);
            double total = change;
            moving = 0;
            for (Eigen::Index j = 0; j < w.p; ++j)
                if (w.penalized(j) && beta.row(j).squaredNorm() > 0) {
                    const double move = update(j);
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
