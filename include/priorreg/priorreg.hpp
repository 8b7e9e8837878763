#ifndef PRIORREG_PRIORREG_HPP
#define PRIORREG_PRIORREG_HPP

/// \file priorreg.hpp
/// \brief Umbrella header: regularized linear regression as MAP estimation.
///
/// | prior on each coefficient | estimator | \f$\lambda, \alpha\f$ |
/// |---|---|---|
/// | flat | `LinearRegression` (OLS) | \f$\lambda = 0\f$ |
/// | `GaussianPrior(tau)` | `Ridge` | \f$\sigma^2/(n\tau^2)\f$, 0 |
/// | `LaplacePrior(b)` | `Lasso` | \f$\sigma^2/(nb)\f$, 1 |
/// | `ElasticNetPrior(tau, b)` | `ElasticNet` | \f$(\sigma^2/n)(1/\tau^2 + 1/b)\f$,
/// \f$(1/b)/(1/\tau^2+1/b)\f$ |

#include "cross_validation.hpp"
#include "information_criteria.hpp"
#include "map_regression.hpp"
#include "path.hpp"
#include "priors/elastic_net_prior.hpp"
#include "priors/flat_prior.hpp"
#include "priors/gaussian_prior.hpp"
#include "priors/laplace_prior.hpp"
#include "priors/penalty_parameters.hpp"
#include "ridge_loo.hpp"
#include "status.hpp"
#include "validation_curve.hpp"

namespace priorreg {

/// Ordinary least squares: the maximum-likelihood estimate.
using LinearRegression = MapRegression<FlatPrior<double>>;
/// Ridge: the MAP estimate under a Gaussian prior.
using Ridge = MapRegression<GaussianPrior<double>>;
/// Lasso: the MAP estimate under a Laplace prior.
using Lasso = MapRegression<LaplacePrior<double>>;
/// Elastic net: the MAP estimate under the product of a Gaussian and a Laplace prior.
using ElasticNet = MapRegression<ElasticNetPrior<double>>;

} // namespace priorreg

#endif // PRIORREG_PRIORREG_HPP
