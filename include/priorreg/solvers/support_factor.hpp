#ifndef PRIORREG_SOLVERS_SUPPORT_FACTOR_HPP
#define PRIORREG_SOLVERS_SUPPORT_FACTOR_HPP

/// \file support_factor.hpp
/// \brief A Cholesky factor of \f$G_{SS} + \mathrm{diag}(l_2)_S\f$ over a support \f$S\f$ that
/// changes by a few features at a time.
///
/// Along a path the support of the solution grows and shrinks by a few features per
/// \f$\lambda\f$. A new factor would cost \f$m^3/3\f$; a feature that enters costs one
/// triangular solve (\f$m^2\f$; features that enter together share one solve with several
/// right-hand sides) and one that leaves a rank-one update of the trailing block (at most
/// \f$m^2\f$).
///
/// The ridge weights change with \f$\lambda\f$ (an elastic net's \f$l_2\f$ is proportional to
/// it). The factor \f$LL^T = G_{SS} + \mathrm{diag}(h)\f$ of the weights \f$h\f$ it was made
/// with stays a preconditioner for \f$G_{SS} + \mathrm{diag}(l_2)\f$: the Rayleigh quotient
/// \f$\frac{x^T(G + \mathrm{diag}(l_2))x}{x^T(G + \mathrm{diag}(h))x}\f$ lies between the least
/// and the largest of 1 and the ratios \f$l_{2,j}/h_j\f$ (\f$G\f$ is positive semidefinite), so
/// conjugate gradients with that preconditioner converge at the rate
/// \f$(\sqrt\kappa - 1)/(\sqrt\kappa + 1)\f$ per iteration, \f$\kappa\f$ the spread of those
/// ratios: about 9 iterations of \f$4m^2\f$ each to rounding between neighbouring
/// \f$\lambda\f$ of a 100-value path. The factor is kept while that costs less than a new one
/// (`make_plan`), with no Gram entry needed: \f$G_{SS} + \mathrm{diag}(l_2) = LL^T +
/// \mathrm{diag}(l_2 - h)\f$.
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

#include "../detail/memory.hpp"
#include "../detail/numeric.hpp"
#include "conjugate_gradients.hpp"

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
        if (!make_plan(support, ridge, workspace).update)
            return refactor(support, ridge, workspace, form_if_needed);
        for (auto a = leaving_.rbegin(); a != leaving_.rend(); ++a)
            remove(*a);
        if (!append_all(ridge, workspace))
            return refactor(support, ridge, workspace, form_if_needed);
        set_shift(ridge);
        return size() > 0;
    }

    /// About the flops `assign` and one `solve` would take for `support` and `ridge`.
    template <class Workspace, class Ridge>
    double cost(const std::vector<Eigen::Index>& support, const Ridge& ridge,
                const Workspace& workspace) {
        return make_plan(support, ridge, workspace).flops;
    }

    /// Solves \f$(G_{SS} + \mathrm{diag}(l_2)) x = b\f$ for the ridge weights of the last
    /// `assign`, `b` and `x` in `order()`: by the factor when it holds those weights, else by
    /// conjugate gradients preconditioned with it (above).
    void solve(Vector<T>& b) {
        if (!shifted_) {
            solve_factor(b);
            return;
        }
        const Eigen::Index m = size();
        const auto L = factor_.topLeftCorner(m, m).template triangularView<Eigen::Lower>();
        const int k = conjugate_gradients(
            b,
            [&](const Vector<T>& x, Vector<T>& out) {
                out.noalias() = L * (L.transpose() * x);
                out += shift_.cwiseProduct(x);
            },
            [&](Vector<T>& v) { solve_factor(v); }, tolerance, max_iterations);
        conjugate_gradient_flops_ += 4 * (k + 1) * static_cast<double>(m) * static_cast<double>(m);
    }

    Eigen::Index size() const { return static_cast<Eigen::Index>(order_.size()); }

    /// Growth of the factor's storage stops at `m` rows (a support up to `m` still fits), and
    /// that of the scratch its blocks are formed in at m x m entries.
    void limit_capacity(Eigen::Index m) { capacity_limit_ = m; }

    /// Whether `solve` runs conjugate gradients (the ridge weights differ from those factored).
    bool preconditioned() const { return shifted_; }

private:
    /// Relative residual at which the conjugate gradients stop, and their iteration limit.
    static constexpr T tolerance = T(64) * std::numeric_limits<T>::epsilon();
    static constexpr int max_iterations = 60;

    struct Plan {
        bool update;  ///< follow the support by updates (else a new factor)
        double flops; ///< of the assignment and one solve
    };

    /// Whether `assign` should update the factor or make a new one, and what that costs; fills
    /// `leaving_` (positions) and `entering_` (features). A new factor costs m^3/3 after its
    /// block (m^2 entries, each `gram_entry_cost()`); updates about m^2 per feature that leaves
    /// or enters, and a solve with ridge weights other than those factored 4m^2 per
    /// conjugate-gradient iteration; once the solves since the factor was made have cost as much
    /// as a new one, a new one is made (as renting against buying: at most twice the cost of
    /// the better choice in hindsight, whatever the number of solves). Updates are made for at most
    /// m/8 changes: past that, on supports with near duplicates, their rounding has cost more steps
    /// than a new factor (the duplicate-column tests of tests/test_correlated_designs.cpp).
    template <class Workspace, class Ridge>
    Plan make_plan(const std::vector<Eigen::Index>& support, const Ridge& ridge,
                   const Workspace& workspace) {
        const auto m = static_cast<double>(support.size());
        const double entry = workspace.gram_entry_cost();
        const double new_factor = m * m * m / 3 + m * m * entry + 2 * m * m;
        mark_.assign(std::max(mark_.size(), max_index(support) + 1), 0);
        for (const Eigen::Index j : support)
            mark_[static_cast<std::size_t>(j)] = 1;
        leaving_.clear();
        entering_.clear();
        // The spread of the ratios of the ridge weights to those factored, 1 included.
        T low = T(1), high = T(1);
        for (std::size_t a = 0; a < order_.size(); ++a) {
            const Eigen::Index j = order_[a];
            if (static_cast<std::size_t>(j) >= mark_.size() ||
                !mark_[static_cast<std::size_t>(j)]) {
                leaving_.push_back(static_cast<Eigen::Index>(a));
                continue;
            }
            const T now = ridge(j), held = ridge_held_[a];
            if (now == held)
                continue;
            const T ratio = held > T(0) ? now / held : std::numeric_limits<T>::infinity();
            low = std::min(low, ratio);
            high = std::max(high, ratio);
        }
        for (const Eigen::Index j : order_)
            if (static_cast<std::size_t>(j) < mark_.size())
                mark_[static_cast<std::size_t>(j)] = 0;
        for (const Eigen::Index j : support)
            if (mark_[static_cast<std::size_t>(j)])
                entering_.push_back(j);
        const auto kept = static_cast<double>(order_.size() - leaving_.size());
        const auto changes = static_cast<double>(leaving_.size() + entering_.size());
        const double iterations = conjugate_gradient_iterations(low, high);
        const double updates = changes * m * m + static_cast<double>(entering_.size()) * m * entry +
                               (iterations > 0 ? 4 * (iterations + 1) * m * m : 2 * m * m);
        if (kept > 0 && updates + conjugate_gradient_flops_ < new_factor && 8 * changes <= m)
            return {true, updates};
        return {false, new_factor};
    }

    /// Iterations of preconditioned conjugate gradients to `tolerance` when the preconditioned
    /// spectrum lies in [low, high] (0 when it is the identity; infinite past the limit).
    static double conjugate_gradient_iterations(T low, T high) {
        if (!(low > T(0)))
            return std::numeric_limits<double>::infinity();
        const double iterations = detail::conjugate_gradient_iterations(high / low, tolerance);
        return iterations <= max_iterations ? iterations : std::numeric_limits<double>::infinity();
    }

    /// Records the ridge weights now asked for against those factored.
    template <class Ridge> void set_shift(const Ridge& ridge) {
        const Eigen::Index m = size();
        shift_.resize(m);
        shifted_ = false;
        for (Eigen::Index a = 0; a < m; ++a) {
            shift_(a) = ridge(order_[static_cast<std::size_t>(a)]) -
                        ridge_held_[static_cast<std::size_t>(a)];
            shifted_ = shifted_ || shift_(a) != T(0);
        }
    }

    /// b := (L L^T)^{-1} b.
    void solve_factor(Vector<T>& b) const {
        const Eigen::Index m = size();
        factor_.topLeftCorner(m, m).template triangularView<Eigen::Lower>().solveInPlace(b);
        factor_.topLeftCorner(m, m)
            .template triangularView<Eigen::Lower>()
            .transpose()
            .solveInPlace(b);
    }

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
        shifted_ = false;
        conjugate_gradient_flops_ = 0;
        const auto m = static_cast<Eigen::Index>(support.size());
        auto block = scratch_matrix(block_, m, m, block_limit());
        if (!workspace.gram_block(support, block, form_if_needed))
            return false;
        for (Eigen::Index a = 0; a < m; ++a)
            block(a, a) += ridge(support[static_cast<std::size_t>(a)]);
        reserve(m);
        factor_.topLeftCorner(m, m) = block;
        Eigen::Ref<Matrix<T>> corner = factor_.topLeftCorner(m, m);
        const Eigen::LLT<Eigen::Ref<Matrix<T>>> in_place(corner);
        if (in_place.info() == Eigen::Success &&
            independent(factor_.diagonal().head(m), block.diagonal())) {
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
                column_(b) = block(position_[static_cast<std::size_t>(b)], a);
            column_(held) = block(a, a);
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

    /// The most entries the block scratch grows to by doubling: the factor's limit squared.
    Eigen::Index block_limit() const {
        const Eigen::Index most = Eigen::NumTraits<Eigen::Index>::highest();
        if (capacity_limit_ > 0 && capacity_limit_ > most / capacity_limit_)
            return most;
        return capacity_limit_ * capacity_limit_;
    }

    /// Room for a factor of m rows. Only the held factor's lower triangle moves to new storage;
    /// nothing reads the rest (the triangular views, `append_row` and `remove` write each entry
    /// of a row before it is read), so the new storage is not cleared: on the 170 x 274 elastic
    /// net R20261213n15 clearing it and its first-touch faults were 14 % of the path.
    void reserve(Eigen::Index m) {
        if (factor_.rows() < m) {
            const Eigen::Index capacity =
                std::max(m, std::min(2 * factor_.rows(), capacity_limit_));
            Matrix<T> larger;
            resize_densely_used(larger, capacity, capacity);
            const Eigen::Index held = size();
            larger.topLeftCorner(held, held).template triangularView<Eigen::Lower>() =
                factor_.topLeftCorner(held, held);
            factor_.swap(larger);
        }
    }

    /// Appends the features of `entering_` in their order, each unless it depends on those
    /// held before it; false when a Gram column is not available. Several are appended as one
    /// block: their columns' solves against the held factor are one triangular solve with
    /// several right-hand sides, which reads the factor once where a solve per feature reads it
    /// once each (at 1500 held features its lower triangle is 9 MB, and the solves per feature
    /// took 18 % of the hard design H01's path, bench/RESULTS_NOTES.md); then each is appended
    /// to those before it in the block as `extend` would.
    template <class Workspace, class Ridge>
    bool append_all(const Ridge& ridge, const Workspace& workspace) {
        const auto k = static_cast<Eigen::Index>(entering_.size());
        if (k < 2) {
            for (const Eigen::Index j : entering_)
                if (append(j, ridge(j), workspace) == Append::unavailable)
                    return false;
            return true;
        }
        const Eigen::Index held = size();
        std::vector<Eigen::Index> rows = order_;
        rows.insert(rows.end(), entering_.begin(), entering_.end());
        auto block = scratch_matrix(block_, held + k, k, block_limit());
        for (Eigen::Index b = 0; b < k; ++b) {
            const Eigen::Index j = entering_[static_cast<std::size_t>(b)];
            if (!workspace.gram_column(rows, j, column_))
                return false;
            block.col(b) = column_;
            block(held + b, b) += ridge(j);
        }
        // Rows of the held features: W = L^{-1} G_{S,E}. Below them, the Schur complement of
        // the held features in the entering block, G_EE + diag(l2_E) - W^T W (its lower part;
        // the pivots are taken from the whole rows in `append_row`).
        auto solved = block.topRows(held);
        factor_.topLeftCorner(held, held)
            .template triangularView<Eigen::Lower>()
            .solveInPlace(solved);
        Matrix<T> schur = block.bottomRows(k);
        schur.template triangularView<Eigen::Lower>() -= solved.transpose() * solved;
        // The entering features one by one: each row is its solve against the held features
        // followed by its solve against those appended before it in the block, on the part of
        // its column that the held features left (the Schur complement).
        reserve(held + k);
        std::vector<Eigen::Index> appended; // positions in the block
        for (Eigen::Index b = 0; b < k; ++b) {
            const auto q = static_cast<Eigen::Index>(appended.size());
            column_.resize(held + q);
            column_.head(held) = solved.col(b);
            for (Eigen::Index c = 0; c < q; ++c)
                column_(held + c) = schur(b, appended[static_cast<std::size_t>(c)]);
            auto tail = column_.tail(q);
            factor_.block(held, held, q, q)
                .template triangularView<Eigen::Lower>()
                .solveInPlace(tail);
            const Eigen::Index j = entering_[static_cast<std::size_t>(b)];
            if (append_row(j, ridge(j), column_, block(held + b, b)))
                appended.push_back(b);
        }
        return true;
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

    /// Appends feature j given `column_` = (G_{S j}, G_jj + l2_j): L w = G_{S j}, then
    /// `append_row`; false (nothing changed) when j depends on S.
    bool extend(Eigen::Index j, T ridge) {
        const Eigen::Index m = size();
        Vector<T> w = column_.head(m);
        factor_.topLeftCorner(m, m).template triangularView<Eigen::Lower>().solveInPlace(w);
        return append_row(j, ridge, w, column_(m));
    }

    /// Appends feature j as the factor's next row, given w = L^{-1} G_{S j} over the held
    /// features S and its diagonal entry G_jj + l2_j: the pivot is sqrt(G_jj + l2_j - w^T w);
    /// false (nothing changed) when j depends on S (`dependence`).
    template <class Row> bool append_row(Eigen::Index j, T ridge, const Row& w, T diagonal) {
        const Eigen::Index m = size();
        const T pivot2 = diagonal - w.squaredNorm();
        if (!(pivot2 > dependence * diagonal))
            return false;
        reserve(m + 1);
        factor_.row(m).head(m) = w.transpose();
        factor_(m, m) = std::sqrt(pivot2);
        order_.push_back(j);
        ridge_held_.push_back(ridge);
        return true;
    }

    /// Removes the feature at position k: the trailing block L33 takes the rank-one update
    /// L33 L33^T + l32 l32^T (a Givens rotation per column), and rows and columns after k move
    /// up by one. Each column of L33 is written to its new place as it is rotated: one pass
    /// over the block, its inner loops vectorized.
    void remove(Eigen::Index k) {
        const Eigen::Index m = size(), r = m - k - 1;
        for (Eigen::Index col = 0; col < k; ++col) {
            T* const column = factor_.col(col).data();
            std::copy(column + k + 1, column + m, column + k);
        }
        removed_ = factor_.col(k).segment(k + 1, r);
        for (Eigen::Index i = 0; i < r; ++i) {
            const Eigen::Index d = k + 1 + i, below = r - i - 1;
            const T diagonal = factor_(d, d);
            const T root = std::hypot(diagonal, removed_(i));
            const T c = root / diagonal, s = removed_(i) / diagonal;
            auto entries = factor_.col(d).segment(d + 1, below);
            auto rest = removed_.segment(i + 1, below);
            entries = (entries + s * rest) / c;
            rest = c * rest - s * entries;
            // Column d-1 is free: column k was copied out, the others already moved left.
            factor_(d - 1, d - 1) = root;
            factor_.col(d - 1).segment(d, below) = entries;
        }
        factor_.row(m - 1).head(m).setZero();
        factor_.col(m - 1).head(m).setZero();
        order_.erase(order_.begin() + k);
        ridge_held_.erase(ridge_held_.begin() + k);
    }

    Eigen::Index capacity_limit_ = std::numeric_limits<Eigen::Index>::max();
    Matrix<T> factor_; ///< lower triangle: the factor of the held support (capacity-sized)
    Vector<T> block_;  ///< scratch (`scratch_matrix`): the support's matrix, or the entering block
    Vector<T> shift_;  ///< ridge weights asked for less those factored, in `order_`
    bool shifted_ = false;
    double conjugate_gradient_flops_ = 0; ///< spent by solves since the factor was made
    Vector<T> column_;
    Vector<T> removed_; ///< `remove`: the column of the feature that leaves, rotated away
    std::vector<Eigen::Index> position_; ///< refactor: held feature -> its row of `block_`
    std::vector<Eigen::Index> order_;
    std::vector<T> ridge_held_;
    std::vector<char> mark_;
    std::vector<Eigen::Index> leaving_, entering_; ///< `make_plan`'s
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_SUPPORT_FACTOR_HPP
