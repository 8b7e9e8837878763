# Stan's NUTS on the Bayesian lasso, as a yardstick for priorreg's Gibbs sampler: sampling time
# and effective sample size per second. Run from the repository root:
#
#   Rscript bench/compare/stan_bayes_lasso.R [CASE...]     (CASE: diabetes, wide; default both)
#
# Model (model A of tests/reference/stan_bayes_shrinkage.R): y_i ~ N(mu + z_i' beta, sigma2),
# beta_j | sigma2 ~ Laplace(0, sigma / lambda) iid with lambda fixed, a flat prior on mu and
# p(sigma2) ~ 1 / sigma2. Predictor columns are standardized with their population sd (divide
# by n); y is left raw.
#
# Cases:
#   diabetes  tests/data/diabetes/diabetes.csv, n = 442, p = 10, lambda = 3
#   wide      generated here: set.seed(7), n = 200, p = 1000, X iid N(0, 1) (column-major fill),
#             beta_1..10 = 2 and 0 elsewhere, y = X beta + N(0, 1); lambda = 1. Written to
#             bench/compare/data/bayes_wide_200x1000.csv (header x1,...,x1000,y; 17 significant
#             digits) so that the C++ side reads the same numbers.
#
# Each case runs 4 chains x (1000 warmup + 1000 sampling) iterations, one chain after the other
# on one core (cores = 1), seed 2026. If the first chain of a case projects the 4 chains past
# 25 minutes, the case is run again with 2 chains x (500 + 500) and the output says so.
# Reported (to bench/compare/out/stan_bayes_lasso.txt and stdout): compile time (excluded from
# everything else), warmup and sampling time from get_elapsed_time() summed over chains, min and
# median over the coefficients of rstan::ess_bulk, and those divided by warmup + sampling time.

suppressPackageStartupMessages(library(rstan))
# Debian's r-cran-bh is a virtual package: Boost's headers are in /usr/include, where rstan
# does not look by itself.
if (!file.exists(rstan_options("boost_lib")) && file.exists("/usr/include/boost/version.hpp"))
    rstan_options(boost_lib = "/usr/include")

out_path <- "bench/compare/out/stan_bayes_lasso.txt"
wide_path <- "bench/compare/data/bayes_wide_200x1000.csv"
dir.create(dirname(out_path), showWarnings = FALSE, recursive = TRUE)
dir.create(dirname(wide_path), showWarnings = FALSE, recursive = TRUE)

seed <- 2026
budget_seconds <- 25 * 60
full <- list(chains = 4, warmup = 1000, sampling = 1000)
reduced <- list(chains = 2, warmup = 500, sampling = 500)

fmt <- function(v) formatC(v, digits = 17, format = "g")
report <- character()
say <- function(...) {
    line <- sprintf(...)
    cat(line, "\n", sep = "")
    report <<- c(report, line)
}

# Columns centered and divided by their population standard deviation.
standardize <- function(x) {
    centered <- sweep(x, 2, colMeans(x))
    sweep(centered, 2, sqrt(colMeans(centered^2)), "/")
}

# ---------------------------------------------------------------------------------------------
# Data

diabetes <- read.csv("tests/data/diabetes/diabetes.csv")
stopifnot(nrow(diabetes) == 442, names(diabetes)[11] == "y")

set.seed(7)
n_wide <- 200
p_wide <- 1000
wide_x <- matrix(rnorm(n_wide * p_wide), n_wide, p_wide)
wide_beta <- c(rep(2, 10), rep(0, p_wide - 10))
wide_y <- drop(wide_x %*% wide_beta + rnorm(n_wide))
writeLines(c(paste(c(paste0("x", seq_len(p_wide)), "y"), collapse = ","),
             apply(cbind(wide_x, wide_y), 1, function(row) paste(fmt(row), collapse = ","))),
           wide_path)

cases <- list(
    list(name = "diabetes (n = 442, p = 10, lambda = 3)",
         x = as.matrix(diabetes[, 1:10]), y = diabetes$y, lambda = 3),
    list(name = "wide (n = 200, p = 1000, lambda = 1)", x = wide_x, y = wide_y, lambda = 1))

# ---------------------------------------------------------------------------------------------
# Model

# The model the tests' Stan references use (run from the repository root).
lasso_code <- paste(readLines("tests/reference/bayes_lasso.stan"), collapse = "\n")

say("Stan NUTS, Bayesian lasso (bench/compare/stan_bayes_lasso.R), %s",
    format(Sys.time(), "%Y-%m-%d %H:%M %Z"))
say("rstan %s, StanHeaders %s, %s; %d cores, load average at start %s",
    packageVersion("rstan"), packageVersion("StanHeaders"), R.version.string,
    parallel::detectCores(),
    tryCatch(paste(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3], collapse = " "),
             error = function(e) "n/a"))
compile_seconds <- system.time(
    model <- stan_model(model_code = lasso_code, model_name = "bayes_lasso"))[["elapsed"]]
say("compile time: %.1f s (excluded below)", compile_seconds)

# ---------------------------------------------------------------------------------------------
# Runs

# Chains of one configuration, one after the other on one core; chain_id with a common seed
# gives each chain the stream it would have in a single sampling(chains = ...) call.
run_chains <- function(data, config, ids) {
    lapply(ids, function(id)
        sampling(model, data = data, chains = 1, chain_id = id,
                 iter = config$warmup + config$sampling, warmup = config$warmup, seed = seed,
                 cores = 1, refresh = 0))
}

wanted <- commandArgs(trailingOnly = TRUE)
if (length(wanted) > 0)
    cases <- Filter(function(case) sub(" .*", "", case$name) %in% wanted, cases)

for (case in cases) {
    z <- standardize(case$x)
    data <- list(n = nrow(z), p = ncol(z), Z = z, y = case$y, lambda = case$lambda)
    config <- full
    note <- ""
    fits <- run_chains(data, config, 1)
    projected <- config$chains * sum(get_elapsed_time(fits[[1]]))
    if (projected > budget_seconds) {
        note <- sprintf(paste(" (reduced: the first of 4 x (1000 + 1000) chains projected",
                              "%.0f s > 25 min)"), projected)
        config <- reduced
        fits <- run_chains(data, config, seq_len(config$chains))
    } else {
        fits <- c(fits, run_chains(data, config, 2:config$chains))
    }
    fit <- sflist2stanfit(fits)

    elapsed <- get_elapsed_time(fit)
    warmup_seconds <- sum(elapsed[, "warmup"])
    sample_seconds <- sum(elapsed[, "sample"])
    total_seconds <- warmup_seconds + sample_seconds
    beta <- as.array(fit, pars = "beta")
    ess <- apply(beta, 3, ess_bulk)
    all <- as.array(fit, pars = c("mu", "beta", "sigma2"))
    rhat <- max(apply(all, 3, Rhat))
    sampler <- get_sampler_params(fit, inc_warmup = FALSE)
    divergent <- sum(sapply(sampler, function(s) sum(s[, "divergent__"])))
    leapfrog <- mean(unlist(lapply(sampler, function(s) s[, "n_leapfrog__"])))

    say("")
    say("case: %s", case$name)
    say("  chains %d x (%d warmup + %d sampling), cores 1, seed %d%s",
        config$chains, config$warmup, config$sampling, seed, note)
    say("  time: sampling %.2f s, warmup %.2f s, total %.2f s (summed over chains)",
        sample_seconds, warmup_seconds, total_seconds)
    say("  ess_bulk of beta: min %.0f, median %.0f (%d draws); ess_bulk of sigma2 %.0f",
        min(ess), median(ess), dim(beta)[1] * dim(beta)[2], ess_bulk(all[, , "sigma2"]))
    say("  ESS/s over warmup + sampling: min %.2f, median %.2f",
        min(ess) / total_seconds, median(ess) / total_seconds)
    say("  max Rhat %.4f, divergences %d, mean leapfrog steps per iteration %.1f",
        rhat, divergent, leapfrog)
}

writeLines(report, out_path)
cat("written to ", out_path, "\n", sep = "")
