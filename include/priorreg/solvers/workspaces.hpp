#ifndef PRIORREG_SOLVERS_WORKSPACES_HPP
#define PRIORREG_SOLVERS_WORKSPACES_HPP

/// \file workspaces.hpp
/// \brief The two ways coordinate descent keeps the gradient \f$g = A^T r\f$ current.
///
/// - `NaiveWorkspace` ("naive" mode, for \f$p \gtrsim n\f$): never forms the \f$p \times p\f$
///   Gram. Coordinate descent runs on the working set through the Gram of its members only;
///   the residual is formed when the solver needs the full gradient, which costs a pass over
///   \f$A\f$ (split over threads by column blocks). Between passes the solver bounds how far
///   each \f$A_j^T r\f$ can have moved (`drift`) and asks for exact values only where the
///   bound does not settle the KKT check (`exact_gradient`).
/// - `GramWorkspace` ("covariance" mode, for \f$n \gg p\f$): keeps the full gradient through
///   the Gram columns of the features that have entered, \f$g = A^Tb - G\beta\f$. A coordinate
///   update costs \f$O(p)\f$ and the full gradient is free. Gram columns are built only when
///   features enter, a block at a time by matrix products; entered features are moved to a
///   prefix of the working copy so that each block only needs the rows of features that have
///   not entered yet (the rest follows from symmetry).
///
/// Both expose the same members, indexed by feature: `start()`, `correlation(j)`,
/// `apply(j, delta)`, `prepare(features)`, `gram_block(features, block)`, `gradient(g)`,
/// `combination_gradient(features, eta, out)`, `response_correlation(j)`,
/// `residual_norm2(beta, g)` and `response_dot_residual(beta)`; `gradient_is_free` tells the
/// solver which kind it has.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "../detail/gram.hpp"
#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/standardize.hpp"

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
    static constexpr bool gradient_is_free = false;

    NaiveWorkspace(const StandardizedProblem<T>& problem, int threads)
        : A_(problem.design), b_(problem.response), residual_(problem.response), threads_(threads),
          slot_(static_cast<std::size_t>(problem.design.cols()), -1) {
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
    }

    T correlation(Eigen::Index j) const {
        return keeps_residual_ ? A_.col(j).dot(residual_) : working_gradient_(slot(j));
    }

    void apply(Eigen::Index j, T delta) {
        if (keeps_residual_) {
            residual_.noalias() -= delta * A_.col(j);
            return;
        }
        const Eigen::Index s = slot(j), m = size();
        coefs_(s) += delta;
        working_gradient_.head(m).noalias() -= delta * gram_.col(s).head(m);
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
            gram_.conservativeResize(capacity, capacity);
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
    bool gram_block(const std::vector<Eigen::Index>& features, Matrix<T>& block,
                    bool form_if_needed = false) const {
        const auto m = static_cast<Eigen::Index>(features.size());
        if (keeps_residual_) {
            if (!form_if_needed)
                return false;
            Matrix<T> columns(A_.rows(), m);
            for (Eigen::Index a = 0; a < m; ++a)
                columns.col(a) = A_.col(features[static_cast<std::size_t>(a)]);
            block = Matrix<T>::Zero(m, m);
            lower_gram(columns.transpose(), block, threads_);
            block.template triangularView<Eigen::StrictlyUpper>() = block.transpose();
            return true;
        }
        block.resize(m, m);
        for (Eigen::Index b = 0; b < m; ++b)
            for (Eigen::Index a = 0; a < m; ++a)
                block(a, b) = gram_(slot(features[static_cast<std::size_t>(a)]),
                                    slot(features[static_cast<std::size_t>(b)]));
        return true;
    }

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
    std::vector<Eigen::Index> slot_;    ///< feature -> position in the working set, or -1
    std::vector<Eigen::Index> members_; ///< position -> feature
    Eigen::Index member_limit_ = 0;
    bool keeps_residual_ = false;
    Matrix<T> gram_;               ///< G_W, capacity x capacity
    Vector<T> coefs_;              ///< beta_W
    Vector<T> working_gradient_;   ///< A_W^T r
    Vector<T> reference_residual_; ///< r at the last full gradient
    Vector<T> reference_gradient_; ///< A^T r there
};

template <class T> class GramWorkspace {
public:
    /// The full gradient is kept current by every update.
    static constexpr bool gradient_is_free = true;

    /// Takes over the working design (its columns get permuted): `problem.design` is left
    /// empty, so that no second copy of the data exists.
    GramWorkspace(StandardizedProblem<T>& problem, int threads)
        : A_(std::move(problem.design)), b_norm2_(problem.null_deviance), threads_(threads) {
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
    void start() { gradient_ = correlation_with_response_; }
    T correlation(Eigen::Index j) const { return gradient_(position_[j]); }
    void apply(Eigen::Index j, T delta) { gradient_.noalias() -= delta * gram_.col(position_[j]); }

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
            gram_.conservativeResize(p, capacity);
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
    bool gram_block(const std::vector<Eigen::Index>& features, Matrix<T>& block,
                    bool /* form_if_needed: the Gram is always kept */ = false) const {
        const auto m = static_cast<Eigen::Index>(features.size());
        block.resize(m, m);
        for (Eigen::Index b = 0; b < m; ++b)
            for (Eigen::Index a = 0; a < m; ++a)
                block(a, b) = gram_(position_[features[static_cast<std::size_t>(a)]],
                                    position_[features[static_cast<std::size_t>(b)]]);
        return true;
    }

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

private:
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
    Vector<T> correlation_with_response_;  ///< A^T b, position order
    Vector<T> gradient_;                   ///< A^T r, position order
    std::vector<Eigen::Index> position_;   ///< feature -> position
    std::vector<Eigen::Index> feature_at_; ///< position -> feature
    Eigen::Index entered_ = 0;             ///< features with a position in the prefix
    Eigen::Index computed_ = 0;            ///< Gram columns filled (== entered_ between calls)
    T b_norm2_;
    int threads_;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_WORKSPACES_HPP
