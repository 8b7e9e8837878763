#ifndef PRIORREG_SOLVERS_SUPPORT_FACTOR_HPP
#define PRIORREG_SOLVERS_SUPPORT_FACTOR_HPP

/// \file support_factor.hpp
/// \brief A Cholesky factor of \f$G_{SS} + \mathrm{diag}(l_2)_S\f$ over a support \f$S\f$ that
/// changes by a few features at a time.
///
/// Along a path the support of the solution grows and shrinks by a few features per
/// \f$\lambda\f$. A new factor would cost \f$m^3/3\f$; a feature that enters costs one
/// triangular solve (\f$m^2\f$) and one that leaves a rank-one update of the trailing block
/// (at most \f$m^2\f$). The ridge weights must be those the factor holds: a change of
/// \f$l_2\f$ (each \f$\lambda\f$ of an elastic net) refactors.
///
/// A feature whose column (with its ridge weight) is in the span of those already in the factor
/// to within rounding is left out of it: its squared pivot, the part of its diagonal entry that
/// the others do not explain, is at most \f$2^{10}\epsilon\f$ of that entry (`dependence`). A
/// solve with it would be rounding in the direction of the dependence: an exact duplicate
/// column, whose split with its twin the objective does not see. Its coefficient is held where
/// it is while the others take their step. A nearly dependent feature (a near duplicate) stays:
/// the quadratic is nearly flat along the dependence but not level, and the step along it, to
/// the first sign change, is what moves weight between the near duplicates (coordinate descent
/// moves it by the square of their small difference per sweep).

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"

namespace priorreg::detail {

template <class T> class SupportFactor {
public:
    /// Features in the factor's order.
    const std::vector<Eigen::Index>& order() const { return order_; }

    /// Makes the factor that of `support` (any order; the factor keeps its own, `order()`)
    /// with ridge weight `ridge(j)` for feature j, less the features that depend on the others
    /// (above): `order()` is then a subset of `support`. `workspace` supplies Gram entries
    /// (`gram_column`, `gram_block`; `form_if_needed`: a block the workspace does not keep may
    /// be formed from the data). False when no feature could be factored or the entries are
    /// not available; the factor is then empty.
    template <class Workspace, class Ridge>
    bool assign(const std::vector<Eigen::Index>& support, const Ridge& ridge,
                const Workspace& workspace, bool form_if_needed = true) {
        const auto m = static_cast<Eigen::Index>(support.size());
        mark_.assign(std::max(mark_.size(), max_index(support) + 1), 0);
        for (const Eigen::Index j : support)
            mark_[static_cast<std::size_t>(j)] = 1;
        std::vector<Eigen::Index> leaving;
        bool same_ridge = true;
        for (std::size_t a = 0; a < order_.size(); ++a) {
            const Eigen::Index j = order_[a];
            if (static_cast<std::size_t>(j) >= mark_.size() || !mark_[static_cast<std::size_t>(j)])
                leaving.push_back(static_cast<Eigen::Index>(a));
            else
                same_ridge = same_ridge && ridge(j) == ridge_held_[a];
        }
        std::vector<Eigen::Index> entering;
        for (const Eigen::Index j : order_)
            if (static_cast<std::size_t>(j) < mark_.size())
                mark_[static_cast<std::size_t>(j)] = 0;
        for (const Eigen::Index j : support)
            if (mark_[static_cast<std::size_t>(j)])
                entering.push_back(j);
        // Updates cost about m^2 each, a new factor m^3 / 3 (and runs faster per flop).
        const auto kept = static_cast<Eigen::Index>(order_.size() - leaving.size());
        const bool update = same_ridge && kept > 0 &&
                            8 * static_cast<Eigen::Index>(leaving.size() + entering.size()) <= m;
        if (update) {
            for (auto a = leaving.rbegin(); a != leaving.rend(); ++a)
                remove(*a);
            for (const Eigen::Index j : entering)
                if (append(j, ridge(j), workspace) == Append::unavailable)
                    return refactor(support, ridge, workspace, form_if_needed);
            return size() > 0;
        }
        return refactor(support, ridge, workspace, form_if_needed);
    }

    /// Solves \f$(G_{SS} + \mathrm{diag}(l_2)) x = b\f$, `b` and `x` in `order()`.
    void solve(Vector<T>& b) const {
        const Eigen::Index m = size();
        factor_.topLeftCorner(m, m).template triangularView<Eigen::Lower>().solveInPlace(b);
        factor_.topLeftCorner(m, m)
            .template triangularView<Eigen::Lower>()
            .transpose()
            .solveInPlace(b);
    }

    Eigen::Index size() const { return static_cast<Eigen::Index>(order_.size()); }

private:
    static std::size_t max_index(const std::vector<Eigen::Index>& features) {
        Eigen::Index largest = 0;
        for (const Eigen::Index j : features)
            largest = std::max(largest, j);
        return static_cast<std::size_t>(largest);
    }

    template <class Workspace, class Ridge>
    bool refactor(const std::vector<Eigen::Index>& support, const Ridge& ridge,
                  const Workspace& workspace, bool form_if_needed) {
        order_.clear();
        ridge_held_.clear();
        const auto m = static_cast<Eigen::Index>(support.size());
        if (!workspace.gram_block(support, block_, form_if_needed))
            return false;
        for (Eigen::Index a = 0; a < m; ++a)
            block_(a, a) += ridge(support[static_cast<std::size_t>(a)]);
        system_ = block_;
        reserve(m);
        const Eigen::LLT<Eigen::Ref<Matrix<T>>> in_place(block_);
        if (in_place.info() == Eigen::Success &&
            independent(block_.diagonal(), system_.diagonal())) {
            factor_.topLeftCorner(m, m) = block_.template triangularView<Eigen::Lower>();
            order_ = support;
            for (const Eigen::Index j : support)
                ridge_held_.push_back(ridge(j));
            return true;
        }
        // Some feature depends on the others: one at a time, leaving out each that does.
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index held = size();
            column_.resize(held + 1);
            for (Eigen::Index b = 0; b < held; ++b)
                column_(b) = system_(position_[static_cast<std::size_t>(b)], a);
            column_(held) = system_(a, a);
            const Eigen::Index j = support[static_cast<std::size_t>(a)];
            if (extend(j, ridge(j)))
                position_.push_back(a);
        }
        position_.clear();
        return size() > 0;
    }

    /// Squared pivot, relative to its diagonal entry, at or below which a feature depends on
    /// those before it.
    static constexpr T dependence = T(1024) * std::numeric_limits<T>::epsilon();

    /// Every squared pivot of the factor (`pivots`, its diagonal) above `dependence` of its
    /// diagonal entry in the matrix (`diagonal`).
    template <class Pivots, class Diagonal>
    static bool independent(const Pivots& pivots, const Diagonal& diagonal) {
        for (Eigen::Index a = 0; a < pivots.size(); ++a)
            if (!(pivots(a) * pivots(a) > dependence * diagonal(a)))
                return false;
        return true;
    }

    void reserve(Eigen::Index m) {
        if (factor_.rows() < m) {
            const Eigen::Index capacity = std::max(m, 2 * factor_.rows());
            Matrix<T> larger = Matrix<T>::Zero(capacity, capacity);
            const Eigen::Index held = size();
            larger.topLeftCorner(held, held) = factor_.topLeftCorner(held, held);
            factor_.swap(larger);
        }
    }

    enum class Append { appended, dependent, unavailable };

    /// Appends feature j when it does not depend on the held features.
    template <class Workspace> Append append(Eigen::Index j, T ridge, const Workspace& workspace) {
        order_.push_back(j);
        const bool available = workspace.gram_column(order_, j, column_);
        order_.pop_back();
        if (!available)
            return Append::unavailable;
        column_(size()) += ridge;
        return extend(j, ridge) ? Append::appended : Append::dependent;
    }

    /// Appends feature j given `column_` = (G_{S j}, G_jj + l2_j): L w = G_{S j}, pivot
    /// sqrt(G_jj + l2_j - w^T w); false (nothing changed) when j depends on S.
    bool extend(Eigen::Index j, T ridge) {
        const Eigen::Index m = size();
        reserve(m + 1);
        Vector<T> w = column_.head(m);
        factor_.topLeftCorner(m, m).template triangularView<Eigen::Lower>().solveInPlace(w);
        const T diagonal = column_(m);
        const T pivot2 = diagonal - w.squaredNorm();
        if (!(pivot2 > dependence * diagonal))
            return false;
        factor_.row(m).head(m) = w.transpose();
        factor_(m, m) = std::sqrt(pivot2);
        order_.push_back(j);
        ridge_held_.push_back(ridge);
        return true;
    }

    /// Removes the feature at position k: the trailing block L33 takes the rank-one update
    /// L33 L33^T + l32 l32^T, then rows and columns after k move up by one.
    void remove(Eigen::Index k) {
        const Eigen::Index m = size(), r = m - k - 1;
        Vector<T> x = factor_.col(k).segment(k + 1, r);
        for (Eigen::Index i = 0; i < r; ++i) {
            const Eigen::Index d = k + 1 + i;
            const T diagonal = factor_(d, d);
            const T root = std::hypot(diagonal, x(i));
            const T c = root / diagonal, s = x(i) / diagonal;
            factor_(d, d) = root;
            for (Eigen::Index e = i + 1; e < r; ++e) {
                T& entry = factor_(k + 1 + e, d);
                entry = (entry + s * x(e)) / c;
                x(e) = c * x(e) - s * entry;
            }
        }
        // Drop row and column k.
        for (Eigen::Index col = 0; col < m; ++col) {
            if (col == k)
                continue;
            const Eigen::Index to = col < k ? col : col - 1;
            for (Eigen::Index row = std::max(col, k + 1); row < m; ++row)
                factor_(row - 1, to) = factor_(row, col);
        }
        factor_.row(m - 1).head(m).setZero();
        factor_.col(m - 1).head(m).setZero();
        order_.erase(order_.begin() + k);
        ridge_held_.erase(ridge_held_.begin() + k);
    }

    Matrix<T> factor_; ///< lower triangle: the factor of the held support (capacity-sized)
    Matrix<T> block_;
    Matrix<T> system_; ///< refactor: the support's matrix, kept from the in-place factorization
    Vector<T> column_;
    std::vector<Eigen::Index> position_; ///< refactor: held feature -> its row of `system_`
    std::vector<Eigen::Index> order_;
    std::vector<T> ridge_held_;
    std::vector<char> mark_;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_SUPPORT_FACTOR_HPP
