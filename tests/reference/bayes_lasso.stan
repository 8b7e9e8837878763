// The Bayesian lasso of Park and Casella (2008) on standardized predictors: the reference
// model of tests/reference/stan_bayes_shrinkage.R (the tests' Stan posteriors) and of
// bench/compare/stan_bayes_lasso.R (the speed comparison), both run from the repository root.
data {
  int<lower=1> n;
  int<lower=1> p;
  matrix[n, p] Z;            // standardized predictors
  vector[n] y;
  real<lower=0> lambda;
}
parameters {
  real mu;                   // flat prior
  vector[p] beta;
  real<lower=0> sigma2;
}
model {
  real sigma = sqrt(sigma2);
  target += -log(sigma2);                                      // p(sigma2) ~ 1 / sigma2
  target += double_exponential_lpdf(beta | 0, sigma / lambda); // includes -p log(sigma)
  target += normal_id_glm_lpdf(y | Z, mu, beta, sigma);        // y ~ N(mu + Z beta, sigma)
}
