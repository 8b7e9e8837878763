#ifndef PRIORREG_DETAIL_COLUMN_MAPS_HPP
#define PRIORREG_DETAIL_COLUMN_MAPS_HPP

/// \file column_maps.hpp
/// \brief The map of one column of X to its working column: its weighted mean, the rounding
/// of that mean, its spread, and whether it is constant, accurate near the limits of the
/// floating-point range (standardize.hpp builds the working problem from these maps).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

#include "numeric.hpp"
#include "validate.hpp"

namespace priorreg::detail {

/// True when a column's spread is at the rounding level of its magnitude: it is constant.
template <class T> bool is_negligible_spread(T spread, T magnitude) {
    return !(spread > T(8) * std::numeric_limits<T>::epsilon() * magnitude);
}

/// How a working column is formed from x: entries ((x_i - shift) - correction) sqrt(v_i) / scale,
/// 0 in rows of weight 0.
template <class T> struct ColumnMap {
    T shift = T(0);
    T correction = T(0); ///< the rounding of the mean, removed after `shift`
    T scale = T(1);
    bool held = false;         ///< the working column is 0
    bool divide_first = false; ///< x_i / scale - shift / scale: x_i - shift could overflow
    bool safe = true;          ///< entries whose products neither overflow nor underflow
};

/// Magnitudes whose squares and differences stay far inside the floating-point range.
template <class T> bool in_safe_range(T magnitude) {
    return magnitude > T(1e-100) && magnitude < T(1e100);
}

/// The weighted statistics of single columns, with the rules that make them accurate near the
/// limits of the floating-point range, and the map of a column they decide.
template <class T> class WeightedColumns {
public:
    WeightedColumns(const Vector<T>& unit_weights, bool fit_intercept, bool scale_columns)
        : weights_(unit_weights), counted_((unit_weights.array() > T(0)).eval()),
          uniform_((unit_weights.array() == unit_weights(0)).all()), fit_intercept_(fit_intercept),
          scale_columns_(scale_columns) {
        while (!counted_(first_counted_))
            ++first_counted_;
    }

    bool uniform() const { return uniform_; }
    /// Rows of positive weight: the rows that take part.
    const Eigen::Array<bool, Eigen::Dynamic, 1>& counted() const { return counted_; }
    Eigen::Index first_counted() const { return first_counted_; }

    /// Weighted mean of x, whose largest magnitude is `magnitude`, without overflow. Outside
    /// the safe range it is summed in a wider type where there is one: divided by the
    /// magnitude, entries 1e300 times smaller than the largest would become subnormal and lose
    /// their digits, and the mean may be of their size (a heavy row near 0 beside light rows
    /// near 1e300).
    T mean(const Vector<T>& x, T magnitude) const {
        if (magnitude == T(0) || in_safe_range(magnitude))
            return weights_.dot(x);
        if constexpr (has_wider_long_double<T>) {
            long double sum = 0;
            for (Eigen::Index i = 0; i < x.size(); ++i)
                if (counted_(i))
                    sum += static_cast<long double>(weights_(i)) * x(i);
            return static_cast<T>(sum);
        }
        return magnitude * counted_.select(weights_.array() * (x.array() / magnitude), T(0)).sum();
    }

    /// Weighted norm of (x - shift), accurate near the overflow and underflow limits. Rows of
    /// weight 0 are left out, not multiplied by 0: their squares may overflow (0 * inf = NaN).
    template <class X> T norm(const X& x, T shift, T magnitude) const {
        if (in_safe_range(magnitude)) {
            return std::sqrt(
                uniform_
                    ? (x.array() - shift).square().sum() * weights_(0)
                    : counted_.select(weights_.array() * (x.array() - shift).square(), T(0)).sum());
        }
        return magnitude * relative_norm(x, shift, magnitude);
    }

    /// `norm` divided by `magnitude`, formed without the product: near the underflow limit
    /// the norm itself may round to 0 (a column of 4.9e-324 in one row) where this does not.
    template <class X> T relative_norm(const X& x, T shift, T magnitude) const {
        if (in_safe_range(magnitude))
            return norm(x, shift, magnitude) / magnitude;
        const auto reduced = x.array() / magnitude - shift / magnitude;
        return std::sqrt(counted_.select(weights_.array() * reduced.square(), T(0)).sum());
    }

    /// The map of column j (copied to `x`; `deviations` is scratch). The mean is rounded by up
    /// to eps |mean|: for a column that varies in its 10th digit (timestamps) that is 1e-6 of
    /// its spread, a constant part the intercept would not absorb. So the mean of the
    /// deviations x - mean is removed as well (`correction`). A column whose spread is at
    /// rounding level is constant: held at 0 with an intercept (or when all zero), else scaled
    /// by its root mean square.
    ColumnMap<T> fit(Eigen::Index j, const Vector<T>& x, Vector<T>& deviations) const {
        ColumnMap<T> map;
        // Rows of weight 0 do not take part: they must not set the scale of "constant".
        const T magnitude =
            uniform_ ? x.cwiseAbs().maxCoeff() : counted_.select(x.cwiseAbs(), T(0)).maxCoeff();
        // An exactly constant column is constant whatever the rounding of the weights (their
        // sum is 1 only to rounding, which would give it a spread of eps times its size).
        const bool exactly_constant = counted_.select(x.array() == x(first_counted_), true).all();
        const T mean = exactly_constant                       ? x(first_counted_)
                       : uniform_ && in_safe_range(magnitude) ? x.sum() * weights_(0)
                                                              : this->mean(x, magnitude);
        map.shift = fit_intercept_ ? mean : T(0);
        // The spread, and the spread relative to the magnitude (which decides "constant": near
        // the underflow limit the spread may round to 0 where the column varies).
        T spread = T(0), relative_spread = T(0), deviation_magnitude = magnitude;
        const bool recenter = fit_intercept_ && !exactly_constant && magnitude > T(0);
        if (recenter && uniform_ && in_safe_range(magnitude)) {
            map.correction = (x.array() - mean).sum() * weights_(0);
            const T around_mean = norm(x, mean, magnitude);
            spread = std::sqrt(
                std::max(around_mean * around_mean - map.correction * map.correction, T(0)));
            relative_spread = spread / magnitude;
        } else if (recenter && magnitude <= std::numeric_limits<T>::max() / T(4)) {
            // Outside the safe range, or weighted. A weightless row's difference may
            // overflow, and it takes no part.
            deviations = counted_.select(x.array() - mean, T(0));
            const T first = counted_.select(deviations.cwiseAbs(), T(0)).maxCoeff();
            map.correction = first > T(0) ? this->mean(deviations, first) : T(0);
            deviations.array() -= map.correction;
            deviation_magnitude = counted_.select(deviations.cwiseAbs(), T(0)).maxCoeff();
            if (deviation_magnitude > T(0)) {
                const T relative = relative_norm(deviations, T(0), deviation_magnitude);
                spread = deviation_magnitude * relative;
                relative_spread = relative * (deviation_magnitude / magnitude);
            }
        } else if (!exactly_constant && magnitude > T(0)) {
            relative_spread = relative_norm(x, mean, magnitude);
            spread = magnitude * relative_spread;
            map.divide_first = map.shift != T(0);
        }
        const bool constant = is_negligible_spread(relative_spread, T(1));
        map.held = constant && (fit_intercept_ || magnitude == T(0));
        if (!map.held && scale_columns_) {
            map.scale = constant ? norm(x, T(0), magnitude) : spread;
            require_normal_scale(j, map.scale);
        }
        map.safe = in_safe_range(deviation_magnitude);
        return map;
    }

private:
    const Vector<T>& weights_;
    Eigen::Array<bool, Eigen::Dynamic, 1> counted_;
    Eigen::Index first_counted_ = 0;
    bool uniform_;
    bool fit_intercept_;
    bool scale_columns_;
};

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_COLUMN_MAPS_HPP
