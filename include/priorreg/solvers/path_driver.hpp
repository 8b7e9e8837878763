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
#include "../detail/standardize.hpp"
#include "path_solver.hpp"
#include "solver_mode.hpp"
#include "workspaces.hpp"

namespace priorreg::detail {

/// \f$\lambda_{\max}\f$: the smallest \f$\lambda\f$ whose solution is all zero (with the
/// unpenalized features at their least-squares values), for L1 share `alpha` (> 0).
template <class Prior, class T>
T lambda_max(const Prior& prior, const Vector<T>& gradient, const Vector<T>& curvature,
             const Vector<T>& penalty_factors, T alpha) {
    T top = T(0);
    for (Eigen::Index j = 0; j < gradient.size(); ++j)
        if (curvature(j) > T(0) && penalty_factors(j) > T(0))
            top = std::max(top,
                           prior.zero_threshold(gradient(j), CoordinatePenalty<T>{T(0), T(0), j}) /
                               (alpha * penalty_factors(j)));
    return top;
}

/// The grid to solve: explicit values, or `count` values from lambda_max down to
/// `min_ratio * lambda_max`, log-spaced.
template <class T> struct GridRequest {
    Vector<T> explicit_lambdas; ///< used when non-empty
    Eigen::Index count = 100;
    T min_ratio = T(1e-4);
    std::function<bool(Eigen::Index)> progress; ///< after each lambda; false stops the path
};

template <class T> struct PathRun {
    Vector<T> lambdas;
    PathSolution<T> solution;
};

/// Solves the path (or a single lambda) on the working problem with the chosen workspace.
/// `problem.design` may be consumed (covariance mode takes it over).
template <class Prior, class T>
PathRun<T> solve_path(const Prior& prior, StandardizedProblem<T>& problem,
                      const Vector<T>& penalty_factors, T alpha, const SolveSettings<T>& settings,
                      const GridRequest<T>& grid) {
    auto run = [&](auto& workspace) {
        using Workspace = std::decay_t<decltype(workspace)>;
        PathSolver<Prior, T, Workspace> solver(prior, problem, workspace, penalty_factors, alpha,
                                               settings.tolerance, settings.max_iterations);
        PathRun<T> result;
        if (grid.explicit_lambdas.size() > 0) {
            result.lambdas = grid.explicit_lambdas;
        } else {
            // As glmnet: a pure ridge path starts where alpha = 0.001 would be all zero.
            const T top = lambda_max(prior, solver.gradient(), problem.curvature, penalty_factors,
                                     std::max(alpha, T(1e-3)));
            result.lambdas.resize(grid.count);
            for (Eigen::Index k = 0; k < grid.count; ++k)
                result.lambdas(k) = grid.count == 1
                                        ? top
                                        : top * std::pow(grid.min_ratio, T(k) / T(grid.count - 1));
        }
        result.solution = solver.solve(result.lambdas, grid.progress);
        result.lambdas.conservativeResize(result.solution.working_coefs.cols());
        return result;
    };
    const Eigen::Index n = problem.design.rows(), p = problem.design.cols();
    if (problem.gram.size() > 0 || use_covariance(settings.mode, n, p)) {
        GramWorkspace<T> workspace(problem, settings.threads);
        return run(workspace);
    }
    NaiveWorkspace<T> workspace(problem, settings.threads);
    return run(workspace);
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PATH_DRIVER_HPP
