#ifndef PRIORREG_DETAIL_VALIDATE_HPP
#define PRIORREG_DETAIL_VALIDATE_HPP

/// \file validate.hpp
/// \brief Input checks shared by every entry point; each throws `InvalidInput` naming the
/// argument and the problem.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "../status.hpp"

/// The compile-time checks of the data's types: what a misuse reads first, instead of the
/// conversion errors of Eigen::Ref that would follow.
#define PRIORREG_DATA_SCALAR_REQUIREMENT                                                           \
    "priorreg: X, y and the coefficients must hold the model's Scalar: double for "                \
    "LinearRegression, Ridge, Lasso and ElasticNet, float for MapRegression<...Prior<float>>; "    \
    "convert integer or other data with .cast<double>() (or .cast<float>())"
#define PRIORREG_DENSE_MATRIX_REQUIREMENT                                                          \
    "priorreg: X must be a dense Eigen matrix (Eigen::MatrixBase) or an "                          \
    "Eigen::SparseMatrix<Scalar> (column-major), y and w dense vectors: pass an Eigen::Array as "  \
    "array.matrix(), a row-major or expression sparse X as Eigen::SparseMatrix<Scalar>(X)"

namespace priorreg::detail {

/// Whether every one of `D...` (Eigen types) holds `Scalar`.
template <class Scalar, class... D>
inline constexpr bool holds_scalar_v = (std::is_same_v<typename D::Scalar, Scalar> && ...);

/// False, for a `static_assert` that fires only when its template is instantiated.
template <class...> inline constexpr bool always_false_v = false;

template <class T> void require_positive_finite(T value, const char* name) {
    if (!(std::isfinite(value) && value > T(0))) {
        std::ostringstream message;
        message << name << " must be positive and finite, got " << value;
        throw InvalidInput(message.str());
    }
}

template <class T> void require_nonnegative_finite(T value, const char* name) {
    if (!(std::isfinite(value) && value >= T(0))) {
        std::ostringstream message;
        message << name << " must be non-negative and finite, got " << value;
        throw InvalidInput(message.str());
    }
}

template <class T> void require_unit_interval(T value, const char* name) {
    if (!(value >= T(0) && value <= T(1))) {
        std::ostringstream message;
        message << name << " must lie in [0, 1], got " << value;
        throw InvalidInput(message.str());
    }
}

/// Index of the first non-finite entry of a dense object, or -1.
template <class Derived> Eigen::Index first_non_finite(const Eigen::DenseBase<Derived>& values) {
    for (Eigen::Index j = 0; j < values.cols(); ++j)
        for (Eigen::Index i = 0; i < values.rows(); ++i)
            if (!std::isfinite(values(i, j)))
                return j * values.rows() + i;
    return -1;
}

template <class Derived>
void require_all_finite(const Eigen::DenseBase<Derived>& values, const char* name) {
    if (values.allFinite())
        return; // vectorized; the slow search runs only on failure
    const Eigen::Index at = first_non_finite(values);
    if (at < 0)
        return;
    std::ostringstream message;
    message << name << " contains a non-finite value ("
            << values(at % values.rows(), at / values.rows()) << ") at row " << at % values.rows();
    if (values.cols() > 1)
        message << ", column " << at / values.rows();
    throw InvalidInput(message.str());
}

/// Checks a design matrix and its response (and weights, when given) together.
template <class DX, class DY>
void require_training_data(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) {
    if (X.rows() == 0 || X.cols() == 0) {
        std::ostringstream message;
        message << "X is empty (" << X.rows() << " x " << X.cols() << ")";
        throw InvalidInput(message.str());
    }
    if (y.cols() != 1)
        throw InvalidInput("y must be a column vector");
    if (y.rows() != X.rows()) {
        std::ostringstream message;
        message << "X has " << X.rows() << " rows but y has " << y.rows() << " entries";
        throw InvalidInput(message.str());
    }
    require_all_finite(X, "X");
    require_all_finite(y, "y");
}

template <class DW> void require_weights(const Eigen::DenseBase<DW>& w, Eigen::Index rows) {
    if (w.cols() != 1)
        throw InvalidInput("weights must be a column vector");
    if (w.rows() != rows) {
        std::ostringstream message;
        message << "X has " << rows << " rows but the weights have " << w.rows() << " entries";
        throw InvalidInput(message.str());
    }
    require_all_finite(w, "weights");
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
        if (w(i) < 0) {
            std::ostringstream message;
            message << "weights must be non-negative, got " << w(i) << " at row " << i;
            throw InvalidInput(message.str());
        }
    }
    if (!(w.sum() > 0))
        throw InvalidInput("weights are all zero");
}

/// Weights divided by their sum, computed without overflow or underflow: the largest weight is
/// divided out first, so weights near the limits of the floating-point range (all 1e307, or all
/// subnormal) give the same fit as unit weights. `total` receives the sum of the weights (it
/// can overflow to infinity; it only sets the MAP form's lambda). Call after
/// `require_weights`.
template <class T, class DW>
Eigen::Matrix<T, Eigen::Dynamic, 1> unit_weights(const Eigen::DenseBase<DW>& w, T& total) {
    Eigen::Matrix<T, Eigen::Dynamic, 1> unit = w.template cast<T>();
    const T largest = unit.maxCoeff();
    unit /= largest;
    const T sum = unit.sum(); // in [1, n]
    total = largest * sum;
    unit /= sum;
    return unit;
}

/// A penalized fit works on the centered (and scaled) data in the compute precision: its
/// sums of squares must neither overflow nor (for y) underflow. `problem` is the working
/// problem of standardize.hpp: its `null_deviance` is the weighted mean squared deviation of y,
/// its `curvature` the weighted mean square of each working column.
template <class Problem> void require_representable(const Problem& problem) {
    const auto& curvature = problem.curvature;
    if (!std::isfinite(problem.null_deviance)) {
        throw InvalidInput("y is too large for a penalized fit: its weighted mean squared "
                           "deviation overflows the compute precision; rescale y");
    }
    if (problem.response_underflows) {
        throw InvalidInput("y is too small for a penalized fit: its weighted mean squared "
                           "deviation underflows the compute precision; rescale y");
    }
    for (Eigen::Index j = 0; j < curvature.size(); ++j) {
        if (!std::isfinite(curvature(j))) {
            std::ostringstream message;
            message << "X column " << j
                    << " is too large for a penalized fit: its weighted mean square overflows "
                       "the compute precision; rescale it or enable standardization";
            throw InvalidInput(message.str());
        }
    }
}

/// A column scaled to unit spread must have a spread that is a normal number: dividing by a
/// subnormal one loses the column's digits (and its reciprocal overflows).
template <class T> void require_normal_scale(Eigen::Index column, T scale) {
    if (scale >= std::numeric_limits<T>::min() && scale <= std::numeric_limits<T>::max())
        return;
    std::ostringstream message;
    message << "X column " << column << " is too "
            << (scale > T(1) ? "large: its weighted spread " : "small: its weighted spread ")
            << scale << (scale > T(1) ? " overflows" : " is below the smallest normal number of")
            << " the compute precision; rescale it";
    throw InvalidInput(message.str());
}

/// A working column that is not held at 0 must have a weighted mean square that is a normal
/// number: one that underflows would silently drop the column (and NaN would poison the fit).
template <class T> void require_normal_curvature(Eigen::Index column, T curvature) {
    if (curvature >= std::numeric_limits<T>::min() || std::isinf(curvature))
        return; // overflow is reported by require_representable
    std::ostringstream message;
    message << "X column " << column << " is too small: its weighted mean square " << curvature
            << " underflows the compute precision; rescale it or enable standardization";
    throw InvalidInput(message.str());
}

/// Least squares centers y and the columns of X in the compute precision `T`: their ranges
/// (largest minus smallest value) must not overflow.
template <class T, class DX, class DY>
void require_centerable(const Eigen::DenseBase<DX>& X, const Eigen::DenseBase<DY>& y) {
    auto range = [](const auto& values) { return T(values.maxCoeff()) - T(values.minCoeff()); };
    if (!std::isfinite(range(y)))
        throw InvalidInput("y is too large: the range of its values overflows the compute "
                           "precision; rescale y");
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        if (!std::isfinite(range(X.col(j)))) {
            std::ostringstream message;
            message << "X column " << j
                    << " is too large: the range of its values overflows the compute "
                       "precision; rescale it";
            throw InvalidInput(message.str());
        }
    }
}

/// Box constraints: as many lower as upper bounds, every lower bound <= 0 <= every upper bound
/// (NaN rejected, infinities allowed); both empty is no box.
inline void require_coefficient_bounds(const Eigen::VectorXd& lower, const Eigen::VectorXd& upper) {
    if (lower.size() != upper.size()) {
        std::ostringstream message;
        message << "coefficient bounds: " << lower.size() << " lower but " << upper.size()
                << " upper bounds";
        throw InvalidInput(message.str());
    }
    for (Eigen::Index j = 0; j < lower.size(); ++j)
        if (!(lower(j) <= 0 && upper(j) >= 0)) {
            std::ostringstream message;
            message << "coefficient bounds must satisfy lower <= 0 <= upper (as glmnet's "
                       "lower.limits and upper.limits), got ["
                    << lower(j) << ", " << upper(j) << "] at column " << j;
            throw InvalidInput(message.str());
        }
}

template <class DP>
void require_penalty_factors(const Eigen::DenseBase<DP>& factors, Eigen::Index columns) {
    if (factors.size() != columns) {
        std::ostringstream message;
        message << "penalty factors have " << factors.size() << " entries but X has " << columns
                << " columns";
        throw InvalidInput(message.str());
    }
    for (Eigen::Index j = 0; j < factors.size(); ++j) {
        if (!(std::isfinite(factors(j)) && factors(j) >= 0)) {
            std::ostringstream message;
            message << "penalty factors must be non-negative and finite, got " << factors(j)
                    << " at column " << j;
            throw InvalidInput(message.str());
        }
    }
}

/// New rows given to `caller` have the column count its `fitted_object` was fitted on.
inline void require_fitted_columns(Eigen::Index given, Eigen::Index fitted, const char* caller,
                                   const char* fitted_object) {
    if (given == fitted)
        return;
    std::ostringstream message;
    message << caller << ": X has " << given << " columns but the " << fitted_object
            << " was fitted on " << fitted;
    throw InvalidInput(message.str());
}

/// Excluded feature indices (glmnet's `exclude`) sorted, without repeats, none negative.
inline std::vector<Eigen::Index> excluded_features(std::vector<Eigen::Index> features) {
    std::sort(features.begin(), features.end());
    features.erase(std::unique(features.begin(), features.end()), features.end());
    if (!features.empty() && features.front() < 0)
        throw InvalidInput("excluded features: index " + std::to_string(features.front()) +
                           " is negative");
    return features;
}

/// Excluded features (sorted) are columns of an X with `columns` columns.
inline void require_excluded_columns(const std::vector<Eigen::Index>& excluded,
                                     Eigen::Index columns) {
    if (!excluded.empty() && excluded.back() >= columns)
        throw InvalidInput("excluded features: index " + std::to_string(excluded.back()) +
                           " outside the " + std::to_string(columns) + " columns of X");
}

/// The penalty factors a fit uses: all ones when none are set, else the given ones, checked
/// against the column count.
template <class T, class DP>
Eigen::Matrix<T, Eigen::Dynamic, 1> resolved_penalty_factors(const Eigen::DenseBase<DP>& factors,
                                                             Eigen::Index columns) {
    if (factors.size() == 0)
        return Eigen::Matrix<T, Eigen::Dynamic, 1>::Ones(columns);
    require_penalty_factors(factors, columns);
    return factors.template cast<T>();
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_VALIDATE_HPP
