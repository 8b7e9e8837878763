#ifndef PRIORREG_DETAIL_LEAST_SQUARES_HPP
#define PRIORREG_DETAIL_LEAST_SQUARES_HPP

/// \file least_squares.hpp
/// \brief Ordinary least squares by column-pivoted Householder QR, never the normal equations.
///
/// The design is centered and equilibrated (unit-norm columns) first, which makes the
/// rank decision scale-free. Full rank: the QR solution with one step of iterative refinement;
/// when the estimated condition number says double precision would lose digits, the whole
/// solve is repeated in extended precision. Rank deficient: the minimum-norm solution
/// (in the original coefficient scale) from a truncated SVD at the rank QR revealed.

#include <Eigen/Core>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <cmath>

#include "numeric.hpp"
#include "standardize.hpp"

namespace priorreg::detail {

template <class T>
struct LeastSquaresResult {
    Vector<T> coef;
    T intercept = T(0);
    Eigen::Index rank = 0;  ///< rank of the design, counting the intercept column
    T condition = T(1);     ///< ratio of the largest to the smallest retained pivot of R
};

/// Condition number above which a double solve is repeated in extended precision. QR loses
/// about log10(condition) digits (twice that when the residual is large), so beyond 1e3 the
/// extended solve is what keeps every coefficient at 12 or more digits.
inline constexpr double extended_precision_condition = 1e3;

template <class U, class DX, class DY, class T>
LeastSquaresResult<U> least_squares_in(const Eigen::MatrixBase<DX>& X,
                                       const Eigen::MatrixBase<DY>& y,
                                       const Vector<T>& unit_weights, bool fit_intercept) {
    const StandardizedProblem<U> problem =
        standardize<U>(X, y, Vector<U>(unit_weights.template cast<U>()), fit_intercept, true);
    const Matrix<U>& A = problem.design;
    const Eigen::Index p = A.cols();

    Eigen::ColPivHouseholderQR<Matrix<U>> qr(A);
    LeastSquaresResult<U> result;
    const Eigen::Index rank = qr.rank();
    result.rank = rank + (fit_intercept ? 1 : 0);
    using std::abs;
    if (rank > 0) {
        const auto& R = qr.matrixQR();
        result.condition = abs(R(0, 0)) / abs(R(rank - 1, rank - 1));
    }

    Eigen::Index usable = 0;
    for (Eigen::Index j = 0; j < p; ++j) usable += problem.curvature(j) > U(0) ? 1 : 0;

    Vector<U> working(p);
    if (rank == usable) {
        working = qr.solve(problem.response);
        const Vector<U> residual = problem.response - A * working;
        working += qr.solve(residual);
        for (Eigen::Index j = 0; j < p; ++j)
            if (problem.curvature(j) == U(0)) working(j) = U(0);
    } else {
        // Minimum norm in the original scale: undo the equilibration, then a truncated SVD.
        const Matrix<U> unscaled = A * problem.x_scale.asDiagonal();
        Eigen::BDCSVD<Matrix<U>> svd(unscaled, Eigen::ComputeThinU | Eigen::ComputeThinV);
        const auto& sigma = svd.singularValues();
        Vector<U> projected = svd.matrixU().leftCols(rank).transpose() * problem.response;
        projected.array() /= sigma.head(rank).array();
        working = problem.x_scale.asDiagonal() * (svd.matrixV().leftCols(rank) * projected);
    }
    back_transform(problem, working, result.coef, result.intercept);
    return result;
}

/// Least squares in the compute scalar `T`, repeated in extended precision when needed.
template <class T, class DX, class DY>
LeastSquaresResult<T> least_squares(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                                    const Vector<T>& unit_weights, bool fit_intercept) {
    LeastSquaresResult<T> result = least_squares_in<T>(X, y, unit_weights, fit_intercept);
    const Eigen::Index full_rank = result.rank;
    if constexpr (has_wider_long_double<T>) {
        if (result.condition > T(extended_precision_condition)) {
            const auto extended =
                least_squares_in<long double>(X, y, unit_weights, fit_intercept);
            if (extended.rank == full_rank) {
                result.coef = extended.coef.template cast<T>();
                result.intercept = static_cast<T>(extended.intercept);
            }
        }
    }
    return result;
}

}  // namespace priorreg::detail

#endif  // PRIORREG_DETAIL_LEAST_SQUARES_HPP
