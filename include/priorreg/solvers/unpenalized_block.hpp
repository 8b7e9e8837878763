#ifndef PRIORREG_SOLVERS_UNPENALIZED_BLOCK_HPP
#define PRIORREG_SOLVERS_UNPENALIZED_BLOCK_HPP

/// \file unpenalized_block.hpp
/// \brief The block of unpenalized features (penalty factor 0), solved given the others.
///
/// Unpenalized features have no term in the duality gap: the dual constraint
/// \f$A_j^T\theta = 0\f$ that they impose is not enforced, so a gradient left on them is
/// suboptimality the gap cannot see. Before a gap check their block is solved given the other
/// coefficients (one Newton step on the quadratic, minimum norm where they are collinear), which
/// leaves gradients of rounding size there. The block's factorization is made once: the set is
/// fixed. Only for a prior whose penalty vanishes at zero weight: any other may constrain these
/// coordinates (a sign, say), which an unconstrained step would break; their dual constraint is
/// met by `projected_gap` instead.

#include <Eigen/Core>
#include <Eigen/QR>
#include <cmath>
#include <cstddef>
#include <vector>

#include "../detail/numeric.hpp"
#include "least_squares.hpp"

namespace priorreg::detail {

template <class T> class UnpenalizedBlock {
public:
    void add(Eigen::Index j) { features_.push_back(j); }
    const std::vector<Eigen::Index>& features() const { return features_; }

    /// The block is too large to settle: no fit with it is certified.
    bool unsettled() const { return unsettled_; }

    /// Solves the block given the other coefficients of `beta`, keeping `workspace` current;
    /// `root_curvature` holds the column norms ||A_j||, `rows` and `columns` the data's shape.
    /// Returns whether coefficients moved.
    template <class Workspace>
    bool settle(Workspace& workspace, Vector<T>& beta, const Vector<T>& root_curvature,
                Eigen::Index rows, Eigen::Index columns) {
        const auto m = static_cast<Eigen::Index>(features_.size());
        if (m == 0 || unsettled_)
            return false;
        if (scale_.size() == 0) {
            // A block whose factorization (m^3) would cost more than about 100 passes over the
            // data (n p) is left to coordinate descent, and no fit is certified with it.
            if (std::pow(static_cast<double>(m), 3.0) >
                100.0 * static_cast<double>(rows) * static_cast<double>(columns)) {
                unsettled_ = true;
                return false;
            }
            // Equilibrated Gram block: unit diagonal, so that the rank decision of the QR does
            // not weigh a column of norm 1e100 against one of norm 1.
            system_.resize(m, m);
            workspace.gram_block(features_, system_, true);
            scale_.resize(m);
            for (Eigen::Index a = 0; a < m; ++a)
                scale_(a) = T(1) / root_curvature(features_[static_cast<std::size_t>(a)]);
            system_ = scale_.asDiagonal() * system_ * scale_.asDiagonal();
            factor_.compute(system_);
        }
        Vector<T> rhs(m);
        for (Eigen::Index a = 0; a < m; ++a)
            rhs(a) = workspace.correlation(features_[static_cast<std::size_t>(a)]) * scale_(a);
        const Vector<T> step = weighted_minimum_norm_solve(factor_, system_, rhs, scale_);
        if (!step.allFinite())
            return false;
        bool moved = false;
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = features_[static_cast<std::size_t>(a)];
            const T delta = step(a) * scale_(a);
            if (delta == T(0))
                continue;
            beta(j) += delta;
            workspace.apply(j, delta);
            moved = true;
        }
        return moved;
    }

private:
    std::vector<Eigen::Index> features_;
    Vector<T> scale_;  ///< 1 / ||A_j|| over them; empty until the first settle
    Matrix<T> system_; ///< their equilibrated Gram block
    Eigen::ColPivHouseholderQR<Matrix<T>> factor_;
    bool unsettled_ = false;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_UNPENALIZED_BLOCK_HPP
