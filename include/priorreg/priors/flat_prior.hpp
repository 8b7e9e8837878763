#ifndef PRIORREG_PRIORS_FLAT_PRIOR_HPP
#define PRIORREG_PRIORS_FLAT_PRIOR_HPP

/// \file flat_prior.hpp
/// \brief The improper uniform prior: its MAP estimate is the maximum-likelihood (OLS) fit.

#include <Eigen/Core>

#include "elastic_net_penalty.hpp"
#include "prior_contract.hpp"

namespace priorreg {

namespace detail {
/// What the solvers see of a `FlatPrior` of any scalar (`solver_prior`): the elastic-net
/// penalty with the flat prior's capabilities.
struct FlatPenalty : ElasticNetPenalty {};
} // namespace detail

/// \brief Improper uniform prior \f$p(\beta_j) \propto 1\f$: no penalty, \f$\lambda = 0\f$.
///
/// `MapRegression<FlatPrior<>>` (alias `LinearRegression`) is ordinary least squares, solved by
/// a rank-revealing orthogonal factorization.
template <class S = double> class FlatPrior : public detail::FlatPenalty {
public:
    using Scalar = S;

    /// The log density is taken as 0 (the prior is improper).
    template <class Derived> Scalar log_density(const Eigen::MatrixBase<Derived>& /*beta*/) const {
        return Scalar(0);
    }

    /// No penalty whatever the noise level: \f$\lambda = 0\f$.
    PenaltyParameters<Scalar> penalty_parameters(Scalar /*sigma*/, Scalar /*n*/) const {
        return {Scalar(0), Scalar(0)};
    }
};

namespace detail {
inline constexpr PriorCapabilities flat_capabilities{true, true, true, true};
template <class S> struct prior_capabilities<FlatPrior<S>> {
    static constexpr PriorCapabilities value = flat_capabilities;
};
template <> struct prior_capabilities<FlatPenalty> {
    static constexpr PriorCapabilities value = flat_capabilities;
};
template <class S> struct solver_prior<FlatPrior<S>> { using type = FlatPenalty; };
} // namespace detail

} // namespace priorreg

#endif // PRIORREG_PRIORS_FLAT_PRIOR_HPP
