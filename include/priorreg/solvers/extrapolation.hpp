#ifndef PRIORREG_SOLVERS_EXTRAPOLATION_HPP
#define PRIORREG_SOLVERS_EXTRAPOLATION_HPP

/// \file extrapolation.hpp
/// \brief Anderson extrapolation of coordinate-descent iterates.
///
/// Once the nonzero coefficients and their signs have settled, a sweep of coordinate descent
/// is an affine map \f$x \mapsto Mx + c\f$ on them (one Gauss-Seidel pass on the quadratic
/// that remains). On a correlated design \f$M\f$ has eigenvalues close to 1 and the sweeps
/// creep. From the last \f$K + 1\f$ iterates \f$x_0, \dots, x_K\f$ and their differences
/// \f$r_i = x_{i+1} - x_i\f$, the combination \f$\sum_i c_i x_{i+1}\f$ with
/// \f$\sum_i c_i = 1\f$ that minimizes \f$\|\sum_i c_i r_i\|\f$ cancels the slowest directions of
/// \f$M\f$ (Anderson, 1965; for coordinate descent, Bertrand & Massias, 2021). The point is
/// only a proposal: the solver keeps it when it lowers the objective.

#include <Eigen/Core>
#include <Eigen/QR>
#include <cmath>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"
#include "duality_gap.hpp"
#include "measured_move.hpp"
#include "penalty_weights.hpp"

namespace priorreg::detail {

template <class T> class AndersonExtrapolation {
public:
    /// Iterates per extrapolation, the first included (K + 1).
    static constexpr int depth = 6;

    /// Forgets the history (the coordinates it describes have changed).
    void reset() { count_ = 0; }

    /// Records the iterate `x` (the coordinates of the current block, in a fixed order).
    /// Returns true when `depth` iterates are held and `extrapolate` may be called.
    template <class Iterate> bool record(const Iterate& x) {
        if (count_ == 0 || history_.rows() != x.size())
            history_.resize(x.size(), depth);
        history_.col(count_ % depth) = x;
        ++count_;
        return count_ >= depth;
    }

    /// The extrapolated point of the held iterates into `out`; false when the differences are
    /// degenerate (already converged). Starts a new history.
    ///
    /// With \f$r_i = x_{i+1} - x_i\f$, the weights \f$c\f$ (summing to 1) minimize
    /// \f$\|\sum_i c_i r_i\| = \|r_{K-1} + \sum_{i<K-1} c_i (r_i - r_{K-1})\|\f$: a least-squares
    /// problem in \f$K - 1\f$ unknowns, solved by a rank-revealing QR of its columns (not by
    /// normal equations, which would square the conditioning of nearly parallel differences).
    bool extrapolate(Vector<T>& out) {
        const Eigen::Index m = history_.rows();
        constexpr int K = depth - 1;
        // Oldest first: slot (first + i) % depth holds x_i.
        const int first = count_ - depth;
        auto iterate = [&](int i) { return history_.col((first + i) % depth); };
        count_ = 0;
        const Vector<T> last = iterate(K) - iterate(K - 1);
        if (!(last.squaredNorm() > T(0)))
            return false;
        Matrix<T> columns(m, K - 1);
        for (int i = 0; i < K - 1; ++i)
            columns.col(i) = iterate(i + 1) - iterate(i) - last;
        const Eigen::ColPivHouseholderQR<Matrix<T>> qr(columns);
        const Vector<T> weights = qr.solve(-last);
        if (!weights.allFinite())
            return false;
        out = iterate(K);
        for (int i = 0; i < K - 1; ++i)
            out.noalias() += weights(i) * (iterate(i + 1) - iterate(K));
        return out.allFinite();
    }

private:
    Matrix<T> history_;
    int count_ = 0;
};

/// The change of the objective \f$\tfrac12\|b - A\beta\|^2 + \sum_j \psi_j(\beta_j)\f$ when
/// the coefficients of `block` moved from `before(a)` to `after(a)` (a: the member's position)
/// and the workspace has moved with them; `gradient_before(a)` is \f$A_j^Tr\f$ before the move.
/// The quadratic part is `quadratic_change` of each member (solvers/measured_move.hpp).
template <class Prior, class T, class Workspace, class Before, class After>
T objective_change(const Prior& prior, const PenaltyWeights<T>& weights, const Workspace& workspace,
                   const std::vector<Eigen::Index>& block, const Before& before, const After& after,
                   const Vector<T>& gradient_before) {
    T change = T(0);
    for (Eigen::Index a = 0; a < static_cast<Eigen::Index>(block.size()); ++a) {
        const Eigen::Index j = block[static_cast<std::size_t>(a)];
        const T from = before(a), to = after(a);
        if (to == from)
            continue;
        change += box_penalty(prior, weights, j, to) - box_penalty(prior, weights, j, from) +
                  quadratic_change(to - from, gradient_before(a), workspace.correlation(j));
    }
    return change;
}

/// Moves the coefficients of `block` from `beta` to `proposal` (one entry per member of
/// `block`) when that lowers the objective (`objective_change`); returns whether they moved.
/// A proposal outside the prior's domain is refused.
template <class Prior, class T, class Workspace>
bool move_if_lower(const Prior& prior, const PenaltyWeights<T>& weights, Workspace& workspace,
                   const std::vector<Eigen::Index>& block, const Vector<T>& proposal,
                   Vector<T>& beta, Vector<T>& gradient_before) {
    const auto m = static_cast<Eigen::Index>(block.size());
    gradient_before.resize(m);
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = block[static_cast<std::size_t>(a)];
        if (!(box_penalty(prior, weights, j, proposal(a)) < std::numeric_limits<T>::infinity()))
            return false;
        gradient_before(a) = workspace.correlation(j);
    }
    workspace.checkpoint(block);
    for (Eigen::Index a = 0; a < m; ++a) {
        const Eigen::Index j = block[static_cast<std::size_t>(a)];
        const T delta = proposal(a) - beta(j);
        if (delta != T(0))
            workspace.apply(j, delta);
    }
    const auto at = [&](Eigen::Index a) { return beta(block[static_cast<std::size_t>(a)]); };
    const auto proposed = [&](Eigen::Index a) { return proposal(a); };
    const bool lower =
        objective_change(prior, weights, workspace, block, at, proposed, gradient_before) < T(0);
    if (!lower) {
        workspace.rollback();
        return false;
    }
    for (Eigen::Index a = 0; a < m; ++a)
        beta(block[static_cast<std::size_t>(a)]) = proposal(a);
    return true;
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_EXTRAPOLATION_HPP
