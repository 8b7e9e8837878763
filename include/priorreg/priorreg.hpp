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
///
/// The layers, each including only those below it (docs/architecture.md): `selection/` →
/// the estimator (`map_regression.hpp`, `path.hpp`) → `solvers/` → `priors/` → `detail/`.

#include "bayes/bayesian_ridge.hpp"
#include "bayes/gibbs_regression.hpp"
#include "bayes/ridge_posterior.hpp"
#include "compiled.hpp"
#include "map_regression.hpp"
#include "multi_task.hpp"
#include "path.hpp"
#include "priors/check_prior.hpp"
#include "priors/elastic_net_penalty.hpp"
#include "priors/elastic_net_prior.hpp"
#include "priors/flat_prior.hpp"
#include "priors/gaussian_prior.hpp"
#include "priors/laplace_prior.hpp"
#include "priors/prior_contract.hpp"
#include "selection/adaptive.hpp"
#include "selection/cross_validation.hpp"
#include "selection/error_measure.hpp"
#include "selection/information_criteria.hpp"
#include "selection/multi_task_cv.hpp"
#include "selection/relaxed.hpp"
#include "selection/ridge_loo.hpp"
#include "selection/select_alpha.hpp"
#include "selection/validation_curve.hpp"
#include "solvers/solver_mode.hpp"
#include "status.hpp"

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
