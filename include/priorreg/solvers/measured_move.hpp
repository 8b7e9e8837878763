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

/// The change of \f$\tfrac12\|r\|^2\f$ when one coordinate moves by `delta` (the others with
/// it, if any) and its gradient \f$A_j^Tr\f$ goes from `before` to `after`: along a segment the
/// quadratic changes by exactly \f$-\tfrac12 d_j(g_j + g'_j)\f$ summed over the moved
/// coordinates, with no residual norm (and no cancellation against \f$\|b\|^2\f$).
template <class T> T quadratic_change(T delta, T before, T after) {
    return -delta * (before + after) / T(2);
}

/// Applies `deltas` to `features` in `workspace` and returns the change of
/// \f$\tfrac12\|r\|^2\f$ from the gradients of the moved coordinates before and after
/// (`quadratic_change`). `before` is scratch.
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
        change += quadratic_change(deltas(a), before(a),
                                   workspace.correlation(features[static_cast<std::size_t>(a)]));
    return change;
}

/// \f$\tfrac12(\|r'\|^2 - \|r\|^2)\f$ as \f$\tfrac12(r' - r)^T(r' + r)\f$: no cancellation
/// between two large norms.
template <class T> T half_squared_norm_change(const Vector<T>& before, const Vector<T>& after) {
    return (after - before).dot(after + before) / T(2);
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_MEASURED_MOVE_HPP
