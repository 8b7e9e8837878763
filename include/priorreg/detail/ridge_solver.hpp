#ifndef PRIORREG_DETAIL_RIDGE_SOLVER_HPP
#define PRIORREG_DETAIL_RIDGE_SOLVER_HPP

/// \file ridge_solver.hpp
/// \brief Closed-form ridge on the working problem: Cholesky of the Gram \f$A^TA + L\f$ when
/// \f$n \ge p\f$, of the dual \f$A L^{-1} A^T + I\f$ when \f$p > n\f$. No explicit inverse.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>

#include <algorithm>

#include "least_squares.hpp"
#include "numeric.hpp"
#include "standardize.hpp"
#include "workspaces.hpp"

namespace priorreg::detail {

/// A ridge solution with what the duality gap needs, computed from the factored systems
/// rather than by extra passes over the data where possible.
template <class T> struct RidgeSolution {
    bool definite = true;    ///< false: singular system, minimum-norm fallback
    T residual_norm2 = T(0); ///< ||b - A beta||^2
    T response_dot_residual = T(0);
    Vector<T> gradient; ///< A^T (b - A beta), to within `gradient_uncertainty`
    /// Empty when `gradient` is exact; else a bound on each entry's error (see the dual).
    Vector<T> gradient_uncertainty;
};

/// Solves \f$\min_\beta \tfrac12\|b - A\beta\|^2 + \tfrac12\sum_j l_{2,j}\beta_j^2\f$.
/// Columns held at zero (curvature 0) stay at zero. When the system is singular (collinear
/// unpenalized columns) the minimum-norm solution of the augmented least-squares problem is
/// returned and `definite` is false. May scale `problem.design` in place (p > n with unequal
/// penalties): the design is consumed.
template <class T>
RidgeSolution<T> ridge_closed_form(StandardizedProblem<T>& problem, const Vector<T>& l2,
                                   Vector<T>& working, int threads = 1) {
    Matrix<T>& A = problem.design;
    const Vector<T>& b = problem.response;
    const Eigen::Index n = A.rows(), p = A.cols();
    // Held columns are zero in A; a unit penalty keeps the system definite and their
    // coefficient at exactly zero.
    Vector<T> ridge = l2;
    bool all_penalized = true;
    for (Eigen::Index j = 0; j < p; ++j) {
        if (problem.curvature(j) == T(0))
            ridge(j) = T(1);
        all_penalized = all_penalized && ridge(j) > T(0);
    }
    RidgeSolution<T> solution;
    const T b_norm2 = b.squaredNorm();

    if (p > n && all_penalized) {
        // Dual: with A' = A diag(ridge)^(-1/2), beta = diag(ridge)^(-1/2) A'^T (A'A'^T + I)^(-1) b.
        const bool equal = (ridge.array() == ridge(0)).all();
        const Vector<T> inverse_root = ridge.cwiseSqrt().cwiseInverse();
        if (!equal)
            A = A * inverse_root.asDiagonal();
        const T shift = equal ? ridge(0) : T(1); // A A^T + shift I (equal: unscaled A)
        Matrix<T> kernel = Matrix<T>::Zero(n, n);
        kernel.template selfadjointView<Eigen::Lower>().rankUpdate(A);
        Matrix<T> system = kernel;
        system.diagonal().array() += shift;
        Eigen::LLT<Matrix<T>, Eigen::Lower> cholesky(system);
        if (cholesky.info() == Eigen::Success) {
            const Vector<T> u = cholesky.solve(b);
            transpose_product(A, u, working, threads);
            // Residual b - A beta = b - (A A^T) u, from the kernel. Were the solve exact it
            // would be shift * u, and the gradient A^T r = shift * beta: no second pass over
            // the data. The solve's own residual e = r - shift * u moves gradient j by at most
            // ||A_j|| ||e|| (Cauchy-Schwarz), which the gap takes as an uncertainty.
            const Vector<T> residual = b - kernel.template selfadjointView<Eigen::Lower>() * u;
            const T solve_error = (residual - shift * u).norm();
            solution.gradient = shift * working;
            if (!equal) {
                working = inverse_root.cwiseProduct(working);
                solution.gradient = solution.gradient.cwiseQuotient(inverse_root);
            }
            // In the unscaled columns: ||A_j|| = sqrt(c_j).
            solution.gradient_uncertainty = problem.curvature.cwiseSqrt() * solve_error;
            solution.residual_norm2 = residual.squaredNorm();
            solution.response_dot_residual = b.dot(residual);
            return solution;
        }
        if (!equal)
            A = A * ridge.cwiseSqrt().asDiagonal(); // undo for the fallback
    } else {
        // Primal: the Gram's lower triangle is factored in place; its strict upper triangle
        // and the saved diagonal keep A^T A for the gap.
        Matrix<T> gram = Matrix<T>::Zero(p, p);
        gram.template selfadjointView<Eigen::Lower>().rankUpdate(A.transpose());
        gram.template triangularView<Eigen::StrictlyUpper>() = gram.transpose();
        const Vector<T> gram_diagonal = gram.diagonal();
        const Vector<T> correlation = A.transpose() * b;
        gram.diagonal() += ridge;
        Eigen::LLT<Eigen::Ref<Matrix<T>>, Eigen::Lower> cholesky(gram);
        if (cholesky.info() == Eigen::Success) {
            working = cholesky.solve(correlation);
            const Vector<T> gram_beta =
                gram.template triangularView<Eigen::StrictlyUpper>() * working +
                gram.template triangularView<Eigen::StrictlyUpper>().transpose() * working +
                gram_diagonal.cwiseProduct(working);
            solution.gradient = correlation - gram_beta;
            const T beta_correlation = working.dot(correlation);
            solution.residual_norm2 =
                std::max(b_norm2 - T(2) * beta_correlation + working.dot(gram_beta), T(0));
            solution.response_dot_residual = b_norm2 - beta_correlation;
            return solution;
        }
    }
    // Singular: least squares on [A; diag(sqrt(l2))], minimum norm.
    Matrix<T> augmented(n + p, p);
    augmented << A, Matrix<T>(ridge.cwiseSqrt().asDiagonal());
    Vector<T> target = Vector<T>::Zero(n + p);
    target.head(n) = b;
    const Eigen::ColPivHouseholderQR<Matrix<T>> qr(augmented);
    working = weighted_minimum_norm_solve(qr, augmented, target, Vector<T>(Vector<T>::Ones(p)));
    for (Eigen::Index j = 0; j < p; ++j)
        if (problem.curvature(j) == T(0))
            working(j) = T(0);
    const Vector<T> residual = b - A * working;
    solution.definite = false;
    solution.gradient.noalias() = A.transpose() * residual;
    solution.residual_norm2 = residual.squaredNorm();
    solution.response_dot_residual = b.dot(residual);
    return solution;
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_RIDGE_SOLVER_HPP
