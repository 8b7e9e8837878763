#ifndef PRIORREG_SELECTION_VALIDATION_CURVE_HPP
#define PRIORREG_SELECTION_VALIDATION_CURVE_HPP

/// \file validation_curve.hpp
/// \brief Training and validation error along a regularization path, and the divergence point.

#include <Eigen/Core>
#include <cmath>

#include "../detail/numeric.hpp"
#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../path.hpp"
#include "error_measure.hpp"

namespace priorreg {

/// \brief Errors per \f$\lambda\f$ on the rows a path was fitted to and on held-out rows.
///
/// The divergence point is where overfitting starts: the \f$\lambda\f$ of the smallest
/// validation error. Beyond it (smaller \f$\lambda\f$) the training error keeps falling while
/// the validation error stays above its minimum.
template <class Scalar> struct ValidationCurve {
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    Vector lambdas;           ///< decreasing
    Vector training_errors;   ///< on the fitted rows
    Vector validation_errors; ///< on the held-out rows
    Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1> nonzeros;
    Eigen::Index divergence_index = 0; ///< argmin of the validation error (first on ties)
    Scalar divergence_lambda = Scalar(0);
};

/// Fits `model`'s path on (`X_train`, `y_train`) and scores every \f$\lambda\f$ on both sets.
template <class Prior, class DX, class DY, class DV, class DW>
ValidationCurve<typename Prior::Scalar>
validation_curve(const MapRegression<Prior>& model, const Eigen::MatrixBase<DX>& X_train,
                 const Eigen::MatrixBase<DY>& y_train, const Eigen::MatrixBase<DV>& X_validation,
                 const Eigen::MatrixBase<DW>& y_validation,
                 const PathOptions& options = PathOptions(),
                 ErrorMeasure measure = ErrorMeasure::mse) {
    using Scalar = typename Prior::Scalar;
    using T = detail::compute_scalar_t<Scalar>;
    detail::require_training_data(X_validation, y_validation);
    PathOptions scored = options;
    scored.keep_data = false; // the curve needs the path's solutions only
    const auto path = model.fit_path(X_train, y_train, scored);
    auto errors = [&](const auto& predictions, const auto& y) {
        T total = T(0);
        const auto unit = Eigen::Matrix<T, Eigen::Dynamic, 1>::Ones(y.size());
        return typename ValidationCurve<Scalar>::Vector(
            detail::mean_losses(predictions, y, unit, measure, total).template cast<Scalar>());
    };
    ValidationCurve<Scalar> curve;
    curve.lambdas = path.lambdas();
    curve.nonzeros = path.df();
    curve.training_errors = errors(path.predict(X_train), y_train);
    curve.validation_errors = errors(path.predict(X_validation), y_validation);
    curve.validation_errors.minCoeff(&curve.divergence_index);
    curve.divergence_lambda = curve.lambdas(curve.divergence_index);
    return curve;
}

} // namespace priorreg

#endif // PRIORREG_SELECTION_VALIDATION_CURVE_HPP
