#ifndef PRIORREG_INFERENCE_HPP
#define PRIORREG_INFERENCE_HPP

/// \file inference.hpp
/// \brief What a fitted estimator says beyond its point estimate: the inference of least
/// squares (`MapRegression::summary`) and the log posterior of any coefficients
/// (`MapRegression::log_posterior`). The estimator's members forward here.

#include <Eigen/Core>
#include <stdexcept>
#include <type_traits>

#include "detail/numeric.hpp"
#include "detail/validate.hpp"
#include "solvers/least_squares_inference.hpp"
#include "solvers/map_solver.hpp"
#include "status.hpp"

namespace priorreg {

template <class Prior> class MapRegression;

namespace detail {

/// The inference of a fitted estimator on data, for `MapRegression`'s members (a friend: it
/// reads the estimator's resolved settings). Inputs are checked here.
struct EstimatorInference {
    /// R's `summary(lm(X ~ y, weights = w))` and `confint(level)` of a fitted least-squares
    /// model on its training data.
    template <class Prior, class DX, class DY, class DW>
    static auto summary(const MapRegression<Prior>& model, const Eigen::MatrixBase<DX>& X,
                        const Eigen::MatrixBase<DY>& y, const Eigen::MatrixBase<DW>& w,
                        typename MapRegression<Prior>::Scalar level) {
        using Model = MapRegression<Prior>;
        using Scalar = typename Model::Scalar;
        using T = compute_scalar_t<typename Model::Scalar>;
        model.require_fitted("summary");
        if (!model.coefficient_bounds().empty() || !model.excluded_features().empty())
            throw std::logic_error("priorreg: summary() is the inference of least squares on "
                                   "every column; this model has coefficient bounds or "
                                   "excluded features (fit the kept columns alone instead)");
        require_fitted_columns(X.cols(), model.coef_.size(), "summary", "model");
        require_training_data(X, y);
        require_weights(w, X.rows());
        if (!(level > Scalar(0) && level < Scalar(1)))
            throw InvalidInput("level must lie strictly between 0 and 1");
        const auto inference = least_squares_inference<T>(
            typename Model::MatrixRef(X), typename Model::VectorRef(y),
            Vector<T>(w.template cast<T>()), model.fit_intercept(), T(level));
        if constexpr (std::is_same_v<T, Scalar>) {
            return inference;
        } else {
            return cast_summary<Scalar>(inference);
        }
    }

    /// The model's log posterior at (`intercept`, `coef`): the weighted Gaussian log
    /// likelihood with its sigma plus the prior's normalized log density.
    template <class Prior, class DX, class DY, class DW, class DC>
    static typename MapRegression<Prior>::Scalar
    log_posterior(const MapRegression<Prior>& model, const Eigen::MatrixBase<DX>& X,
                  const Eigen::MatrixBase<DY>& y, const Eigen::MatrixBase<DW>& w,
                  typename MapRegression<Prior>::Scalar intercept,
                  const Eigen::MatrixBase<DC>& coef) {
        using Model = MapRegression<Prior>;
        using T = compute_scalar_t<typename Model::Scalar>;
        require_training_data(X, y);
        require_weights(w, X.rows());
        if (!model.map_form_)
            throw std::logic_error(
                "priorreg: log_posterior needs the MAP form (a prior and sigma)");
        if (!model.coefficient_bounds().empty())
            throw std::logic_error("priorreg: log_posterior of a boxed model would need the "
                                   "truncated prior's normalizing constant, which a prior "
                                   "does not provide");
        return static_cast<typename Model::Scalar>(detail::log_posterior(
            model.prior_, T(model.sigma_), typename Model::MatrixRef(X),
            typename Model::VectorRef(y), Vector<T>(w.template cast<T>()), T(intercept),
            Vector<T>(coef.template cast<T>()), model.resolved_penalty_factors(X.cols()),
            model.solve_settings(X.cols())));
    }
};

} // namespace detail
} // namespace priorreg

#endif // PRIORREG_INFERENCE_HPP
