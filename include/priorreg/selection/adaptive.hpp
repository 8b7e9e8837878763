#ifndef PRIORREG_SELECTION_ADAPTIVE_HPP
#define PRIORREG_SELECTION_ADAPTIVE_HPP

/// \file adaptive.hpp
/// \brief The adaptive lasso (Zou 2006): penalty factors \f$1/|\hat b_j|^\gamma\f$ from a first
/// fit, so that large effects are penalized less and small ones more.

#include <Eigen/Core>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "../detail/numeric.hpp"
#include "../detail/standardize.hpp"
#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../priors/flat_prior.hpp"
#include "../priors/gaussian_prior.hpp"
#include "../status.hpp"
#include "cross_validation.hpp"

namespace priorreg {

/// Where the adaptive weights come from.
enum class AdaptiveStart {
    /// Ridge at the lambda its cross-validation chooses (`AdaptiveOptions::cv`): defined for any
    /// shape, p > n and correlated designs included (the default).
    ridge_cv,
    /// Least squares: scale-equivariant, so the adaptive fit does not depend on the columns'
    /// units even without standardization; needs a design of full column rank.
    least_squares,
};

struct AdaptiveOptions {
    double gamma = 1.0; ///< the exponent (> 0; 0 gives the model unchanged)
    AdaptiveStart start = AdaptiveStart::ridge_cv;
    CrossValidationOptions cv; ///< the ridge start's cross-validation
};

/// A copy of `model` with adaptive penalty factors: \f$\mathrm{pf}_j\,/\,|\hat b_j|^\gamma\f$,
/// \f$\mathrm{pf}_j\f$ the model's own factors and \f$\hat b_j\f$ the first fit's coefficient on
/// the scale the penalty applies to (the standardized column with standardization, the column as
/// given without). A feature whose first coefficient is 0 gets an infinite weight: it is
/// excluded (`set_excluded_features`). The first fit uses the model's intercept,
/// standardization, penalty factors, exclusions, coefficient bounds, tolerance and threads. Fit,
/// path or cross-validate the returned model as any other; its prior is the model's (the Lasso for
/// the adaptive lasso, an elastic net for the adaptive elastic net).
template <class Prior, class DX, class DY>
MapRegression<Prior> adaptive(const MapRegression<Prior>& model, const Eigen::MatrixBase<DX>& X,
                              const Eigen::MatrixBase<DY>& y,
                              const AdaptiveOptions& options = AdaptiveOptions()) {
    using Scalar = typename MapRegression<Prior>::Scalar;
    using Vector = typename MapRegression<Prior>::Vector;
    using T = detail::compute_scalar_t<Scalar>;
    detail::require_training_data(X, y);
    if (!(std::isfinite(options.gamma) && options.gamma >= 0))
        throw InvalidInput("AdaptiveOptions::gamma must be non-negative and finite");
    const Eigen::Index n = X.rows(), p = X.cols();
    const Vector own =
        model.penalty_factors().size() == p ? model.penalty_factors() : Vector(Vector::Ones(p));
    Vector first;
    if (options.start == AdaptiveStart::least_squares) {
        MapRegression<FlatPrior<Scalar>> ols;
        ols.set_fit_intercept(model.fit_intercept())
            .set_excluded_features(model.excluded_features())
            .fit(X, y);
        const Eigen::Index columns = p -
                                     static_cast<Eigen::Index>(model.excluded_features().size()) +
                                     (model.fit_intercept() ? 1 : 0);
        if (ols.rank() < columns)
            throw InvalidInput("adaptive: the least-squares start needs a design of full column "
                               "rank (rank " +
                               std::to_string(ols.rank()) + " of " + std::to_string(columns) +
                               "); start from ridge (AdaptiveStart::ridge_cv)");
        if (!model.coefficient_bounds().empty()) // least squares on the box
            ols.set_coefficient_bounds(model.coefficient_bounds()).fit(X, y);
        first = ols.coef();
    } else {
        MapRegression<GaussianPrior<Scalar>> ridge(Scalar(1));
        ridge.set_fit_intercept(model.fit_intercept())
            .set_standardize(model.standardize())
            .set_tolerance(model.tolerance())
            .set_threads(model.threads())
            .set_penalty_factors(own)
            .set_excluded_features(model.excluded_features())
            .set_coefficient_bounds(model.coefficient_bounds());
        CrossValidation<GaussianPrior<Scalar>> cv(ridge, options.cv);
        cv.fit(X, y);
        first = cv.model().coef();
    }
    // The penalty applies to coefficient times column scale (1 without standardization).
    const detail::Vector<T> scales = detail::column_scales<T>(
        X, detail::Vector<T>::Constant(n, T(1) / T(n)), model.fit_intercept(), model.standardize());
    Vector factors(p);
    std::vector<Eigen::Index> excluded = model.excluded_features();
    for (Eigen::Index j = 0; j < p; ++j) {
        factors(j) = own(j);
        if (own(j) == Scalar(0) || options.gamma == 0)
            continue;
        const T weight = T(own(j)) / std::pow(std::abs(T(first(j)) * scales(j)), T(options.gamma));
        if (std::isfinite(static_cast<Scalar>(weight)))
            factors(j) = static_cast<Scalar>(weight);
        else
            excluded.push_back(j); // a first coefficient of 0: an infinite weight
    }
    MapRegression<Prior> result = model;
    result.set_penalty_factors(factors).set_excluded_features(excluded);
    return result;
}

} // namespace priorreg

#endif // PRIORREG_SELECTION_ADAPTIVE_HPP
