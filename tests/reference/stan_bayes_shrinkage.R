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
# Recorded with rstan 2.21.7 (StanHeaders 2.21.0-7) on R 4.2.2 (Debian's r-cran-rstan). The
# outputs are committed, so nothing runs Stan at test time; R and rstan are needed only to
# record.
# A run takes about 25 minutes on 2 cores, 15 of them the horseshoe on the wide data with its
# cross-check (below); re-runs on the same machine reproduce every number but the "sampling
# time" header lines.
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
#      N(0, (lambda_j tau sigma)^2), lambda_j ~ C+(0, 1), tau ~ C+(0, 1).
#
# How the horseshoe is sampled. The obvious non-centered model (beta_j = z_j lambda_j tau sigma,
# z_j ~ N(0, 1)) leaves divergent transitions even at adapt_delta 0.99 (about 130 and 200 of
# 20000 draws on diabetes and the wide data), and on the wide data (p > n) it misses part of the
# posterior: there the posterior has a tail toward interpolation, tau large and sigma2 near 0
# (given lambda, the density of tau falls only like its half-Cauchy prior, so tau has no mean,
# and the density of sigma stays of order one as sigma -> 0), a funnel NUTS does not enter; its
# sigma2 5 % quantile came out 0.164 where samplers that reach the tail (the marginal model
# below; a Gibbs sampler) give 0.07-0.15. The files are therefore written from the same
# posterior sampled with beta, mu and sigma2 integrated out: given (lambda, tau), with
# b = beta / (tau lambda) and S = diag(tau lambda),
#   K = I + S Z'Z S,  Q = yc' yc - yc' Z S K^-1 S Z' yc,  yc = y - mean(y)  (Z has centered columns)
#   p(lambda, tau | y) ~ |K|^(-1/2) Q^(-(n-1)/2) p(lambda) p(tau),
# and in generated quantities, exactly,
#   sigma2 | lambda, tau, y ~ InvGamma((n-1)/2, Q/2),
#   b | sigma2, lambda, tau, y ~ N(K^-1 S Z' yc, sigma2 K^-1),  beta = S b,
#   mu | beta, sigma2, y ~ N(mean(y), sigma2 / n).
# NUTS then runs on (log lambda, log tau) only, where the tail is exponential. Even so, on the
# wide data the chains reach the interpolating tail only in rare excursions: the coefficients'
# summaries agree between seeds to a few hundredths of their sd, but sigma2's lower quantiles
# move more than its ess_bulk suggests (q05 0.126 at seed 2026, 0.078 at seed 7 with 40000
# draws). The non-centered model is still fitted, at the base settings, as a cross-check: the
# file header gives its divergences, its sigma2 quantiles and the largest difference of its
# coefficient means.
#
# Stan settings: 4 chains, iter = 6000 with warmup = 1000 (20000 draws), seed = 2026, cores = 2;
# adapt_delta 0.8 and max_treedepth 10 (Stan's defaults) for A and B, 0.99 and 12 for C. When the
# smallest ess_bulk of the coefficients and sigma2 is below 4000, the fit is run again with more
# sampling iterations per chain (same warmup and seed); the files give the settings of the fit
# written.

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
min_ess_target <- 4000    # smallest acceptable ess_bulk of any coefficient and of sigma2
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

lasso_code <- paste(readLines("tests/reference/bayes_lasso.stan"), collapse = "\n")

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

# The horseshoe with beta, mu and sigma2 integrated out (see the top of the file): NUTS samples
# (lambda, tau); beta, mu and sigma2 are exact draws from their conditionals given them.
horseshoe_code <- "
data {
  int<lower=1> n;
  int<lower=1> p;
  matrix[n, p] Z;              // standardized predictors: columns centered
  vector[n] y;
}
transformed data {
  vector[n] yc = y - mean(y);
  matrix[p, p] ZtZ = crossprod(Z);
  vector[p] Zty = Z' * yc;
  real yty = dot_self(yc);
  matrix[p, p] I = diag_matrix(rep_vector(1, p));
}
parameters {
  vector<lower=0>[p] lambda;   // local scales
  real<lower=0> tau;           // global scale
}
model {
  vector[p] s = tau * lambda;
  matrix[p, p] L = cholesky_decompose(I + quad_form_diag(ZtZ, s));  // K = I + S Z'Z S = L L'
  vector[p] w = mdivide_left_tri_low(L, s .* Zty);                   // Q = yc'yc - w'w
  target += -sum(log(diagonal(L))) - 0.5 * (n - 1) * log(yty - dot_self(w));
  target += cauchy_lpdf(lambda | 0, 1);   // half-Cauchy through the <lower=0> constraint
  target += cauchy_lpdf(tau | 0, 1);
}
generated quantities {
  real mu;
  vector[p] beta;
  real sigma2;
  {
    vector[p] s = tau * lambda;
    matrix[p, p] L = cholesky_decompose(I + quad_form_diag(ZtZ, s));
    vector[p] w = mdivide_left_tri_low(L, s .* Zty);
    vector[p] e;
    sigma2 = inv_gamma_rng(0.5 * (n - 1), 0.5 * (yty - dot_self(w)));
    for (j in 1:p) e[j] = normal_rng(0, 1);
    // b = L' \\ (w + sigma e) ~ N(K^-1 S Z'yc, sigma2 K^-1); beta = S b
    beta = s .* mdivide_right_tri_low((w + sqrt(sigma2) * e)', L)';
    mu = normal_rng(mean(y), sqrt(sigma2 / n));
  }
}
"

# The same horseshoe, non-centered: the cross-check.
horseshoe_noncentered_code <- "
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

# One fit; re-run with more sampling iterations while the ess_bulk of some coefficient or of
# sigma2 is below the target. Returns the fit and the settings it was run with.
fit_model <- function(model, data, control) {
    iter_now <- iter
    repeat {
        seconds <- system.time(
            fit <- sampling(model, data = data, chains = chains, iter = iter_now,
                            warmup = warmup, seed = seed, cores = cores, control = control,
                            refresh = 0))[["elapsed"]]
        draws <- as.array(fit, pars = c("beta", "sigma2"))
        ess <- apply(draws, 3, ess_bulk)
        message(sprintf("  iter %d: %.0f s, min ess_bulk of beta and sigma2 %.0f", iter_now,
                        seconds, min(ess)))
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

# `extra`: a function of the summary rows giving more header lines.
write_fit <- function(path, title, data_text, hyper_text, fitted, control,
                      extra = function(rows) character()) {
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
    treedepth_hits <- sum(sapply(sampler,
                                 function(s) sum(s[, "treedepth__"] >= control$max_treedepth)))
    elapsed <- get_elapsed_time(fit)
    mu <- summarize(draws[, , "mu"], mon["mu", "se_mean"])
    header <- c(
        paste("# model:", title),
        paste("# data:", data_text),
        paste("# standardization: z_ij = (x_ij - mean_j) / s_j, s_j the population sd",
              "(divide by n); y raw"),
        paste("# hyperparameters:", hyper_text),
        "# common: y_i ~ N(mu + z_i' beta, sigma2), flat prior on mu, p(sigma2) ~ 1 / sigma2",
        sprintf(paste("# stan: NUTS, chains %d, iter %d, warmup %d, thin 1, draws %d, seed %d,",
                      "cores %d, adapt_delta %s, max_treedepth %d"),
                chains, fitted$iter, warmup, chains * (fitted$iter - warmup), seed, cores,
                format(control$adapt_delta), control$max_treedepth),
        sprintf("# divergences: %d (post-warmup); max_treedepth hits: %d", divergent,
                treedepth_hits),
        sprintf(paste("# diagnostics over beta, sigma2, mu: max Rhat %.4f (rstan::Rhat),",
                      "min ess_bulk %.0f, min ess_tail %.0f"),
                max(rhat), min(rows[, "ess_bulk"], mu[["ess_bulk"]]), min(ess_t)),
        sprintf("# sampling time: warmup %.1f s, sampling %.1f s (summed over chains)",
                sum(elapsed[, "warmup"]), sum(elapsed[, "sample"])),
        sprintf("# intercept mu: mean %.6g, sd %.4g, q05 %.6g, q95 %.6g (not in the rows below)",
                mu[["mean"]], mu[["sd"]], mu[["q05"]], mu[["q95"]]),
        extra(rows),
        sprintf("# versions: rstan %s, StanHeaders %s, %s", packageVersion("rstan"),
                packageVersion("StanHeaders"), R.version.string),
        paste("# mcse_mean: se_mean of rstan::monitor() (sd / sqrt(classic split-chain ESS));",
              "quantiles type 7 on pooled draws"),
        paste("# columns: j mean mcse_mean q05 q50 q95 sd ess_bulk (beta_j on the standardized",
              "scale, then sigma2)"))
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
diabetes_data <- list(n = nrow(diabetes_z), p = ncol(diabetes_z), Z = diabetes_z,
                      y = diabetes_y)
wide_data <- list(n = nrow(wide_z), p = ncol(wide_z), Z = wide_z, y = wide$y)
diabetes_text <- paste("diabetes (tests/data/diabetes/diabetes.csv), n = 442, p = 10,",
                       "columns age,sex,bmi,bp,s1,s2,s3,s4,s5,s6")
wide_text <- paste("wide (wide.csv in this directory), n = 60, p = 100; set.seed(2026),",
                   "X iid N(0,1), beta_true[1:5] = (3, -2, 1.5, 1, -1),",
                   "y = 1 + X beta_true + N(0, 1)")

# OLS on the standardized diabetes columns, compared in the lasso file's header with the
# posterior medians. The lasso shrinks the L1 norm; single coefficients need not shrink (on the
# diabetes data s1 and s2 are strongly correlated with s3 and s4 and shrink the most, and s3
# changes sign, as on the lasso's path).
ols_fit <- lm(diabetes_y ~ diabetes_z)
ols <- unname(coef(ols_fit)[-1])
ols_lines <- function(rows) {
    medians <- rows[seq_along(ols), "q50"]
    shrunk <- abs(medians) < abs(ols)
    c("# OLS for comparison (lm on the standardized columns), beta_1..10:",
      paste("#  ", paste(sprintf("%.4f", ols), collapse = " ")),
      sprintf("#   residual variance (RSS / (n - p - 1)): %.4f", summary(ols_fit)$sigma^2),
      sprintf(paste("#   lasso medians q50: sum_j |q50_j| = %.4f %s sum_j |OLS_j| = %.4f;",
                    "|q50_j| < |OLS_j| for j in {%s}, not for j in {%s}"),
              sum(abs(medians)), if (sum(abs(medians)) < sum(abs(ols))) "<" else ">=",
              sum(abs(ols)), paste(which(shrunk), collapse = ","),
              paste(which(!shrunk), collapse = ",")))
}

lasso_model <- compile(lasso_code, "bayes_lasso")
elastic_net_model <- compile(elastic_net_code, "bayes_elastic_net")
horseshoe_model <- compile(horseshoe_code, "horseshoe_marginal")
horseshoe_noncentered_model <- compile(horseshoe_noncentered_code, "horseshoe_noncentered")

lasso_title <- paste("A, Bayesian lasso (Park & Casella 2008):",
                     "beta_j | sigma2 ~ Laplace(0, sigma / lambda) iid, lambda fixed")
elastic_net_title <- paste("B, Bayesian elastic net: p(beta_j | sigma2) ~",
                           "(1/sigma) exp(-lambda1 |beta_j| / sigma",
                           "- lambda2 beta_j^2 / (2 sigma2)),",
                           "the 1/sigma factor included")
horseshoe_title <- paste("C, horseshoe (Carvalho, Polson & Scott 2010):",
                         "beta_j ~ N(0, (lambda_j tau sigma)^2),",
                         "lambda_j ~ C+(0,1), tau ~ C+(0,1);",
                         "NUTS on (lambda, tau) with beta, mu, sigma2 integrated out and drawn",
                         "exactly given them (see tests/reference/stan_bayes_shrinkage.R)")

# The non-centered horseshoe at the base settings (no re-runs), compared with the summary rows
# of the marginal fit: header lines for the horseshoe files.
horseshoe_cross_check <- function(data, note = character()) {
    fit <- sampling(horseshoe_noncentered_model, data = data, chains = chains, iter = iter,
                    warmup = warmup, seed = seed, cores = cores, control = horseshoe_control,
                    refresh = 0)
    draws <- as.array(fit, pars = c("beta", "sigma2"))
    divergent <- sum(sapply(get_sampler_params(fit, inc_warmup = FALSE),
                            function(s) sum(s[, "divergent__"])))
    means <- apply(draws, 3, mean)
    q <- quantile(as.vector(draws[, , "sigma2"]), c(0.05, 0.5, 0.95), type = 7, names = FALSE)
    function(rows) {
        p <- nrow(rows) - 1
        shift <- abs(means[seq_len(p)] - rows[seq_len(p), "mean"]) / rows[seq_len(p), "sd"]
        c(sprintf(paste("# cross-check, non-centered model (beta_j = z_j lambda_j tau sigma),",
                        "chains %d, iter %d, warmup %d, same seed and control:"),
                  chains, iter, warmup),
          sprintf(paste("#   divergences %d of %d; sigma2 q05 %.4g q50 %.4g q95 %.4g",
                        "(rows below: %.4g %.4g %.4g);"),
                  divergent, chains * (iter - warmup), q[1], q[2], q[3], rows[p + 1, "q05"],
                  rows[p + 1, "q50"], rows[p + 1, "q95"]),
          sprintf("#   max_j |mean_j(non-centered) - mean_j(rows below)| / sd_j = %.4f (j = %d)",
                  max(shift), which.max(shift)),
          note)
    }
}

message("lasso, diabetes")
fitted <- fit_model(lasso_model, c(diabetes_data, lambda = 3), default_control)
lasso_rows <- write_fit(file.path(out_dir, "lasso_diabetes.txt"), lasso_title, diabetes_text,
                        "lambda = 3", fitted, default_control, ols_lines)
# Sanity check: the lasso's posterior medians are shrunk toward zero from OLS (in L1 norm).
if (sum(abs(lasso_rows[seq_along(ols), "q50"])) >= sum(abs(ols)))
    warning("lasso medians not shrunk")

message("elastic net, diabetes")
fitted <- fit_model(elastic_net_model, c(diabetes_data, lambda1 = 3, lambda2 = 2),
                    default_control)
write_fit(file.path(out_dir, "elastic_net_diabetes.txt"), elastic_net_title, diabetes_text,
          "lambda1 = 3, lambda2 = 2", fitted, default_control)

message("horseshoe, diabetes")
fitted <- fit_model(horseshoe_model, diabetes_data, horseshoe_control)
write_fit(file.path(out_dir, "horseshoe_diabetes.txt"), horseshoe_title, diabetes_text,
          "none (lambda_j and tau half-Cauchy(0, 1))", fitted, horseshoe_control,
          horseshoe_cross_check(diabetes_data))

message("lasso, wide")
fitted <- fit_model(lasso_model, c(wide_data, lambda = 1), default_control)
write_fit(file.path(out_dir, "lasso_wide.txt"), lasso_title, wide_text, "lambda = 1", fitted,
          default_control)

message("horseshoe, wide")
fitted <- fit_model(horseshoe_model, wide_data, horseshoe_control)
write_fit(file.path(out_dir, "horseshoe_wide.txt"), horseshoe_title, wide_text,
          "none (lambda_j and tau half-Cauchy(0, 1))", fitted, horseshoe_control,
          horseshoe_cross_check(wide_data, c(
              "# note: with p > n the posterior has a tail toward interpolation (tau large,",
              "#   sigma2 near 0) that the chains reach in rare excursions: sigma2's lower",
              "#   quantiles (q05 0.126 at seed 2026, 0.078 at seed 7 with 40000 draws) and its",
              "#   mean are less certain than mcse_mean and ess_bulk say; the coefficients' rows",
              "#   agree between seeds to a few hundredths of their sd (see",
              "#   tests/reference/stan_bayes_shrinkage.R)")))
