#ifndef PRIORREG_SOLVERS_PATH_SOLUTION_HPP
#define PRIORREG_SOLVERS_PATH_SOLUTION_HPP

/// \file path_solution.hpp
/// \brief What the path solver returns: the solutions along a grid and the work they took.

#include <Eigen/Core>
#include <vector>

#include "../detail/numeric.hpp"
#include "../status.hpp"

namespace priorreg::detail {

/// Solutions along a grid, on the working scale.
template <class T> struct PathSolution {
    Matrix<T> working_coefs;     ///< p x L
    Vector<T> duality_gaps;      ///< L
    Vector<T> residual_norm2;    ///< ||r||^2 per lambda
    std::vector<int> iterations; ///< sweeps per lambda
    /// Features the strong rule left out that the KKT check had to add.
    Eigen::Index strong_rule_violations = 0;
    /// Full gradients formed (KKT checks and gaps).
    Eigen::Index gradient_evaluations = 0;
    Status status = Status::Success;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PATH_SOLUTION_HPP
