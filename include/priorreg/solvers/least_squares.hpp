#ifndef PRIORREG_SOLVERS_LEAST_SQUARES_HPP
#define PRIORREG_SOLVERS_LEAST_SQUARES_HPP

/// \file least_squares.hpp
/// \brief Ordinary least squares by column-pivoted Householder QR, never the normal equations.
///
/// The design is centered and equilibrated (unit-norm columns) first, which makes the rank
/// decision scale-free. Full rank: the QR solution with one step of iterative refinement; when
/// the perturbation bound says double precision would lose digits, the whole solve is repeated
/// in extended precision. Rank deficient: the minimum-norm solution in the original coefficient
/// scale, from the basic QR solution and the null space the factorization exposes.

#include <Eigen/Core>
#include <Eigen/QR>
#include <cmath>

#include "../detail/numeric.hpp"
#include "../detail/standardize.hpp"

namespace priorreg::detail {

/// Solves \f$\min_\gamma\|b - A\gamma\|\f$ by column-pivoted QR; among the minimizers it returns
/// the one with the smallest \f$\|\mathrm{diag}(d)\,\gamma\|\f$.
template <class U>
Vector<U> weighted_minimum_norm_solve(const Eigen::ColPivHouseholderQR<Matrix<U>>& qr,
                                      const Matrix<U>& A, const Vector<U>& b,
                                      const Vector<U>& norm_weights) {
    using std::abs;
    const Eigen::Index p = qr.cols(), rank = qr.rank();
    if (rank == p)
        return qr.solve(b);
    // The basic solution on `rank` independent columns, P [R11^{-1} (Q^T b)_1; 0], and the null
    // space P [-R11^{-1} R12; I]. Not qr.solve(b): that uses every pivot above a much smaller
    // cut-off than rank()'s, so it would divide by the pivots of rounding size that rank()
    // declared zero.
    //
    // Which columns: a minimum-norm solution leans on the cheap ones (small weight), so the
    // basis is taken in the pivot order of A diag(1/d) when its first `rank` columns are
    // independent (its leading pivots keep half the digits); else in qr's own order. From a
    // basis of expensive columns (a column of 1e-221 beside duplicates of 1e-10), the step
    // along the null space would have to move across weights 1e200 apart, beyond double.
    using Permutation = typename Eigen::ColPivHouseholderQR<Matrix<U>>::PermutationType;
    Permutation order = qr.colsPermutation();
    Matrix<U> R = qr.matrixQR().topRows(rank);
    Vector<U> rotated = qr.householderQ().adjoint() * b;
    if (rank > 0) { // (rank 0: every column is zero, the solution is 0)
        const Eigen::ColPivHouseholderQR<Matrix<U>> cheap(A *
                                                          norm_weights.cwiseInverse().asDiagonal());
        const Permutation cheap_order = cheap.colsPermutation();
        const Eigen::HouseholderQR<Matrix<U>> basis(A * cheap_order);
        const auto leading = basis.matrixQR().diagonal().head(rank).cwiseAbs();
        const U largest = abs(qr.matrixQR()(0, 0));
        if (leading.minCoeff() > std::sqrt(qr.threshold()) * largest) {
            order = cheap_order;
            R = basis.matrixQR().topRows(rank).template triangularView<Eigen::Upper>();
            rotated = basis.householderQ().adjoint() * b;
        }
    }
    Vector<U> pivoted = Vector<U>::Zero(p);
    pivoted.head(rank) =
        R.leftCols(rank).template triangularView<Eigen::Upper>().solve(rotated.head(rank));
    const Vector<U> basic = order * pivoted;
    Matrix<U> upper(p, p - rank);
    upper.topRows(rank) =
        -R.leftCols(rank).template triangularView<Eigen::Upper>().solve(R.rightCols(p - rank));
    upper.bottomRows(p - rank).setIdentity();
    Matrix<U> null_space = order * upper;
    // Entries at the rank threshold relative to their null vector are rounding (a dependence
    // that small is indistinguishable from none): zero them, or weights spanning many orders
    // of magnitude (columns at 1e-150 next to columns at 1) would blow them up.
    for (Eigen::Index k = 0; k < null_space.cols(); ++k) {
        const U cutoff = qr.threshold() * null_space.col(k).cwiseAbs().maxCoeff();
        for (Eigen::Index i = 0; i < p; ++i)
            if (abs(null_space(i, k)) <= cutoff)
                null_space(i, k) = U(0);
    }
    // Move along the null space to minimize the weighted norm. Its weighted directions are
    // independent (the identity block) but can differ in size by the weights' range: each is
    // scaled to unit size first, so that no direction is mistaken for a dependent one.
    Matrix<U> weighted_null = norm_weights.asDiagonal() * null_space;
    Vector<U> direction_scale(weighted_null.cols());
    for (Eigen::Index k = 0; k < weighted_null.cols(); ++k) {
        direction_scale(k) = weighted_null.col(k).cwiseAbs().maxCoeff();
        weighted_null.col(k) /= direction_scale(k);
    }
    // The least-squares step is backward stable relative to the whole weighted vector, so a
    // component of 1e150 leaves errors of 1e134 in the others: repeat the step on what is left
    // (each pass shrinks that error by about eps) until it stops changing the weighted vector.
    const Eigen::ColPivHouseholderQR<Matrix<U>> step_solver(weighted_null);
    Vector<U> solution = basic;
    for (int pass = 0; pass < 64; ++pass) {
        const Vector<U> weighted = norm_weights.cwiseProduct(solution);
        const Vector<U> change =
            null_space * step_solver.solve(weighted).cwiseQuotient(direction_scale);
        solution -= change;
        const U moved = norm_weights.cwiseProduct(change).cwiseAbs().maxCoeff();
        const U left = norm_weights.cwiseProduct(solution).cwiseAbs().maxCoeff();
        if (!(moved > U(4) * Eigen::NumTraits<U>::epsilon() * left))
            break;
    }
    // Moving along the null space leaves the fit unchanged in exact arithmetic. Where the
    // weights span so many orders of magnitude that the computed null directions are no longer
    // null for A (scales beyond 1e200 apart), keep the basic solution: a least-squares
    // solution, if not the one of minimum norm.
    const U basic_residual = (b - A * basic).norm(), residual = (b - A * solution).norm();
    if (!(residual <= basic_residual + U(64) * Eigen::NumTraits<U>::epsilon() * b.norm()))
        return basic;
    return solution;
}

template <class T> struct LeastSquaresResult {
    Vector<T> coef;
    T intercept = T(0);
    Eigen::Index rank = 0; ///< rank of the design, counting the intercept column
    T condition = T(1);    ///< ratio of the largest to the smallest retained pivot of R
    /// First-order bound on the relative error of the solve: \f$\epsilon\kappa(1 + \kappa
    /// \tan\theta)\f$ with \f$\tan\theta = \|r\|/\|b - r\|\f$ (Wedin's perturbation bound for
    /// least squares; the \f$\kappa^2\f$ term dominates when the residual is large).
    T error_bound = T(0);
    bool full_rank = true; ///< every non-constant column is linearly independent
};

/// Relative error bound above which a double solve is repeated in extended precision.
inline constexpr double extended_precision_trigger = 1e-12;

template <class U, class DX, class DY, class T>
LeastSquaresResult<U> least_squares_in(const Eigen::MatrixBase<DX>& X,
                                       const Eigen::MatrixBase<DY>& y,
                                       const Vector<T>& unit_weights, bool fit_intercept) {
    // The solution is linear in y: a y beyond 2^+-300 is brought to that size by a power of two
    // (exact), since Householder reflections square its entries, which underflow below 1e-154
    // (y of order 1e-200 would look like 0) and overflow above 1e154. Not to unit size: its
    // products with tiny weights would become subnormal. Rows of weight 0 are set to 0: they do
    // not take part, and scaled up they could overflow.
    const Vector<U> weights = unit_weights.template cast<U>();
    const Vector<U> response = y.template cast<U>();
    const U y_magnitude = (weights.array() > U(0)).select(response.cwiseAbs(), U(0)).maxCoeff();
    int y_exponent = 0;
    if (y_magnitude > U(0))
        std::frexp(y_magnitude, &y_exponent);
    constexpr int largest_safe_exponent = 300;
    y_exponent = y_exponent > largest_safe_exponent    ? y_exponent - largest_safe_exponent
                 : y_exponent < -largest_safe_exponent ? y_exponent + largest_safe_exponent
                                                       : 0;
    const Vector<U> unit_response =
        (weights.array() > U(0))
            .select(response.unaryExpr([y_exponent](U v) { return std::ldexp(v, -y_exponent); }),
                    U(0));
    const StandardizedProblem<U> problem =
        standardize<U>(X, unit_response, weights, fit_intercept, true);
    const Matrix<U>& A = problem.design;
    const Eigen::Index p = A.cols();

    const Eigen::ColPivHouseholderQR<Matrix<U>> qr(A);
    LeastSquaresResult<U> result;
    const Eigen::Index rank = qr.rank();
    result.rank = rank + (fit_intercept ? 1 : 0);
    using std::abs;
    if (rank > 0) {
        const auto& R = qr.matrixQR();
        result.condition = abs(R(0, 0)) / abs(R(rank - 1, rank - 1));
    }
    Eigen::Index usable = 0;
    for (Eigen::Index j = 0; j < p; ++j)
        usable += problem.curvature(j) > U(0) ? 1 : 0;
    result.full_rank = rank == usable;

    // Minimum norm in the original scale: beta_j = gamma_j / s_j.
    const Vector<U> norm_weights = problem.x_scale.cwiseInverse();
    // One step of iterative refinement (the correction is itself a minimum-norm solve).
    Vector<U> working = weighted_minimum_norm_solve(qr, A, problem.response, norm_weights);
    const Vector<U> residual = problem.response - A * working;
    working += weighted_minimum_norm_solve(qr, A, residual, norm_weights);
    if (result.full_rank) {
        const Vector<U> final_residual = problem.response - A * working;
        const U fitted_norm = (problem.response - final_residual).norm();
        const U tan_theta = fitted_norm > U(0) ? final_residual.norm() / fitted_norm : U(0);
        result.error_bound = Eigen::NumTraits<U>::epsilon() * result.condition *
                             (U(1) + result.condition * tan_theta);
    }
    back_transform(problem, working, result.coef, result.intercept);
    result.coef = result.coef.unaryExpr([y_exponent](U v) { return std::ldexp(v, y_exponent); });
    result.intercept = std::ldexp(result.intercept, y_exponent);
    return result;
}

/// Least squares in the compute scalar `T`, repeated in extended precision when needed.
template <class T, class DX, class DY>
LeastSquaresResult<T> least_squares(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                                    const Vector<T>& unit_weights, bool fit_intercept) {
    LeastSquaresResult<T> result = least_squares_in<T>(X, y, unit_weights, fit_intercept);
    if constexpr (has_wider_long_double<T>) {
        if (result.full_rank && result.error_bound > T(extended_precision_trigger)) {
            const auto extended = least_squares_in<long double>(X, y, unit_weights, fit_intercept);
            if (extended.full_rank) {
                result.coef = extended.coef.template cast<T>();
                result.intercept = static_cast<T>(extended.intercept);
            }
        }
    }
    return result;
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_LEAST_SQUARES_HPP
