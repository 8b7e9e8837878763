#ifndef PRIORREG_SOLVERS_PATH_REFIT_HPP
#define PRIORREG_SOLVERS_PATH_REFIT_HPP

/// \file path_refit.hpp
/// \brief The solution at one \f$\lambda\f$ off a path's grid, on the working problem the path
/// kept, warm-started from the path's nearest solution (`Path::coef_at`).

#include <Eigen/Core>
#include <type_traits>

#include "../detail/numeric.hpp"
#include "../detail/sparse_design.hpp"
#include "../detail/standardize.hpp"
#include "../priors/prior_contract.hpp"
#include "path_driver.hpp"
#include "path_solver.hpp"
#include "sparse_workspace.hpp"
#include "workspaces.hpp"

namespace priorreg::detail {

/// The solution at `lambda` on `problem` (kept whole by `solve_path(..., keep_problem)`),
/// certified by its duality gap as on the path. A ridge path's problem is solved in closed form
/// again; otherwise coordinate descent starts from `start`, the working-scale coefficients of a
/// nearby lambda. The problem is only read: on its design through the naive workspace, or on a
/// copy of its Gram when it has no design.
template <class Prior, class T>
PathRun<T> solve_at(const Prior& prior, const StandardizedProblem<T>& problem,
                    const Vector<T>& penalty_factors, T alpha, const SolveSettings<T>& settings,
                    T lambda, const Vector<T>& start) {
    GridRequest<T> single;
    single.explicit_lambdas = Vector<T>::Constant(1, lambda);
    PathRun<T> result;
    if constexpr (capabilities_v<Prior>.quadratic_without_l1) {
        if (alpha == T(0) && problem.lower.size() == 0 &&
            ridge_path(prior, problem, penalty_factors, settings, single, result))
            return result;
    }
    const auto run = [&](auto& workspace, const StandardizedProblem<T>& on) {
        using Workspace = std::decay_t<decltype(workspace)>;
        PathSolver<Prior, T, Workspace> solver(prior, on, workspace, penalty_factors, alpha,
                                               settings.tolerance, settings.max_iterations);
        solver.start_from(start);
        result.lambdas = single.explicit_lambdas;
        result.solution = solver.solve(result.lambdas);
    };
    if (problem.design.size() > 0) {
        NaiveWorkspace<T> workspace(problem, settings.threads);
        run(workspace, problem);
    } else {
        StandardizedProblem<T> statistics = problem; // its Gram moves into the workspace
        GramWorkspace<T> workspace(statistics, settings.threads);
        run(workspace, statistics);
    }
    return result;
}

/// `solve_at` on a sparse X's problem: through its Gram when the path kept one (covariance
/// mode), else on X's storage.
template <class Prior, class T, class S>
PathRun<T> solve_sparse_at(const Prior& prior, const StandardizedProblem<T>& problem,
                           const SparseColumnMatrix<S>& X, const Vector<T>& penalty_factors,
                           T alpha, const SolveSettings<T>& settings, T lambda,
                           const Vector<T>& start) {
    if (problem.gram.size() > 0)
        return solve_at(prior, problem, penalty_factors, alpha, settings, lambda, start);
    PathRun<T> result;
    result.lambdas = Vector<T>::Constant(1, lambda);
    SparseWorkspace<T, S> workspace(X, problem, settings.threads);
    PathSolver<Prior, T, SparseWorkspace<T, S>> solver(prior, problem, workspace, penalty_factors,
                                                       alpha, settings.tolerance,
                                                       settings.max_iterations);
    solver.start_from(start);
    result.solution = solver.solve(result.lambdas);
    return result;
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PATH_REFIT_HPP
