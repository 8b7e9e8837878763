#ifndef PRIORREG_SELECTION_SELECT_ALPHA_HPP
#define PRIORREG_SELECTION_SELECT_ALPHA_HPP

/// \file select_alpha.hpp
/// \brief The L1 / L2 / Elastic Net decision made from data: cross-validation over the L1
/// share \f$\alpha\f$ of the elastic-net prior as well as \f$\lambda\f$.

#include <Eigen/Core>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../priors/elastic_net_prior.hpp"
#include "../status.hpp"
#include "cross_validation.hpp"

namespace priorreg {

/// \brief The outcome of cross-validating the L1 share \f$\alpha\f$ as well as \f$\lambda\f$.
struct AlphaSelection {
    std::vector<double> alphas;       ///< the candidates, as given
    std::vector<double> best_errors;  ///< per candidate: its smallest CV error
    std::vector<double> best_lambdas; ///< per candidate: the lambda of that error
    double alpha = 1;                 ///< the winner
    double lambda = 0;
    double error = 0;
    Eigen::Index nonzeros = 0; ///< of the refit at (alpha, lambda)
    Eigen::Index features = 0;
    std::string verdict;                          ///< the decision in words
    MapRegression<ElasticNetPrior<double>> model; ///< refit on all rows at (alpha, lambda)
    Status status = Status::Success; ///< the worst `CrossValidation::info()` of the candidates
    /// True when the progress callback cancelled the selection (as `CrossValidation`: no
    /// results then; the candidates finished before it are kept).
    bool cancelled = false;
};

/// \brief Cross-validates each \f$\alpha\f$ of `alphas` (default {0, 0.5, 1}) with the same
/// folds and returns the best \f$(\alpha, \lambda)\f$ with a verdict in words: Lasso when the
/// L1 penalty wins (a sparse model), Ridge when the L2 penalty wins (every feature carries
/// signal), Elastic Net in between (sparse, with correlated features kept together).
///
/// The candidates are elastic-net priors by construction: \f$\alpha\f$ is the elastic-net
/// mixing parameter. `base` supplies the options (standardization, intercept, tolerance,
/// penalty factors, threads, solver mode).
template <class DX, class DY>
AlphaSelection select_alpha(
    const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
    CrossValidationOptions options = CrossValidationOptions(),
    const std::vector<double>& alphas = {0.0, 0.5, 1.0},
    const MapRegression<ElasticNetPrior<double>>& base = MapRegression<ElasticNetPrior<double>>()) {
    if (alphas.empty())
        throw InvalidInput("select_alpha: no alpha to try");
    for (const double a : alphas)
        detail::require_unit_interval(a, "select_alpha: alpha");
    options.fold_ids = detail::fold_assignment(options, X.rows(), "select_alpha");
    AlphaSelection selection;
    selection.alphas = alphas;
    selection.features = X.cols();
    std::size_t winner = 0;
    for (std::size_t k = 0; k < alphas.size(); ++k) {
        MapRegression<ElasticNetPrior<double>> model(1.0, alphas[k]);
        model.set_fit_intercept(base.fit_intercept())
            .set_standardize(base.standardize())
            .set_tolerance(base.tolerance())
            .set_max_iterations(base.max_iterations())
            .set_penalty_factors(base.penalty_factors())
            .set_threads(base.threads())
            .set_solver_mode(base.solver_mode());
        // Grids start at lambda_max(alpha), which grows like 1/alpha (1/0.001 for ridge): scale
        // the ratio so that every alpha's grid reaches the same smallest lambda, or the L2
        // end would never see small penalties.
        CrossValidationOptions for_alpha = options;
        if (for_alpha.path.lambdas.empty()) {
            const double ratio = options.path.lambda_min_ratio > 0
                                     ? options.path.lambda_min_ratio
                                     : (X.rows() > X.cols() ? 1e-4 : 1e-2);
            for_alpha.path.lambda_min_ratio = ratio * std::max(alphas[k], 1e-3);
        }
        CrossValidation<ElasticNetPrior<double>> cv(model, for_alpha);
        cv.fit(X, y);
        if (cv.cancelled()) {
            selection.cancelled = true;
            return selection;
        }
        selection.status = detail::worse(selection.status, cv.info());
        selection.best_errors.push_back(cv.mean_errors()(cv.index_min()));
        selection.best_lambdas.push_back(cv.lambda_min());
        if (selection.best_errors[k] < selection.best_errors[winner])
            winner = k;
        if (k == winner)
            selection.model = cv.model();
    }
    selection.alpha = alphas[winner];
    selection.lambda = selection.best_lambdas[winner];
    selection.error = selection.best_errors[winner];
    selection.nonzeros = (selection.model.coef().array() != 0).count();
    const std::string kept = std::to_string(selection.nonzeros) + " of " +
                             std::to_string(selection.features) + " features";
    if (selection.alpha == 1.0) {
        selection.verdict = "Lasso: the data support a sparse model with " + kept;
    } else if (selection.alpha == 0.0) {
        selection.verdict = "Ridge: all " + std::to_string(selection.features) +
                            " features carry signal; shrink them and keep them all";
    } else {
        char share[32];
        std::snprintf(share, sizeof share, "%.2g", selection.alpha);
        selection.verdict = std::string("Elastic Net (alpha = ") + share +
                            "): a sparse model with " + kept +
                            ", correlated features kept together";
    }
    return selection;
}

} // namespace priorreg

#endif // PRIORREG_SELECTION_SELECT_ALPHA_HPP
