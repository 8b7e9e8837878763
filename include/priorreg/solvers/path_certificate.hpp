#ifndef PRIORREG_SOLVERS_PATH_CERTIFICATE_HPP
#define PRIORREG_SOLVERS_PATH_CERTIFICATE_HPP

/// \file path_certificate.hpp
/// \brief What the path solver's KKT check and certificate read: the gradient at the current
/// coefficients, exact or within a stated bound, and the duality gap it gives.
///
/// In covariance mode the gradient is exact and free. In naive mode a full pass over the data is
/// taken only when needed: outside the working set the gradient of the last full pass is within
/// \f$\sqrt{c_j}\,\lVert r - r_{\mathrm{ref}}\rVert\f$ of the current one (Cauchy-Schwarz);
/// where that interval does not settle the KKT condition, and on the working set, the gradient
/// is evaluated exactly. If that is a large share of the features, a full pass is cheaper and
/// resets the reference.

#include <Eigen/Core>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"
#include "../detail/standardize.hpp"
#include "../priors/prior_contract.hpp"
#include "duality_gap.hpp"
#include "penalty_weights.hpp"
#include "projected_gap.hpp"

namespace priorreg::detail {

template <class Prior, class T, class Workspace> class PathCertificate {
public:
    /// `settles_unweighted`: the solver settles the unweighted coordinates itself (a prior that
    /// vanishes at zero weight, no box), so the gap leaves them out (`projected_gap`).
    PathCertificate(const Prior& prior, const StandardizedProblem<T>& problem, Workspace& workspace,
                    bool settles_unweighted)
        : prior_(prior), problem_(problem), workspace_(workspace),
          root_curvature_(problem.curvature.cwiseSqrt()), settles_unweighted_(settles_unweighted) {}

    /// The gradient: exact, or within `uncertainty_` of it (see the file's description).
    const Vector<T>& gradient() const { return gradient_; }
    /// \f$\sqrt{c_j} = \lVert A_j\rVert\f$.
    const Vector<T>& root_curvature() const { return root_curvature_; }
    /// Full gradient passes since construction (the first, `start`, is not counted).
    Eigen::Index gradient_evaluations() const { return gradient_evaluations_; }

    /// The gradient of the starting point, which the first strong rule and lambda_max read.
    void start() { workspace_.gradient(gradient_); }

    /// An exact gradient from a full pass.
    void full_gradient() {
        workspace_.gradient(gradient_);
        uncertainty_.resize(0);
        ++gradient_evaluations_;
    }

    /// After a step outside the sweeps: the free gradient of covariance mode is recomputed;
    /// naive mode brings its residual up to date (the next `refresh_gradient` bounds the rest).
    void follow_step() {
        if constexpr (Workspace::gradient_is_free)
            workspace_.gradient(gradient_);
        else
            workspace_.drift();
    }

    /// The gradient for the KKT check outside `working_set` and for the gap (see the file's
    /// description); `in_working_set` marks its members.
    void refresh_gradient(const PenaltyWeights<T>& weights,
                          const std::vector<Eigen::Index>& working_set,
                          const std::vector<char>& in_working_set) {
        if constexpr (Workspace::gradient_is_free) {
            full_gradient();
        } else {
            const T drift = workspace_.drift();
            if (!(drift < std::numeric_limits<T>::infinity())) {
                full_gradient();
                return;
            }
            const Vector<T>& reference = workspace_.reference_gradient();
            const Eigen::Index p = root_curvature_.size();
            exact_.assign(working_set.begin(), working_set.end());
            for (Eigen::Index j = 0; j < p; ++j)
                if (problem_.has_data(j) && !in_working_set[j] &&
                    !zero_settled(weights, j, reference(j), root_curvature_(j) * drift))
                    exact_.push_back(j);
            if (static_cast<Eigen::Index>(exact_.size()) * 4 > p) {
                full_gradient();
                return;
            }
            gradient_ = reference;
            uncertainty_ = root_curvature_ * drift;
            workspace_.exact_gradient(exact_, gradient_);
            for (const Eigen::Index j : exact_)
                uncertainty_(j) = T(0);
        }
    }

    /// The duality gap at `beta`, whose working set is `working_set`, from the current gradient.
    T gap(const PenaltyWeights<T>& weights, const std::vector<Eigen::Index>& working_set,
          const Vector<T>& beta) {
        // The workspace's state may have drifted from beta's (updates of 1e16 and back): the
        // certificate then reads the state formed from beta itself.
        if (workspace_.rounding_drifted()) {
            workspace_.resynchronize(beta);
            full_gradient();
        }
        if (!settles_unweighted_) {
            // Unweighted coordinates outside the domain of their conjugate: a dual point that
            // meets their constraints (solvers/projected_gap.hpp).
            projected_.clear();
            if (add_outside_dual_domain(prior_, weights, problem_.curvature, working_set, gradient_,
                                        uncertainty_, projected_)) {
                workspace_.prepare(working_set); // members a last KKT check added
                if (uncertainty_.size() > 0) {   // the projection needs exact gradients
                    full_gradient();
                    projected_.clear();
                    add_outside_dual_domain(prior_, weights, problem_.curvature, working_set,
                                            gradient_, uncertainty_, projected_);
                }
                return projected_duality_gap(prior_, workspace_, problem_, weights, working_set,
                                             gradient_, beta, root_curvature_, projected_, system_);
            }
        }
        const T residual_norm2 = workspace_.residual_norm2(beta, gradient_);
        const T correlation = workspace_.response_dot_residual(beta);
        return duality_gap_from_statistics(prior_, residual_norm2, correlation, gradient_, beta,
                                           problem_.curvature, weights, uncertainty_);
    }

private:
    /// Zero stays optimal for coordinate j whatever its gradient within g -+ u: the set of
    /// gradients where it is optimal (the subdifferential of the prior at 0) is an interval.
    bool zero_settled(const PenaltyWeights<T>& weights, Eigen::Index j, T g, T u) const {
        return box_zero_threshold(prior_, weights, j, g - u) <= weights.l1(j) &&
               box_zero_threshold(prior_, weights, j, g + u) <= weights.l1(j);
    }

    const Prior& prior_;
    const StandardizedProblem<T>& problem_;
    Workspace& workspace_;
    Vector<T> gradient_;
    /// Empty when `gradient_` is exact; else |true gradient - gradient_| <= uncertainty_.
    Vector<T> uncertainty_;
    Vector<T> root_curvature_;
    std::vector<Eigen::Index> exact_;
    std::vector<Eigen::Index> projected_; ///< out of the dual point (projected_gap.hpp)
    Matrix<T> system_;                    ///< `projected_gap`'s Gram block
    bool settles_unweighted_;
    Eigen::Index gradient_evaluations_ = 0;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PATH_CERTIFICATE_HPP
