#ifndef PRIORREG_DETAIL_WORKSPACES_HPP
#define PRIORREG_DETAIL_WORKSPACES_HPP

/// \file workspaces.hpp
/// \brief The two ways coordinate descent keeps the gradient \f$g = A^T r\f$ current.
///
/// - `ResidualWorkspace` ("naive" mode, for \f$p \gtrsim n\f$): keeps the residual \f$r\f$;
///   a coordinate's correlation costs one pass over its column, the full gradient one pass
///   over \f$A\f$ (split over threads by column blocks).
/// - `GramWorkspace` ("covariance" mode, for \f$n \gg p\f$): keeps the full gradient through
///   the Gram columns of the features that have entered, \f$g = A^Tb - G\beta\f$. A coordinate
///   update costs \f$O(p)\f$ and the full gradient is free. Gram columns are built only when
///   features enter, a block at a time by matrix products; entered features are moved to a
///   prefix of the working copy so that each block only needs the rows of features that have
///   not entered yet (the rest follows from symmetry).
///
/// Both expose the same members, indexed by feature: `correlation(j)`, `apply(j, delta)`,
/// `prepare(features)`, `gradient(g)`, `residual_norm2(beta, g)` and `response_dot_residual(beta)`.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <thread>
#include <utility>
#include <vector>

#include "numeric.hpp"
#include "standardize.hpp"

namespace priorreg::detail {

/// Runs `work(begin, end)` over [0, count) split into at most `threads` contiguous chunks whose
/// boundaries are multiples of 16 (so that results do not depend on the split).
template <class Work> void parallel_chunks(Eigen::Index count, int threads, Work&& work) {
    constexpr Eigen::Index alignment = 16;
    if (threads <= 1 || count < 2 * alignment) {
        work(Eigen::Index(0), count);
        return;
    }
    const Eigen::Index chunks = std::min<Eigen::Index>(threads, count / alignment);
    const Eigen::Index step =
        ((count + chunks - 1) / chunks + alignment - 1) / alignment * alignment;
    std::vector<std::thread> helpers;
    for (Eigen::Index begin = step; begin < count; begin += step)
        helpers.emplace_back(
            [&work, begin, step, count] { work(begin, std::min(begin + step, count)); });
    work(Eigen::Index(0), std::min(step, count));
    for (auto& helper : helpers)
        helper.join();
}

/// Work (multiply-adds) below which a product is not worth a thread.
inline constexpr double parallel_work_threshold = 2e6;

template <class T> class ResidualWorkspace {
public:
    /// A full gradient costs a pass over the data.
    static constexpr bool gradient_is_free = false;

    ResidualWorkspace(const StandardizedProblem<T>& problem, int threads)
        : A_(problem.design), b_(problem.response), residual_(problem.response), threads_(threads) {
    }

    /// Starts from coefficients `beta`.
    void start(const Vector<T>& beta) {
        residual_ = b_;
        if (!beta.isZero(0))
            residual_.noalias() -= A_ * beta;
    }
    T correlation(Eigen::Index j) const { return A_.col(j).dot(residual_); }
    void apply(Eigen::Index j, T delta) { residual_.noalias() -= delta * A_.col(j); }
    void prepare(const std::vector<Eigen::Index>& /*features*/) {}

    /// Full gradient \f$A^T r\f$.
    void gradient(Vector<T>& g) const {
        g.resize(A_.cols());
        const int threads = static_cast<double>(A_.rows()) * static_cast<double>(A_.cols()) >
                                    parallel_work_threshold
                                ? threads_
                                : 1;
        parallel_chunks(A_.cols(), threads, [&](Eigen::Index begin, Eigen::Index end) {
            g.segment(begin, end - begin).noalias() =
                A_.middleCols(begin, end - begin).transpose() * residual_;
        });
    }
    T residual_norm2(const Vector<T>& /*beta*/, const Vector<T>& /*g*/) const {
        return residual_.squaredNorm();
    }
    T response_dot_residual(const Vector<T>& /*beta*/) const { return b_.dot(residual_); }

private:
    const Matrix<T>& A_;
    const Vector<T>& b_;
    Vector<T> residual_;
    int threads_;
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
        correlation_with_response_.resize(p);
        const int t = work_threads(static_cast<double>(A_.rows()) * static_cast<double>(p));
        parallel_chunks(p, t, [&](Eigen::Index begin, Eigen::Index end) {
            correlation_with_response_.segment(begin, end - begin).noalias() =
                A_.middleCols(begin, end - begin).transpose() * problem.response;
        });
        gradient_ = correlation_with_response_;
    }

    void start(const Vector<T>& beta) {
        gradient_ = correlation_with_response_;
        std::vector<Eigen::Index> nonzero;
        for (Eigen::Index j = 0; j < beta.size(); ++j)
            if (beta(j) != T(0))
                nonzero.push_back(j);
        prepare(nonzero);
        for (const Eigen::Index j : nonzero)
            apply(j, beta(j));
    }
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
        // Rows of the new and not-yet-entered features: one product, split by rows.
        const Eigen::Index rows = p - first;
        const auto block = A_.middleCols(first, added);
        const int t = work_threads(static_cast<double>(A_.rows()) * static_cast<double>(rows) *
                                   static_cast<double>(added));
        parallel_chunks(rows, t, [&](Eigen::Index begin, Eigen::Index end) {
            gram_.block(first + begin, first, end - begin, added).noalias() =
                A_.middleCols(first + begin, end - begin).transpose() * block;
        });
        computed_ = entered_;
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
    int work_threads(double work) const { return work > parallel_work_threshold ? threads_ : 1; }

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

#endif // PRIORREG_DETAIL_WORKSPACES_HPP
