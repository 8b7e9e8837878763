#ifndef PRIORREG_PRIORS_PRIOR_CONTRACT_HPP
#define PRIORREG_PRIORS_PRIOR_CONTRACT_HPP

/// \file prior_contract.hpp
/// \brief What a prior policy provides: the contract every solver relies on, checked at compile
/// time with one sentence per member.
///
/// \par The contract
/// A prior is a small value type over one coefficient \f$\beta_j\f$ of the standardized
/// problem. Its penalty \f$\psi_j\f$ is convex, bounded below and depends on the coordinate's
/// weights \f$l_1 = \lambda\,\mathrm{pf}_j\,\alpha\f$, \f$l_2 =
/// \lambda\,\mathrm{pf}_j(1-\alpha)\f$, which every coordinate member receives as one
/// `CoordinatePenalty<T>` (with the coordinate's index). `T` is the compute scalar (`double` for
/// `float` models), so these members are templates or take `double`:
///
/// - `using Scalar = ...;`: `float`, `double` or `long double`;
/// - `T penalty(T beta, const CoordinatePenalty<T>& w) const`: \f$\psi_j(\beta)\f$;
/// - `T proximal_step(T z, T c, const CoordinatePenalty<T>& w) const`:
///   \f$\arg\min_\beta \tfrac c2\beta^2 - z\beta + \psi_j(\beta)\f$;
/// - `T conjugate(T u, const CoordinatePenalty<T>& w) const`:
///   \f$\psi_j^*(u) = \sup_\beta u\beta - \psi_j(\beta)\f$ where finite;
/// - `T dual_scale(T u, const CoordinatePenalty<T>& w) const`: the largest \f$s\in[0,1]\f$
///   with \f$\psi_j^*(s u) < \infty\f$;
/// - `T zero_threshold(T g, const CoordinatePenalty<T>& w) const`: the smallest \f$l_1\f$ at
///   which \f$\beta_j = 0\f$ is optimal for gradient \f$g\f$;
/// - `Scalar log_density(const Eigen::MatrixBase<D>& beta) const`: the normalized log density,
///   summed over `beta`;
/// - `PenaltyParameters<Scalar> penalty_parameters(Scalar sigma, Scalar n) const`: the
///   \f$(\lambda, \alpha)\f$ of the MAP form.
///
/// `zero_threshold` describes the subdifferential at 0, which must scale with \f$l_1\f$
/// (\f$\partial\psi_j(0) = l_1 D_j\f$ for a fixed interval \f$D_j \ni 0\f$): it may read the
/// coordinate's index, not its `l1` or `l2`. The strong rule, \f$\lambda_{\max}\f$ and the KKT
/// check read it.
///
/// Optional: `static constexpr bool free_mixing = true;` enables the `(lambda, alpha)`
/// constructor of `MapRegression`. The penalty-form constructors (`MapRegression()`,
/// `MapRegression(lambda)`) need a default-constructible prior; the MAP form
/// (`MapRegression(prior, sigma)`) does not. `ElasticNetPenalty` (priors/elastic_net_penalty.hpp)
/// supplies the five coordinate members of \f$l_1|\beta| + \tfrac{l_2}{2}\beta^2\f$ to inherit,
/// and `check_prior` (priors/check_prior.hpp) verifies a prior's maths numerically.
///
/// Every prior, the shipped ones and any a user writes, is solved by coordinate descent
/// through its proximal step and certified by the duality gap through its conjugate. Shortcuts
/// (least squares, closed-form ridge, Newton steps on blocks) are taken only for the library's
/// own priors, whose penalty the library knows exactly; a user's prior always takes the
/// generic route.
///
/// \par Migration from priorreg 0.1
/// The coordinate members took the weights positionally, `penalty(beta, l1, l2)`,
/// `proximal_step(z, c, l1, l2)`, `conjugate(u, l1, l2)`, `dual_scale(u, l1, l2)`, and
/// `zero_threshold(g)`. Now each takes one `const CoordinatePenalty<T>& w` in their place (read
/// `w.l1`, `w.l2`; `w.index` is the coordinate), so that the contract can grow (bounds, say)
/// without breaking priors again. `static constexpr PriorFamily family` is gone: it let a prior
/// claim a solver it might not fit; the solver is now chosen by the library. Priors that
/// inherited `detail::ElasticNetPenalty` inherit `priorreg::ElasticNetPenalty`.

#include <Eigen/Core>
#include <type_traits>
#include <utility>

namespace priorreg {

/// \brief The penalty \f$\lambda \sum_j \mathrm{pf}_j[(1-\alpha)/2\,\beta_j^2 + \alpha|\beta_j|]\f$
/// that a prior implies: strength `lambda` and L1 share `alpha`.
template <class Scalar> struct PenaltyParameters {
    Scalar lambda; ///< overall strength, >= 0
    Scalar alpha;  ///< L1 share in [0, 1]
};

/// \brief What a prior's coordinate members know of one coordinate: its penalty weights and
/// its index.
template <class T> struct CoordinatePenalty {
    T l1 = T(0);            ///< \f$\lambda\,\mathrm{pf}_j\,\alpha\f$
    T l2 = T(0);            ///< \f$\lambda\,\mathrm{pf}_j\,(1-\alpha)\f$
    Eigen::Index index = 0; ///< the coordinate j (the column of X)
};

namespace detail {

/// \brief Shortcuts a solver may take for a prior, each named by the property of the penalty
/// that makes it valid.
///
/// Library-private: only the shipped priors declare capabilities (by specializing
/// `prior_capabilities` next to their definition), since only there does the library know the
/// penalty exactly. Any other prior has none and takes the generic route.
struct PriorCapabilities {
    /// `penalty(beta, {0, 0, j}) == 0` for every beta: a coordinate with both weights 0 is
    /// unconstrained, so a block of them can be solved by one Newton step, its dual constraint
    /// is \f$A_j^T\theta = 0\f$, and a fit with every weight 0 is least squares.
    bool vanishes_at_zero_weight = false;
    /// `penalty(beta, {0, l2, j}) == l2 beta^2 / 2`: with \f$\alpha = 0\f$ the fit is
    /// closed-form ridge.
    bool quadratic_without_l1 = false;
    /// `penalty(beta, {l1, l2, j}) == l1 |beta| + l2 beta^2 / 2`: quadratic on each orthant, so a
    /// Newton step with the signs held (the sign-pattern step) is exact there.
    bool elastic_net_on_orthants = false;
    /// The prior is flat (improper uniform): never a penalty; least squares by an orthogonal
    /// factorization, \f$\lambda = 0\f$ always.
    bool flat = false;
};

template <class Prior> struct prior_capabilities { static constexpr PriorCapabilities value{}; };
template <class Prior>
inline constexpr PriorCapabilities capabilities_v = prior_capabilities<Prior>::value;

/// The type the solvers are instantiated on for `Prior`: the prior itself, unless the solvers see
/// it only through a base class that stands for it, its penalty members (static) and
/// capabilities. The library's own priors name such a base (`ElasticNetPenalty`), so that
/// `GaussianPrior`, `LaplacePrior` and `ElasticNetPrior`, float or double, share one copy of the
/// solvers in a program (and the compiled component holds one). A prior whose penalty members
/// differ from its base's keeps its own type: a user's prior does unless it says otherwise.
template <class Prior> struct solver_prior { using type = Prior; };
template <class Prior> using solver_prior_t = typename solver_prior<Prior>::type;

/// `prior` as the solvers see it (`solver_prior_t`).
template <class Prior> const solver_prior_t<Prior>& solver_view(const Prior& prior) {
    static_assert(std::is_base_of_v<solver_prior_t<Prior>, Prior>,
                  "solver_prior must name the prior or a base class of it");
    return prior;
}

template <class Prior, class = void> struct has_free_mixing : std::false_type {};
template <class Prior>
struct has_free_mixing<Prior, std::void_t<decltype(Prior::free_mixing)>>
    : std::bool_constant<Prior::free_mixing> {};

// One detector per member of the contract, and one per member of the 0.1 contract (positional
// l1, l2) so that an old prior is told how to migrate rather than that a member is missing.
template <class T> using Weights = const CoordinatePenalty<T>&;
template <class P> const P& prior_value();
template <class T> Weights<T> weights_value();

template <class P, class = void> struct has_scalar : std::false_type {};
template <class P> struct has_scalar<P, std::void_t<typename P::Scalar>> : std::true_type {};

/// The prior's scalar, or double when it declares none (so the checks below can still run).
template <class P, class = void> struct scalar_of { using type = double; };
template <class P> struct scalar_of<P, std::void_t<typename P::Scalar>> {
    using type = typename P::Scalar;
};

template <class Void, template <class...> class Member, class... Args>
struct detect : std::false_type {};
template <template <class...> class Member, class... Args>
struct detect<std::void_t<Member<Args...>>, Member, Args...> : std::true_type {};
template <template <class...> class Member, class... Args>
inline constexpr bool has_member = detect<void, Member, Args...>::value;

template <class P, class T>
using penalty_member = decltype(prior_value<P>().penalty(T(), weights_value<T>()));
template <class P, class T>
using proximal_step_member = decltype(prior_value<P>().proximal_step(T(), T(), weights_value<T>()));
template <class P, class T>
using conjugate_member = decltype(prior_value<P>().conjugate(T(), weights_value<T>()));
template <class P, class T>
using dual_scale_member = decltype(prior_value<P>().dual_scale(T(), weights_value<T>()));
template <class P, class T>
using zero_threshold_member = decltype(prior_value<P>().zero_threshold(T(), weights_value<T>()));
template <class P, class T>
using positional_penalty_member = decltype(prior_value<P>().penalty(T(), T(), T()));
template <class P>
using log_density_member = decltype(prior_value<P>().log_density(
    std::declval<const Eigen::Matrix<typename scalar_of<P>::type, Eigen::Dynamic, 1>&>()));
template <class P, class S = typename scalar_of<P>::type>
using penalty_parameters_member =
    decltype(prior_value<P>().penalty_parameters(std::declval<S>(), std::declval<S>()));

/// True when every member of the contract is there (for `if constexpr` and tests).
template <class P, class T>
inline constexpr bool satisfies_prior_contract =
    has_scalar<P>::value&& has_member<penalty_member, P, T>&&
        has_member<proximal_step_member, P, T>&& has_member<conjugate_member, P, T>&&
            has_member<dual_scale_member, P, T>&& has_member<zero_threshold_member, P, T>&&
                has_member<log_density_member, P>&& has_member<penalty_parameters_member, P>;

/// Checks the contract for prior `P` computed in scalar `T`, one sentence per missing member.
/// Returns true so it can sit inside a `static_assert` of the caller.
template <class P, class T> constexpr bool check_prior_contract() {
    constexpr bool positional = has_member<positional_penalty_member, P, T>;
    static_assert(has_scalar<P>::value,
                  "priorreg: the prior declares no `using Scalar = ...;` (float, double or long "
                  "double): see priors/prior_contract.hpp");
    static_assert(std::is_floating_point_v<typename scalar_of<P>::type>,
                  "priorreg: the prior's Scalar must be float, double or long double");
    static_assert(!positional || has_member<penalty_member, P, T>,
                  "priorreg: the prior's coordinate members take (l1, l2) positionally, as in "
                  "priorreg 0.1: each now takes one `const CoordinatePenalty<T>& w` in their "
                  "place (see the migration note in priors/prior_contract.hpp)");
    static_assert(has_member<penalty_member, P, T> || positional,
                  "priorreg: the prior has no `T penalty(T beta, const CoordinatePenalty<T>& w) "
                  "const`, the penalty of one coefficient");
    static_assert(has_member<proximal_step_member, P, T> || positional,
                  "priorreg: the prior has no `T proximal_step(T z, T c, const "
                  "CoordinatePenalty<T>& w) const`, the minimizer of c/2 b^2 - z b + penalty(b)");
    static_assert(has_member<conjugate_member, P, T> || positional,
                  "priorreg: the prior has no `T conjugate(T u, const CoordinatePenalty<T>& w) "
                  "const`, the convex conjugate of its penalty (the duality gap needs it)");
    static_assert(has_member<dual_scale_member, P, T> || positional,
                  "priorreg: the prior has no `T dual_scale(T u, const CoordinatePenalty<T>& w) "
                  "const`, the largest s in [0, 1] keeping the conjugate finite at s u");
    static_assert(has_member<zero_threshold_member, P, T> || positional,
                  "priorreg: the prior has no `T zero_threshold(T g, const CoordinatePenalty<T>& "
                  "w) const`, the smallest l1 at which 0 is optimal for gradient g");
    static_assert(has_member<log_density_member, P>,
                  "priorreg: the prior has no `Scalar log_density(const Eigen::MatrixBase<D>& "
                  "beta) const`, its normalized log density summed over beta");
    static_assert(has_member<penalty_parameters_member, P>,
                  "priorreg: the prior has no `PenaltyParameters<Scalar> "
                  "penalty_parameters(Scalar sigma, Scalar n) const`, the (lambda, alpha) of "
                  "its MAP form");
    return true;
}

} // namespace detail
} // namespace priorreg

#endif // PRIORREG_PRIORS_PRIOR_CONTRACT_HPP
