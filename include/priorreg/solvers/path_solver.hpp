#ifndef PRIORREG_SOLVERS_PATH_SOLVER_HPP
#define PRIORREG_SOLVERS_PATH_SOLVER_HPP

/// \file path_solver.hpp
/// \brief Pathwise coordinate descent for any separable prior: warm starts, sequential strong
/// rules, active-set cycling, a KKT check over all features and a duality-gap certificate.
///
/// For each \f$\lambda_k\f$ (decreasing):
/// 1. Working set \f$W\f$ = features ever nonzero, unpenalized features, and the strong set
///    \f$\{j : \mathrm{zero\_threshold}(g_j) \ge \alpha\,\mathrm{pf}_j(2\lambda_k -
///    \lambda_{k-1})\}\f$ with \f$g\f$ the gradient at the previous solution; where a
///    correlation is a pass over the data a feature at zero outside the strong set leaves
///    \f$W\f$ (`leave_working_set`).
/// 2. Coordinate descent on \f$W\f$ (full sweeps of \f$W\f$, then sweeps of its nonzero part)
///    until the largest weighted coordinate change is small.
/// 3. Full gradient; any feature outside \f$W\f$ that violates its KKT condition joins
///    \f$W\f$ and step 2 resumes. A solution that violates KKT is never returned.
/// 4. Duality gap; if above tolerance times the null deviance, the change criterion tightens
///    tenfold and step 2 resumes. Once below, the finish past the certificate
///    (solvers/certified_finish.hpp).

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "../detail/memory.hpp"
#include "../detail/numeric.hpp"
#include "../detail/standardize.hpp"
#include "../priors/prior_contract.hpp"
#include "../status.hpp"
#include "certified_finish.hpp"
#include "extrapolation.hpp"
#include "pair_move.hpp"
#include "path_certificate.hpp"
#include "path_solution.hpp"
#include "progress_window.hpp"
#include "secant_start.hpp"
#include "sign_pattern_step.hpp"
#include "unpenalized_block.hpp"

namespace priorreg::detail {

template <class Prior, class T, class Workspace> class PathSolver {
public:
    PathSolver(const Prior& prior, const StandardizedProblem<T>& problem, Workspace& workspace,
               const Vector<T>& penalty_factors, T alpha, T tolerance, int max_iterations)
        : prior_(prior), problem_(problem), workspace_(workspace), factors_(penalty_factors),
          alpha_(alpha), gap_target_(tolerance * problem.null_deviance),
          response_norm_(std::sqrt(problem.null_deviance)), max_iterations_(max_iterations),
          p_(penalty_factors.size()), beta_(Vector<T>::Zero(p_)),
          in_working_set_(static_cast<std::size_t>(p_), 0),
          settles_unweighted_(capabilities_v<Prior>.vanishes_at_zero_weight &&
                              problem.lower.size() == 0),
          certificate_(prior, problem, workspace, settles_unweighted_),
          finish_(gap_target_, problem.null_deviance) {
        workspace_.start();
        // Unpenalized features are always in play; fit them first so that the gradient the
        // first strong rule (and lambda_max) sees is that of the null model.
        for (Eigen::Index j = 0; j < p_; ++j)
            if (problem_.has_data(j) && factors_(j) == T(0)) {
                add_to_working_set(j);
                unpenalized_.add(j);
            }
        if (!working_set_.empty()) {
            set_weights(T(0));
            workspace_.prepare(working_set_);
            converge_on_working_set(gap_target_, max_iterations_);
        }
        certificate_.start();
    }

    /// Gradient at the current solution (null model before the first solve).
    const Vector<T>& gradient() const { return certificate_.gradient(); }

    /// Starts the next `solve` from the coefficients `start` (working scale) instead of the null
    /// model: a refit between two points of a path warm-starts from one of them. Their nonzero
    /// coefficients form the first working set; the KKT check adds any other feature the new
    /// lambda needs.
    void start_from(const Vector<T>& start) {
        for (Eigen::Index j = 0; j < p_; ++j)
            if (problem_.has_data(j) && start(j) != T(0) && !in_working_set_[j])
                add_to_working_set(j);
        workspace_.prepare(working_set_);
        for (const Eigen::Index j : working_set_) {
            const T delta = start(j) - beta_(j);
            if (delta != T(0)) {
                beta_(j) = start(j);
                workspace_.apply(j, delta);
            }
        }
        certificate_.full_gradient();
    }

    /// Solves along `lambdas` (decreasing), warm-starting each from the previous solution.
    PathSolution<T> solve(const Vector<T>& lambdas,
                          const std::function<bool(Eigen::Index)>& progress = {}) {
        const Eigen::Index L = lambdas.size();
        PathSolution<T> solution;
        resize_densely_used(solution.working_coefs, p_, L);
        solution.duality_gaps.resize(L);
        solution.residual_norm2.resize(L);
        solution.iterations.assign(static_cast<std::size_t>(L), 0);
        T previous_lambda = -T(1);
        for (Eigen::Index k = 0; k < L; ++k) {
            const T lambda = lambdas(k);
            set_weights(lambda);
            if (previous_lambda >= T(0)) {
                // Sequential strong rule.
                const T cutoff = alpha_ * (T(2) * lambda - previous_lambda);
                if (workspace_.correlation_cost() > 1)
                    leave_working_set(cutoff);
                for (Eigen::Index j = 0; j < p_; ++j)
                    if (problem_.has_data(j) && !in_working_set_[j] &&
                        box_zero_threshold(prior_, weights_, j, certificate_.gradient()(j)) >=
                            cutoff * factors_(j))
                        add_to_working_set(j);
            }
            if (k >= 2)
                secant_.start(prior_, weights_, workspace_, problem_, working_set_,
                              solution.working_coefs.col(k - 2), lambdas(k - 2), previous_lambda,
                              lambda, beta_);
            kkt_additions_ = 0;
            const Status status = solve_one(solution.duality_gaps(k), solution.iterations[k]);
            secant_.learn(problem_.curvature, beta_);
            if (previous_lambda >= T(0))
                solution.strong_rule_violations += kkt_additions_;
            solution.gradient_evaluations = certificate_.gradient_evaluations();
            if (status != Status::Success)
                solution.status = status;
            solution.working_coefs.col(k) = beta_;
            solution.residual_norm2(k) = workspace_.residual_norm2(beta_, certificate_.gradient());
            previous_lambda = lambda;
            if (progress && !progress(k) && k + 1 < L) {
                solution.working_coefs.conservativeResize(p_, k + 1);
                solution.duality_gaps.conservativeResize(k + 1);
                solution.residual_norm2.conservativeResize(k + 1);
                solution.iterations.resize(static_cast<std::size_t>(k + 1));
                break;
            }
        }
        return solution;
    }

private:
    /// The weights at `lambda`, with the problem's box.
    void set_weights(T lambda) {
        weights_ = PenaltyWeights<T>::from(lambda, alpha_, factors_);
        weights_.boxed_by(problem_.lower, problem_.upper);
    }

    void add_to_working_set(Eigen::Index j) {
        in_working_set_[j] = 1;
        working_set_.push_back(j);
    }

    /// Zeros outside the strong set leave the working set where confirming one is a column
    /// pass (`correlation_cost`); the KKT check brings back any needed (docs/algorithms.md).
    void leave_working_set(T cutoff) {
        std::size_t kept = 0;
        for (const Eigen::Index j : working_set_) {
            if (beta_(j) == T(0) && factors_(j) > T(0) &&
                box_zero_threshold(prior_, weights_, j, certificate_.gradient()(j)) <
                    cutoff * factors_(j)) {
                in_working_set_[j] = 0;
                continue;
            }
            working_set_[kept++] = j;
        }
        working_set_.resize(kept);
    }

    /// One coordinate update; returns the weighted squared change.
    T update(Eigen::Index j) {
        const T c = problem_.curvature(j);
        const T old = beta_(j);
        const T z = workspace_.correlation(j) + c * old;
        const T updated = box_proximal_step(prior_, weights_, j, z, c);
        const T delta = updated - old;
        if (delta == T(0))
            return T(0);
        if ((old > T(0)) != (updated > T(0)) || (old < T(0)) != (updated < T(0)))
            ++sign_changes_;
        beta_(j) = updated;
        workspace_.apply(j, delta);
        return c * delta * delta;
    }

    /// Sweeps the working set (then its nonzero part) until the largest weighted change is at
    /// most `change_target`. Returns false when the sweep budget runs out.
    bool converge_on_working_set(T change_target, int budget) {
        int sweeps = 0;
        while (sweeps < budget) {
            T change = T(0);
            for (const Eigen::Index j : working_set_)
                change = std::max(change, update(j));
            ++sweeps;
            sweeps_ += 1;
            sweep_flops_ += static_cast<double>(working_set_.size()) * workspace_.update_cost();
            if (!(change == change))
                return false; // NaN
            if (change <= change_target)
                return true;
            active_.clear();
            for (const Eigen::Index j : working_set_)
                if (beta_(j) != T(0))
                    active_.push_back(j);
            // Slow progress on the active set (a narrow valley of a correlated design): once
            // the signs have held for two sweeps, a sign-pattern step solves the quadratic
            // they leave; if they keep changing, one every `patience` sweeps (about the cost
            // of its solve).
            const int patience = std::max<int>(8, static_cast<int>(active_.size() / 4));
            int since_step = 0, steady = 0;
            extrapolation_.reset();
            record_active();
            pair_moves_.restart();
            while (sweeps < budget) {
                const Eigen::Index flips = sign_changes_;
                T active_change = T(0);
                for (const Eigen::Index j : active_)
                    active_change = std::max(active_change, update(j));
                ++sweeps;
                sweeps_ += 1;
                sweep_flops_ += static_cast<double>(active_.size()) * workspace_.update_cost();
                // Moves between near copies once the sweeps stall (solvers/pair_move.hpp).
                const std::vector<CorrelatedPair<T>>& pairs = pair_moves_.after_sweep(
                    workspace_, problem_.curvature, weights_, active_, working_set_,
                    in_working_set_, sweeps_, (path_sweep_flops_ + sweep_flops_) / 4);
                if (!pairs.empty()) {
                    const std::size_t entered = active_.size();
                    active_change = std::max(
                        active_change,
                        sweep_pairs(prior_, pairs, weights_, problem_.curvature, response_norm_,
                                    workspace_, beta_, active_, sign_changes_, sweep_flops_));
                    if (active_.size() != entered) { // a partner left zero: a new history
                        extrapolation_.reset();
                        record_active();
                    }
                }
                if (!(active_change > change_target))
                    break;
                steady = sign_changes_ == flips ? steady + 1 : 0;
                ++since_step;
                if ((steady >= 2 && since_step >= 3) || since_step >= patience) {
                    if (sign_pattern_step()) {
                        since_step = 0;
                        extrapolation_.reset();
                    } else if (since_step >= patience) {
                        since_step = 0;
                    }
                }
                if (record_active())
                    extrapolate_active();
            }
        }
        return false;
    }

    /// Adds the active coefficients to the extrapolation's history; true when it is full.
    bool record_active() {
        active_values_.resize(static_cast<Eigen::Index>(active_.size()));
        for (std::size_t a = 0; a < active_.size(); ++a)
            active_values_(static_cast<Eigen::Index>(a)) = beta_(active_[a]);
        return extrapolation_.record(active_values_);
    }

    /// The Anderson point of the last sweeps on the active set, kept if the objective is lower
    /// (solvers/extrapolation.hpp); it then starts the next history.
    void extrapolate_active() {
        if (extrapolation_.extrapolate(proposal_))
            move_if_lower(prior_, weights_, workspace_, active_, proposal_, beta_, scratch_);
        record_active();
    }

    /// The exact step on the sign pattern of the active coefficients, for a prior that is the
    /// elastic-net penalty on each orthant (solvers/sign_pattern_step.hpp); returns whether a
    /// step was taken. The steps of a lambda cost at most what its sweeps have (as renting
    /// against buying: whether the sweeps would have converged soon is not known in advance,
    /// and this spends at most twice the better choice), counting the flops of a factor and
    /// its solves at an eighth (blocked factorization and triangular solves run several times
    /// faster per flop than the sweeps' coordinate updates; measured on the hard designs of
    /// bench/compare, 4 left AR(1) elastic nets at up to 48 sweeps per lambda, 16 slowed
    /// H05 by half), or below `cheap_step_flops`.
    bool sign_pattern_step() {
        if constexpr (capabilities_v<Prior>.elastic_net_on_orthants) {
            const double budget = std::max(8 * sweep_flops_ - step_flops_, cheap_step_flops);
            const double spent =
                sign_pattern_.take(prior_, weights_, workspace_, beta_, active_, working_set_,
                                   budget, [&](Eigen::Index j) { update(j); });
            step_flops_ += spent;
            return spent > 0;
        } else {
            return false;
        }
    }

    Status solve_one(T& gap, int& iterations) {
        path_sweep_flops_ += sweep_flops_;
        sweeps_ = 0;
        sweep_flops_ = 0;
        step_flops_ = 0;
        // A coordinate change of c*delta^2 lowers the objective by about half that; over the
        // working set the changes add up, so the first target is shared among its members.
        // Along a path the target that certified the previous lambda is the better guess
        // (allowed to loosen twofold): each failed gap check costs a full gradient.
        // Where the gradient is free (covariance mode) a gap check costs O(p): start loose and
        // let failed checks tighten the target instead.
        const T shared =
            Workspace::gradient_is_free
                ? gap_target_
                : gap_target_ / static_cast<T>(1 + std::max<std::size_t>(working_set_.size(), 1));
        T change_target =
            certified_change_ > T(0) ? std::min(shared, T(2) * certified_change_) : shared;
        Status status = Status::NoConvergence;
        finish_.restart();
        // Sweeps that stall above the change target (a near-duplicate pair trading weight
        // back and forth) may already be within the gap: it is checked every `stall_sweeps`.
        constexpr int stall_sweeps = Workspace::gradient_is_free ? 50 : 200;
        ProgressWindow<T> progress(max_iterations_);
        while (sweeps_ < max_iterations_) {
            // Where a coordinate update streams its column from X's storage, sweeping in
            // column order lets the hardware prefetch the next column: 2.2 times faster on
            // 100,000 x 50,000 at 0.1 % (bench/compare/sparse/RESULTS_SPARSE.md).
            if constexpr (Workspace::sweeps_in_column_order)
                std::sort(working_set_.begin(), working_set_.end());
            workspace_.prepare(working_set_);
            const int budget = std::min(stall_sweeps, max_iterations_ - sweeps_);
            const bool settled = converge_on_working_set(change_target, budget);
            if (!settled && !beta_.allFinite()) {
                status = Status::NumericalIssue;
                break;
            }
            if (!settled && sweeps_ >= max_iterations_)
                break;
            certificate_.refresh_gradient(weights_, working_set_, in_working_set_);
            // KKT outside the working set: zero must be optimal there.
            const Vector<T>& gradient = certificate_.gradient();
            bool violated = false;
            for (Eigen::Index j = 0; j < p_; ++j)
                if (problem_.has_data(j) && !in_working_set_[j] &&
                    box_zero_threshold(prior_, weights_, j, gradient(j)) > weights_.l1(j)) {
                    add_to_working_set(j);
                    ++kkt_additions_;
                    violated = true;
                }
            if (violated)
                continue;
            if (settle_unpenalized())
                certificate_.refresh_gradient(weights_, working_set_, in_working_set_);
            gap = certificate_.gap(weights_, working_set_, beta_);
            if (gap <= gap_target_ && unpenalized_.unsettled())
                break; // the gap cannot see the unpenalized block's suboptimality
            if (finish_.finishing()) {
                if (finish_.done(gap, sweep_flops_))
                    break;
                if (settled)
                    change_target *= T(0.1);
                continue;
            }
            if (gap <= gap_target_) {
                certified_change_ = change_target;
                status = Status::Success;
                finish_.polish(gap, prior_, weights_, workspace_, certificate_, sign_pattern_,
                               beta_, active_, working_set_, in_working_set_, sweep_flops_,
                               [&](Eigen::Index j) { update(j); });
                if (finish_.done_at_certificate(gap, sweep_flops_))
                    break;
                change_target *= T(0.1);
                continue;
            }
            if (progress.out_of_reach(gap, gap_target_, sweeps_))
                break;
            if (settled)
                change_target *= T(0.1);
        }
        // Sweeps past a certificate lower the objective, but where the last gap they read is above
        // the target all the same (rounding, at lambda near the gradient's rounding), the
        // coefficients returned are certified only if a full gradient's gap says so; the status
        // says which, as each lambda's own does (its gap against the target).
        if (status != Status::Success || !(gap <= gap_target_)) {
            certificate_.full_gradient();
            gap = certificate_.gap(weights_, working_set_, beta_);
            if (status == Status::Success && !(gap <= gap_target_))
                status = Status::NoConvergence;
        }
        if (unpenalized_.unsettled()) // no certificate: the gap bounds nothing
            gap = std::numeric_limits<T>::infinity();
        iterations = sweeps_;
        return status;
    }

    /// Solves the unpenalized block given the others before a gap check; true if it moved.
    bool settle_unpenalized() {
        return settles_unweighted_ &&
               unpenalized_.settle(workspace_, beta_, certificate_.root_curvature(), problem_.rows,
                                   p_);
    }

    const Prior& prior_;
    const StandardizedProblem<T>& problem_;
    Workspace& workspace_;
    const Vector<T>& factors_;
    T alpha_;
    T gap_target_;
    T response_norm_; ///< \f$\lVert b\rVert\f$, the scale of the gradient's rounding
    int max_iterations_;
    Eigen::Index p_;
    Vector<T> beta_;
    SignPatternStep<T> sign_pattern_;
    Eigen::Index sign_changes_ = 0; ///< coordinate updates that changed a sign
    PenaltyWeights<T> weights_;
    std::vector<char> in_working_set_;
    /// Unweighted coordinates of a prior that vanishes there, without a box, are settled by a
    /// Newton step and left out of the gap; otherwise they stay in both (`projected_gap`).
    bool settles_unweighted_;
    PathCertificate<Prior, T, Workspace> certificate_; ///< the gradient and the gap
    std::vector<Eigen::Index> working_set_;
    std::vector<Eigen::Index> active_;
    SecantStart<T> secant_;                  ///< each lambda's start (solvers/secant_start.hpp)
    AndersonExtrapolation<T> extrapolation_; ///< of the sweeps on `active_`
    Vector<T> active_values_, proposal_, scratch_;
    PairMoves<T> pair_moves_;         ///< between strongly correlated partners (pair_move.hpp)
    UnpenalizedBlock<T> unpenalized_; ///< features with penalty factor 0
    CertifiedFinish<T> finish_;       ///< past each lambda's certificate (certified_finish.hpp)
    int sweeps_ = 0;
    double sweep_flops_ = 0;      ///< of this lambda's sweeps (`update_cost` per coordinate)
    double path_sweep_flops_ = 0; ///< of the sweeps of the lambdas before
    double step_flops_ = 0;       ///< of its sign-pattern steps (their estimates)
    Eigen::Index kkt_additions_ = 0;
    T certified_change_ = T(0); ///< change target that passed the last gap check
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PATH_SOLVER_HPP
