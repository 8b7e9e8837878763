#ifndef PRIORREG_SOLVERS_CERTIFIED_FINISH_HPP
#define PRIORREG_SOLVERS_CERTIFIED_FINISH_HPP

/// \file certified_finish.hpp
/// \brief What a lambda of the path (solvers/path_solver.hpp) does once its duality gap is
/// within the target: one exact step on the sign pattern where it is cheap enough (`polish`),
/// then, where the step is too costly, absent (a user's prior) or leaves the gap above a
/// hundredth of the target (wrong signs), sweeps toward that gap within a flop budget. The
/// status is `Success` from the first certified check; what follows only tightens the fit.

#include <Eigen/Core>
#include <algorithm>
#include <limits>
#include <vector>

#include "../detail/numeric.hpp"
#include "../priors/prior_contract.hpp"
#include "path_certificate.hpp"
#include "sign_pattern_step.hpp"

namespace priorreg::detail {

/// Flops below which a sign-pattern step is taken whatever the sweeps cost (a few ms).
inline constexpr double cheap_step_flops = 16777216.0;

/// The finish of one lambda past its certificate: its targets, its budget and its step.
template <class T> class CertifiedFinish {
public:
    /// For a path whose gap target is `gap_target` and whose null deviance is `null_deviance`.
    CertifiedFinish(T gap_target, T null_deviance)
        : rounding_gap_(T(64) * std::numeric_limits<T>::epsilon() * null_deviance),
          finish_gap_(std::max(finish_fraction * gap_target, rounding_gap_)) {}

    /// A new lambda, not yet certified.
    void restart() { finishing_ = false; }
    /// Whether the lambda is past its certificate, sweeping toward `finish_gap`.
    bool finishing() const { return finishing_; }

    /// At the certificate, after `polish` left `gap`: whether the lambda is done. If not, the
    /// sweeps that follow may cost up to four times more than those that certified it
    /// (`sweep_flops` so far), the budget of the step they stand in for.
    bool done_at_certificate(T gap, double sweep_flops) {
        finishing_ = true;
        flop_limit_ = 5 * sweep_flops;
        return !(gap > finish_gap_);
    }
    /// Past the certificate: whether the sweeps stop (the finish gap met, or the budget spent).
    bool done(T gap, double sweep_flops) const {
        return gap <= finish_gap_ || sweep_flops >= flop_limit_;
    }

    /// The gap the sweeps go on to where the step leaves one above it.
    T finish_gap() const { return finish_gap_; }
    /// A gap at the rounding of the objective: nothing past it is worth a step or a sweep.
    T rounding_gap() const { return rounding_gap_; }

    /// At a certified solution, one sign-pattern step (an exact solve on the support's orthant,
    /// solvers/support_factor.hpp) where it costs about as much as the sweeps this lambda took
    /// (`sweep_flops`): the gap target bounds the suboptimality, and inside it the step goes the
    /// rest of the way to rounding when the signs are right. The step is kept only when it
    /// lowers the objective, and the certificate stays: the dual point behind `gap` bounds the
    /// optimum from below, so a step that lowers the objective by d leaves a gap of at most
    /// gap - d. It is skipped only when the gap is already at rounding level: a small gap does
    /// not mean accurate coefficients, since with curvature mu a suboptimality e leaves them up
    /// to sqrt(2 e / mu) off, and the elastic net's mu, lambda (1 - alpha), is small along a path
    /// (on R's and the diabetes data, elastic-net paths at the default tolerance were up to
    /// 7e-4 relative from the exact solution when the step was skipped below a thousandth of
    /// the gap target, and within 1e-6 with this rule; docs/algorithms.md). After a kept step
    /// that leaves the gap above `finish_gap`, the gap is taken again with a fresh dual point:
    /// the old one may be all that is left. `active` is scratch (the support); `update(j)` is
    /// the solver's coordinate update.
    template <class Prior, class Workspace, class Update>
    void polish(T& gap, const Prior& prior, const PenaltyWeights<T>& weights, Workspace& workspace,
                PathCertificate<Prior, T, Workspace>& certificate, SignPatternStep<T>& sign_pattern,
                Vector<T>& beta, std::vector<Eigen::Index>& active,
                const std::vector<Eigen::Index>& working_set,
                const std::vector<char>& in_working_set, double sweep_flops,
                const Update& update) const {
        if constexpr (capabilities_v<Prior>.elastic_net_on_orthants) {
            if (!(gap > rounding_gap_))
                return;
            active.clear();
            for (const Eigen::Index j : working_set)
                if (beta(j) != T(0))
                    active.push_back(j);
            // A factorization runs several times faster per flop than the sweeps; below
            // `cheap_step_flops` it is cheap whatever the sweeps cost.
            const double budget = std::max(4 * sweep_flops, cheap_step_flops);
            if (active.empty() || sign_pattern.cost(active, beta, weights, workspace) > budget)
                return;
            const T change = sign_pattern.take_if_lower(prior, weights, workspace, beta, active,
                                                        working_set, budget, update);
            gap = std::max(T(0), gap + change);
            // The statistics the path reads (residual norm) and the next strong rule.
            certificate.follow_step();
            if (change < T(0) && gap > finish_gap_) {
                certificate.refresh_gradient(weights, working_set, in_working_set);
                gap = std::min(gap, certificate.gap(weights, working_set, beta));
            }
        }
    }

private:
    /// `finish_gap` relative to the gap target: 1e-9 of the null deviance at the default
    /// tolerance.
    static constexpr T finish_fraction = T(0.01);
    T rounding_gap_, finish_gap_;
    bool finishing_ = false;
    double flop_limit_ = 0; ///< of the lambda's sweeps, past which the finish stops
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_CERTIFIED_FINISH_HPP
