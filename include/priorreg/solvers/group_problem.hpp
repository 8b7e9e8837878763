#ifndef PRIORREG_SOLVERS_GROUP_PROBLEM_HPP
#define PRIORREG_SOLVERS_GROUP_PROBLEM_HPP

/// \file group_problem.hpp
/// \brief The working problem of `MultiTaskElasticNet`: its standardized data, the null model,
/// lambda_max and the group duality gap that certifies a solution (solved by
/// solvers/group_descent.hpp).
///
///
/// The working problem, on weighted, centered and scaled columns \f$A\f$ and responses \f$Y_w\f$
/// (row i multiplied by \f$\sqrt{v_i}\f$, the weights \f$v\f$ summing to 1), is
/// \f$\tfrac12\|Y_w - AB\|_F^2 + \sum_j \mathrm{pf}_j\lambda[\alpha\|B_j\| +
/// \tfrac{1-\alpha}{2}\|B_j\|^2]\f$. A row's proximal step shrinks its correlation vector towards
/// 0 by \f$l_1 = \mathrm{pf}_j\lambda\alpha\f$ in norm and divides by \f$c_j + l_2\f$. The
/// duality gap with \f$R\f$ the residual and \f$s\f$ the dual scale is \f$D = s\langle Y_w,
/// R\rangle - \tfrac{s^2}{2}\|R\|_F^2 - \sum_j\psi_j^*(s A_j^TR)\f$, \f$\psi_j^*(u) = (\|u\| -
/// l_1)_+^2 / (2 l_2)\f$ (\f$l_2 = 0\f$: the constraint \f$\|u\| \le l_1\f$, which \f$s\f$ keeps).
/// Unpenalized rows (\f$\mathrm{pf}_j = 0\f$) impose \f$A_j^T\theta = 0\f$, which no scale
/// keeps: before each gap check their block is solved by least squares given the other rows
/// (a complete orthogonal decomposition made once, minimum norm where they are collinear), which
/// leaves \f$A_U^TR\f$ at rounding size.
///
/// Sign bounds (each entry of row j at most 0, at least 0, or free, the same for every response)
/// restrict the row to a cone \f$K_j\f$, a product of \f$\mathbb{R}\f$, its halves and
/// \f$\{0\}\f$. For such a cone the largest \f$u^Tb\f$ over \f$b\in K_j\f$ of a given norm is
/// that norm times \f$\|\Pi_{K_j}u\|\f$ (the projection zeroes the entries of the wrong sign),
/// so the row's step shrinks \f$\Pi_{K_j}z\f$ in place of \f$z\f$, and its conjugate is
/// \f$\psi_j^*(\|\Pi_{K_j}u\|)\f$: the same gap with projected correlations. Bounds other
/// than 0 are not of this form (the step is no longer a shrinkage of one vector) and are not
/// offered.

#include <Eigen/Core>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"

namespace priorreg::detail {

/// The standardized multi-task problem and the maps back to the original scale.
template <class T> struct MultiTaskProblem {
    Eigen::Index n = 0, p = 0, k = 0;
    Matrix<T> design;   ///< n x p: sqrt(v_i) (x_ij - center_j) / scale_j
    Matrix<T> response; ///< n x k: sqrt(v_i) (y_ic - center_c)
    Vector<T> x_center, x_scale, y_center;
    Vector<T> curvature;                   ///< ||A_j||^2; 0 for a constant or excluded column
    Vector<T> penalty_factors;             ///< pf_j as given
    T null_deviance = 0;                   ///< ||Y_w||^2: the weighted mean squared deviation
    std::vector<Eigen::Index> unpenalized; ///< pf_j = 0, c_j > 0
    Matrix<T> unpenalized_design;          ///< A_U
    Eigen::CompleteOrthogonalDecomposition<Matrix<T>> unpenalized_solver; ///< of A_U
    /// Sign constraints per row (empty: none): row j's entries may be negative only where
    /// `allow_negative(j)`, positive only where `allow_positive(j)`.
    Eigen::Array<bool, Eigen::Dynamic, 1> allow_negative, allow_positive;

    bool penalized(Eigen::Index j) const { return curvature(j) > 0 && penalty_factors(j) > 0; }
    bool signed_rows() const { return allow_negative.size() > 0; }
    /// Whether an entry `v` of row j has a sign its bounds forbid.
    bool forbidden(Eigen::Index j, T v) const {
        return signed_rows() && ((v < 0 && !allow_negative(j)) || (v > 0 && !allow_positive(j)));
    }
    /// The projection of `u` (a row) onto row j's cone of allowed signs, in place.
    template <class Row> void project(Eigen::Index j, Row& u) const {
        if (signed_rows())
            for (Eigen::Index c = 0; c < u.size(); ++c)
                if (forbidden(j, u(c)))
                    u(c) = 0;
    }
    /// ||projection of u|| for row j, `u` an evaluated row (no copy is made).
    template <class Row> T projected_norm(Eigen::Index j, const Row& u) const {
        if (!signed_rows())
            return u.norm();
        T sum = 0;
        for (Eigen::Index c = 0; c < u.size(); ++c)
            if (!forbidden(j, u(c)))
                sum += u(c) * u(c);
        return std::sqrt(sum);
    }
};

/// The working problem of `X` (n x p) and `Y` (n x k) with weights `unit_weights` (summing to
/// 1), columns `excluded` (sorted) left out, penalty factors `factors` (p), and sign bounds
/// `lower`, `upper` (p entries in {-inf, 0} and {0, +inf}, or both empty).
template <class T, class DX, class DY>
MultiTaskProblem<T>
multi_task_problem(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& Y,
                   const Vector<T>& unit_weights, bool fit_intercept, bool standardize,
                   const Vector<T>& factors, const std::vector<Eigen::Index>& excluded,
                   const Vector<T>& lower = Vector<T>(), const Vector<T>& upper = Vector<T>()) {
    MultiTaskProblem<T> w;
    w.n = X.rows();
    w.p = X.cols();
    w.k = Y.cols();
    const Vector<T> root = unit_weights.cwiseSqrt();
    // Weighted means; a column constant over the counted rows is its value exactly, whatever
    // the rounding of the weights' sum, so that it centers to zero.
    const auto centers = [&](const auto& M) {
        Vector<T> center = Vector<T>::Zero(M.cols());
        if (!fit_intercept)
            return center;
        Eigen::Index first = 0;
        while (!(unit_weights(first) > 0))
            ++first;
        for (Eigen::Index j = 0; j < M.cols(); ++j) {
            const T value = M(first, j);
            const bool constant =
                ((M.col(j).array() == value) || (unit_weights.array() == 0)).all();
            center(j) = constant ? value : unit_weights.dot(M.col(j));
        }
        return center;
    };
    w.x_center = centers(X);
    w.y_center = centers(Y);
    w.design = (X.rowwise() - w.x_center.transpose()).array().colwise() * root.array();
    w.response = (Y.rowwise() - w.y_center.transpose()).array().colwise() * root.array();
    w.x_scale = Vector<T>::Ones(w.p);
    w.curvature.resize(w.p);
    w.penalty_factors = factors;
    if (lower.size() > 0) {
        w.allow_negative = lower.array() < 0;
        w.allow_positive = upper.array() > 0;
    }
    for (Eigen::Index j = 0; j < w.p; ++j) {
        if (std::binary_search(excluded.begin(), excluded.end(), j)) {
            w.design.col(j).setZero();
            w.curvature(j) = 0;
            continue;
        }
        const T spread = w.design.col(j).norm();
        if (standardize && spread > 0)
            w.x_scale(j) = spread;
        w.design.col(j) /= w.x_scale(j);
        w.curvature(j) = w.design.col(j).squaredNorm();
        if (w.curvature(j) > 0 && !(factors(j) > 0))
            w.unpenalized.push_back(j);
    }
    w.null_deviance = w.response.squaredNorm();
    if (!w.unpenalized.empty()) {
        w.unpenalized_design = w.design(Eigen::all, w.unpenalized);
        w.unpenalized_solver.compute(w.unpenalized_design);
    }
    return w;
}

/// Solves the unpenalized rows of `beta` given the others, keeping `residual` = Y_w - A beta.
/// Returns the squared norm of the change in the fit, ||A_U step||^2, the measure of a
/// coordinate step's move (c_j ||step||^2 for one row); on collinear columns the rows
/// themselves may swing far for a small change in the fit.
template <class T>
T settle_unpenalized_rows(const MultiTaskProblem<T>& w, Matrix<T>& beta, Matrix<T>& residual) {
    if (w.unpenalized.empty())
        return 0;
    const Matrix<T> step = w.unpenalized_solver.solve(residual);
    for (std::size_t i = 0; i < w.unpenalized.size(); ++i)
        beta.row(w.unpenalized[i]) += step.row(static_cast<Eigen::Index>(i));
    const Matrix<T> fit_change = w.unpenalized_design * step;
    residual -= fit_change;
    return fit_change.squaredNorm();
}

/// The solution at and above lambda_max: the unpenalized rows at their least-squares values,
/// every other row zero; `residual` = Y_w - A beta.
template <class T>
void null_model(const MultiTaskProblem<T>& w, Matrix<T>& beta, Matrix<T>& residual) {
    beta = Matrix<T>::Zero(w.p, w.k);
    residual = w.response;
    settle_unpenalized_rows(w, beta, residual);
}

/// The smallest lambda at which every penalized row is zero for L1 share `alpha` (floored at
/// 1e-3 as glmnet does for the ridge end): the largest ||A_j^T R|| / pf_j at the null model;
/// 0 when no row is penalized.
template <class T> T multi_task_lambda_max(const MultiTaskProblem<T>& w, T alpha) {
    Matrix<T> beta, residual;
    null_model(w, beta, residual);
    const Matrix<T> correlation = w.design.transpose() * residual; // p x k
    T top = 0;
    for (Eigen::Index j = 0; j < w.p; ++j)
        if (w.penalized(j))
            top = std::max(top, w.projected_norm(j, correlation.row(j)) / w.penalty_factors(j));
    return top / std::max(alpha, T(1e-3));
}

/// The duality gap at `beta` (working scale) with the scaled residual as the dual point; the
/// unpenalized rows must be settled (their dual constraint is then met up to rounding).
template <class T>
T multi_task_gap(const MultiTaskProblem<T>& w, T l1, T l2, const Matrix<T>& beta,
                 const Matrix<T>& residual) {
    const Matrix<T> correlation = w.design.transpose() * residual; // p x k
    Vector<T> norms(w.p); // of the projections onto the rows' cones
    for (Eigen::Index j = 0; j < w.p; ++j)
        norms(j) = w.projected_norm(j, correlation.row(j));
    const T residual_norm2 = residual.squaredNorm();
    const T response_dot = (w.response.array() * residual.array()).sum();
    T scale = residual_norm2 > 0 ? std::clamp(response_dot / residual_norm2, T(0), T(1)) : T(1);
    if (!(l2 > 0))
        for (Eigen::Index j = 0; j < w.p; ++j)
            if (w.penalized(j) && norms(j) > l1 * w.penalty_factors(j))
                scale = std::min(scale, l1 * w.penalty_factors(j) / norms(j));
    T primal = T(0.5) * residual_norm2,
      dual = scale * response_dot - T(0.5) * scale * scale * residual_norm2;
    for (Eigen::Index j = 0; j < w.p; ++j) {
        if (!w.penalized(j))
            continue;
        const T l1j = l1 * w.penalty_factors(j), l2j = l2 * w.penalty_factors(j);
        const T row = beta.row(j).norm();
        primal += l1j * row + T(0.5) * l2j * row * row;
        if (l2j > 0) {
            const T excess = std::max(scale * norms(j) - l1j, T(0));
            dual -= excess * excess / (2 * l2j);
        }
    }
    const T value = primal - dual;
    return value >= 0 ? value : value < 0 ? T(0) : std::numeric_limits<T>::infinity();
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_GROUP_PROBLEM_HPP
