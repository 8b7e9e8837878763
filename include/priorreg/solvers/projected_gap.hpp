#ifndef PRIORREG_SOLVERS_PROJECTED_GAP_HPP
#define PRIORREG_SOLVERS_PROJECTED_GAP_HPP

/// \file projected_gap.hpp
/// \brief The duality gap of a prior not known to vanish at zero weight, with a dual point that
/// meets the constraints of its unweighted coordinates.
///
/// Such a coordinate (penalty factor 0, or \f$\lambda = 0\f$) keeps whatever the prior's
/// penalty is there: its conjugate can have a domain as narrow as a point or a half-line (a
/// sign constraint), which the scaled residual meets only where \f$A_j^T r\f$ is exactly 0 or of
/// the allowed sign; one gradient of rounding size on the wrong side would force the dual scale
/// to 0. So the coordinates V whose gradient lies outside are projected out of the dual point,
/// \f$\theta = r - A_V\eta\f$ with \f$G_{VV}\eta = A_V^T r\f$: then \f$A_V^T\theta = 0\f$ to the
/// rounding of the solve (entries of that size are taken as 0, as the Newton settle's are for
/// the shipped priors), inside the domain of the conjugate of any penalty bounded below. A
/// coordinate the projection moves outside its domain joins V (at most three rounds). At the
/// optimum the coordinates of V are interior (their gradient is 0), so \f$\eta = 0\f$,
/// \f$\theta = r\f$ and the gap closes.

#include <Eigen/Core>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"
#include "../detail/standardize.hpp"
#include "duality_gap.hpp"
#include "least_squares.hpp"

namespace priorreg::detail {

/// Adds to `projected` the coordinates of `working_set` with data and both weights 0 whose dual
/// gradient (or either end of its `uncertainty` interval, when given) lies outside the domain of
/// their conjugate; returns whether it added any.
template <class Prior, class T>
bool add_outside_dual_domain(const Prior& prior, const PenaltyWeights<T>& weights,
                             const Vector<T>& curvature,
                             const std::vector<Eigen::Index>& working_set,
                             const Vector<T>& dual_gradient, const Vector<T>& uncertainty,
                             std::vector<Eigen::Index>& projected) {
    bool added = false;
    for (const Eigen::Index j : working_set) {
        if (!(curvature(j) > T(0)) || !weights.unweighted(j) ||
            std::find(projected.begin(), projected.end(), j) != projected.end())
            continue;
        const T u = uncertainty.size() > 0 ? uncertainty(j) : T(0);
        if (box_dual_scale(prior, weights, j, dual_gradient(j) - u) < T(1) ||
            box_dual_scale(prior, weights, j, dual_gradient(j) + u) < T(1)) {
            projected.push_back(j);
            added = true;
        }
    }
    return added;
}

/// The gap at `beta` with the dual point projected away from the coordinates in `projected`
/// (see the file's description); `gradient` is the exact \f$A^Tr\f$ and every working-set
/// member is prepared in `workspace`. A block too large to factor (\f$m^3 > 100\,np\f$, the
/// bound of the Newton settle) is not projected: the gap stays a valid, if loose, bound.
/// `projected` grows with the rounds; `system` is scratch.
template <class Prior, class T, class Workspace>
T projected_duality_gap(const Prior& prior, Workspace& workspace,
                        const StandardizedProblem<T>& problem, const PenaltyWeights<T>& weights,
                        const std::vector<Eigen::Index>& working_set, const Vector<T>& gradient,
                        const Vector<T>& beta, const Vector<T>& root_curvature,
                        std::vector<Eigen::Index>& projected, Matrix<T>& system) {
    const T residual_norm2 = workspace.residual_norm2(beta, gradient);
    const T correlation = workspace.response_dot_residual(beta);
    const double n = static_cast<double>(problem.rows);
    const double p = static_cast<double>(beta.size());
    Vector<T> dual_gradient = gradient, moved;
    T dual_norm2 = residual_norm2, response_dot_dual = correlation;
    for (int round = 0; round < 3 && !projected.empty(); ++round) {
        const auto m = static_cast<Eigen::Index>(projected.size());
        if (std::pow(static_cast<double>(m), 3.0) > 100.0 * n * p)
            break;
        // Equilibrated block, as in the settle; any solution gives the projection.
        system.resize(m, m);
        workspace.gram_block(projected, system, true);
        Vector<T> scale(m), rhs(m);
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = projected[static_cast<std::size_t>(a)];
            scale(a) = T(1) / root_curvature(j);
            rhs(a) = gradient(j) * scale(a);
        }
        const Matrix<T> equilibrated = scale.asDiagonal() * system * scale.asDiagonal();
        const Eigen::ColPivHouseholderQR<Matrix<T>> factor(equilibrated);
        const Vector<T> eta =
            weighted_minimum_norm_solve(factor, equilibrated, rhs, Vector<T>(Vector<T>::Ones(m)))
                .cwiseProduct(scale);
        if (!eta.allFinite())
            break;
        workspace.combination_gradient(projected, eta, moved); // A^T A_V eta
        T eta_gradient = T(0), eta_response = T(0), eta_norm2 = T(0);
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = projected[static_cast<std::size_t>(a)];
            eta_gradient += eta(a) * gradient(j);
            eta_response += eta(a) * workspace.response_correlation(j);
            eta_norm2 += eta(a) * moved(j); // eta^T G_VV eta
        }
        dual_gradient = gradient - moved;
        const T rounding = T(64) * T(m) * std::numeric_limits<T>::epsilon();
        for (const Eigen::Index j : projected)
            if (std::abs(dual_gradient(j)) <=
                rounding * (std::abs(gradient(j)) + std::abs(moved(j))))
                dual_gradient(j) = T(0);
        dual_norm2 = std::max(residual_norm2 - T(2) * eta_gradient + eta_norm2, T(0));
        response_dot_dual = correlation - eta_response;
        if (!add_outside_dual_domain(prior, weights, problem.curvature, working_set, dual_gradient,
                                     Vector<T>(), projected))
            break;
    }
    return duality_gap_from_dual_point(prior, residual_norm2, dual_norm2, response_dot_dual,
                                       dual_gradient, beta, problem.curvature, weights);
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PROJECTED_GAP_HPP
