#ifndef PRIORREG_SUFFICIENT_STATISTICS_HPP
#define PRIORREG_SUFFICIENT_STATISTICS_HPP

/// \file sufficient_statistics.hpp
/// \brief `SufficientStatistics<T>`: the weighted means and centered cross-products of rows
/// that arrive in chunks (any size, any order, from any number of accumulators merged exactly),
/// optionally kept per cross-validation fold. Every least-squares-family fit with an
/// intercept, its path and its cross-validation run from them without the rows
/// (`MapRegression::fit`, `MapRegression::fit_path`, `CrossValidation::fit`).
///
/// A chunk's statistics are taken about its own weighted mean (two passes over the chunk), and
/// two sets are merged by the pairwise update of Chan, Golub and LeVeque (1979): with weights
/// \f$W_a, W_b\f$, means \f$m_a, m_b\f$ and \f$\delta = m_b - m_a\f$,
/// \f$C = C_a + C_b + \frac{W_aW_b}{W_a+W_b}\delta\delta^T\f$ and
/// \f$m = m_a + \frac{W_b}{W_a+W_b}\delta\f$. No raw sum of squares is formed, so columns whose
/// mean is large against their spread keep their digits.
///
/// With folds, a row's fold is a seeded hash of its global index (`fold_of`), so the folds do
/// not depend on how the rows were split into chunks or among processes. Memory: one p x p
/// matrix, or one per fold.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "detail/cross_products.hpp"
#include "detail/gram.hpp"
#include "detail/numeric.hpp"
#include "status.hpp"

namespace priorreg {

/// \brief Weighted sufficient statistics of a linear regression with an intercept,
/// accumulated from row chunks and merged exactly.
///
/// ```cpp
/// priorreg::SufficientStatistics<double> statistics(p, 10, 42);   // 10 folds, seed 42
/// for (each chunk of rows starting at global row `first`)
///     statistics.add(X_chunk, y_chunk, w_chunk, first);
/// priorreg::Lasso model(0.1);
/// model.fit(statistics);                                          // the fit on all rows
/// priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(model);
/// cv.fit(statistics);                                             // 10-fold CV from them
/// ```
template <class T> class SufficientStatistics {
    static_assert(std::is_floating_point_v<T>, "SufficientStatistics: T is a floating type");

public:
    using Scalar = T;
    using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

    /// Statistics of p columns, without folds.
    explicit SufficientStatistics(Eigen::Index p) : SufficientStatistics(p, 1, 0) {}

    /// Statistics of p columns kept per fold for `folds`-fold cross-validation (folds >= 2;
    /// 1: none), the folds assigned by `fold_of(row, folds, seed)`.
    SufficientStatistics(Eigen::Index p, int folds, std::uint64_t seed)
        : p_(p), seed_(seed), parts_(static_cast<std::size_t>(std::max(folds, 1)), Part(p)) {
        if (p < 1)
            throw InvalidInput("SufficientStatistics: the column count must be at least 1");
        if (folds < 1)
            throw InvalidInput("SufficientStatistics: folds must be at least 1 (1: no folds)");
    }

    /// The fold (0..folds-1) of global row `row` under `seed`: a hash of both, the same on
    /// every platform. Give `CrossValidationOptions::fold_ids` these values to run the same
    /// folds on rows in memory.
    static int fold_of(std::int64_t row, int folds, std::uint64_t seed) {
        if (folds <= 1)
            return 0;
        std::uint64_t h = mix(seed ^ mix(static_cast<std::uint64_t>(row)));
        // The top 32 bits scaled to [0, folds): no modulo bias worth the name for folds << 2^32.
        return static_cast<int>(((h >> 32) * static_cast<std::uint64_t>(folds)) >> 32);
    }

    /// Adds rows with unit weights, numbered from `next_row()`.
    template <class DX, class DY>
    SufficientStatistics& add(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y) {
        return add(X, y, Vector::Ones(X.rows()), next_row_);
    }

    /// Adds rows with weights `w` (>= 0), numbered from `next_row()`.
    template <class DX, class DY, class DW>
    SufficientStatistics& add(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                              const Eigen::MatrixBase<DW>& w) {
        return add(X, y, w, next_row_);
    }

    /// Adds rows whose first has global index `first_row` (which decides the rows' folds).
    template <class DX, class DY, class DW>
    SufficientStatistics& add(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                              const Eigen::MatrixBase<DW>& w, std::int64_t first_row) {
        check_chunk(X, y, w, first_row);
        const Eigen::Index n = X.rows();
        const int folds = this->folds();
        if (folds == 1) {
            std::vector<Eigen::Index> all(static_cast<std::size_t>(n));
            for (Eigen::Index i = 0; i < n; ++i)
                all[static_cast<std::size_t>(i)] = i;
            merge_part(parts_[0], part_of(X, y, w, all));
        } else {
            std::vector<std::vector<Eigen::Index>> members(static_cast<std::size_t>(folds));
            for (Eigen::Index i = 0; i < n; ++i)
                members[static_cast<std::size_t>(fold_of(first_row + i, folds, seed_))].push_back(
                    i);
            for (int k = 0; k < folds; ++k)
                if (!members[static_cast<std::size_t>(k)].empty())
                    merge_part(parts_[static_cast<std::size_t>(k)],
                               part_of(X, y, w, members[static_cast<std::size_t>(k)]));
        }
        next_row_ = first_row + static_cast<std::int64_t>(n);
        return *this;
    }

    /// Adds the rows `other` summarizes (the same columns, folds and seed): the statistics of
    /// the union, whatever the order of merging.
    SufficientStatistics& merge(const SufficientStatistics& other) {
        if (other.p_ != p_ || other.folds() != folds() || other.seed_ != seed_)
            throw InvalidInput("SufficientStatistics::merge: the statistics differ in columns (" +
                               std::to_string(p_) + " and " + std::to_string(other.p_) +
                               "), folds or seed");
        for (std::size_t k = 0; k < parts_.size(); ++k)
            merge_part(parts_[k], other.parts_[k]);
        next_row_ = std::max(next_row_, other.next_row_);
        return *this;
    }

    /// Rows added (weight 0 included).
    Eigen::Index rows() const {
        Eigen::Index total = 0;
        for (const Part& part : parts_)
            total += part.rows;
        return total;
    }
    Eigen::Index cols() const { return p_; }
    /// The folds (1: none).
    int folds() const { return static_cast<int>(parts_.size()); }
    std::uint64_t seed() const { return seed_; }
    /// The global index `add` without one gives its next chunk's first row.
    std::int64_t next_row() const { return next_row_; }

    /// The statistics of all rows, about their weighted means (`xx` the centered weighted
    /// cross-products), as the fits take them.
    CrossProducts<T> cross_products() const { return export_part(total()); }

    /// The statistics of fold k's rows, about their own means.
    CrossProducts<T> fold_cross_products(int k) const {
        return export_part(parts_.at(static_cast<std::size_t>(k)));
    }

    /// The statistics of the rows outside fold k, merged from the other folds (no
    /// subtraction).
    CrossProducts<T> training_cross_products(int k) const {
        Part rest(p_);
        for (std::size_t f = 0; f < parts_.size(); ++f)
            if (static_cast<int>(f) != k)
                merge_part(rest, parts_[f]);
        return export_part(rest);
    }

    /// The number of values `pack()` writes for p columns and `folds` folds.
    static std::size_t packed_size(Eigen::Index p, int folds) {
        const auto q = static_cast<std::size_t>(p);
        return header_size + static_cast<std::size_t>(std::max(folds, 1)) * (4 + 3 * q + q * q);
    }

    /// The statistics as one array (the columns, folds, seed and next row, then per fold the
    /// weight, row count, y's mean and centered sum of squares, the means, the cross-products
    /// with y, the magnitudes and the p x p cross-products): what a file or a message carries.
    /// `unpack` restores it exactly.
    std::vector<T> pack() const {
        std::vector<T> out(packed_size(p_, folds()));
        out[0] = T(p_);
        out[1] = T(folds());
        out[2] = T(seed_ >> 32);
        out[3] = T(seed_ & 0xffffffffULL);
        out[4] = T(next_row_);
        std::size_t at = header_size;
        const auto put = [&out, &at](const T* values, Eigen::Index count) {
            std::copy(values, values + count, out.begin() + static_cast<std::ptrdiff_t>(at));
            at += static_cast<std::size_t>(count);
        };
        for (const Part& part : parts_) {
            const T scalars[4] = {part.weight, T(part.rows), part.y_mean, part.yy};
            put(scalars, 4);
            put(part.mean.data(), p_);
            put(part.xy.data(), p_);
            put(part.magnitude.data(), p_);
            put(part.xx.data(), p_ * p_);
        }
        return out;
    }

    /// The statistics `pack()` wrote into `values` (`size` of them); InvalidInput when they are
    /// not such an array.
    static SufficientStatistics unpack(const T* values, std::size_t size) {
        if (size < header_size || !(values[0] >= 1) || !(values[1] >= 1) ||
            values[0] != std::floor(values[0]) || values[1] != std::floor(values[1]) ||
            values[1] > T(1 << 30) ||
            size != packed_size(static_cast<Eigen::Index>(values[0]), static_cast<int>(values[1])))
            throw InvalidInput("SufficientStatistics::unpack: the array is not packed statistics");
        const auto p = static_cast<Eigen::Index>(values[0]);
        const auto seed =
            (static_cast<std::uint64_t>(values[2]) << 32) | static_cast<std::uint64_t>(values[3]);
        SufficientStatistics statistics(p, static_cast<int>(values[1]), seed);
        statistics.next_row_ = static_cast<std::int64_t>(values[4]);
        std::size_t at = header_size;
        const auto get = [values, &at](T* target, Eigen::Index count) {
            std::copy(values + at, values + at + static_cast<std::size_t>(count), target);
            at += static_cast<std::size_t>(count);
        };
        for (Part& part : statistics.parts_) {
            T scalars[4];
            get(scalars, 4);
            part.weight = scalars[0];
            part.rows = static_cast<Eigen::Index>(scalars[1]);
            part.y_mean = scalars[2];
            part.yy = scalars[3];
            get(part.mean.data(), p);
            get(part.xy.data(), p);
            get(part.magnitude.data(), p);
            get(part.xx.data(), p * p);
        }
        return statistics;
    }

private:
    /// The statistics of a set of rows about their own weighted mean.
    struct Part {
        explicit Part(Eigen::Index p)
            : mean(Vector::Zero(p)), xx(Matrix::Zero(p, p)), xy(Vector::Zero(p)),
              magnitude(Vector::Zero(p)) {}
        T weight = T(0);
        Vector mean;
        T y_mean = T(0);
        Matrix xx; ///< sum w (x - mean)(x - mean)^T
        Vector xy; ///< sum w (x - mean)(y - y_mean)
        T yy = T(0);
        Vector magnitude; ///< per column, max |x| over the rows (weight 0 included)
        Eigen::Index rows = 0;
    };

    /// splitmix64's finalizer.
    static std::uint64_t mix(std::uint64_t z) {
        z += 0x9e3779b97f4a7c15ULL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    template <class DX, class DY, class DW>
    void check_chunk(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                     const Eigen::MatrixBase<DW>& w, std::int64_t first_row) const {
        if (X.cols() != p_)
            throw InvalidInput("SufficientStatistics::add: the chunk has " +
                               std::to_string(X.cols()) + " columns, the statistics " +
                               std::to_string(p_));
        if (y.size() != X.rows() || w.size() != X.rows())
            throw InvalidInput("SufficientStatistics::add: X has " + std::to_string(X.rows()) +
                               " rows, y " + std::to_string(y.size()) + " and w " +
                               std::to_string(w.size()));
        if (first_row < 0)
            throw InvalidInput("SufficientStatistics::add: the first row's index is negative");
        // One pass in storage order; the row-by-row search below only finds what to report.
        if (X.allFinite() && y.allFinite() && w.allFinite() && (w.array() >= 0).all())
            return;
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            if (!std::isfinite(static_cast<double>(y(i))) ||
                !std::isfinite(static_cast<double>(w(i))) || !(w(i) >= 0))
                throw InvalidInput("SufficientStatistics::add: y must be finite and the weights "
                                   "finite and >= 0 (row " +
                                   std::to_string(first_row + i) + ")");
            for (Eigen::Index j = 0; j < p_; ++j)
                if (!std::isfinite(static_cast<double>(X(i, j))))
                    throw InvalidInput("SufficientStatistics::add: X has a value that is not "
                                       "finite (row " +
                                       std::to_string(first_row + i) + ", column " +
                                       std::to_string(j) + ")");
        }
    }

    /// The statistics of `rows` of a chunk: the weighted mean, then the cross-products of the
    /// rows about it (the rows gathered column by column, the work in Eigen's kernels).
    template <class DX, class DY, class DW>
    Part part_of(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                 const Eigen::MatrixBase<DW>& w, const std::vector<Eigen::Index>& rows) const {
        const auto m = static_cast<Eigen::Index>(rows.size());
        Part part(p_);
        part.rows = m;
        Matrix centered(m, p_);
        Vector response(m), weights(m);
        for (Eigen::Index j = 0; j < p_; ++j)
            for (Eigen::Index r = 0; r < m; ++r)
                centered(r, j) = T(X(rows[static_cast<std::size_t>(r)], j));
        for (Eigen::Index r = 0; r < m; ++r) {
            response(r) = T(y(rows[static_cast<std::size_t>(r)]));
            weights(r) = T(w(rows[static_cast<std::size_t>(r)]));
        }
        part.magnitude = centered.cwiseAbs().colwise().maxCoeff().transpose();
        part.weight = weights.sum();
        if (!(part.weight > T(0)))
            return part; // rows of weight 0 count, and add nothing else
        const Vector shares = weights / part.weight;
        part.mean.noalias() = centered.transpose() * shares;
        part.y_mean = shares.dot(response);
        const Vector roots = weights.cwiseSqrt();
        centered.rowwise() -= part.mean.transpose();
        centered = roots.asDiagonal() * centered;
        response = (roots.array() * (response.array() - part.y_mean)).matrix();
        part.xx = detail::symmetric_gram<T>(centered.transpose(), 1);
        part.xy.noalias() = centered.transpose() * response;
        part.yy = response.squaredNorm();
        return part;
    }

    /// `into` becomes the statistics of its rows and `from`'s (Chan, Golub and LeVeque).
    static void merge_part(Part& into, const Part& from) {
        into.rows += from.rows;
        into.magnitude = into.magnitude.cwiseMax(from.magnitude);
        if (!(from.weight > T(0)))
            return;
        if (!(into.weight > T(0))) {
            const Eigen::Index rows = into.rows;
            const Vector magnitude = into.magnitude;
            into = from;
            into.rows = rows;
            into.magnitude = magnitude;
            return;
        }
        const T weight = into.weight + from.weight;
        const T share = from.weight / weight, coupling = into.weight * share;
        const Vector delta = from.mean - into.mean;
        const T y_delta = from.y_mean - into.y_mean;
        into.xx += from.xx;
        into.xx.noalias() += coupling * delta * delta.transpose();
        into.xy += from.xy + (coupling * y_delta) * delta;
        into.yy += from.yy + coupling * y_delta * y_delta;
        into.mean += share * delta;
        into.y_mean += share * y_delta;
        into.weight = weight;
    }

    Part total() const {
        Part all(p_);
        for (const Part& part : parts_)
            merge_part(all, part);
        return all;
    }

    CrossProducts<T> export_part(const Part& part) const {
        CrossProducts<T> cp;
        cp.xx = part.xx;
        cp.xy = part.xy;
        cp.x_sum = Vector::Zero(p_);
        cp.yy = part.yy;
        cp.y_sum = T(0);
        cp.weight = part.weight;
        cp.center = part.mean;
        cp.y_center = part.y_mean;
        cp.magnitude = part.magnitude;
        cp.rows = part.rows;
        return cp;
    }

    static constexpr std::size_t header_size = 5;

    Eigen::Index p_;
    std::uint64_t seed_;
    std::vector<Part> parts_;
    std::int64_t next_row_ = 0;
};

} // namespace priorreg

#endif // PRIORREG_SUFFICIENT_STATISTICS_HPP
