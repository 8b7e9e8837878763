#ifndef PRIORREG_PRIORS_PENALTY_PARAMETERS_HPP
#define PRIORREG_PRIORS_PENALTY_PARAMETERS_HPP

/// \file penalty_parameters.hpp
/// \brief The (lambda, alpha) pair a prior and a noise level imply, and the prior families.

namespace priorreg {

/// \brief The penalty \f$\lambda \sum_j \mathrm{pf}_j[(1-\alpha)/2\,\beta_j^2 + \alpha|\beta_j|]\f$
/// that a prior implies: strength `lambda` and L1 share `alpha`.
template <class Scalar> struct PenaltyParameters {
    Scalar lambda; ///< overall strength, >= 0
    Scalar alpha;  ///< L1 share in [0, 1]
};

/// \brief How the solvers may treat a prior.
enum class PriorFamily {
    flat,        ///< no penalty: least squares by an orthogonal factorization
    elastic_net, ///< \f$l_1|\beta| + l_2\beta^2/2\f$: closed form when \f$l_1 = 0\f$
    custom       ///< any other separable prior: coordinate descent through its proximal step
};

} // namespace priorreg

#endif // PRIORREG_PRIORS_PENALTY_PARAMETERS_HPP
