# Reference posteriors for priorreg's Gibbs samplers (Bayesian lasso, Bayesian elastic net,
# horseshoe), from Stan's NUTS sampler through rstan. Run from the repository root:
#
#   Rscript tests/reference/stan_bayes_shrinkage.R [OUT_DIR]      (OUT_DIR: tests/data/stan)
#
# It writes to OUT_DIR
#   wide.csv                    the generated p > n data set (raw X and y, 17 significant digits)
#   lasso_diabetes.txt          model A, lambda = 3
#   elastic_net_diabetes.txt    model B, lambda1 = 3, lambda2 = 2
#   horseshoe_diabetes.txt      model C
#   lasso_wide.txt              model A, lambda = 1
#   horseshoe_wide.txt          model C
# Each .txt file starts with '#' comment lines (model, data, hyperparameters, Stan settings,
# divergences, diagnostics, versions), then one line per coefficient j, in column order,
#   j mean mcse_mean q05 q50 q95 sd ess_bulk
# for beta_j on the standardized scale, and one line with the same columns for the noise variance,
#   sigma2 mean mcse_mean q05 q50 q95 sd ess_bulk
# Means, sds and quantiles (R's type 7) are over the pooled post-warmup draws of all chains;
# ess_bulk is rstan::ess_bulk (rank-normalized, split chains); mcse_mean is the se_mean of
# rstan::monitor(), sd / sqrt(ESS) with the classic (not rank-normalized) split-chain ESS.
#
# Recorded with rstan 2.21.7 (StanHeaders 2.21.0-7) on R 4.2.2 (Debian r-cran-rstan). The outputs are committed, so
# nothing runs Stan at test time; R and rstan (Debian: r-cran-rstan) are needed only to record.
# A run takes about 10-15 minutes on 2 cores (the horseshoe on the wide data dominates).
#
# Data and standardization. Each predictor column is standardized with its mean and its
# POPULATION standard deviation (divide by n, not n - 1): z_ij = (x_ij - mean_j) / s_j. The
# response is left as it is (neither centered nor scaled).
#   diabetes: tests/data/diabetes/diabetes.csv, n = 442, p = 10 (age, sex, ..., s6; y).
#   wide:     set.seed(2026); n = 60, p = 100, X iid N(0, 1) (column-major fill), beta_true with
#             beta_1..5 = (3, -2, 1.5, 1, -1) and 0 elsewhere, y = 1 + X beta_true + N(0, 1).
#
# Models. All share y_i ~ N(mu + z_i' beta, sigma2), a flat prior on the intercept mu and
# p(sigma2) proportional to 1 / sigma2 (sigma = sqrt(sigma2)).
#   A. Bayesian lasso (Park & Casella 2008): beta_j | sigma2 ~ Laplace(0, sigma / lambda), iid,
#      lambda fixed.
#   B. Bayesian elastic net: p(beta_j | sigma2) proportional to
#      (1 / sigma) exp(-lambda1 |beta_j| / sigma - lambda2 beta_j^2 / (2 sigma2)); the 1 / sigma
#      per coefficient is the sigma-dependent part of the normalizing constant and is in the target.
#   C. Horseshoe (Carvalho, Polson & Scott 2010): beta_j | lambda_j, tau, sigma2 ~
#      N(0, (lambda_j tau sigma)^2), lambda_j ~ C+(0, 1), tau ~ C+(0, 1); sampled non-centered,
#      beta_j = z_j lambda_j tau sigma with z_j ~ N(0, 1).
#
# Stan settings: 4 chains, iter = 6000 with warmup = 1000 (20000 draws), seed = 2026, cores = 2;
# adapt_delta 0.8 and max_treedepth 10 (Stan's defaults) for A and B, 0.99 and 12 for C. When the
# smallest ess_bulk of the coefficients is below 4000, the fit is run again with more sampling
# iterations per chain (same warmup and seed); the files give the settings of the fit written.

suppressPackageStartupMessages(library(rstan))
# Debian's r-cran-bh is a virtual package: Boost's headers are in /usr/include, where rstan
# does not look by itself.
if (!file.exists(rstan_options("boost_lib")) && file.exists("/usr/include/boost/version.hpp"))
    rstan_options(boost_lib = "/usr/include")

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) > 0) args[1] else "tests/data/stan"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# ---------------------------------------------------------------------------------------------
# Settings

seed <- 2026
chains <- 4
warmup <- 1000
iter <- 6000              # per chain, warmup included
cores <- 2
min_ess_target <- 4000    # smallest acceptable ess_bulk of any coefficient
max_iter <- 41000         # per chain; no further re-run beyond this

fmt <- function(v) formatC(v, digits = 17, format = "g")

# ---------------------------------------------------------------------------------------------
# Data

# Columns centered and divided by their population standard deviation.
standardize <- function(x) {
    centered <- sweep(x, 2, colMeans(x))
    sweep(centered, 2, sqrt(colMeans(centered^2)), "/")
}

diabetes <- read.csv("tests/data/diabetes/diabetes.csv")
stopifnot(nrow(diabetes) == 442, ncol(diabetes) == 11, names(diabetes)[11] == "y")
diabetes_x <- as.matrix(diabetes[, 1:10])
diabetes_y <- diabetes$y

make_wide <- function() {
    set.seed(2026)
    n <- 60
    p <- 100
    x <- matrix(rnorm(n * p), n, p)
    beta_true <- c(3, -2, 1.5, 1, -1, rep(0, p - 5))
    y <- drop(1 + x %*% beta_true + rnorm(n, sd = 1))
    list(x = x, y = y)
}
wide <- make_wide()

# wide.csv: header x1,...,x100,y and every value with 17 significant digits (reads back exactly).
write_wide <- function(path, x, y) {
    lines <- c(paste(c(paste0("x", seq_len(ncol(x))), "y"), collapse = ","),
               apply(cbind(x, y), 1, function(row) paste(fmt(row), collapse = ",")))
    writeLines(lines, path)
    back <- as.matrix(read.csv(path))
    stopifnot(identical(unname(back), unname(cbind(x, y))))
}
write_wide(file.path(out_dir, "wide.csv"), wide$x, wide$y)

# ---------------------------------------------------------------------------------------------
# Stan models. Every density is written with target += so that no sigma-dependent term can be
# dropped; the constant terms that remain do not matter. sigma2 is declared <lower=0>, so Stan
# samples log(sigma2) and adds the Jacobian itself: the target is the density in sigma2.

lasso_code <- "
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
"

elastic_net_code <- "
data {
  int<lower=1> n;
  int<lower=1> p;
  matrix[n, p] Z;
  vector[n] y;
  real<lower=0> lambda1;
  real<lower=0> lambda2;
}
parameters {
  real mu;
  vector[p] beta;
  real<lower=0> sigma2;
}
model {
  real sigma = sqrt(sigma2);
  target += -log(sigma2);
  // p(beta_j | sigma2) ~ (1 / sigma) exp(-lambda1 |beta_j| / sigma - lambda2 beta_j^2 / (2 sigma2))
  target += -p * log(sigma)
            - lambda1 * sum(fabs(beta)) / sigma
            - lambda2 * dot_self(beta) / (2 * sigma2);
  target += normal_id_glm_lpdf(y | Z, mu, beta, sigma);        // y ~ N(mu + Z beta, sigma)
}
"

horseshoe_code <- "
data {
  int<lower=1> n;
  int<lower=1> p;
  matrix[n, p] Z;
  vector[n] y;
}
parameters {
  real mu;
  vector[p] z;                 // non-centered coefficients
  vector<lower=0>[p] lambda;   // local scales
  real<lower=0> tau;           // global scale
  real<lower=0> sigma2;
}
transformed parameters {
  vector[p] beta = z .* lambda * (tau * sqrt(sigma2));  // beta_j ~ N(0, (lambda_j tau sigma)^2)
}
model {
  target += -log(sigma2);
  target += std_normal_lpdf(z);
  target += cauchy_lpdf(lambda | 0, 1);   // half-Cauchy through the <lower=0> constraint
  target += cauchy_lpdf(tau | 0, 1);
  target += normal_id_glm_lpdf(y | Z, mu, beta, sqrt(sigma2));
}
"

compile <- function(code, name) {
    seconds <- system.time(model <- stan_model(model_code = code, model_name = name))[["elapsed"]]
    message(sprintf("compiled %s in %.0f s", name, seconds))
    model
}

# ---------------------------------------------------------------------------------------------
# Fitting and summaries

# One fit; re-run with more sampling iterations while some coefficient's ess_bulk is below the
# target. Returns the fit and the settings it was run with.
fit_model <- function(model, data, control) {
    iter_now <- iter
    repeat {
        seconds <- system.time(
            fit <- sampling(model, data = data, chains = chains, iter = iter_now,
                            warmup = warmup, seed = seed, cores = cores, control = control,
                            refresh = 0))[["elapsed"]]
        draws <- as.array(fit, pars = "beta")
        ess <- apply(draws, 3, ess_bulk)
        message(sprintf("  iter %d: %.0f s, min ess_bulk of beta %.0f", iter_now, seconds, min(ess)))
        if (min(ess) >= min_ess_target || iter_now >= max_iter) break
        more <- (iter_now - warmup) * 1.2 * min_ess_target / min(ess)
        iter_now <- min(max_iter, warmup + 1000 * ceiling(more / 1000))
    }
    list(fit = fit, iter = iter_now, seconds = seconds)
}

# Summary of one scalar's draws (iterations x chains).
summarize <- function(sims, mcse) {
    pooled <- as.vector(sims)
    q <- quantile(pooled, c(0.05, 0.5, 0.95), type = 7, names = FALSE)
    c(mean = mean(pooled), mcse_mean = mcse, q05 = q[1], q50 = q[2], q95 = q[3],
      sd = sd(pooled), ess_bulk = ess_bulk(sims))
}

write_fit <- function(path, title, data_text, hyper_text, fitted, control, extra = character()) {
    fit <- fitted$fit
    p <- length(grep("^beta\\[", names(fit)))
    names_out <- c(sprintf("beta[%d]", seq_len(p)), "sigma2")
    draws <- as.array(fit, pars = c("beta", "sigma2", "mu"))
    mon <- monitor(draws, warmup = 0, print = FALSE)
    rows <- t(sapply(names_out, function(v) summarize(draws[, , v], mon[v, "se_mean"])))
    rhat <- apply(draws, 3, Rhat)
    ess_t <- apply(draws, 3, ess_tail)
    sampler <- get_sampler_params(fit, inc_warmup = FALSE)
    divergent <- sum(sapply(sampler, function(s) sum(s[, "divergent__"])))
    treedepth_hits <- sum(sapply(sampler, function(s) sum(s[, "treedepth__"] >= control$max_treedepth)))
    elapsed <- get_elapsed_time(fit)
    mu <- summarize(draws[, , "mu"], mon["mu", "se_mean"])
    header <- c(
        paste("# model:", title),
        paste("# data:", data_text),
        "# standardization: z_ij = (x_ij - mean_j) / s_j, s_j the population sd (divide by n); y raw",
        paste("# hyperparameters:", hyper_text),
        "# common: y_i ~ N(mu + z_i' beta, sigma2), flat prior on mu, p(sigma2) ~ 1 / sigma2",
        sprintf("# stan: NUTS, chains %d, iter %d, warmup %d, thin 1, draws %d, seed %d, cores %d, adapt_delta %s, max_treedepth %d",
                chains, fitted$iter, warmup, chains * (fitted$iter - warmup), seed, cores,
                format(control$adapt_delta), control$max_treedepth),
        sprintf("# divergences: %d (post-warmup); max_treedepth hits: %d", divergent, treedepth_hits),
        sprintf("# diagnostics over beta, sigma2, mu: max Rhat %.4f (rstan::Rhat), min ess_bulk %.0f, min ess_tail %.0f",
                max(rhat), min(rows[, "ess_bulk"], mu[["ess_bulk"]]), min(ess_t)),
        sprintf("# sampling time: warmup %.1f s, sampling %.1f s (summed over chains)",
                sum(elapsed[, "warmup"]), sum(elapsed[, "sample"])),
        sprintf("# intercept mu: mean %.6g, sd %.4g, q05 %.6g, q95 %.6g (not in the rows below)",
                mu[["mean"]], mu[["sd"]], mu[["q05"]], mu[["q95"]]),
        extra,
        sprintf("# versions: rstan %s, StanHeaders %s, %s", packageVersion("rstan"),
                packageVersion("StanHeaders"), R.version.string),
        "# mcse_mean: se_mean of rstan::monitor() (sd / sqrt(classic split-chain ESS)); quantiles type 7 on pooled draws",
        "# columns: j mean mcse_mean q05 q50 q95 sd ess_bulk (beta_j on the standardized scale, then sigma2)")
    body <- sprintf("%s %s", c(seq_len(p), "sigma2"),
                    apply(rows, 1, function(r) paste(fmt(r), collapse = " ")))
    writeLines(c(header, body), path)
    message(sprintf("  wrote %s: divergences %d, max Rhat %.4f, min ess_bulk(beta) %.0f",
                    path, divergent, max(rhat), min(rows[seq_len(p), "ess_bulk"])))
    if (max(rhat) >= 1.01) warning(path, ": Rhat ", max(rhat), " >= 1.01")
    invisible(rows)
}

# ---------------------------------------------------------------------------------------------
# Runs

default_control <- list(adapt_delta = 0.8, max_treedepth = 10)
horseshoe_control <- list(adapt_delta = 0.99, max_treedepth = 12)

diabetes_z <- standardize(diabetes_x)
wide_z <- standardize(wide$x)
diabetes_data <- list(n = nrow(diabetes_z), p = ncol(diabetes_z), Z = diabetes_z, y = diabetes_y)
wide_data <- list(n = nrow(wide_z), p = ncol(wide_z), Z = wide_z, y = wide$y)
diabetes_text <- "diabetes (tests/data/diabetes/diabetes.csv), n = 442, p = 10, columns age,sex,bmi,bp,s1,s2,s3,s4,s5,s6"
wide_text <- paste("wide (wide.csv in this directory), n = 60, p = 100; set.seed(2026), X iid N(0,1),",
                   "beta_true[1:5] = (3, -2, 1.5, 1, -1), y = 1 + X beta_true + N(0, 1)")

# OLS on the standardized diabetes columns, for comparison in the lasso file's header.
ols <- coef(lm(diabetes_y ~ diabetes_z))[-1]
ols_sigma2 <- summary(lm(diabetes_y ~ diabetes_z))$sigma^2
ols_lines <- c(
    "# OLS for comparison (lm on the standardized columns), beta_1..10:",
    paste("#  ", paste(sprintf("%.4f", ols), collapse = " ")),
    sprintf("#   residual variance (RSS / (n - p - 1)): %.4f", ols_sigma2))

lasso_model <- compile(lasso_code, "bayes_lasso")
elastic_net_model <- compile(elastic_net_code, "bayes_elastic_net")
horseshoe_model <- compile(horseshoe_code, "horseshoe")

lasso_title <- "A, Bayesian lasso (Park & Casella 2008): beta_j | sigma2 ~ Laplace(0, sigma / lambda) iid, lambda fixed"
elastic_net_title <- paste("B, Bayesian elastic net: p(beta_j | sigma2) ~ (1/sigma) exp(-lambda1 |beta_j| / sigma",
                           "- lambda2 beta_j^2 / (2 sigma2)), the 1/sigma factor included")
horseshoe_title <- paste("C, horseshoe (Carvalho, Polson & Scott 2010): beta_j ~ N(0, (lambda_j tau sigma)^2),",
                         "lambda_j ~ C+(0,1), tau ~ C+(0,1); non-centered beta_j = z_j lambda_j tau sigma, z_j ~ N(0,1)")

message("lasso, diabetes")
fitted <- fit_model(lasso_model, c(diabetes_data, lambda = 3), default_control)
lasso_rows <- write_fit(file.path(out_dir, "lasso_diabetes.txt"), lasso_title, diabetes_text,
                        "lambda = 3", fitted, default_control, ols_lines)
# Sanity check: the lasso's posterior medians are shrunk toward zero from OLS.
if (any(abs(lasso_rows[1:10, "q50"]) > abs(ols))) warning("a lasso median is larger than OLS")

message("elastic net, diabetes")
fitted <- fit_model(elastic_net_model, c(diabetes_data, lambda1 = 3, lambda2 = 2), default_control)
write_fit(file.path(out_dir, "elastic_net_diabetes.txt"), elastic_net_title, diabetes_text,
          "lambda1 = 3, lambda2 = 2", fitted, default_control)

message("horseshoe, diabetes")
fitted <- fit_model(horseshoe_model, diabetes_data, horseshoe_control)
write_fit(file.path(out_dir, "horseshoe_diabetes.txt"), horseshoe_title, diabetes_text,
          "none (lambda_j and tau half-Cauchy(0, 1))", fitted, horseshoe_control)

message("lasso, wide")
fitted <- fit_model(lasso_model, c(wide_data, lambda = 1), default_control)
write_fit(file.path(out_dir, "lasso_wide.txt"), lasso_title, wide_text, "lambda = 1", fitted,
          default_control)

message("horseshoe, wide")
fitted <- fit_model(horseshoe_model, wide_data, horseshoe_control)
write_fit(file.path(out_dir, "horseshoe_wide.txt"), horseshoe_title, wide_text,
          "none (lambda_j and tau half-Cauchy(0, 1))", fitted, horseshoe_control)
