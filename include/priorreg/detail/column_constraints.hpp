#ifndef PRIORREG_DETAIL_COLUMN_CONSTRAINTS_HPP
#define PRIORREG_DETAIL_COLUMN_CONSTRAINTS_HPP

/// \file column_constraints.hpp
/// \brief Restrictions of the working columns of a standardized problem: features excluded
/// (held at 0) and the box of the coefficients, carried to the working scale.

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <vector>

#include "numeric.hpp"
#include "standardize.hpp"

namespace priorreg::detail {

/// Holds the working columns `excluded` at 0, as a constant column is held (glmnet's
/// `exclude`): their coefficients stay 0, they take no part in lambda_max or any solve, and the
/// other columns' centering and scaling do not change. Not for the kernel form (its sums mix
/// the columns).
template <class T>
void exclude_columns(StandardizedProblem<T>& problem, const std::vector<Eigen::Index>& excluded) {
    for (const Eigen::Index j : excluded) {
        if (static_cast<std::size_t>(j) < problem.maps.size())
            problem.maps[static_cast<std::size_t>(j)].held = true;
        problem.curvature(j) = T(0);
        if (problem.design.size() > 0)
            problem.design.col(j).setZero();
        if (problem.gram.size() > 0) {
            problem.gram.row(j).setZero();
            problem.gram.col(j).setZero();
            problem.correlation(j) = T(0);
        }
    }
}

/// Boxes the working coefficients: `lower` and `upper` are the bounds of the original-scale
/// coefficients (\f$\le 0\f$ and \f$\ge 0\f$, infinities allowed), both empty for no box. A
/// working coefficient is the original one times its column's scale, so are its bounds.
template <class T>
void box_columns(StandardizedProblem<T>& problem, const Vector<T>& lower, const Vector<T>& upper) {
    problem.original_lower = lower;
    problem.original_upper = upper;
    if (lower.size() == 0) {
        problem.lower.resize(0);
        problem.upper.resize(0);
        return;
    }
    const auto scaled = [&](T bound, Eigen::Index j) {
        return bound == T(0) || std::isinf(bound) ? bound : bound * problem.x_scale(j);
    };
    problem.lower.resize(lower.size());
    problem.upper.resize(upper.size());
    for (Eigen::Index j = 0; j < lower.size(); ++j) {
        problem.lower(j) = scaled(lower(j), j);
        problem.upper(j) = scaled(upper(j), j);
    }
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_COLUMN_CONSTRAINTS_HPP
