#ifndef PRIORREG_SELECTION_ERROR_MEASURE_HPP
#define PRIORREG_SELECTION_ERROR_MEASURE_HPP

/// \file error_measure.hpp
/// \brief How a held-out prediction error is measured, written once for cross-validation and
/// validation curves.

#include <Eigen/Core>
#include <cmath>
#include <limits>

#include "../detail/numeric.hpp"

namespace priorreg {

/// How a held-out prediction error is measured.
enum class ErrorMeasure {
    mse, ///< mean squared error
    mae  ///< mean absolute error
};

namespace detail {

/// The loss of predicting `prediction` for `y`: \f$e^2\f$ or \f$|e|\f$. A prediction that is not
/// finite (a model whose coefficients overflowed) has an infinite loss, never NaN.
template <class T> T prediction_loss(T y, T prediction, ErrorMeasure measure) {
    const T e = std::isfinite(prediction) ? y - prediction : std::numeric_limits<T>::infinity();
    return measure == ErrorMeasure::mse ? e * e : std::abs(e);
}

/// Per column k of `predictions` (rows x columns), the weighted mean loss
/// \f$\sum_i w_i\,\mathrm{loss}(y_i, P_{ik}) / \sum_i w_i\f$ over the rows of positive weight
/// (a weightless row's loss, even an overflowing one, does not count), summed in row order in
/// the compute precision `T`; `total` receives \f$\sum_i w_i\f$.
template <class T, class MP, class VY, class VW>
Vector<T> mean_losses(const MP& predictions, const VY& y, const VW& weights, ErrorMeasure measure,
                      T& total) {
    Vector<T> losses = Vector<T>::Zero(predictions.cols());
    total = T(0);
    for (Eigen::Index i = 0; i < predictions.rows(); ++i) {
        if (!(T(weights(i)) > T(0)))
            continue;
        for (Eigen::Index k = 0; k < predictions.cols(); ++k)
            losses(k) += T(weights(i)) * prediction_loss(T(y(i)), T(predictions(i, k)), measure);
        total += T(weights(i));
    }
    if (total > T(0))
        losses /= total;
    return losses;
}

} // namespace detail
} // namespace priorreg

#endif // PRIORREG_SELECTION_ERROR_MEASURE_HPP
