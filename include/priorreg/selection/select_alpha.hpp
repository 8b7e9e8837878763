#ifndef PRIORREG_SELECTION_SELECT_ALPHA_HPP
#define PRIORREG_SELECTION_SELECT_ALPHA_HPP

/// \file select_alpha.hpp
/// \brief The L1 / L2 / Elastic Net decision made from data: cross-validation over the L1
/// share \f$\alpha\f$ of the elastic-net prior as well as \f$\lambda\f$.

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../priors/elastic_net_prior.hpp"
#include "../status.hpp"
#include "cross_validation.hpp"

namespace priorreg {

/// \brief The outcome of cross-validating the L1 share \f$\alpha\f$ as well as \f$\lambda\f$.
struct AlphaSelection {
    std::vector<double> alphas;               ///< the candidates, as given
    std::vector<double> best_errors;          ///< per candidate: its smallest CV error
    std::vector<double> best_standard_errors; ///< per candidate: the standard error there
    std::vector<double> best_lambdas;         ///< per candidate: the lambda of that error
    std::vector<Eigen::Index> best_nonzeros;  ///< per candidate: nonzeros of the fit there
    double alpha = 1;                         ///< the winner: the least CV error
    double lambda = 0;
    double error = 0;
    double standard_error = 0; ///< of the winner's error
    Eigen::Index nonzeros = 0; ///< of the refit at (alpha, lambda)
    Eigen::Index features = 0;
    /// CV error (and its standard error) of the empty model, no penalized feature: the top of
    /// the default grid (lambda_max) of the candidate with the largest alpha > 0. NaN when no
    /// such point was fitted (an explicit grid, or only alpha = 0).
    double empty_error = std::numeric_limits<double>::quiet_NaN();
    double empty_standard_error = std::numeric_limits<double>::quiet_NaN();
    /// True when the winner's error is more than one standard error below every other
    /// candidate's and the empty model's: only then does the verdict name one family.
    bool decisive = true;
    /// The one-standard-error rule over the candidates: among those within one standard error
    /// of the winner, the sparsest (fewest nonzeros at its best lambda; the larger alpha on a
    /// tie). `one_se_empty` when the empty model is itself within one standard error.
    double one_se_alpha = 1;
    bool one_se_empty = false;
    std::string verdict;                          ///< the decision in words
    MapRegression<ElasticNetPrior<double>> model; ///< refit on all rows at (alpha, lambda)
    Status status = Status::Success; ///< the worst `CrossValidation::info()` of the candidates
    /// True when the progress callback cancelled the selection (as `CrossValidation`: no
    /// results then; the candidates finished before it are kept).
    bool cancelled = false;
};

namespace detail {

/// "0.5" for an alpha, "2.3e+02" for an error: short numbers for the verdict.
inline std::string short_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

/// The family an alpha stands for.
inline std::string alpha_family(double alpha) {
    return alpha == 1.0   ? std::string("Lasso")
           : alpha == 0.0 ? std::string("Ridge")
                          : "Elastic Net (alpha = " + short_number(alpha) + ")";
}

/// The one-standard-error comparison of the candidates and the empty model, and the verdict
/// in words: a family is named only when the data separate it from the others.
inline void write_verdict(AlphaSelection& s, std::size_t winner) {
    const double bound = s.error + s.standard_error;
    const std::string features = std::to_string(s.features);
    std::vector<std::size_t> close;
    for (std::size_t k = 0; k < s.alphas.size(); ++k)
        if (s.best_errors[k] <= bound)
            close.push_back(k);
    std::size_t pick = winner;
    for (const std::size_t k : close)
        if (s.best_nonzeros[k] < s.best_nonzeros[pick] ||
            (s.best_nonzeros[k] == s.best_nonzeros[pick] && s.alphas[k] > s.alphas[pick]))
            pick = k;
    s.one_se_alpha = s.alphas[pick];
    s.one_se_empty = s.empty_error <= bound;
    s.decisive = close.size() == 1 && !s.one_se_empty;
    const std::string best = "alpha = " + short_number(s.alpha) + " at CV error " +
                             short_number(s.error) + " (standard error " +
                             short_number(s.standard_error) + ")";
    if (s.one_se_empty) {
        s.verdict = "No clear signal: the empty model's CV error " + short_number(s.empty_error) +
                    " is within one standard error of the best, " + best +
                    "; the one-standard-error rule keeps no feature";
        return;
    }
    if (!s.decisive) {
        std::string list;
        for (const std::size_t k : close)
            list += std::string(list.empty() ? "" : ", ") + short_number(s.alphas[k]) + " (" +
                    short_number(s.best_errors[k]) + ")";
        s.verdict = "Undecided: alpha = " + list + " lie within one standard error of the best, " +
                    best + "; the one-standard-error rule picks the sparsest, " +
                    alpha_family(s.one_se_alpha) + " with " +
                    std::to_string(s.best_nonzeros[pick]) + " of " + features + " features";
        return;
    }
    const std::string kept = std::to_string(s.nonzeros) + " of " + features + " features";
    const std::string margin = " (" + best + ", more than one standard error below the others)";
    if (s.alpha == 1.0)
        s.verdict = "Lasso: the data support a sparse model with " + kept + margin;
    else if (s.alpha == 0.0)
        s.verdict = "Ridge: all " + features +
                    " features carry signal; shrink them and keep them all" + margin;
    else
        s.verdict = alpha_family(s.alpha) + ": a sparse model with " + kept +
                    ", correlated features kept together" + margin;
}

/// `select_alpha` on a dense (`Eigen::Ref`) or sparse X, its inputs checked.
template <class XT, class YT, class WT>
AlphaSelection select_alpha_on(const XT& X, const YT& y, const WT& w,
                               CrossValidationOptions options, const std::vector<double>& alphas,
                               const MapRegression<ElasticNetPrior<double>>& base) {
    if (alphas.empty())
        throw InvalidInput("select_alpha: no alpha to try");
    for (const double a : alphas)
        detail::require_unit_interval(a, "select_alpha: alpha");
    options.fold_ids = detail::fold_assignment(options, X.rows(), "select_alpha");
    AlphaSelection selection;
    double largest_alpha_with_empty = 0;
    selection.alphas = alphas;
    selection.features = X.cols();
    std::size_t winner = 0;
    for (std::size_t k = 0; k < alphas.size(); ++k) {
        MapRegression<ElasticNetPrior<double>> model(1.0, alphas[k]);
        model.set_settings(base.settings());
        // Grids start at lambda_max(alpha), which grows like 1/alpha (1/0.001 for ridge).
        // A default grid reaches each alpha's end by itself (path.hpp); a ratio of the
        // caller's is scaled so that every alpha's grid reaches the same smallest lambda,
        // or the L2 end would never see small penalties.
        CrossValidationOptions for_alpha = options;
        if (for_alpha.path.lambdas.empty() && options.path.lambda_min_ratio > 0)
            for_alpha.path.lambda_min_ratio =
                options.path.lambda_min_ratio * std::max(alphas[k], 1e-3);
        CrossValidation<ElasticNetPrior<double>> cv(model, for_alpha);
        cv.fit(X, y, w);
        if (cv.cancelled()) {
            selection.cancelled = true;
            return selection;
        }
        selection.status = detail::worse(selection.status, cv.info());
        selection.best_errors.push_back(cv.mean_errors()(cv.index_min()));
        selection.best_standard_errors.push_back(cv.standard_errors()(cv.index_min()));
        selection.best_lambdas.push_back(cv.lambda_min());
        selection.best_nonzeros.push_back(cv.nonzeros()(cv.index_min()));
        // The top of a default grid is lambda_max, where no penalized feature is in the fit.
        if (options.path.lambdas.empty() && alphas[k] > 0 &&
            !(alphas[k] < largest_alpha_with_empty)) {
            largest_alpha_with_empty = alphas[k];
            selection.empty_error = cv.mean_errors()(0);
            selection.empty_standard_error = cv.standard_errors()(0);
        }
        if (selection.best_errors[k] < selection.best_errors[winner])
            winner = k;
        if (k == winner)
            selection.model = cv.model();
    }
    selection.alpha = alphas[winner];
    selection.lambda = selection.best_lambdas[winner];
    selection.error = selection.best_errors[winner];
    selection.standard_error = selection.best_standard_errors[winner];
    selection.nonzeros = (selection.model.coef().array() != 0).count();
    detail::write_verdict(selection, winner);
    return selection;
}

} // namespace detail

/// \brief Cross-validates each \f$\alpha\f$ of `alphas` (default {0, 0.5, 1}) with the same
/// folds and returns the best \f$(\alpha, \lambda)\f$ with a verdict in words: Lasso when the
/// L1 penalty wins (a sparse model), Ridge when the L2 penalty wins (every feature carries
/// signal), Elastic Net in between (sparse, with correlated features kept together) — each
/// only when the winner's CV error is more than one standard error below the other candidates'
/// and the empty model's. Otherwise the verdict says the data do not decide, and which model
/// the one-standard-error rule picks (the sparsest within one standard error, or none).
///
/// The candidates are elastic-net priors by construction: \f$\alpha\f$ is the elastic-net
/// mixing parameter. `base` supplies the options (standardization, intercept, tolerance,
/// penalty factors, threads, solver mode). With observation weights `w` (non-negative, not all
/// zero) each candidate's cross-validation is weighted (`CrossValidation::fit(X, y, w)`:
/// weighted fits, weighted fold errors).
template <class DX, class DY, class DW>
AlphaSelection select_alpha(
    const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y, const Eigen::MatrixBase<DW>& w,
    CrossValidationOptions options = CrossValidationOptions(),
    const std::vector<double>& alphas = {0.0, 0.5, 1.0},
    const MapRegression<ElasticNetPrior<double>>& base = MapRegression<ElasticNetPrior<double>>()) {
    static_assert(detail::holds_scalar_v<double, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
    if constexpr (!(detail::holds_scalar_v<double, DX, DY>)) {
        throw std::logic_error("priorreg: unreachable");
    } else {
        return detail::select_alpha_on(
            Eigen::Ref<const Eigen::MatrixXd>(X), Eigen::Ref<const Eigen::VectorXd>(y),
            Eigen::Ref<const Eigen::VectorXd>(w), std::move(options), alphas, base);
    }
}

/// On a sparse X (column-major), without densifying it (`CrossValidation::fit` on a sparse X).
template <class DY, class DW>
AlphaSelection select_alpha(
    const Eigen::SparseMatrix<double>& X, const Eigen::MatrixBase<DY>& y,
    const Eigen::MatrixBase<DW>& w, CrossValidationOptions options = CrossValidationOptions(),
    const std::vector<double>& alphas = {0.0, 0.5, 1.0},
    const MapRegression<ElasticNetPrior<double>>& base = MapRegression<ElasticNetPrior<double>>()) {
    static_assert(detail::holds_scalar_v<double, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
    if constexpr (!(detail::holds_scalar_v<double, DY>)) {
        throw std::logic_error("priorreg: unreachable");
    } else {
        return detail::select_alpha_on(X, Eigen::Ref<const Eigen::VectorXd>(y),
                                       Eigen::Ref<const Eigen::VectorXd>(w), std::move(options),
                                       alphas, base);
    }
}

/// Unweighted, on a sparse X.
template <class DY>
AlphaSelection select_alpha(
    const Eigen::SparseMatrix<double>& X, const Eigen::MatrixBase<DY>& y,
    CrossValidationOptions options = CrossValidationOptions(),
    const std::vector<double>& alphas = {0.0, 0.5, 1.0},
    const MapRegression<ElasticNetPrior<double>>& base = MapRegression<ElasticNetPrior<double>>()) {
    return select_alpha(X, y, Eigen::VectorXd::Ones(X.rows()), std::move(options), alphas, base);
}

/// Unweighted: every row weighs the same.
template <class DX, class DY>
AlphaSelection select_alpha(
    const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
    CrossValidationOptions options = CrossValidationOptions(),
    const std::vector<double>& alphas = {0.0, 0.5, 1.0},
    const MapRegression<ElasticNetPrior<double>>& base = MapRegression<ElasticNetPrior<double>>()) {
    return select_alpha(X, y, Eigen::VectorXd::Ones(X.rows()), std::move(options), alphas, base);
}

} // namespace priorreg

#endif // PRIORREG_SELECTION_SELECT_ALPHA_HPP
