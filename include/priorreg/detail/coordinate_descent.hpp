#ifndef PRIORREG_DETAIL_COORDINATE_DESCENT_HPP
#define PRIORREG_DETAIL_COORDINATE_DESCENT_HPP

/// \file coordinate_descent.hpp
/// \brief Cyclic coordinate descent for any separable prior, with active-set cycling and a
/// duality-gap stopping rule.
///
/// Each coordinate update is the prior's proximal step
/// \f$\beta_j \leftarrow \mathrm{prox}(A_j^Tr + c_j\beta_j,\ c_j,\ l_{1,j},\ l_{2,j})\f$ with the
/// residual kept current ("naive" mode). A full sweep is followed by sweeps over the nonzero
/// coefficients until they settle; only when the cheap criterion (largest weighted coordinate
/// change) says converged is the full gradient formed and the duality gap evaluated.

#include <Eigen/Core>
#include <algorithm>
#include <vector>

#include "../status.hpp"
#include "duality_gap.hpp"
#include "numeric.hpp"
#include "standardize.hpp"

namespace priorreg::detail {

template <class T> struct CoordinateDescentResult {
    Status status = Status::NoConvergence;
    int iterations = 0; ///< sweeps, full or over the active set
    T duality_gap = T(0);
};

/// Minimizes the working objective from the starting point in `beta` (warm start), stopping
/// when the duality gap is at most `tolerance` times the null deviance.
template <class Prior, class T>
CoordinateDescentResult<T> coordinate_descent(const Prior& prior,
                                              const StandardizedProblem<T>& problem,
                                              const PenaltyWeights<T>& weights, T tolerance,
                                              int max_iterations, Vector<T>& beta) {
    const Matrix<T>& A = problem.design;
    const Vector<T>& curvature = problem.curvature;
    const Eigen::Index p = A.cols();
    Vector<T> residual = problem.response - A * beta;
    const T gap_target = tolerance * problem.null_deviance;
    T change_target = gap_target;

    auto update = [&](Eigen::Index j) -> T {
        const T c = curvature(j);
        if (c == T(0))
            return T(0);
        const T old = beta(j);
        const T z = A.col(j).dot(residual) + c * old;
        const T updated = prior.proximal_step(z, c, weights.l1(j), weights.l2(j));
        const T delta = updated - old;
        if (delta == T(0))
            return T(0);
        beta(j) = updated;
        residual.noalias() -= delta * A.col(j);
        return c * delta * delta;
    };

    CoordinateDescentResult<T> result;
    std::vector<Eigen::Index> active;
    active.reserve(static_cast<std::size_t>(p));
    auto gap_now = [&] {
        const Vector<T> gradient = A.transpose() * residual;
        return duality_gap(prior, problem.response, residual, gradient, beta, curvature, weights);
    };

    while (result.iterations < max_iterations) {
        T change = T(0);
        for (Eigen::Index j = 0; j < p; ++j)
            change = std::max(change, update(j));
        ++result.iterations;
        if (!(change == change))
            break; // NaN: reported by the caller as a numerical issue
        if (change <= change_target) {
            result.duality_gap = gap_now();
            if (result.duality_gap <= gap_target) {
                result.status = Status::Success;
                return result;
            }
            change_target *= T(0.1);
            continue;
        }
        active.clear();
        for (Eigen::Index j = 0; j < p; ++j)
            if (beta(j) != T(0))
                active.push_back(j);
        while (result.iterations < max_iterations) {
            T active_change = T(0);
            for (const Eigen::Index j : active)
                active_change = std::max(active_change, update(j));
            ++result.iterations;
            if (!(active_change > change_target))
                break;
        }
    }
    result.duality_gap = gap_now();
    result.status = Status::NoConvergence;
    return result;
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_COORDINATE_DESCENT_HPP
