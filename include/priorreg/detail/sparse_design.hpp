#ifndef PRIORREG_DETAIL_SPARSE_DESIGN_HPP
#define PRIORREG_DETAIL_SPARSE_DESIGN_HPP

/// \file sparse_design.hpp
/// \brief A sparse X (column-major) as the working design, centered and scaled implicitly.
///
/// The working column is \f$A_j = \sqrt{v}\circ(x_j - \mu_j)/s_j\f$ (detail/standardize.hpp).
/// For a sparse \f$x_j\f$ it is a sparse part plus a multiple of \f$\sqrt v\f$:
/// \f[ A_j = a_j - o_j\sqrt v,\qquad (a_j)_i = \sqrt{v_i}\,x_{ij}/s_j,\qquad o_j = \mu_j/s_j, \f]
/// so \f$A_j^Tu = a_j^Tu - o_j\,\sqrt v^Tu\f$ costs the column's stored entries plus one sum
/// over u shared by every column. Nothing of size n x p is formed: the working problem holds
/// the column maps, and this view reads X's own storage.

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include "numeric.hpp"
#include "parallel.hpp"
#include "standardize.hpp"
#include "validate.hpp"

namespace priorreg::detail {

/// The sparse matrices the estimators take: column-major with Eigen's default index.
template <class S> using SparseColumnMatrix = Eigen::SparseMatrix<S, Eigen::ColMajor>;

/// X's stored entries of column j, compressed or not.
template <class S> struct StoredColumn {
    const typename SparseColumnMatrix<S>::StorageIndex* rows;
    const S* values;
    Eigen::Index count;
};

template <class S> StoredColumn<S> stored_column(const SparseColumnMatrix<S>& X, Eigen::Index j) {
    const auto begin = X.outerIndexPtr()[j];
    const Eigen::Index count =
        X.isCompressed() ? X.outerIndexPtr()[j + 1] - begin : X.innerNonZeroPtr()[j];
    return {X.innerIndexPtr() + begin, X.valuePtr() + begin, count};
}

/// A sparse X and y to fit: X not empty, y a column of X's rows, every stored value finite.
template <class S, class DY>
void require_sparse_training_data(const SparseColumnMatrix<S>& X, const Eigen::MatrixBase<DY>& y) {
    if (X.rows() == 0 || X.cols() == 0)
        throw InvalidInput("X is empty (" + std::to_string(X.rows()) + " x " +
                           std::to_string(X.cols()) + ")");
    if (y.cols() != 1)
        throw InvalidInput("y must be a column vector");
    if (y.rows() != X.rows())
        throw InvalidInput("X has " + std::to_string(X.rows()) + " rows but y has " +
                           std::to_string(y.rows()) + " entries");
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        const StoredColumn<S> column = stored_column(X, j);
        for (Eigen::Index k = 0; k < column.count; ++k)
            if (!std::isfinite(column.values[k]))
                throw InvalidInput("X contains a non-finite value at row " +
                                   std::to_string(column.rows[k]) + ", column " +
                                   std::to_string(j));
    }
    require_all_finite(y, "y");
}

/// Builds the working problem of a sparse X without a working design (`design` stays empty):
/// per column its weighted mean and spread from its stored entries (in one pass each), the zeros
/// counted in closed form (\f$\sum_i v_i(x_{ij}-\mu_j)^2 = \sum_{\text{stored}} v_i(x_{ij}-\mu_j)^2
/// + \mu_j^2\sum_{\text{not stored}} v_i\f$). A column whose spread is at rounding level of its
/// magnitude is constant, held at 0 as in the dense case.
template <class T, class S, class DY>
StandardizedProblem<T> standardize_sparse(const SparseColumnMatrix<S>& X,
                                          const Eigen::MatrixBase<DY>& y,
                                          const Vector<T>& unit_weights, bool fit_intercept,
                                          bool scale_columns, int threads = 1) {
    const Eigen::Index p = X.cols();
    StandardizedProblem<T> problem = start_problem(unit_weights, p);
    const WeightedColumns<T> columns(unit_weights, fit_intercept, scale_columns);
    const T total = unit_weights.sum();
    const double work = 6.0 * static_cast<double>(X.nonZeros());
    parallel_chunks(p, threads_for(work, threads), [&](Eigen::Index begin, Eigen::Index end) {
        for (Eigen::Index j = begin; j < end; ++j) {
            const StoredColumn<S> column = stored_column(X, j);
            T mean = T(0), stored_weight = T(0), magnitude = T(0), square = T(0);
            for (Eigen::Index k = 0; k < column.count; ++k) {
                const T v = unit_weights(column.rows[k]);
                if (v > T(0)) {
                    const T x = static_cast<T>(column.values[k]);
                    magnitude = std::max(magnitude, std::abs(x));
                    mean += v * x;
                    stored_weight += v;
                }
            }
            ColumnMap<T> map;
            map.shift = fit_intercept ? mean : T(0);
            // The spread about the mean sets the scale (with or without an intercept, as for a
            // dense X); the curvature is about the shift. The sums of squares are of x divided
            // by its magnitude: those of x itself underflow for entries below 1e-154, and a
            // column of 1e-200 would read as constant and be dropped.
            T about_mean = T(0); // relative to magnitude^2, as `square`
            if (magnitude > T(0)) {
                for (Eigen::Index k = 0; k < column.count; ++k) {
                    const T v = unit_weights(column.rows[k]);
                    if (v > T(0)) {
                        const T x = static_cast<T>(column.values[k]);
                        const T deviation = x / magnitude - mean / magnitude;
                        about_mean += v * deviation * deviation;
                        square += v * (x / magnitude) * (x / magnitude);
                    }
                }
                about_mean +=
                    (mean / magnitude) * (mean / magnitude) * std::max(total - stored_weight, T(0));
            }
            const T relative_spread = std::sqrt(about_mean);
            const bool constant = is_negligible_spread(relative_spread, T(1));
            map.held = constant && (fit_intercept || magnitude == T(0));
            if (!map.held && scale_columns) {
                map.scale = magnitude * (constant ? std::sqrt(square) : relative_spread);
                require_normal_scale(j, map.scale);
            }
            problem.maps[static_cast<std::size_t>(j)] = map;
            problem.x_center(j) = map.shift;
            problem.x_scale(j) = map.scale;
            if (!map.held) {
                const T relative_scale = map.scale / magnitude; // 1 / magnitude unscaled
                problem.curvature(j) =
                    scale_columns
                        ? (fit_intercept ? about_mean : square) / (relative_scale * relative_scale)
                        : (fit_intercept ? about_mean : square) * magnitude * magnitude;
                require_normal_curvature(j, problem.curvature(j));
            }
        }
    });
    center_response(y, columns, fit_intercept, problem);
    return problem;
}

/// The working design \f$A\f$ of a sparse X through its column maps: \f$A_j = a_j - o_j\sqrt
/// v\f$ (see the file's description). Reads X in place; X must outlive it.
template <class T, class S> class SparseDesign {
public:
    SparseDesign(const SparseColumnMatrix<S>& X, const StandardizedProblem<T>& problem)
        : X_(X), root_weights_(problem.root_weights), uniform_(problem.uniform_weights),
          factor_(X.cols()), offset_(X.cols()), stored_sum_(X.cols()) {
        const T common = uniform_ ? root_weights_(0) : T(1);
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const ColumnMap<T>& map = problem.maps[static_cast<std::size_t>(j)];
            factor_(j) = map.held ? T(0) : common / map.scale;
            offset_(j) = map.held ? T(0) : map.shift / map.scale;
        }
        root_weight_total_ = root_weights_.squaredNorm();
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            stored_sum_(j) = stored_dot(j, root_weights_);
    }

    Eigen::Index rows() const { return X_.rows(); }
    Eigen::Index cols() const { return X_.cols(); }
    Eigen::Index stored(Eigen::Index j) const { return stored_column(X_, j).count; }
    /// Column j's stored entries.
    StoredColumn<S> column(Eigen::Index j) const { return stored_column(X_, j); }
    /// Bytes of X's compressed storage: values, row indices and column starts.
    double storage_bytes() const {
        using Index = typename SparseColumnMatrix<S>::StorageIndex;
        return static_cast<double>(X_.nonZeros()) * static_cast<double>(sizeof(S) + sizeof(Index)) +
               static_cast<double>(X_.cols() + 1) * static_cast<double>(sizeof(Index));
    }
    /// Stored entries per column, on average.
    double mean_stored() const {
        return X_.cols() > 0 ? static_cast<double>(X_.nonZeros()) / static_cast<double>(X_.cols())
                             : 0.0;
    }
    /// \f$o_j = \mu_j/s_j\f$: the multiple of \f$\sqrt v\f$ taken off \f$a_j\f$.
    T offset(Eigen::Index j) const { return offset_(j); }
    const Vector<T>& root_weights() const { return root_weights_; }

    /// \f$a_j^Tu\f$: the sparse part of column j against u.
    template <class U> T stored_dot(Eigen::Index j, const U& u) const {
        const StoredColumn<S> column = stored_column(X_, j);
        // Four partial sums: the gathers overlap instead of waiting on one chain of additions.
        T sums[4] = {T(0), T(0), T(0), T(0)};
        const Eigen::Index whole = column.count - column.count % 4;
        const auto* rows = column.rows;
        const S* values = column.values;
        if (uniform_) {
            for (Eigen::Index k = 0; k < whole; k += 4)
                for (int l = 0; l < 4; ++l)
                    sums[l] += static_cast<T>(values[k + l]) * u(rows[k + l]);
            for (Eigen::Index k = whole; k < column.count; ++k)
                sums[0] += static_cast<T>(values[k]) * u(rows[k]);
        } else {
            for (Eigen::Index k = 0; k < whole; k += 4)
                for (int l = 0; l < 4; ++l)
                    sums[l] +=
                        static_cast<T>(values[k + l]) * root_weights_(rows[k + l]) * u(rows[k + l]);
            for (Eigen::Index k = whole; k < column.count; ++k)
                sums[0] += static_cast<T>(values[k]) * root_weights_(rows[k]) * u(rows[k]);
        }
        return factor_(j) * ((sums[0] + sums[1]) + (sums[2] + sums[3]));
    }

    /// \f$A_j^Tu\f$, given \f$\sqrt v^Tu\f$.
    template <class U> T dot(Eigen::Index j, const U& u, T root_weight_dot) const {
        return stored_dot(j, u) - offset_(j) * root_weight_dot;
    }

    /// \f$u \mathrel{+}= c\,a_j\f$: the sparse part only (the caller keeps the multiple of
    /// \f$\sqrt v\f$).
    template <class U> void add_stored(Eigen::Index j, T c, U& u) const {
        const StoredColumn<S> column = stored_column(X_, j);
        const T scaled = c * factor_(j);
        if (uniform_) {
            for (Eigen::Index k = 0; k < column.count; ++k)
                u(column.rows[k]) += scaled * static_cast<T>(column.values[k]);
        } else {
            for (Eigen::Index k = 0; k < column.count; ++k)
                u(column.rows[k]) +=
                    scaled * static_cast<T>(column.values[k]) * root_weights_(column.rows[k]);
        }
    }

    /// \f$A_a^TA_b\f$, with \f$a_b\f$ scattered in `scattered` (zero elsewhere):
    /// \f$a_a^Ta_b - o_b\,a_a^T\sqrt v - o_a\,\sqrt v^Ta_b + o_ao_b\,\sqrt v^T\sqrt v\f$.
    T cross(Eigen::Index a, Eigen::Index b, const Vector<T>& scattered) const {
        return stored_dot(a, scattered) - offset_(b) * stored_sum_(a) -
               offset_(a) * stored_sum_(b) + offset_(a) * offset_(b) * root_weight_total_;
    }

    /// Writes \f$a_j\f$ into `out` (zero on its pattern first), or clears it again.
    void scatter(Eigen::Index j, Vector<T>& out) const { add_stored(j, T(1), out); }
    void clear(Eigen::Index j, Vector<T>& out) const {
        const StoredColumn<S> column = stored_column(X_, j);
        for (Eigen::Index k = 0; k < column.count; ++k)
            out(column.rows[k]) = T(0);
    }

    /// \f$A^Tu\f$ for all columns, split over threads by columns.
    void transpose_product(const Vector<T>& u, Vector<T>& out, int threads) const {
        const T root_weight_dot = root_weights_.dot(u);
        out.resize(X_.cols());
        const double work = 2.0 * static_cast<double>(X_.nonZeros()) + static_cast<double>(cols());
        parallel_chunks(cols(), threads_for(work, threads),
                        [&](Eigen::Index begin, Eigen::Index end) {
                            for (Eigen::Index j = begin; j < end; ++j)
                                out(j) = dot(j, u, root_weight_dot);
                        });
    }

private:
    const SparseColumnMatrix<S>& X_;
    const Vector<T>& root_weights_;
    bool uniform_;
    Vector<T> factor_;     ///< sqrt(v_i) / s_j (uniform weights), else 1 / s_j; 0 when held
    Vector<T> offset_;     ///< o_j
    Vector<T> stored_sum_; ///< a_j^T sqrt(v)
    T root_weight_total_ = T(1);
};

/// The Gram \f$A^TA\f$ and \f$A^Tb\f$ of a sparse X (covariance mode), column by column: each
/// column's sparse part is scattered once and met by the columns after it. Costs about p times
/// X's stored entries; the caller decides when that pays.
template <class T, class S>
void sparse_gram(const SparseColumnMatrix<S>& X, StandardizedProblem<T>& problem, int threads) {
    const SparseDesign<T, S> design(X, problem);
    const Eigen::Index n = X.rows(), p = X.cols();
    problem.gram.setZero(p, p);
    design.transpose_product(problem.response, problem.correlation, threads);
    const double work = static_cast<double>(p) * static_cast<double>(X.nonZeros());
    parallel_chunks(p, threads_for(work, threads, parallel_product_threshold),
                    [&](Eigen::Index begin, Eigen::Index end) {
                        Vector<T> scattered = Vector<T>::Zero(n);
                        for (Eigen::Index b = begin; b < end; ++b) {
                            if (!problem.has_data(b))
                                continue;
                            design.scatter(b, scattered);
                            for (Eigen::Index a = b; a < p; ++a)
                                if (problem.has_data(a))
                                    problem.gram(a, b) = design.cross(a, b, scattered);
                            design.clear(b, scattered);
                        }
                    });
    problem.gram.template triangularView<Eigen::StrictlyUpper>() = problem.gram.transpose();
    // The diagonal is the curvature, computed about the mean without cancellation.
    problem.gram.diagonal() = problem.curvature;
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_SPARSE_DESIGN_HPP
