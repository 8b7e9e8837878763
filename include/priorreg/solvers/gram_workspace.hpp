#ifndef PRIORREG_SOLVERS_GRAM_WORKSPACE_HPP
#define PRIORREG_SOLVERS_GRAM_WORKSPACE_HPP

/// \file gram_workspace.hpp
/// \brief Covariance mode: the full gradient through the Gram columns of the features that have
/// entered (see solvers/workspaces.hpp for the members both workspaces share).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "../detail/gram.hpp"
#include "../detail/memory.hpp"
#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/standardize.hpp"
#include "measured_move.hpp"

namespace priorreg::detail {

template <class T> class GramWorkspace {
public:
    /// The full gradient is kept current by every update.
    /// Sweep order does not matter for memory traffic: updates read the Gram, not X.
    static constexpr bool sweeps_in_column_order = false;
    static constexpr bool gradient_is_free = true;

    /// Takes over the working design (its columns get permuted): `problem.design` is left
    /// empty, so that no second copy of the data exists.
    GramWorkspace(StandardizedProblem<T>& problem, int threads)
        : A_(std::move(problem.design)), root_curvature_(problem.curvature.cwiseSqrt()),
          b_norm2_(problem.null_deviance), threads_(threads) {
        if (problem.gram.size() > 0) {
            // Precomputed statistics: every feature has its Gram column already.
            const Eigen::Index p = problem.gram.cols();
            gram_ = std::move(problem.gram);
            correlation_with_response_ = problem.correlation;
            gradient_ = correlation_with_response_;
            position_.resize(static_cast<std::size_t>(p));
            feature_at_.resize(static_cast<std::size_t>(p));
            for (Eigen::Index j = 0; j < p; ++j)
                position_[j] = feature_at_[j] = j;
            entered_ = computed_ = p;
            return;
        }
        const Eigen::Index p = A_.cols();
        position_.resize(static_cast<std::size_t>(p));
        feature_at_.resize(static_cast<std::size_t>(p));
        for (Eigen::Index j = 0; j < p; ++j)
            position_[j] = feature_at_[j] = j;
        transpose_product(A_, problem.response, correlation_with_response_, threads_);
        gradient_ = correlation_with_response_;
    }

    /// Starts from all coefficients zero.
    void start() {
        gradient_ = correlation_with_response_;
        moved_ = T(0);
    }
    T correlation(Eigen::Index j) const { return gradient_(position_[j]); }
    void apply(Eigen::Index j, T delta) {
        gradient_.noalias() -= delta * gram_.col(position_[j]);
        track(j, delta);
    }
    /// `apply` for each of `features` with `deltas(a)`, in fewer passes over the gradient.
    void apply(const std::vector<Eigen::Index>& features, const Vector<T>& deltas) {
        subtract_combination(
            gradient_,
            [&](Eigen::Index a) {
                return gram_.col(position_[features[static_cast<std::size_t>(a)]]);
            },
            deltas, static_cast<Eigen::Index>(features.size()));
        for (std::size_t a = 0; a < features.size(); ++a)
            track(features[a], deltas(static_cast<Eigen::Index>(a)));
    }

    /// The largest support a sign-pattern step may factor: no limit beyond the step's cost
    /// (the data are already held densely).
    Eigen::Index max_factor_size() const { return std::numeric_limits<Eigen::Index>::max(); }

    /// `apply` for each of `features`, returning the change of \f$\tfrac12\|r\|^2\f$ it
    /// made (from the kept gradients: O(1) per feature).
    T apply_measured(const std::vector<Eigen::Index>& features, const Vector<T>& deltas) {
        return apply_measured_by_gradients(*this, features, deltas, measured_);
    }

    /// Saves what moving `features` changes, for `rollback`. A trial move taken back by applying
    /// its negative would round the state to the move's size: a move of 1e150 on a coefficient
    /// of 1e7 and back leaves 0 (fuzz/known_failures/README.md).
    void checkpoint(const std::vector<Eigen::Index>& /*features*/) {
        checkpoint_ = gradient_;
        checkpoint_moved_ = moved_;
        checkpoint_entered_ = entered_;
    }
    /// Returns to the state of the last `checkpoint` (nothing `prepare`d in between).
    void rollback() {
        eigen_assert(checkpoint_entered_ == entered_); // `prepare` reorders the gradient
        gradient_ = checkpoint_;
        moved_ = checkpoint_moved_;
    }

    /// Builds the Gram columns of the features not entered yet.
    void prepare(const std::vector<Eigen::Index>& features) {
        const Eigen::Index first = entered_;
        for (const Eigen::Index j : features)
            if (position_[j] >= entered_)
                swap_positions(position_[j], entered_++);
        if (entered_ > first)
            enter_likely_features(first);
        const Eigen::Index added = entered_ - first;
        if (added == 0)
            return;
        const Eigen::Index p = A_.cols();
        if (gram_.cols() < entered_) {
            const Eigen::Index capacity =
                std::min<Eigen::Index>(p, std::max(2 * gram_.cols(), entered_));
            gram_.conservativeResize(p, capacity); // in place where the allocator can grow it
            advise_huge_pages(gram_);
        }
        // Rows of features entered before: by symmetry from their own columns.
        if (first > 0)
            gram_.block(0, first, first, added) = gram_.block(first, 0, added, first).transpose();
        // Rows of the new and not-yet-entered features: one product, split by rows. It is
        // formed transposed, (new block)^T times the columns: the large operand is then read
        // along its columns when the product packs it, not gathered across them.
        const Eigen::Index rows = p - first;
        const auto block = A_.middleCols(first, added);
        const int t = work_threads(static_cast<double>(A_.rows()) * static_cast<double>(rows) *
                                   static_cast<double>(added));
        parallel_chunks(rows, t, [&](Eigen::Index begin, Eigen::Index end) {
            const Matrix<T> transposed =
                block.transpose() * A_.middleCols(first + begin, end - begin);
            gram_.block(first + begin, first, end - begin, added) = transposed.transpose();
        });
        computed_ = entered_;
    }

    /// The Gram block of `features` (all entered).
    bool gram_block(const std::vector<Eigen::Index>& features, Eigen::Ref<Matrix<T>> block,
                    bool /* form_if_needed: the Gram is always kept */ = false) const {
        const auto m = static_cast<Eigen::Index>(features.size());
        eigen_assert(block.rows() == m && block.cols() == m);
        for (Eigen::Index b = 0; b < m; ++b)
            for (Eigen::Index a = 0; a < m; ++a)
                block(a, b) = gram_(position_[features[static_cast<std::size_t>(a)]],
                                    position_[features[static_cast<std::size_t>(b)]]);
        return true;
    }

    /// Flops of a coordinate update (`correlation` and `apply`): the gradient's p entries.
    double update_cost() const { return static_cast<double>(gradient_.size()); }

    /// Flops of `correlation(j)`: it is kept.
    static constexpr double correlation_cost() { return 1.0; }

    /// Flops per Gram entry of `gram_block` and `gram_column`: the Gram is kept.
    static constexpr double gram_entry_cost() { return 1.0; }

    /// Column j of the Gram on the rows of `features` (all entered).
    bool gram_column(const std::vector<Eigen::Index>& features, Eigen::Index j,
                     Vector<T>& out) const {
        out.resize(static_cast<Eigen::Index>(features.size()));
        for (std::size_t a = 0; a < features.size(); ++a)
            out(static_cast<Eigen::Index>(a)) = gram_(position_[features[a]], position_[j]);
        return true;
    }

    /// \f$A^T(A_V\eta) = G_{\cdot V}\eta\f$ in feature order, for entered features V.
    void combination_gradient(const std::vector<Eigen::Index>& features, const Vector<T>& eta,
                              Vector<T>& out) const {
        const auto p = static_cast<Eigen::Index>(position_.size());
        Vector<T> by_position = Vector<T>::Zero(p);
        for (std::size_t a = 0; a < features.size(); ++a)
            by_position.noalias() +=
                eta(static_cast<Eigen::Index>(a)) * gram_.col(position_[features[a]]);
        out.resize(p);
        for (Eigen::Index j = 0; j < p; ++j)
            out(j) = by_position(position_[j]);
    }
    /// \f$A_j^T b\f$.
    T response_correlation(Eigen::Index j) const {
        return correlation_with_response_(position_[j]);
    }

    /// Whether the updates since the gradient was last formed from the coefficients may have
    /// rounded it by a part in \f$10^8\f$ of its scale \f$\lVert A_k\rVert\lVert b\rVert\f$:
    /// an update of size d rounds every entry by about \f$\epsilon\,|d|\,\lVert
    /// A_j\rVert\lVert A_k\rVert\f$. A solve whose coefficients went to 1e16 and came back kept
    /// a gradient off by 2e3 (and a residual norm that read negative, clamped to 0: a gap of 0
    /// at a wrong point; fuzz/known_failures/README.md). Ordinary fits never move that far.
    bool rounding_drifted() const {
        return std::numeric_limits<T>::epsilon() * moved_ > drift_fraction * std::sqrt(b_norm2_);
    }
    /// Forms the gradient again from the coefficients `beta` (feature order), \f$A^Tb -
    /// G\beta\f$: O(p) per nonzero coefficient.
    void resynchronize(const Vector<T>& beta) {
        gradient_ = correlation_with_response_;
        for (Eigen::Index j = 0; j < beta.size(); ++j)
            if (beta(j) != T(0))
                gradient_.noalias() -= beta(j) * gram_.col(position_[j]);
        moved_ = T(0);
    }

    void gradient(Vector<T>& g) const {
        const auto p = static_cast<Eigen::Index>(position_.size());
        g.resize(p);
        for (Eigen::Index j = 0; j < p; ++j)
            g(j) = gradient_(position_[j]);
    }
    /// \f$\|r\|^2 = \|b\|^2 - \beta^T A^Tb - \beta^T g\f$ (since \f$G\beta = A^Tb - g\f$).
    T residual_norm2(const Vector<T>& beta, const Vector<T>& g) const {
        return std::max(b_norm2_ - response_correlation(beta) - beta.dot(g), T(0));
    }
    T response_dot_residual(const Vector<T>& beta) const {
        return b_norm2_ - response_correlation(beta);
    }

    /// Gives the working data back to `problem` when the solves are done: the design, its
    /// columns in feature order again, or, for a workspace built from statistics alone, the
    /// Gram. The workspace cannot be used afterwards.
    void restore(StandardizedProblem<T>& problem) {
        if (A_.size() == 0) {
            problem.gram = std::move(gram_); // built from statistics: positions never moved
            return;
        }
        // Each swap puts one column at its feature's place.
        for (Eigen::Index position = 0; position < A_.cols(); ++position)
            while (feature_at_[static_cast<std::size_t>(position)] != position) {
                const Eigen::Index feature = feature_at_[static_cast<std::size_t>(position)];
                A_.col(position).swap(A_.col(feature));
                std::swap(feature_at_[static_cast<std::size_t>(position)],
                          feature_at_[static_cast<std::size_t>(feature)]);
            }
        problem.design = std::move(A_);
    }

private:
    /// Adds an update of feature j by `delta` to the rounding budget (`rounding_drifted`).
    void track(Eigen::Index j, T delta) { moved_ += std::abs(delta) * root_curvature_(j); }

    int work_threads(double work) const {
        return threads_for(work, threads_, parallel_product_threshold);
    }

    T response_correlation(const Vector<T>& beta) const {
        T sum = T(0);
        for (Eigen::Index j = 0; j < beta.size(); ++j)
            if (beta(j) != T(0))
                sum += beta(j) * correlation_with_response_(position_[j]);
        return sum;
    }

    /// A Gram block costs a pass over the rows of every feature not entered yet, however few
    /// columns it has, so blocks are widened: besides the features asked for, the ones with
    /// the largest gradients (the likeliest to enter next) come along, until the block holds
    /// at least half as many columns as had entered before (and at least 32). Blocks thus grow
    /// geometrically: a path that ends with all features entered builds O(log p) blocks.
    void enter_likely_features(Eigen::Index first) {
        const Eigen::Index p = A_.cols();
        const Eigen::Index wanted =
            std::min(p, first + std::max<Eigen::Index>({entered_ - first, first / 2, 32}));
        if (entered_ >= wanted)
            return;
        std::vector<Eigen::Index> candidates;
        for (Eigen::Index position = entered_; position < p; ++position)
            candidates.push_back(position);
        const auto count = static_cast<std::size_t>(wanted - entered_);
        std::partial_sort(candidates.begin(),
                          candidates.begin() + static_cast<std::ptrdiff_t>(count), candidates.end(),
                          [&](Eigen::Index a, Eigen::Index b) {
                              const T ga = std::abs(gradient_(a)), gb = std::abs(gradient_(b));
                              return ga > gb || (ga == gb && feature_at_[a] < feature_at_[b]);
                          });
        std::vector<Eigen::Index> features;
        for (std::size_t k = 0; k < count; ++k)
            features.push_back(feature_at_[candidates[k]]);
        for (const Eigen::Index j : features)
            swap_positions(position_[j], entered_++);
    }

    void swap_positions(Eigen::Index a, Eigen::Index b) {
        if (a == b)
            return;
        A_.col(a).swap(A_.col(b));
        std::swap(correlation_with_response_(a), correlation_with_response_(b));
        std::swap(gradient_(a), gradient_(b));
        if (computed_ > 0)
            gram_.row(a).head(computed_).swap(gram_.row(b).head(computed_));
        const Eigen::Index fa = feature_at_[a], fb = feature_at_[b];
        feature_at_[a] = fb;
        feature_at_[b] = fa;
        position_[fa] = b;
        position_[fb] = a;
    }

    Matrix<T> A_; ///< the working design, columns in position order
    Matrix<T> gram_;
    Vector<T> correlation_with_response_; ///< A^T b, position order
    Vector<T> gradient_;                  ///< A^T r, position order
    /// sqrt(c_j), feature order.
    Vector<T> root_curvature_;
    /// The sum of |delta| ||A_j|| of the updates since the gradient was last formed from the
    /// coefficients.
    T moved_ = T(0);
    /// The rounding, relative to ||A_k|| ||b||, past which the gradient is formed again.
    static constexpr T drift_fraction = T(1e-8);
    std::vector<Eigen::Index> position_;   ///< feature -> position
    std::vector<Eigen::Index> feature_at_; ///< position -> feature
    Eigen::Index entered_ = 0;             ///< features with a position in the prefix
    Eigen::Index computed_ = 0;            ///< Gram columns filled (== entered_ between calls)
    T b_norm2_;
    int threads_;
    Vector<T> measured_;   ///< `apply_measured`'s gradients before the move
    Vector<T> checkpoint_; ///< `gradient_` at the last `checkpoint`
    T checkpoint_moved_ = T(0);
    Eigen::Index checkpoint_entered_ = 0;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_GRAM_WORKSPACE_HPP
