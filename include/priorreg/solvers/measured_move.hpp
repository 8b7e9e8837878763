#ifndef PRIORREG_SOLVERS_MEASURED_MOVE_HPP
#define PRIORREG_SOLVERS_MEASURED_MOVE_HPP

/// \file measured_move.hpp
/// \brief Moving several coefficients at once and measuring the exact change of
/// \f$\tfrac12\|r\|^2\f$ it made, the cheaper of two ways: from the gradients of the moved
/// coordinates (where a workspace keeps them) or from the residual before and after (where a
/// gradient would cost a pass over the column).

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "../detail/numeric.hpp"

namespace priorreg::detail {

/// Applies `deltas` to `features` in `workspace` and returns the change of
/// \f$\tfrac12\|r\|^2\f$: with \f$d\f$ the move and \f$g, g'\f$ the gradients \f$A_j^Tr\f$ of
/// the moved coordinates before and after, exactly \f$-\tfrac12 d^T(g + g')\f$ (the quadratic
/// along a segment). `before` is scratch.
template <class T, class Workspace>
T apply_measured_by_gradients(Workspace& workspace, const std::vector<Eigen::Index>& features,
                              const Vector<T>& deltas, Vector<T>& before) {
    const auto m = static_cast<Eigen::Index>(features.size());
    before.resize(m);
    for (Eigen::Index a = 0; a < m; ++a)
        before(a) = workspace.correlation(features[static_cast<std::size_t>(a)]);
    workspace.apply(features, deltas);
    T change = T(0);
    for (Eigen::Index a = 0; a < m; ++a)
        change -= deltas(a) *
                  (before(a) + workspace.correlation(features[static_cast<std::size_t>(a)])) / T(2);
    return change;
}

/// \f$\tfrac12(\|r'\|^2 - \|r\|^2)\f$ as \f$\tfrac12(r' - r)^T(r' + r)\f$: no cancellation
/// between two large norms.
template <class T> T half_squared_norm_change(const Vector<T>& before, const Vector<T>& after) {
    return (after - before).dot(after + before) / T(2);
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_MEASURED_MOVE_HPP
