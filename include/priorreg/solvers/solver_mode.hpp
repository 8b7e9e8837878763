#ifndef PRIORREG_SOLVERS_SOLVER_MODE_HPP
#define PRIORREG_SOLVERS_SOLVER_MODE_HPP

/// \file solver_mode.hpp
/// \brief How coordinate descent keeps the gradient current, the automatic choice, and the
/// runtime settings every solver reads.

#include <Eigen/Core>
#include <vector>

#include "../detail/numeric.hpp"

namespace priorreg {

/// \brief How coordinate descent keeps the gradient current (see solvers/workspaces.hpp).
enum class SolverMode {
    automatic,  ///< covariance when n > p and p <= 5000, naive otherwise
    covariance, ///< Gram columns of the entered features; O(p) per update
    naive       ///< the residual; O(n) per update
};

/// \brief Box constraints \f$l_j \le \beta_j \le u_j\f$ on the original-scale coefficients
/// (`MapRegression::set_coefficient_bounds`): one bound per coefficient, or one for all, or
/// none (both empty).
struct CoefficientBounds {
    Eigen::VectorXd lower; ///< every entry <= 0, -infinity allowed
    Eigen::VectorXd upper; ///< every entry >= 0, +infinity allowed

    bool empty() const { return lower.size() == 0; }
};

namespace detail {
/// The estimator's runtime settings, as every solver reads them.
template <class T> struct SolveSettings {
    bool fit_intercept = true;
    bool standardize = true;
    T tolerance = T(1e-7); ///< duality gap relative to the null deviance
    int max_iterations = 100000;
    int threads = 1;
    SolverMode mode = SolverMode::automatic;
    /// Features held at 0 (`MapRegression::set_excluded_features`), valid column indices.
    std::vector<Eigen::Index> excluded;
    /// Bounds of the original-scale coefficients (`MapRegression::set_coefficient_bounds`),
    /// p each, or both empty.
    Vector<T> lower, upper;
};

/// Covariance mode pays when rows outnumber columns and the Gram fits comfortably in memory.
inline bool use_covariance(SolverMode mode, Eigen::Index n, Eigen::Index p) {
    if (mode != SolverMode::automatic)
        return mode == SolverMode::covariance;
    return n > p && p <= 5000;
}
} // namespace detail

} // namespace priorreg

#endif // PRIORREG_SOLVERS_SOLVER_MODE_HPP
