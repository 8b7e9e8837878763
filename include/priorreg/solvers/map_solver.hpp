#ifndef PRIORREG_SOLVERS_MAP_SOLVER_HPP
#define PRIORREG_SOLVERS_MAP_SOLVER_HPP

/// \file map_solver.hpp
/// \brief One MAP fit at \f$(\lambda, \alpha)\f$: which solver, on which working form, and what
/// happens when its answer is not certified.
///
/// - Least squares (pivoted QR) for the flat prior, and for a prior whose penalty vanishes at
///   zero weight when every weight is 0 (\f$\lambda = 0\f$ or every penalty factor 0).
/// - Closed-form ridge for a prior that is quadratic without its L1 part, at \f$\alpha = 0\f$:
///   built from the Gram (n >= p, at most `gram_form_max_columns` columns) or the dual kernel
///   (p > n, at most `kernel_form_max_rows` rows, every coefficient penalized) without a
///   working copy of X where that pays, and solved again on the working copy when that answer
///   is not certified.
/// - Otherwise, coordinate descent through the prior's proximal step on a one-point path; always
///   with a box on the coefficients (solvers/penalty_weights.hpp).

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "../detail/column_constraints.hpp"
#include "../detail/cross_products.hpp"
#include "../detail/gram.hpp"
#include "../detail/numeric.hpp"
#include "../detail/sparse_design.hpp"
#include "../detail/standardize.hpp"
#include "../detail/validate.hpp"
#include "../priors/prior_contract.hpp"
#include "../status.hpp"
#include "duality_gap.hpp"
#include "least_squares.hpp"
#include "path_driver.hpp"
#include "ridge_solver.hpp"
#include "solver_mode.hpp"

namespace priorreg::detail {

/// A single fit, on the original scale.
template <class T> struct MapSolution {
    Vector<T> coef;
    T intercept = T(0);
    Status status = Status::Success;
    int iterations = 1;
    T duality_gap = T(0);
    Eigen::Index rank = -1; ///< least squares only
};

/// Whether the fit at these weights is least squares (never with a box).
template <class Prior, class T>
bool solves_by_least_squares(T lambda, const Vector<T>& penalty_factors,
                             const SolveSettings<T>& settings) {
    constexpr PriorCapabilities capabilities = capabilities_v<Prior>;
    if (settings.lower.size() > 0)
        return false;
    if constexpr (capabilities.flat)
        return true;
    const bool unweighted = lambda == T(0) || penalty_factors.maxCoeff() == T(0);
    return capabilities.vanishes_at_zero_weight && unweighted;
}

/// The answer when the prior's lambda overflows the scalar type (a float model whose weights
/// sum to 1e-39): no solver can work with it. Penalized coefficients would be 0; the result is
/// flagged, not certified.
template <class T, class VY>
MapSolution<T> overflowing_lambda_solution(Eigen::Index p, const VY& y,
                                           const Vector<T>& unit_weights,
                                           const SolveSettings<T>& settings) {
    MapSolution<T> solution;
    solution.coef = Vector<T>::Zero(p);
    solution.intercept = settings.fit_intercept ? unit_weights.dot(y.template cast<T>()) : T(0);
    solution.status = Status::NumericalIssue;
    solution.iterations = 0;
    solution.duality_gap = std::numeric_limits<T>::infinity();
    return solution;
}

/// The settings' restrictions of the working columns: the excluded ones held at 0, the box.
template <class T>
void constrain_columns(StandardizedProblem<T>& problem, const SolveSettings<T>& settings) {
    exclude_columns(problem, settings.excluded);
    box_columns(problem, settings.lower, settings.upper);
}

/// Closed-form ridge on the cheapest working form, then on the working design if that one's
/// answer is not certified. `working` receives the working-scale coefficients, `problem` the
/// problem they solve.
template <class Prior, class T, class MX, class VY>
void solve_ridge(const Prior& prior, const MX& X, const VY& y, const Vector<T>& unit_weights,
                 const PenaltyWeights<T>& weights, const SolveSettings<T>& settings,
                 StandardizedProblem<T>& problem, Vector<T>& working, MapSolution<T>& solution) {
    const Eigen::Index n = X.rows(), p = X.cols();
    auto form = WorkingForm::design;
    if (p > 0 && n >= p && p <= gram_form_max_columns)
        form = WorkingForm::gram;
    else if (p > n && n <= kernel_form_max_rows && (weights.l2.array() > T(0)).all() &&
             settings.excluded.empty())
        form = WorkingForm::kernel;
    auto build = [&](WorkingForm working_form) {
        problem = standardize<T>(
            X, y, unit_weights, settings.fit_intercept, settings.standardize, settings.threads,
            working_form,
            working_form == WorkingForm::kernel ? dual_kernel_factors(weights.l2) : Vector<T>());
        require_representable(problem);
        exclude_columns(problem, settings.excluded);
    };
    build(form);
    working = Vector<T>::Zero(p);
    // Success is what the duality gap certifies, as for the iterative solvers.
    T gap = T(0);
    const T gap_target = settings.tolerance * problem.null_deviance;
    const auto certify = [&](const RidgeSolution<T>& ridge, const Vector<T>& beta) {
        gap = duality_gap_from_statistics(prior, ridge.residual_norm2, ridge.response_dot_residual,
                                          ridge.gradient, beta, problem.curvature, weights,
                                          ridge.gradient_uncertainty);
        return gap <= gap_target;
    };
    const auto design_transpose_product = [&](const Vector<T>& u, Vector<T>& out) {
        working_transpose_product(X, problem, u, out, settings.threads);
    };
    auto ridge = ridge_closed_form(problem, weights.l2, working, settings.threads, certify,
                                   design_transpose_product);
    if (ridge.needs_design) {
        build(WorkingForm::design);
        ridge = ridge_closed_form(problem, weights.l2, working, settings.threads, certify,
                                  design_transpose_product);
    }
    solution.duality_gap = gap;
    solution.status = ridge.definite && ridge.certified ? Status::Success : Status::NumericalIssue;
    solution.iterations = 1;
}

/// Coordinate descent at one lambda, through the prior's proximal step.
template <class Prior, class T>
void solve_by_coordinate_descent(const Prior& prior, StandardizedProblem<T>& problem, T lambda,
                                 T alpha, const Vector<T>& penalty_factors,
                                 const SolveSettings<T>& settings, Vector<T>& working,
                                 MapSolution<T>& solution) {
    GridRequest<T> single;
    single.explicit_lambdas = Vector<T>::Constant(1, lambda);
    const auto run = solve_path(prior, problem, penalty_factors, alpha, settings, single);
    working = run.solution.working_coefs.col(0);
    solution.status = run.solution.status;
    solution.iterations = run.solution.iterations[0];
    solution.duality_gap = run.solution.duality_gaps(0);
}

/// The MAP fit at (`lambda`, `alpha`) with `penalty_factors`, on rows weighted by
/// `unit_weights` (summing to 1).
template <class Prior, class T, class MX, class VY>
MapSolution<T> solve_map(const Prior& prior, const MX& X, const VY& y,
                         const Vector<T>& unit_weights, T lambda, T alpha,
                         const Vector<T>& penalty_factors, const SolveSettings<T>& settings) {
    MapSolution<T> solution;
    if (!std::isfinite(lambda))
        return overflowing_lambda_solution(X.cols(), y, unit_weights, settings);
    if (solves_by_least_squares<Prior>(lambda, penalty_factors, settings)) {
        require_centerable<T>(X, y);
        if (settings.excluded.empty()) {
            const auto fit = least_squares<T>(X, y, unit_weights, settings.fit_intercept);
            solution.coef = fit.coef;
            solution.intercept = fit.intercept;
            solution.rank = fit.rank;
            return solution;
        }
        // Least squares on the other columns; the excluded ones get 0.
        std::vector<char> excluded(static_cast<std::size_t>(X.cols()), 0);
        for (const Eigen::Index j : settings.excluded)
            excluded[static_cast<std::size_t>(j)] = 1;
        std::vector<Eigen::Index> kept;
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            if (!excluded[static_cast<std::size_t>(j)])
                kept.push_back(j);
        if (kept.empty()) { // every feature excluded: the intercept alone
            solution.coef = Vector<T>::Zero(X.cols());
            solution.intercept =
                settings.fit_intercept ? unit_weights.dot(y.template cast<T>()) : T(0);
            solution.rank = settings.fit_intercept ? 1 : 0;
            return solution;
        }
        using Scalar = typename MX::Scalar;
        Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> columns(
            X.rows(), static_cast<Eigen::Index>(kept.size()));
        for (std::size_t a = 0; a < kept.size(); ++a)
            columns.col(static_cast<Eigen::Index>(a)) = X.col(kept[a]);
        const auto fit = least_squares<T>(columns, y, unit_weights, settings.fit_intercept);
        solution.coef = Vector<T>::Zero(X.cols());
        for (std::size_t a = 0; a < kept.size(); ++a)
            solution.coef(kept[a]) = fit.coef(static_cast<Eigen::Index>(a));
        solution.intercept = fit.intercept;
        solution.rank = fit.rank;
        return solution;
    }
    Vector<T> working;
    StandardizedProblem<T> problem;
    if (capabilities_v<Prior>.quadratic_without_l1 && alpha == T(0) && settings.lower.size() == 0) {
        const auto weights = PenaltyWeights<T>::from(lambda, alpha, penalty_factors);
        solve_ridge(prior, X, y, unit_weights, weights, settings, problem, working, solution);
    } else {
        problem = standardize<T>(X, y, unit_weights, settings.fit_intercept, settings.standardize,
                                 settings.threads);
        require_representable(problem);
        constrain_columns(problem, settings);
        solve_by_coordinate_descent(prior, problem, lambda, alpha, penalty_factors, settings,
                                    working, solution);
    }
    back_transform(problem, working, solution.coef, solution.intercept);
    return solution;
}

/// Least squares on a covariance-form working problem: the minimum-norm solution of
/// `gram b = correlation` on the working scale, from the Gram's eigendecomposition
/// (eigenvalues at rounding level of the largest are treated as 0). Returns the rank of the
/// columns.
template <class T>
Eigen::Index least_squares_from_gram(const StandardizedProblem<T>& problem, Vector<T>& working) {
    const Eigen::SelfAdjointEigenSolver<Matrix<T>> eigen(problem.gram);
    const Vector<T>& values = eigen.eigenvalues();
    const T largest = values.size() > 0 ? std::max(values.maxCoeff(), T(0)) : T(0);
    const T floor = largest * T(values.size()) * std::numeric_limits<T>::epsilon();
    const Vector<T> projected = eigen.eigenvectors().transpose() * problem.correlation;
    Vector<T> scaled = Vector<T>::Zero(values.size());
    Eigen::Index rank = 0;
    for (Eigen::Index k = 0; k < values.size(); ++k)
        if (values(k) > floor && largest > T(0)) {
            scaled(k) = projected(k) / values(k);
            ++rank;
        }
    working = eigen.eigenvectors() * scaled;
    return rank;
}

/// The MAP fit at (`lambda`, `alpha`) with `penalty_factors` of the rows that `statistics`
/// summarizes (with an intercept): the covariance-form problem they give, solved as the rows
/// would be in covariance mode (coordinate descent with its certificate; least squares by the
/// Gram's eigendecomposition, whose accuracy is that of the Gram).
template <class Prior, class T>
MapSolution<T> solve_statistics_map(const Prior& prior, const CrossProducts<T>& statistics,
                                    T lambda, T alpha, const Vector<T>& penalty_factors,
                                    const SolveSettings<T>& settings) {
    MapSolution<T> solution;
    StandardizedProblem<T> problem = standardize(statistics, settings.standardize);
    Vector<T> working = Vector<T>::Zero(problem.curvature.size());
    if (!std::isfinite(lambda)) {
        solution = MapSolution<T>{};
        solution.status = Status::NumericalIssue;
        solution.iterations = 0;
        solution.duality_gap = std::numeric_limits<T>::infinity();
    } else if (solves_by_least_squares<Prior>(lambda, penalty_factors, settings)) {
        exclude_columns(problem, settings.excluded);
        solution.rank = least_squares_from_gram(problem, working) + 1;
    } else {
        constrain_columns(problem, settings);
        solve_by_coordinate_descent(prior, problem, lambda, alpha, penalty_factors, settings,
                                    working, solution);
    }
    back_transform(problem, working, solution.coef, solution.intercept);
    return solution;
}

/// The MAP fit on a sparse X: coordinate descent at one lambda on X's own storage (or its
/// Gram, where covariance mode pays), every prior and setting as on a dense X. No shortcut
/// needs a dense copy: least squares and closed-form ridge are solved by coordinate descent
/// too, certified by the same gap.
template <class Prior, class T, class S, class VY>
MapSolution<T> solve_sparse_map(const Prior& prior, const SparseColumnMatrix<S>& X, const VY& y,
                                const Vector<T>& unit_weights, T lambda, T alpha,
                                const Vector<T>& penalty_factors,
                                const SolveSettings<T>& settings) {
    MapSolution<T> solution;
    if (!std::isfinite(lambda))
        return overflowing_lambda_solution(X.cols(), y, unit_weights, settings);
    StandardizedProblem<T> problem = standardize_sparse<T>(
        X, y, unit_weights, settings.fit_intercept, settings.standardize, settings.threads);
    require_representable(problem);
    constrain_columns(problem, settings);
    GridRequest<T> single;
    single.explicit_lambdas = Vector<T>::Constant(1, lambda);
    const auto run = solve_sparse_path(prior, problem, X, penalty_factors, alpha, settings, single);
    back_transform(problem, Vector<T>(run.solution.working_coefs.col(0)), solution.coef,
                   solution.intercept);
    solution.status = run.solution.status;
    solution.iterations = run.solution.iterations[0];
    solution.duality_gap = run.solution.duality_gaps(0);
    return solution;
}

/// The log posterior of (`intercept`, `coef`) up to nothing: the Gaussian log likelihood with
/// noise `sigma`, each row counted `weights_i` times, plus the prior's normalized log density
/// of the penalized coefficients on the standardized scale. Penalty factors must be 0 (flat)
/// or 1.
template <class Prior, class T, class MX, class VY>
auto log_posterior(const Prior& prior, T sigma, const MX& X, const VY& y, const Vector<T>& weights,
                   T intercept, const Vector<T>& coef, const Vector<T>& penalty_factors,
                   const SolveSettings<T>& settings) {
    using Scalar = typename scalar_of<Prior>::type;
    if (coef.size() != X.cols())
        throw InvalidInput("log_posterior: coef has " + std::to_string(coef.size()) +
                           " entries but X has " + std::to_string(X.cols()) + " columns");
    if (((penalty_factors.array() != T(0)) && (penalty_factors.array() != T(1))).any())
        throw std::logic_error("priorreg: log_posterior supports penalty factors 0 (flat) and 1 "
                               "only");
    T total = T(0);
    const Vector<T> unit = unit_weights<T>(weights, total);
    const Vector<T> scales =
        column_scales<T>(X, unit, settings.fit_intercept, settings.standardize);
    const Vector<T> residual =
        (y.template cast<T>() - X.template cast<T>() * coef).array() - intercept;
    const T log_likelihood = -weights.dot(residual.cwiseAbs2()) / (T(2) * sigma * sigma) -
                             total * (std::log(sigma) + T(0.5) * std::log(T(2) * T(EIGEN_PI)));
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> penalized(penalty_factors.size());
    Eigen::Index count = 0;
    for (Eigen::Index j = 0; j < penalty_factors.size(); ++j)
        if (penalty_factors(j) == T(1))
            penalized(count++) = static_cast<Scalar>(coef(j) * scales(j));
    return static_cast<Scalar>(log_likelihood) + prior.log_density(penalized.head(count));
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_MAP_SOLVER_HPP
