#ifndef PRIORREG_SOLVERS_NAIVE_WORKSPACE_HPP
#define PRIORREG_SOLVERS_NAIVE_WORKSPACE_HPP

/// \file naive_workspace.hpp
/// \brief Naive mode: the gradient through the working set's Gram, or the residual (see
/// solvers/workspaces.hpp for the members both workspaces share).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "../detail/gram.hpp"
#include "../detail/memory.hpp"
#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/standardize.hpp"
#include "measured_move.hpp"

namespace priorreg::detail {

/// Naive mode with a Gram of the working set: coordinate descent over a working set \f$W\f$
/// keeps \f$A_W^T r\f$ current through \f$G_W = A_W^T A_W\f$, so an update costs
/// \f$O(|W|)\f$ instead of two passes over a column of length \f$n\f$. \f$G_W\f$ grows by
/// the columns of features as they join \f$W\f$; the residual itself is formed only for a full
/// gradient (one pass over the active columns, then \f$A^T r\f$ over all of them), which also
/// resets \f$A_W^T r\f$ to its exact value. Once \f$W\f$ would outgrow
/// \f$\min(p, 2n, \sqrt{np})\f$ members (an update would cost more than the two column passes,
/// or \f$G_W\f$ would be larger than the data) the workspace falls back to keeping \f$r\f$.
template <class T> class NaiveWorkspace {
public:
    /// A full gradient costs a pass over the data.
    /// Sweep order does not matter for memory traffic: the working-set Gram serves the updates.
    static constexpr bool sweeps_in_column_order = false;
    static constexpr bool gradient_is_free = false;

    NaiveWorkspace(const StandardizedProblem<T>& problem, int threads)
        : A_(problem.design), b_(problem.response), residual_(problem.response), threads_(threads),
          slot_(static_cast<std::size_t>(problem.design.cols()), -1),
          root_curvature_(problem.curvature.cwiseSqrt()), b_norm2_(problem.null_deviance) {
        const double n = static_cast<double>(A_.rows()), p = static_cast<double>(A_.cols());
        member_limit_ =
            static_cast<Eigen::Index>(std::min({p, 2 * n, std::floor(std::sqrt(n * p))}));
        keeps_residual_ = member_limit_ == 0;
    }

    /// Starts from all coefficients zero.
    void start() {
        for (const Eigen::Index j : members_)
            slot_[static_cast<std::size_t>(j)] = -1;
        members_.clear();
        gram_ = Matrix<T>();
        keeps_residual_ = member_limit_ == 0;
        residual_ = b_;
        moved_ = T(0);
    }

    T correlation(Eigen::Index j) const {
        return keeps_residual_ ? A_.col(j).dot(residual_) : working_gradient_(slot(j));
    }

    void apply(Eigen::Index j, T delta) {
        moved_ += std::abs(delta) * root_curvature_(j);
        if (keeps_residual_) {
            residual_.noalias() -= delta * A_.col(j);
            return;
        }
        const Eigen::Index s = slot(j), m = size();
        coefs_(s) += delta;
        working_gradient_.head(m).noalias() -= delta * gram_.col(s).head(m);
    }

    /// The largest support a sign-pattern step may factor: no limit beyond the step's cost
    /// (the data are already held densely).
    Eigen::Index max_factor_size() const { return std::numeric_limits<Eigen::Index>::max(); }

    /// The working design, n x p (a sign-pattern step on a support larger than n solves
    /// through its kernel: solvers/kernel_factor.hpp).
    const Matrix<T>& design() const { return A_; }

    /// `apply` for each of `features`, returning the change of \f$\tfrac12\|r\|^2\f$ it
    /// made: from the residual before and after when it is kept (O(n), not a pass over each
    /// column), else from the working-set gradients.
    T apply_measured(const std::vector<Eigen::Index>& features, const Vector<T>& deltas) {
        if (!keeps_residual_)
            return apply_measured_by_gradients(*this, features, deltas, measured_);
        measured_ = residual_;
        apply(features, deltas);
        return half_squared_norm_change(measured_, residual_);
    }

    /// `apply` for each of `features` (all in the working set) with `deltas(a)`, in fewer
    /// passes.
    void apply(const std::vector<Eigen::Index>& features, const Vector<T>& deltas) {
        const auto count = static_cast<Eigen::Index>(features.size());
        for (Eigen::Index a = 0; a < count; ++a)
            moved_ += std::abs(deltas(a)) * root_curvature_(features[static_cast<std::size_t>(a)]);
        if (keeps_residual_) {
            subtract_combination(
                residual_,
                [&](Eigen::Index a) { return A_.col(features[static_cast<std::size_t>(a)]); },
                deltas, count);
            return;
        }
        const Eigen::Index m = size();
        for (Eigen::Index a = 0; a < count; ++a)
            coefs_(slot(features[static_cast<std::size_t>(a)])) += deltas(a);
        subtract_combination(
            working_gradient_.head(m),
            [&](Eigen::Index a) {
                return gram_.col(slot(features[static_cast<std::size_t>(a)])).head(m);
            },
            deltas, count);
    }

    /// Saves what moving `features` changes, for `rollback`. A trial move taken back by applying
    /// its negative would round the state to the move's size: a move of 1e150 on a coefficient
    /// of 1e7 and back leaves 0 (fuzz/known_failures/README.md).
    void checkpoint(const std::vector<Eigen::Index>& /*features*/) {
        const Eigen::Index m = size();
        checkpoint_members_ = members_.size();
        checkpoint_keeps_residual_ = keeps_residual_;
        if (keeps_residual_) {
            checkpoint_ = residual_;
            return;
        }
        checkpoint_.resize(2 * m);
        checkpoint_.head(m) = coefs_.head(m);
        checkpoint_.tail(m) = working_gradient_.head(m);
    }
    /// Returns to the state of the last `checkpoint` (one is held at a time; nothing may be
    /// `prepare`d in between).
    void rollback() {
        eigen_assert(checkpoint_members_ == members_.size() &&
                     checkpoint_keeps_residual_ == keeps_residual_);
        const Eigen::Index m = size();
        if (keeps_residual_) {
            residual_ = checkpoint_;
            return;
        }
        coefs_.head(m) = checkpoint_.head(m);
        working_gradient_.head(m) = checkpoint_.tail(m);
    }

    /// Adds the Gram columns of the features not in the working set yet.
    void prepare(const std::vector<Eigen::Index>& features) {
        if (keeps_residual_)
            return;
        std::vector<Eigen::Index> added;
        for (const Eigen::Index j : features)
            if (slot_[static_cast<std::size_t>(j)] < 0) {
                slot_[static_cast<std::size_t>(j)] =
                    size() + static_cast<Eigen::Index>(added.size());
                added.push_back(j);
            }
        if (added.empty())
            return;
        const Eigen::Index m = size(), k = static_cast<Eigen::Index>(added.size());
        if (m + k > member_limit_) {
            for (const Eigen::Index j : added)
                slot_[static_cast<std::size_t>(j)] = -1;
            switch_to_residual();
            return;
        }
        if (gram_.cols() < m + k) {
            const Eigen::Index capacity =
                std::min(member_limit_, std::max<Eigen::Index>(2 * gram_.cols(), m + k));
            // Only the members' block is copied (not the whole old capacity), into storage
            // advised for huge pages: with these and the path's coefficients so advised, the
            // page faults of the hard design H02's path (a working set of 950) fell from 6,250
            // to 3,190 (`perf stat -e page-faults`, bench/RESULTS_NOTES.md).
            Matrix<T> larger;
            resize_densely_used(larger, capacity, capacity);
            larger.topLeftCorner(m, m) = gram_.topLeftCorner(m, m);
            gram_.swap(larger);
            coefs_.conservativeResize(capacity);
            working_gradient_.conservativeResize(capacity);
        }
        Matrix<T> columns(A_.rows(), k);
        for (Eigen::Index a = 0; a < k; ++a)
            columns.col(a) = A_.col(added[static_cast<std::size_t>(a)]);
        // Rows of the new features against the old members, then the square block of the new.
        for (Eigen::Index s = 0; s < m; ++s)
            gram_.col(s).segment(m, k).noalias() = columns.transpose() * A_.col(members_[s]);
        if (m > 0)
            gram_.block(0, m, m, k) = gram_.block(m, 0, k, m).transpose();
        gram_.block(m, m, k, k).noalias() = columns.transpose() * columns;
        // Their correlations with the current residual: A_new^T b - G_new,W beta_W.
        working_gradient_.segment(m, k).noalias() = columns.transpose() * b_;
        if (m > 0)
            working_gradient_.segment(m, k).noalias() -= gram_.block(m, 0, k, m) * coefs_.head(m);
        coefs_.segment(m, k).setZero();
        members_.insert(members_.end(), added.begin(), added.end());
    }

    /// The Gram block of `features` (all in the working set): from the working-set Gram when it
    /// is kept, else (`form_if_needed`) one product of their gathered columns; false otherwise.
    bool gram_block(const std::vector<Eigen::Index>& features, Eigen::Ref<Matrix<T>> block,
                    bool form_if_needed = false) const {
        const auto m = static_cast<Eigen::Index>(features.size());
        eigen_assert(block.rows() == m && block.cols() == m);
        if (keeps_residual_) {
            if (!form_if_needed)
                return false;
            auto gathered = scratch_matrix(gathered_, A_.rows(), m, A_.size());
            for (Eigen::Index a = 0; a < m; ++a)
                gathered.col(a) = A_.col(features[static_cast<std::size_t>(a)]);
            lower_gram(gathered.transpose(), block, threads_);
            block.template triangularView<Eigen::StrictlyUpper>() = block.transpose();
            return true;
        }
        for (Eigen::Index b = 0; b < m; ++b)
            for (Eigen::Index a = 0; a < m; ++a)
                block(a, b) = gram_(slot(features[static_cast<std::size_t>(a)]),
                                    slot(features[static_cast<std::size_t>(b)]));
        return true;
    }

    /// Flops of a coordinate update (`correlation` and `apply`): two passes over a column, or
    /// the working set's gradient.
    double update_cost() const {
        return keeps_residual_ ? 2.0 * static_cast<double>(A_.rows()) : static_cast<double>(size());
    }

    /// Flops of `correlation(j)`: a pass over column j once the residual is kept, else read
    /// from the working set's gradient.
    double correlation_cost() const {
        return keeps_residual_ ? static_cast<double>(A_.rows()) : 1.0;
    }

    /// Flops per Gram entry of `gram_block` and `gram_column`: n when formed from the data.
    /// (A dot product of two columns, as a correlation is of a column and the residual.)
    double gram_entry_cost() const { return correlation_cost(); }

    /// Column j of the working-set Gram on the rows of `features` (all in the working set): from
    /// the kept Gram, or formed from the columns (n per entry) when it is not kept.
    bool gram_column(const std::vector<Eigen::Index>& features, Eigen::Index j,
                     Vector<T>& out) const {
        out.resize(static_cast<Eigen::Index>(features.size()));
        if (keeps_residual_) {
            for (std::size_t a = 0; a < features.size(); ++a)
                out(static_cast<Eigen::Index>(a)) = A_.col(features[a]).dot(A_.col(j));
            return true;
        }
        for (std::size_t a = 0; a < features.size(); ++a)
            out(static_cast<Eigen::Index>(a)) = gram_(slot(features[a]), slot(j));
        return true;
    }

    /// \f$A^T(A_V\eta)\f$ in feature order, for features V: a pass over the data.
    void combination_gradient(const std::vector<Eigen::Index>& features, const Vector<T>& eta,
                              Vector<T>& out) const {
        Vector<T> combination = Vector<T>::Zero(A_.rows());
        for (std::size_t a = 0; a < features.size(); ++a)
            combination.noalias() += eta(static_cast<Eigen::Index>(a)) * A_.col(features[a]);
        transpose_product(A_, combination, out, threads_);
    }
    /// \f$A_j^T b\f$.
    T response_correlation(Eigen::Index j) const { return A_.col(j).dot(b_); }

    /// Whether the updates since the state was last formed from the coefficients may have
    /// rounded it (the residual, or the working set's coefficients and gradients) by a part in
    /// \f$10^8\f$ of its scale: as in covariance mode (gram_workspace.hpp), moves of 1e16 and
    /// back leave a residual that is not \f$b - A\beta\f$ (fuzz/known_failures/README.md).
    bool rounding_drifted() const {
        return std::numeric_limits<T>::epsilon() * moved_ > drift_fraction * std::sqrt(b_norm2_);
    }
    /// Forms the state again from the coefficients `beta` (feature order): O(n) per nonzero
    /// coefficient. The next `gradient` reads it.
    void resynchronize(const Vector<T>& beta) {
        if (keeps_residual_) {
            residual_ = b_;
            for (Eigen::Index j = 0; j < beta.size(); ++j)
                if (beta(j) != T(0))
                    residual_.noalias() -= beta(j) * A_.col(j);
        } else {
            for (Eigen::Index s = 0; s < size(); ++s)
                coefs_(s) = beta(members_[s]);
            form_residual(); // the working gradients follow from it in `gradient`
        }
        moved_ = T(0);
    }

    /// Full gradient \f$A^T r\f$; it and \f$r\f$ become the reference of `drift`.
    void gradient(Vector<T>& g) {
        if (!keeps_residual_)
            form_residual();
        transpose_product(A_, residual_, g, threads_);
        for (Eigen::Index s = 0; s < size(); ++s)
            working_gradient_(s) = g(members_[s]);
        reference_residual_ = residual_;
        reference_gradient_ = g;
    }

    /// Forms the current residual and returns \f$\|r - r_{\mathrm{ref}}\|\f$, the residual's
    /// move since the last full gradient: \f$|A_j^Tr - A_j^Tr_{\mathrm{ref}}| \le
    /// \|A_j\|\,\|r - r_{\mathrm{ref}}\|\f$ (infinite before the first full gradient).
    T drift() {
        if (!keeps_residual_)
            form_residual();
        if (reference_residual_.size() != residual_.size())
            return std::numeric_limits<T>::infinity();
        return (residual_ - reference_residual_).norm();
    }
    /// The full gradient at the reference residual.
    const Vector<T>& reference_gradient() const { return reference_gradient_; }

    /// \f$g_j = A_j^T r\f$ for the given features only (after `drift`, which formed \f$r\f$).
    /// `features` must include every working-set member: their kept gradients are reset from
    /// `g` afterwards (which also clears the rounding the updates accumulated).
    void exact_gradient(const std::vector<Eigen::Index>& features, Vector<T>& g) {
        const auto count = static_cast<Eigen::Index>(features.size());
        const int threads =
            threads_for(static_cast<double>(A_.rows()) * static_cast<double>(count), threads_);
        parallel_chunks(count, threads, [&](Eigen::Index begin, Eigen::Index end) {
            for (Eigen::Index k = begin; k < end; ++k) {
                const Eigen::Index j = features[static_cast<std::size_t>(k)];
                g(j) = A_.col(j).dot(residual_);
            }
        });
        for (Eigen::Index s = 0; s < size(); ++s)
            working_gradient_(s) = g(members_[s]);
    }
    /// \f$\|r\|^2\f$ and \f$b^Tr\f$ at the last full gradient.
    T residual_norm2(const Vector<T>& /*beta*/, const Vector<T>& /*g*/) const {
        return residual_.squaredNorm();
    }
    T response_dot_residual(const Vector<T>& /*beta*/) const { return b_.dot(residual_); }

private:
    Eigen::Index size() const {
        return keeps_residual_ ? 0 : static_cast<Eigen::Index>(members_.size());
    }
    Eigen::Index slot(Eigen::Index j) const { return slot_[static_cast<std::size_t>(j)]; }

    void form_residual() {
        residual_ = b_;
        for (Eigen::Index s = 0; s < size(); ++s)
            if (coefs_(s) != T(0))
                residual_.noalias() -= coefs_(s) * A_.col(members_[s]);
    }

    void switch_to_residual() {
        form_residual();
        keeps_residual_ = true;
        gram_ = Matrix<T>();
    }

    const Matrix<T>& A_;
    const Vector<T>& b_;
    Vector<T> residual_;
    int threads_;
    std::vector<Eigen::Index> slot_; ///< feature -> position in the working set, or -1
    Vector<T> root_curvature_;       ///< sqrt(c_j), feature order
    T b_norm2_;
    /// The sum of |delta| ||A_j|| of the updates since the state was last formed from the
    /// coefficients, and the rounding (relative to ||A_j|| ||b||) past which it is formed again.
    T moved_ = T(0);
    static constexpr T drift_fraction = T(1e-8);
    std::vector<Eigen::Index> members_; ///< position -> feature
    Eigen::Index member_limit_ = 0;
    bool keeps_residual_ = false;
    Matrix<T> gram_;                     ///< G_W, capacity x capacity
    mutable Vector<T> gathered_;         ///< `gram_block`: the columns of its features (scratch)
    Vector<T> coefs_;                    ///< beta_W
    Vector<T> working_gradient_;         ///< A_W^T r
    Vector<T> reference_residual_;       ///< r at the last full gradient
    Vector<T> reference_gradient_;       ///< A^T r there
    Vector<T> measured_;                 ///< `apply_measured`'s residual or gradients before
    Vector<T> checkpoint_;               ///< r, or beta_W and A_W^T r, at the last `checkpoint`
    std::size_t checkpoint_members_ = 0; ///< and the working set's size and mode then
    bool checkpoint_keeps_residual_ = false;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_NAIVE_WORKSPACE_HPP
