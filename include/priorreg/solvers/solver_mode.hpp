#ifndef PRIORREG_SOLVERS_SOLVER_MODE_HPP
#define PRIORREG_SOLVERS_SOLVER_MODE_HPP

/// \file solver_mode.hpp
/// \brief How coordinate descent keeps the gradient current, and the automatic choice.

#include <Eigen/Core>

namespace priorreg {

/// \brief How coordinate descent keeps the gradient current (see solvers/workspaces.hpp).
enum class SolverMode {
    automatic,  ///< covariance when n > p and p <= 5000, naive otherwise
    covariance, ///< Gram columns of the entered features; O(p) per update
    naive       ///< the residual; O(n) per update
};

namespace detail {
/// Covariance mode pays when rows outnumber columns and the Gram fits comfortably in memory.
inline bool use_covariance(SolverMode mode, Eigen::Index n, Eigen::Index p) {
    if (mode != SolverMode::automatic)
        return mode == SolverMode::covariance;
    return n > p && p <= 5000;
}
} // namespace detail

} // namespace priorreg

#endif // PRIORREG_SOLVERS_SOLVER_MODE_HPP
