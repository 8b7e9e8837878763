#ifndef PRIORREG_DETAIL_GRAM_HPP
#define PRIORREG_DETAIL_GRAM_HPP

/// \file gram.hpp
/// \brief The two products every solver and selection method forms from a working design:
/// the blocked Gram \f$MM^T\f$ and the split \f$A^Tv\f$ (of the working design, or of X through
/// the column maps of a problem built without one).

#include <Eigen/Core>
#include <algorithm>

#include "memory.hpp"
#include "numeric.hpp"
#include "parallel.hpp"
#include "standardize.hpp"

namespace priorreg::detail {

/// The lower triangle (diagonal included) of \f$MM^T\f$ into `gram` (m x m, m = M.rows()),
/// for the primal Gram (\f$M = A^T\f$) or the dual one (\f$M = A\f$). Eigen's symmetric
/// rank update runs on one core; here the triangle is cut into column blocks of 64, each one
/// matrix product (rows b.. of M times the block's rows), spread over the threads largest
/// first. The blocks are the same for every thread count, so the result is too. The strict
/// upper triangle is not written.
template <class Rows, class Out> void lower_gram(const Rows& M, Out&& gram, int threads) {
    constexpr Eigen::Index width = 64;
    const Eigen::Index m = M.rows();
    const Eigen::Index blocks = (m + width - 1) / width;
    const double work =
        0.5 * static_cast<double>(m) * static_cast<double>(m) * static_cast<double>(M.cols());
    parallel_tasks(blocks, threads_for(work, threads, parallel_product_threshold),
                   [&](Eigen::Index k) {
                       const Eigen::Index b = k * width, w = std::min(width, m - b);
                       gram.block(b, b, m - b, w).noalias() =
                           M.middleRows(b, m - b) * M.middleRows(b, w).transpose();
                   });
}

/// The full symmetric \f$MM^T\f$ (m x m), from `lower_gram`: every entry is written once
/// (no zeroing pass), on huge pages where the system offers them.
template <class T, class Rows> Matrix<T> symmetric_gram(const Rows& M, int threads) {
    Matrix<T> gram;
    resize_densely_used(gram, M.rows(), M.rows());
    lower_gram(M, gram, threads);
    gram.template triangularView<Eigen::StrictlyUpper>() = gram.transpose();
    return gram;
}

/// \f$A^T v\f$, split over threads by column blocks.
template <class T>
void transpose_product(const Matrix<T>& A, const Vector<T>& v, Vector<T>& out, int threads) {
    out.resize(A.cols());
    const int t =
        threads_for(static_cast<double>(A.rows()) * static_cast<double>(A.cols()), threads);
    parallel_chunks(A.cols(), t, [&](Eigen::Index begin, Eigen::Index end) {
        out.segment(begin, end - begin).noalias() =
            A.middleCols(begin, end - begin).transpose() * v;
    });
}

/// \f$A^T v\f$ formed from X through the column maps: for a problem built without its working
/// design. Each column's entry does not depend on the thread count.
template <class T, class DX>
void working_transpose_product(const Eigen::MatrixBase<DX>& X,
                               const StandardizedProblem<T>& problem, const Vector<T>& v,
                               Vector<T>& out, int threads) {
    const Eigen::Index n = X.rows(), p = X.cols();
    out.resize(p);
    parallel_chunks(p, threads_for(2.0 * static_cast<double>(n) * static_cast<double>(p), threads),
                    [&](Eigen::Index begin, Eigen::Index end) {
                        Vector<T> column(n);
                        for (Eigen::Index j = begin; j < end; ++j) {
                            map_rows(problem, problem.maps[static_cast<std::size_t>(j)],
                                     X.col(j).template cast<T>(), 0, column);
                            out(j) = column.dot(v);
                        }
                    });
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_GRAM_HPP
