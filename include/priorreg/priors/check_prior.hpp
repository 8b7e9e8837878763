#ifndef PRIORREG_PRIORS_CHECK_PRIOR_HPP
#define PRIORREG_PRIORS_CHECK_PRIOR_HPP

/// \file check_prior.hpp
/// \brief `check_prior(prior)`: a numerical check of a prior's maths, for the tests of anyone
/// who writes one.
///
/// The compiler checks that a prior has the members of the contract
/// (priors/prior_contract.hpp); `check_prior` checks that they agree with one another, on a
/// grid of coordinates, weights, curvatures and gradients:
/// 1. `proximal_step` minimizes \f$\tfrac c2\beta^2 - z\beta + \psi(\beta)\f$ (no nearby point,
///    nor 0, does better);
/// 2. Fenchel–Young holds with equality at the proximal point: with \f$u = z - c\beta^\star\f$,
///    \f$\psi(\beta^\star) + \psi^*(u) = u\beta^\star\f$;
/// 3. Fenchel–Young holds as an inequality, \f$\psi(\beta) + \psi^*(v) \ge v\beta\f$, at every
///    \f$v\f$ that `dual_scale` declares feasible (else the duality gap could certify a wrong
///    answer);
/// 4. `dual_scale` is the largest feasible scale: just beyond it \f$v\beta - \psi(\beta)\f$ is
///    unbounded (else the gap could never close);
/// 5. `zero_threshold` agrees with the proximal step: 0 is the step exactly when \f$l_1\f$
///    reaches the threshold;
/// 6. the MAP form agrees with the penalty: differences of `log_density` are
///    \f$-n/\sigma^2\f$ times differences of the penalty at `penalty_parameters(sigma, n)`.
///
/// \code
/// const auto check = priorreg::check_prior(MyPrior{});
/// REQUIRE(check.ok()); // else check.report() says which identity fails, and where
/// \endcode

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "../detail/numeric.hpp"
#include "prior_contract.hpp"

namespace priorreg {

/// \brief The outcome of `check_prior`: one sentence per identity that fails, naming the
/// member, the identity and the first inputs where it fails.
struct PriorCheck {
    std::vector<std::string> failures;
    int cases = 0; ///< coordinate problems tried

    bool ok() const { return failures.empty(); }
    /// The failures, one per line.
    std::string report() const {
        std::string text;
        for (const auto& failure : failures)
            text += failure + "\n";
        return text;
    }
};

namespace detail {

/// Records the first failure of each identity.
class PriorCheckLog {
public:
    explicit PriorCheckLog(PriorCheck& check) : check_(check) {}
    template <class Describe> void fail(int identity, const Describe& describe) {
        if (seen_[identity])
            return;
        seen_[identity] = true;
        std::ostringstream message;
        message.precision(10);
        describe(message);
        check_.failures.push_back(message.str());
    }

private:
    PriorCheck& check_;
    bool seen_[7] = {false, false, false, false, false, false, false};
};

template <class T> bool close(T a, T b, T tolerance, T scale) {
    return std::abs(a - b) <= tolerance * (T(1) + scale);
}

} // namespace detail

/// Checks the maths of `prior` numerically (see the file's description), each identity to
/// relative `tolerance`. Never throws for a failed identity: the result lists them.
template <class Prior> PriorCheck check_prior(const Prior& prior, double tolerance = 1e-9) {
    using S = typename detail::scalar_of<Prior>::type;
    using T = detail::compute_scalar_t<S>;
    static_assert(detail::check_prior_contract<Prior, T>());
    PriorCheck check;
    detail::PriorCheckLog log(check);
    const T tol = T(tolerance), eps = std::numeric_limits<T>::epsilon();
    const T weight_pairs[][2] = {{0, 0}, {0.3, 0}, {0, 0.7}, {0.3, 0.7}, {2, 0.1}};
    const T gradients[] = {-3, -0.5, -1e-3, 0, 1e-3, 0.5, 3};
    const T curvatures[] = {0.25, 1, 4};
    const T steps[] = {1e-4, 1e-2, 0.3, 1};
    auto objective = [&](T beta, T z, T c, const CoordinatePenalty<T>& w) {
        return T(0.5) * c * beta * beta - z * beta + prior.penalty(beta, w);
    };
    auto weights_text = [](const CoordinatePenalty<T>& w) {
        std::ostringstream text;
        text << "l1 = " << w.l1 << ", l2 = " << w.l2 << ", index = " << w.index;
        return text.str();
    };
    for (const Eigen::Index index : {Eigen::Index(0), Eigen::Index(3)})
        for (const auto& pair : weight_pairs) {
            const CoordinatePenalty<T> w{pair[0], pair[1], index};
            for (const T c : curvatures)
                for (const T z : gradients) {
                    ++check.cases;
                    // 1. The proximal step minimizes the coordinate problem.
                    const T best = prior.proximal_step(z, c, w);
                    const T at_best = objective(best, z, c, w);
                    const T scale = std::max(T(1), std::abs(best));
                    T rival = T(0);
                    bool beaten =
                        !std::isfinite(at_best) ||
                        objective(T(0), z, c, w) < at_best - tol * (1 + std::abs(at_best));
                    for (const T step : steps)
                        for (const T sign : {T(-1), T(1)}) {
                            const T other = best + sign * step * scale;
                            if (objective(other, z, c, w) <
                                at_best - tol * (1 + std::abs(at_best))) {
                                beaten = true;
                                rival = other;
                            }
                        }
                    if (beaten)
                        log.fail(0, [&](std::ostream& out) {
                            out << "proximal_step does not minimize c/2 b^2 - z b + penalty(b): "
                                << "at z = " << z << ", c = " << c << ", " << weights_text(w)
                                << " it returns " << best << " (objective " << at_best
                                << "), but b = " << rival << " gives " << objective(rival, z, c, w);
                        });
                    // 2. Fenchel-Young with equality at the proximal point.
                    // The subgradient z - c b, its rounding removed where it is 0 (a domain
                    // of one point, or a sign constraint, must not fail on 1e-17).
                    T u = z - c * best;
                    if (std::abs(u) <= T(64) * eps * (std::abs(z) + std::abs(c * best)))
                        u = T(0);
                    const T feasible = prior.dual_scale(u, w);
                    const T conjugate = prior.conjugate(feasible * u, w);
                    const T penalty = prior.penalty(best, w);
                    if (!(feasible >= T(1) - tol) ||
                        !detail::close(penalty + conjugate, u * best, tol,
                                       std::abs(u * best) + std::abs(penalty)))
                        log.fail(1, [&](std::ostream& out) {
                            out << "Fenchel-Young does not hold with equality at the proximal "
                                << "point: at z = " << z << ", c = " << c << ", " << weights_text(w)
                                << ", b = proximal_step = " << best << " and u = z - c b = " << u
                                << ": penalty(b) + conjugate(u) = " << penalty + conjugate
                                << " but u b = " << u * best << " (dual_scale(u) = " << feasible
                                << "; the subgradient u must be feasible)";
                        });
                }
            // 3. Fenchel-Young as an inequality wherever dual_scale declares the conjugate
            // finite; 4. and dual_scale the largest such scale.
            for (const T u : {T(-5), T(-1), T(-0.2), T(0), T(0.2), T(1), T(5)}) {
                const T s = prior.dual_scale(u, w);
                const T v = s * u;
                const T conjugate = prior.conjugate(v, w);
                if (!(s >= T(0) && s <= T(1)) || !std::isfinite(conjugate)) {
                    log.fail(6, [&](std::ostream& out) {
                        out << "dual_scale and conjugate disagree: at u = " << u << ", "
                            << weights_text(w) << ", dual_scale = " << s
                            << " (must lie in [0, 1]) and conjugate(s u) = " << conjugate
                            << " (must be finite there)";
                    });
                    continue;
                }
                for (const T beta : {T(-1e6), T(-3), T(-0.5), T(0), T(0.5), T(3), T(1e6)}) {
                    const T penalty = prior.penalty(beta, w);
                    if (std::isfinite(penalty) &&
                        penalty + conjugate < v * beta - tol * (1 + std::abs(v * beta)))
                        log.fail(2, [&](std::ostream& out) {
                            out << "Fenchel-Young fails (penalty(b) + conjugate(v) < v b): at "
                                << weights_text(w) << ", v = dual_scale(u) u = " << v
                                << " (u = " << u << "), b = " << beta << ": " << penalty << " + "
                                << conjugate << " < " << v * beta
                                << "; conjugate is too small there, or dual_scale too large";
                        });
                }
                if (s < T(1)) {
                    const T beyond = std::min(T(1), s * T(1.001) + T(1e-3)) * u;
                    const T direction = beyond > T(0) ? T(1) : T(-1);
                    const T far = T(1e8) * direction;
                    const T gain = beyond * far - prior.penalty(far, w);
                    if (!(gain > conjugate + T(1e3)))
                        log.fail(3, [&](std::ostream& out) {
                            out << "dual_scale is not the largest feasible scale: at u = " << u
                                << ", " << weights_text(w) << " it returns " << s
                                << ", yet v b - penalty(b) stays bounded at v = " << beyond
                                << " (b = " << far << " gives " << gain << ")";
                        });
                }
            }
            // 5. zero_threshold agrees with the proximal step.
            for (const T c : curvatures)
                for (const T g : gradients) {
                    const T threshold = prior.zero_threshold(g, w);
                    // An infinite threshold: no l1 makes 0 optimal (a penalty smooth at 0).
                    const bool finite = std::isfinite(threshold);
                    const CoordinatePenalty<T> above{threshold * (T(1) + T(1e-9)) + T(1e-300), w.l2,
                                                     index};
                    const CoordinatePenalty<T> below{finite ? threshold * (T(1) - T(1e-6)) : T(1e6),
                                                     w.l2, index};
                    const T at_above = finite ? prior.proximal_step(g, c, above) : T(0);
                    const T at_below = prior.proximal_step(g, c, below);
                    if (!(threshold >= T(0)) ||
                        !(std::abs(at_above) <= tol * (T(1) + std::abs(g) / c)) ||
                        (threshold > T(0) && at_below == T(0)))
                        log.fail(4, [&](std::ostream& out) {
                            out << "zero_threshold disagrees with proximal_step: at g = " << g
                                << ", c = " << c << ", l2 = " << w.l2 << ", index = " << index
                                << " zero_threshold = " << threshold << ", but proximal_step is "
                                << at_above << " just above it (must be 0) and " << at_below
                                << " just below it (must not be 0)";
                        });
                }
        }
    // 6. The MAP form agrees with the penalty.
    const S sigma = S(1.3), n = S(50);
    const auto parameters = prior.penalty_parameters(sigma, n);
    const CoordinatePenalty<T> map_weights{T(parameters.lambda) * T(parameters.alpha),
                                           T(parameters.lambda) * (T(1) - T(parameters.alpha)), 0};
    Eigen::Matrix<S, Eigen::Dynamic, 1> first(3), second(3);
    first << S(0.5), S(1.25), S(0.1);
    second << S(-0.75), S(2), S(0);
    auto total_penalty = [&](const Eigen::Matrix<S, Eigen::Dynamic, 1>& beta) {
        T sum = T(0);
        for (Eigen::Index j = 0; j < beta.size(); ++j)
            sum +=
                prior.penalty(T(beta(j)), CoordinatePenalty<T>{map_weights.l1, map_weights.l2, j});
        return sum;
    };
    for (const auto& other : {second, Eigen::Matrix<S, Eigen::Dynamic, 1>(first * S(2))}) {
        const T density_change = T(prior.log_density(first)) - T(prior.log_density(other));
        const T penalty_change =
            -(T(n) / (T(sigma) * T(sigma))) * (total_penalty(first) - total_penalty(other));
        const bool both_infinite = !std::isfinite(density_change) && !std::isfinite(penalty_change);
        if (!both_infinite &&
            !detail::close(density_change, penalty_change, T(1e-6) + tol, std::abs(penalty_change)))
            log.fail(5, [&](std::ostream& out) {
                out << "log_density disagrees with the penalty at penalty_parameters(sigma = "
                    << sigma << ", n = " << n << ") = (lambda " << parameters.lambda << ", alpha "
                    << parameters.alpha << "): log_density changes by " << density_change
                    << " between two coefficient vectors, -n/sigma^2 "
                    << "times the penalty by " << penalty_change;
            });
    }
    return check;
}

} // namespace priorreg

#endif // PRIORREG_PRIORS_CHECK_PRIOR_HPP
