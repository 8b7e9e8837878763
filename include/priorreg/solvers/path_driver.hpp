#ifndef PRIORREG_SOLVERS_PATH_DRIVER_HPP
#define PRIORREG_SOLVERS_PATH_DRIVER_HPP

/// \file path_driver.hpp
/// \brief The path driver: the grid (explicit, or from \f$\lambda_{\max}\f$ down), the workspace
/// the shape calls for, and the pathwise coordinate descent over the grid.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <functional>
#include <type_traits>

#include "../detail/numeric.hpp"
#include "../detail/sparse_design.hpp"
#include "../detail/standardize.hpp"
#include "path_solver.hpp"
#include "ridge_path.hpp"
#include "solver_mode.hpp"
#include "sparse_workspace.hpp"
#include "workspaces.hpp"

namespace priorreg::detail {

/// \f$\lambda_{\max}\f$: the smallest \f$\lambda\f$ whose solution is all zero (with the
/// unpenalized features at their least-squares values), for L1 share `alpha` (> 0).
template <class Prior, class T>
T lambda_max(const Prior& prior, const Vector<T>& gradient, const StandardizedProblem<T>& problem,
             const Vector<T>& penalty_factors, T alpha) {
    PenaltyWeights<T> unweighted = PenaltyWeights<T>::from(T(0), alpha, penalty_factors);
    unweighted.boxed_by(problem.lower, problem.upper);
    T top = T(0);
    for (Eigen::Index j = 0; j < gradient.size(); ++j)
        if (problem.has_data(j) && penalty_factors(j) > T(0))
            top = std::max(top, box_zero_threshold(prior, unweighted, j, gradient(j)) /
                                    (alpha * penalty_factors(j)));
    return top;
}

/// The grid to solve: explicit values, or `count` values from lambda_max down to
/// `min_ratio * lambda_max`, log-spaced.
template <class T> struct GridRequest {
    Vector<T> explicit_lambdas; ///< used when non-empty
    Eigen::Index count = 100;
    T min_ratio = T(1e-4);
    bool default_ratio = false;                 ///< `min_ratio` is the default, not the caller's
    std::function<bool(Eigen::Index)> progress; ///< after each lambda; false stops the path
};

template <class T> struct PathRun {
    Vector<T> lambdas;
    PathSolution<T> solution;
};

/// The grid to solve: the explicit values, or `grid.count` values log-spaced from
/// lambda_max (at the null model's `gradient`) down; a default grid reaches down to `floor`
/// at least (0: no floor), but not below `deepest_ratio` times lambda_max.
template <class Prior, class T>
Vector<T> grid_lambdas(const Prior& prior, const GridRequest<T>& grid, const Vector<T>& gradient,
                       const StandardizedProblem<T>& problem, const Vector<T>& penalty_factors,
                       T alpha, T floor = T(0), T deepest_ratio = T(0)) {
    if (grid.explicit_lambdas.size() > 0)
        return grid.explicit_lambdas;
    // As glmnet: a pure ridge path starts where alpha = 0.001 would be all zero.
    const T top = lambda_max(prior, gradient, problem, penalty_factors, std::max(alpha, T(1e-3)));
    const T ratio = grid.default_ratio && floor > T(0) && top > T(0)
                        ? std::min(grid.min_ratio, std::max(floor / top, deepest_ratio))
                        : grid.min_ratio;
    Vector<T> lambdas(grid.count);
    for (Eigen::Index k = 0; k < grid.count; ++k)
        lambdas(k) = grid.count == 1 ? top : top * std::pow(ratio, T(k) / T(grid.count - 1));
    return lambdas;
}

/// Where a default grid ends at the latest when the penalty has a quadratic part (alpha < 1):
/// where that part's weight \f$\lambda(1-\alpha)\f$ is this fraction of the smallest (nonzero)
/// eigenvalue of the penalized system. Every direction there keeps 99.9 % of its value without
/// the quadratic part, so the grid reaches the end of the path (least squares for n > p, the
/// minimum-norm interpolation for p > n, with the L1 part at glmnet's floor or below).
/// glmnet's rule (1e-4 of lambda_max, 1e-2 when p > n; a ridge lambda_max taken at alpha =
/// 0.001) stops far above it: ridge CV on R's longley and swiss and on the diabetes data
/// picked that rule's last point, 317 %, 19 % and 40 % above the CV error of a grid reaching
/// 1e-8 of lambda_max (10 folds, seed 7); with p > n (the diabetes quadratic model on 40 and
/// 60 rows, mtcars on 8) 56-98 % above it; at alpha = 0.01 longley 68 %, the diabetes
/// quadratic model on 40 rows 76 % (bench/grid_reach.cpp).
inline constexpr double quadratic_grid_floor = 1e-3;

/// How far below lambda_max a default grid solved by coordinate descent follows that floor at
/// most: as far as the wide grid the floor is judged against (the wide grid's CV minima on the
/// cases above lay at 9e-8 of lambda_max or higher). Near-duplicate columns put the floor at
/// rounding level (2e-15 on the duplicate designs of tests/test_correlated_designs.cpp), where no
/// sweep count certifies a solution; the ridge path, solved in closed form, follows it all the way.
inline constexpr double deepest_coordinate_ratio = 1e-8;

/// The lambda at which a default grid for L1 share `alpha` ends at the latest
/// (`quadratic_grid_floor`), from the smallest eigenvalue of the penalized system; 0 (no floor)
/// for alpha = 1 or when the system has no nonzero eigenvalue.
template <class T> T grid_floor(T smallest_eigenvalue, T alpha) {
    return alpha < T(1) ? T(quadratic_grid_floor) * smallest_eigenvalue / (T(1) - alpha) : T(0);
}

/// The ridge path (alpha = 0, a prior quadratic without L1) from one eigendecomposition
/// (solvers/ridge_path.hpp), each solution certified by its gap. False, with `problem`
/// untouched, when the route does not apply or a solution misses its certificate: the caller
/// then runs coordinate descent.
template <class Prior, class T>
bool ridge_path(const Prior& prior, const StandardizedProblem<T>& problem,
                const Vector<T>& penalty_factors, const SolveSettings<T>& settings,
                const GridRequest<T>& grid, PathRun<T>& result) {
    SpectralRidge<T> spectral;
    if (!spectral.decompose(problem, penalty_factors, settings.threads))
        return false;
    result.lambdas = grid_lambdas(prior, grid, spectral.null_gradient(), problem, penalty_factors,
                                  T(0), grid_floor(spectral.smallest_eigenvalue(), T(0)));
    const Eigen::Index L = result.lambdas.size(), p = problem.curvature.size();
    const T gap_target = settings.tolerance * problem.null_deviance;
    PathSolution<T>& solution = result.solution;
    solution.working_coefs.resize(p, L);
    solution.duality_gaps.resize(L);
    solution.residual_norm2.resize(L);
    solution.iterations.assign(static_cast<std::size_t>(L), 1);
    Vector<T> beta, gradient;
    for (Eigen::Index k = 0; k < L; ++k) {
        const T lambda = result.lambdas(k);
        if (!spectral.solve(lambda, beta))
            return false;
        T residual_norm2 = T(0), response_dot_residual = T(0);
        spectral.statistics(beta, gradient, residual_norm2, response_dot_residual);
        const T gap = duality_gap_from_statistics(
            prior, residual_norm2, response_dot_residual, gradient, beta, problem.curvature,
            PenaltyWeights<T>::from(lambda, T(0), penalty_factors));
        if (!(gap <= gap_target) || !spectral.unpenalized_settled(gradient, gap_target))
            return false;
        solution.working_coefs.col(k) = beta;
        solution.duality_gaps(k) = gap;
        solution.residual_norm2(k) = residual_norm2;
    }
    solution.gradient_evaluations = L;
    // Progress is reported once the whole path is certified: a fallback to coordinate descent
    // reports it again from the start otherwise.
    for (Eigen::Index k = 0; k + 1 < L && grid.progress; ++k)
        if (!grid.progress(k)) {
            const Eigen::Index kept = k + 1;
            solution.working_coefs.conservativeResize(p, kept);
            solution.duality_gaps.conservativeResize(kept);
            solution.residual_norm2.conservativeResize(kept);
            solution.iterations.resize(static_cast<std::size_t>(kept));
            result.lambdas.conservativeResize(kept);
            return true;
        }
    if (grid.progress)
        grid.progress(L - 1);
    return true;
}

/// The whole Gram and \f$A^Tb\f$ of a problem with a working design, for covariance mode to
/// start from (nothing when it has them already).
template <class T> void form_gram_statistics(StandardizedProblem<T>& problem, int threads) {
    if (problem.gram.size() > 0 || problem.design.size() == 0)
        return;
    problem.gram = symmetric_gram<T>(problem.design.transpose(), threads);
    transpose_product(problem.design, problem.response, problem.correlation, threads);
}

/// Whether a path in covariance mode forms the whole Gram before it starts, rather than a block
/// of columns at a time as features enter (solvers/gram_workspace.hpp): when its grid spans
/// three decades or more, n >= p, and the Gram is worth threads (`parallel_product_threshold`).
/// The solutions then approach least squares and nearly every feature enters (798 of 800
/// and 298 of 300 on the hard designs H11 and H13, 974 of 1000 on H07), and the blocks, which
/// each need the rows of every feature not entered yet, cost 1.4-2 times one symmetric product
/// of the whole design (bench/gram_blocks.cpp); even when half the features enter they are
/// three quarters of its work. A smaller Gram costs less than a short path's fixed costs either
/// way, and there the blocks were faster: on H15 (506 x 103) the whole Gram's product faulted in
/// fresh pages for its packing buffers at every fit (bench/RESULTS_NOTES.md).
template <class T>
bool form_gram_first(const StandardizedProblem<T>& problem, const GridRequest<T>& grid) {
    const auto n = static_cast<double>(problem.rows);
    const auto p = static_cast<double>(problem.curvature.size());
    // With p > n (covariance mode forced) at most n features are nonzero at a time.
    if (n < p || 0.5 * p * p * n < parallel_product_threshold)
        return false;
    if (grid.explicit_lambdas.size() > 0) {
        const T top = grid.explicit_lambdas.maxCoeff();
        return top > T(0) && grid.explicit_lambdas.minCoeff() <= T(1e-3) * top;
    }
    return grid.count > 1 && grid.min_ratio <= T(1e-3);
}

/// The floor (`grid_floor`) of a default grid for L1 share `alpha` < 1 solved by coordinate
/// descent: 0 (glmnet's grid) for an explicit grid or ratio, alpha = 1, or a penalized system
/// larger than `SpectralRidge::max_dimension` (its reduction would cost more than the path).
/// In covariance mode the Gram it needs is kept in `problem` for the workspace to take over.
template <class T>
T coordinate_grid_floor(StandardizedProblem<T>& problem, const Vector<T>& penalty_factors, T alpha,
                        bool covariance, const SolveSettings<T>& settings,
                        const GridRequest<T>& grid) {
    if (grid.explicit_lambdas.size() > 0 || !grid.default_ratio || !(alpha < T(1)))
        return T(0);
    const Eigen::Index n = problem.rows, p = problem.curvature.size();
    const Eigen::Index limit = SpectralRidge<T>::max_dimension;
    const bool gram_form = problem.design.size() == 0 || n >= p;
    if (gram_form ? p > limit : n > limit)
        return T(0);
    if (covariance && gram_form)
        form_gram_statistics(problem, settings.threads);
    SpectralRidge<T> spectral;
    if (!spectral.decompose(problem, penalty_factors, settings.threads,
                            SpectralRidge<T>::Reduction::spectrum))
        return T(0);
    return grid_floor(spectral.smallest_eigenvalue(), alpha);
}

/// Pathwise coordinate descent over the grid on `workspace`; a default grid ends at `floor` at
/// the latest.
template <class Prior, class T, class Workspace>
PathRun<T> run_path(const Prior& prior, const StandardizedProblem<T>& problem, Workspace& workspace,
                    const Vector<T>& penalty_factors, T alpha, const SolveSettings<T>& settings,
                    const GridRequest<T>& grid, T floor) {
    PathSolver<Prior, T, Workspace> solver(prior, problem, workspace, penalty_factors, alpha,
                                           settings.tolerance, settings.max_iterations);
    PathRun<T> result;
    result.lambdas = grid_lambdas(prior, grid, solver.gradient(), problem, penalty_factors, alpha,
                                  floor, T(deepest_coordinate_ratio));
    result.solution = solver.solve(result.lambdas, grid.progress);
    result.lambdas.conservativeResize(result.solution.working_coefs.cols());
    return result;
}

/// Solves the path (or a single lambda) on the working problem with the chosen workspace.
/// `problem.design` may be consumed (covariance mode takes it over) unless `keep_problem`: then
/// the problem is given back whole (in covariance mode its design, or its Gram when it had no
/// design), for refits at other lambdas (`solve_at`).
template <class Prior, class T>
PathRun<T> solve_path(const Prior& prior, StandardizedProblem<T>& problem,
                      const Vector<T>& penalty_factors, T alpha, const SolveSettings<T>& settings,
                      const GridRequest<T>& grid, bool keep_problem = false) {
    if constexpr (capabilities_v<Prior>.quadratic_without_l1) {
        if (alpha == T(0) && problem.lower.size() == 0) {
            PathRun<T> result;
            if (ridge_path(prior, problem, penalty_factors, settings, grid, result))
                return result;
        }
    }
    const Eigen::Index n = problem.rows, p = problem.curvature.size();
    const bool covariance = problem.gram.size() > 0 || use_covariance(settings.mode, n, p);
    const T floor =
        coordinate_grid_floor(problem, penalty_factors, alpha, covariance, settings, grid);
    if (covariance) {
        if (form_gram_first(problem, grid))
            form_gram_statistics(problem, settings.threads);
        GramWorkspace<T> workspace(problem, settings.threads);
        PathRun<T> result =
            run_path(prior, problem, workspace, penalty_factors, alpha, settings, grid, floor);
        if (keep_problem)
            workspace.restore(problem);
        return result;
    }
    NaiveWorkspace<T> workspace(problem, settings.threads);
    return run_path(prior, problem, workspace, penalty_factors, alpha, settings, grid, floor);
}

/// Whether covariance mode pays on a sparse X with `stored` entries: n > p, a coordinate
/// update through the Gram (p entries) is cheaper than through the column (twice its stored
/// entries), and the p x p Gram takes at most half of X's storage (8 + 4 bytes an entry), so
/// memory stays within 1.5 times X's.
inline bool sparse_covariance(SolverMode mode, Eigen::Index n, Eigen::Index p,
                              Eigen::Index stored) {
    if (mode != SolverMode::automatic)
        return mode == SolverMode::covariance;
    const double columns = static_cast<double>(p), entries = static_cast<double>(stored);
    return n > p && 2.0 * entries > columns * columns &&
           8.0 * columns * columns <= 0.5 * 12.0 * entries;
}

/// The path on a sparse X (`problem` from `standardize_sparse`, its columns constrained):
/// covariance mode from the Gram of X's stored entries where that pays
/// (`sparse_covariance`), else naive mode on X's own storage (solvers/sparse_workspace.hpp).
/// The ridge path's eigendecomposition and the grid floor need the Gram: without it a default
/// grid keeps glmnet's ratio.
template <class Prior, class T, class S>
PathRun<T> solve_sparse_path(const Prior& prior, StandardizedProblem<T>& problem,
                             const SparseColumnMatrix<S>& X, const Vector<T>& penalty_factors,
                             T alpha, const SolveSettings<T>& settings, const GridRequest<T>& grid,
                             bool keep_problem = false) {
    if (problem.gram.size() > 0 ||
        sparse_covariance(settings.mode, X.rows(), X.cols(), X.nonZeros())) {
        if (problem.gram.size() == 0)
            sparse_gram(X, problem, settings.threads);
        return solve_path(prior, problem, penalty_factors, alpha, settings, grid, keep_problem);
    }
    SparseWorkspace<T, S> workspace(X, problem, settings.threads);
    return run_path(prior, problem, workspace, penalty_factors, alpha, settings, grid, T(0));
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PATH_DRIVER_HPP
