#ifndef PRIORREG_SOLVERS_RIDGE_SOLVER_HPP
#define PRIORREG_SOLVERS_RIDGE_SOLVER_HPP

/// \file ridge_solver.hpp
/// \brief Closed-form ridge on the working problem: Cholesky of the Gram \f$A^TA + L\f$ when
/// \f$n \ge p\f$, of the dual \f$A L^{-1} A^T + I\f$ when \f$p > n\f$. No explicit inverse.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <utility>

#include "../detail/gram.hpp"
#include "../detail/numeric.hpp"
#include "../detail/standardize.hpp"
#include "least_squares.hpp"

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
    bool certified = false; ///< the caller's certificate (duality gap) holds
    /// The problem came as a Gram or a kernel only (`WorkingForm::gram`, `WorkingForm::kernel`)
    /// and its Cholesky solution is not certified: solve again on the working design.
    bool needs_design = false;
};

/// True when a Cholesky factorization kept at least half the digits: each pivot, squared, is at
/// least sqrt(eps) times its diagonal entry. Below that, the rounding of the sums the system was
/// formed from (A^T A or A A^T: eps times the diagonal) is as large as what the factorization
/// resolves, and what is derived from those sums instead of the data cannot be trusted.
template <class T, class Factor>
bool keeps_half_the_digits(const Factor& cholesky, const Vector<T>& diagonal) {
    const auto pivots = cholesky.matrixLLT().diagonal();
    const T threshold = std::sqrt(Eigen::NumTraits<T>::epsilon());
    return (pivots.array().square() >= threshold * diagonal.array()).all();
}

/// S x for a symmetric S kept as its strict upper triangle (the lower one holding its Cholesky
/// factor) and its diagonal.
template <class T>
Vector<T> kept_symmetric_product(const Matrix<T>& kept, const Vector<T>& diagonal,
                                 const Vector<T>& x) {
    return kept.template triangularView<Eigen::StrictlyUpper>() * x +
           kept.template triangularView<Eigen::StrictlyUpper>().transpose() * x +
           diagonal.cwiseProduct(x);
}

/// The gap's statistics from the residual b - A beta itself: one pass over the data, exact to
/// rounding of the residual's own size.
template <class T>
void set_from_residual(const Matrix<T>& A, const Vector<T>& beta, const Vector<T>& b,
                       RidgeSolution<T>& solution) {
    const Vector<T> residual = b - A * beta;
    solution.gradient.noalias() = A.transpose() * residual;
    solution.gradient_uncertainty.resize(0);
    solution.residual_norm2 = residual.squaredNorm();
    solution.response_dot_residual = b.dot(residual);
}

/// The column factors f of the dual kernel A diag(f)^2 A^T for penalties `l2`, all positive:
/// empty when they are equal (the kernel is A A^T, shifted by the penalty), else l2^(-1/2) (the
/// kernel is shifted by 1).
template <class T> Vector<T> dual_kernel_factors(const Vector<T>& l2) {
    if ((l2.array() == l2(0)).all())
        return Vector<T>();
    return l2.cwiseSqrt().cwiseInverse();
}

/// What a Cholesky attempt leaves: a final answer (certified, or sent back for the design),
/// or the QR fallback to run.
enum class RidgeAttempt { done, fall_back };

/// The dual solve (p > n, every coordinate penalized): with \f$A' = A\,\mathrm{diag}(r)^{-1/2}\f$
/// (r = `ridge`), \f$\beta = \mathrm{diag}(r)^{-1/2}A'^T(A'A'^T + I)^{-1}b\f$; with equal
/// penalties, \f$A^T(AA^T + rI)^{-1}b\f$ on the unscaled design. `factored` says whether
/// Cholesky succeeded.
template <class T, class Certify, class TransposeProduct>
RidgeAttempt ridge_dual(StandardizedProblem<T>& problem, const Vector<T>& l2,
                        const Vector<T>& ridge, Vector<T>& working, int threads,
                        const Certify& certify, const TransposeProduct& design_transpose_product,
                        RidgeSolution<T>& solution, bool& factored) {
    Matrix<T>& A = problem.design;
    const Vector<T>& b = problem.response;
    const Eigen::Index n = b.size();
    const bool kernel_only = A.size() == 0;
    // The kernel form's factors are l2^(-1/2): equal to these but on held columns, zero in A.
    const bool equal =
        kernel_only ? dual_kernel_factors(l2).size() == 0 : (ridge.array() == ridge(0)).all();
    const Vector<T> inverse_root = ridge.cwiseSqrt().cwiseInverse();
    // A A^T + shift I (equal: unscaled A)
    const T shift = !equal ? T(1) : kernel_only ? l2(0) : ridge(0);
    Matrix<T> kernel;
    if (kernel_only) {
        kernel = std::move(problem.kernel);
    } else {
        if (!equal)
            A = A * inverse_root.asDiagonal();
        kernel = Matrix<T>::Zero(n, n);
        lower_gram(A, kernel, threads);
    }
    // The lower triangle is factored in place; the strict upper triangle and the saved
    // diagonal keep the kernel for the residual.
    kernel.template triangularView<Eigen::StrictlyUpper>() = kernel.transpose();
    const Vector<T> kernel_diagonal = kernel.diagonal();
    kernel.diagonal().array() += shift;
    const Vector<T> system_diagonal = kernel.diagonal();
    Eigen::LLT<Eigen::Ref<Matrix<T>>, Eigen::Lower> cholesky(kernel);
    if (cholesky.info() == Eigen::Success) {
        factored = true;
        const bool resolved = keeps_half_the_digits(cholesky, system_diagonal);
        if (kernel_only && !resolved) {
            solution.needs_design = true;
            return RidgeAttempt::done;
        }
        const Vector<T> u = cholesky.solve(b);
        if (!kernel_only) {
            transpose_product(A, u, working, threads);
        } else {
            design_transpose_product(u, working);
            if (!equal)
                working = working.cwiseProduct(inverse_root);
        }
        if (resolved) {
            // Residual b - A beta = b - (A A^T) u, from the kernel. Were the solve exact it
            // would be shift * u, and the gradient A^T r = shift * beta: no second pass over
            // the data. The solve's own residual e = r - shift * u moves gradient j by at most
            // ||A_j|| ||e|| (Cauchy-Schwarz), which the gap takes as an uncertainty; in the
            // unscaled columns ||A_j|| = sqrt(c_j).
            const Vector<T> residual = b - kept_symmetric_product(kernel, kernel_diagonal, u);
            const T solve_error = (residual - shift * u).norm();
            solution.gradient = shift * working;
            solution.gradient_uncertainty = problem.curvature.cwiseSqrt() * solve_error;
            solution.residual_norm2 = residual.squaredNorm();
            solution.response_dot_residual = b.dot(residual);
        } else {
            set_from_residual(A, working, b, solution);
        }
        if (!equal) {
            working = inverse_root.cwiseProduct(working);
            solution.gradient = solution.gradient.cwiseQuotient(inverse_root);
        }
        solution.certified = certify(solution, working);
        if (solution.certified)
            return RidgeAttempt::done;
    }
    if (kernel_only) {
        solution.needs_design = true;
        return RidgeAttempt::done;
    }
    if (!equal)
        A = A * ridge.cwiseSqrt().asDiagonal(); // undo for the fallback
    return RidgeAttempt::fall_back;
}

/// The primal solve: Cholesky of \f$A^TA + \mathrm{diag}(r)\f$, its lower triangle factored in
/// place, its strict upper triangle and the saved diagonal keeping \f$A^TA\f$ for the gap.
/// Given as a Gram only, there is no design to fall back on: any doubt is sent back.
template <class T, class Certify>
RidgeAttempt ridge_primal(StandardizedProblem<T>& problem, const Vector<T>& ridge,
                          Vector<T>& working, int threads, const Certify& certify,
                          RidgeSolution<T>& solution, bool& factored) {
    const Matrix<T>& A = problem.design;
    const Vector<T>& b = problem.response;
    const T b_norm2 = b.squaredNorm();
    const bool gram_only = A.size() == 0;
    Matrix<T> gram = gram_only ? std::move(problem.gram) // a fallback builds the problem anew
                               : symmetric_gram<T>(A.transpose(), threads);
    const Vector<T> gram_diagonal = gram.diagonal();
    const Vector<T> correlation = gram_only ? problem.correlation : Vector<T>(A.transpose() * b);
    gram.diagonal() += ridge;
    Eigen::LLT<Eigen::Ref<Matrix<T>>, Eigen::Lower> cholesky(gram);
    if (cholesky.info() == Eigen::Success) {
        factored = true;
        working = cholesky.solve(correlation);
        if (keeps_half_the_digits(cholesky, Vector<T>(gram_diagonal + ridge))) {
            const Vector<T> gram_beta = kept_symmetric_product(gram, gram_diagonal, working);
            solution.gradient = correlation - gram_beta;
            const T beta_correlation = working.dot(correlation);
            solution.residual_norm2 =
                std::max(b_norm2 - T(2) * beta_correlation + working.dot(gram_beta), T(0));
            solution.response_dot_residual = b_norm2 - beta_correlation;
            solution.certified = certify(solution, working);
        } else if (!gram_only) {
            set_from_residual(A, working, b, solution);
            solution.certified = certify(solution, working);
        }
        if (solution.certified)
            return RidgeAttempt::done;
    }
    if (gram_only) {
        solution.needs_design = true;
        return RidgeAttempt::done;
    }
    return RidgeAttempt::fall_back;
}

/// The fallback for singular or ill-conditioned systems: least squares on
/// \f$[A; \mathrm{diag}(\sqrt r)]\f$, minimum norm. Its columns are scaled to unit norm first:
/// each is anchored by its own penalty row, and the rank decision of the QR must not weigh a
/// column of norm 1e4 against one of 1e151.
template <class T, class Certify>
void ridge_augmented_least_squares(const StandardizedProblem<T>& problem, const Vector<T>& ridge,
                                   Vector<T>& working, const Certify& certify,
                                   RidgeSolution<T>& solution) {
    const Matrix<T>& A = problem.design;
    const Vector<T>& b = problem.response;
    const Eigen::Index n = b.size(), p = ridge.size();
    Matrix<T> augmented(n + p, p);
    augmented << A, Matrix<T>(ridge.cwiseSqrt().asDiagonal());
    Vector<T> column_norm(p);
    for (Eigen::Index j = 0; j < p; ++j) {
        column_norm(j) = augmented.col(j).stableNorm();
        augmented.col(j) /= column_norm(j);
    }
    Vector<T> target = Vector<T>::Zero(n + p);
    target.head(n) = b;
    const Eigen::ColPivHouseholderQR<Matrix<T>> qr(augmented);
    // Minimum ||beta|| with beta_j = gamma_j / column_norm_j.
    working =
        weighted_minimum_norm_solve(qr, augmented, target, Vector<T>(column_norm.cwiseInverse()))
            .cwiseQuotient(column_norm);
    for (Eigen::Index j = 0; j < p; ++j)
        if (!problem.has_data(j))
            working(j) = T(0);
    set_from_residual(A, working, b, solution);
    solution.certified = certify(solution, working);
}

/// Solves \f$\min_\beta \tfrac12\|b - A\beta\|^2 + \tfrac12\sum_j l_{2,j}\beta_j^2\f$ by Cholesky
/// (dual when p > n and every coordinate is penalized, else primal). Columns held at zero
/// (curvature 0) stay at zero. `certify(solution, working)` says whether a solution meets the
/// caller's certificate: a Cholesky solution that does not (a system too ill-conditioned for
/// it, say a penalty of 1e-35 on collinear columns) is replaced by the backward-stable QR
/// solution of the augmented least-squares problem; `definite` is false when Cholesky failed
/// (collinear unpenalized columns). May scale `problem.design` in place (p > n with unequal
/// penalties): the design is consumed.
///
/// A problem given without its design, as a Gram (`WorkingForm::gram`, n >= p) or a kernel
/// (`WorkingForm::kernel`, p > n, every l2 positive, built with `dual_kernel_factors(l2)`), is
/// consumed too; `design_transpose_product(u, out)` forms A^T u for the kernel form. Any doubt
/// about a solution from either is sent back (`needs_design`): there is no design to fall back on.
template <class T, class Certify, class TransposeProduct>
RidgeSolution<T> ridge_closed_form(StandardizedProblem<T>& problem, const Vector<T>& l2,
                                   Vector<T>& working, int threads, const Certify& certify,
                                   const TransposeProduct& design_transpose_product) {
    const Eigen::Index n = problem.response.size(), p = problem.curvature.size();
    // Held columns are zero in A; a unit penalty keeps the system definite and their
    // coefficient at exactly zero.
    Vector<T> ridge = l2;
    bool all_penalized = true;
    for (Eigen::Index j = 0; j < p; ++j) {
        if (!problem.has_data(j))
            ridge(j) = T(1);
        all_penalized = all_penalized && ridge(j) > T(0);
    }
    RidgeSolution<T> solution;
    const bool dual = p > n && all_penalized;
    const bool kernel_only = problem.design.size() == 0 && problem.kernel.size() > 0;
    if (kernel_only && !dual) {
        solution.needs_design = true;
        return solution;
    }
    bool factored = false; // a Cholesky factorization succeeded
    const RidgeAttempt attempt =
        dual ? ridge_dual(problem, l2, ridge, working, threads, certify, design_transpose_product,
                          solution, factored)
             : ridge_primal(problem, ridge, working, threads, certify, solution, factored);
    if (attempt == RidgeAttempt::done)
        return solution;
    ridge_augmented_least_squares(problem, ridge, working, certify, solution);
    // Singular only when Cholesky failed; a solution that just missed the certificate came
    // from a definite system.
    solution.definite = factored;
    return solution;
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_RIDGE_SOLVER_HPP
