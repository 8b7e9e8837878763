#ifndef PRIORREG_DETAIL_RIDGE_SOLVER_HPP
#define PRIORREG_DETAIL_RIDGE_SOLVER_HPP

/// \file ridge_solver.hpp
/// \brief Closed-form ridge on the working problem: Cholesky of the Gram \f$A^TA + L\f$ when
/// \f$n \ge p\f$, of the dual \f$A L^{-1} A^T + I\f$ when \f$p > n\f$. No explicit inverse.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>

#include "least_squares.hpp"
#include "numeric.hpp"
#include "standardize.hpp"

namespace priorreg::detail {

/// Solves \f$\min_\beta \tfrac12\|b - A\beta\|^2 + \tfrac12\sum_j l_{2,j}\beta_j^2\f$.
/// Columns held at zero (curvature 0) stay at zero. Returns false when the system is singular
/// (unpenalized columns that are collinear); the minimum-norm solution of the augmented least
/// squares problem is then returned instead.
template <class T>
bool ridge_closed_form(const StandardizedProblem<T>& problem, const Vector<T>& l2,
                       Vector<T>& working) {
    const Matrix<T>& A = problem.design;
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

    if (p > n && all_penalized) {
        const Vector<T> inverse_root = ridge.cwiseSqrt().cwiseInverse();
        const Matrix<T> scaled = A * inverse_root.asDiagonal();
        Matrix<T> dual = Matrix<T>::Identity(n, n);
        dual.template selfadjointView<Eigen::Lower>().rankUpdate(scaled);
        Eigen::LLT<Matrix<T>, Eigen::Lower> cholesky(dual);
        if (cholesky.info() == Eigen::Success) {
            working =
                inverse_root.asDiagonal() * (scaled.transpose() * cholesky.solve(problem.response));
            return true;
        }
    } else {
        Matrix<T> gram = Matrix<T>::Zero(p, p);
        gram.template selfadjointView<Eigen::Lower>().rankUpdate(A.transpose());
        gram.diagonal() += ridge;
        Eigen::LLT<Matrix<T>, Eigen::Lower> cholesky(gram);
        if (cholesky.info() == Eigen::Success) {
            working = cholesky.solve(A.transpose() * problem.response);
            return true;
        }
    }
    // Singular: least squares on [A; diag(sqrt(l2))], minimum norm.
    Matrix<T> augmented(n + p, p);
    augmented << A, Matrix<T>(ridge.cwiseSqrt().asDiagonal());
    Vector<T> target = Vector<T>::Zero(n + p);
    target.head(n) = problem.response;
    const Eigen::ColPivHouseholderQR<Matrix<T>> qr(augmented);
    working = weighted_minimum_norm_solve(qr, target, Vector<T>(Vector<T>::Ones(p)));
    for (Eigen::Index j = 0; j < p; ++j)
        if (problem.curvature(j) == T(0))
            working(j) = T(0);
    return false;
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_RIDGE_SOLVER_HPP
