# Reference values for tests/test_box_constraints.cpp from glmnet: paths under box constraints
# (`lower.limits`, `upper.limits`) at a tight threshold, on the diabetes data and on a
# correlated design generated here (written next to the fits). Run from the repository root:
#
#   Rscript tests/reference/glmnet_bounds.R tests/data/glmnet
#
# R with r-cran-glmnet is needed only to record; the test reads the files.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/data/glmnet"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
fmt <- function(v) trimws(formatC(v, digits = 17, format = "g"))

lines <- c("case,kind,alpha,standardize,intercept,lambda,values...")
# For alpha < 1 glmnet scales y to unit (1/n) standard deviation inside, which changes its ridge
# part relative to priorreg's (README, "Relation to scikit-learn and glmnet"): those cases are
# fitted to y divided by that deviation (or by its root mean square without an intercept), which
# glmnet then leaves alone, and the divisor is recorded ("yscale") for the test to divide by.
record <- function(name, x, y, alpha, lower, upper, standardize = TRUE, intercept = TRUE,
                   nlambda = 20) {
    yscale <- 1
    if (alpha < 1)
        yscale <- if (intercept) sqrt(mean((y - mean(y))^2)) else sqrt(mean(y^2))
    y <- y / yscale
    fit <- glmnet(x, y, alpha = alpha, lower.limits = lower, upper.limits = upper,
                  standardize = standardize, intercept = intercept, nlambda = nlambda,
                  thresh = 1e-14, maxit = 10000000)
    head <- c(name, "", fmt(alpha), as.integer(standardize), as.integer(intercept), "")
    row <- function(kind, lambda, values) {
        h <- head
        h[2] <- kind
        h[6] <- lambda
        paste(c(h, fmt(values)), collapse = ",")
    }
    lines <<- c(lines, row("yscale", "", yscale), row("lower", "", rep_len(lower, ncol(x))),
                row("upper", "", rep_len(upper, ncol(x))))
    for (k in seq_along(fit$lambda))
        lines <<- c(lines, row("fit", fmt(fit$lambda[k]), as.numeric(coef(fit)[, k])))
}

data <- read.csv("tests/data/diabetes/diabetes.csv")
x <- as.matrix(data[, 1:10])
y <- data[, 11]
# A box that binds: half the least-squares size of every other coefficient, on both sides (of
# the fit to the scaled y, as the alpha < 1 cases see it).
ls <- coef(lm(y ~ x))[-1] / sqrt(mean((y - mean(y))^2))
half <- 0.5 * abs(ls)
lower <- ifelse(seq_along(ls) %% 2 == 1, -half, -Inf)
upper <- ifelse(seq_along(ls) %% 2 == 1, half, Inf)
record("diabetes_lasso_nonnegative", x, y, 1, 0, Inf)
record("diabetes_enet_box", x, y, 0.5, lower, upper)
record("diabetes_ridge_box", x, y, 0, lower, upper)
record("diabetes_lasso_box_raw", x, y, 1, lower, upper, standardize = FALSE)

# A correlated design (AR(1), rho 0.8) with as many columns as rows, half the signal negative.
set.seed(20261204)
n <- 60
p <- 60
z <- matrix(rnorm(n * p), n, p)
xc <- z
for (j in 2:p) xc[, j] <- 0.8 * xc[, j - 1] + sqrt(1 - 0.8^2) * z[, j]
beta <- c(rep(c(2, -1.5), 5), rep(0, p - 10))
yc <- as.numeric(xc %*% beta + rnorm(n))
write.csv(data.frame(xc, y = yc), file.path(out, "bounds_correlated.csv"), row.names = FALSE)
record("correlated_lasso_nonnegative", xc, yc, 1, 0, Inf)
# Without an intercept glmnet still scales by the centred standard deviation, priorreg by the
# root mean square (the objective's scale about 0): compared without standardization.
record("correlated_enet_box", xc, yc, 0.3, -1, 1, standardize = FALSE, intercept = FALSE)

writeLines(lines, file.path(out, "bounds.csv"))
cat(sprintf("glmnet %s, %s\n", packageVersion("glmnet"), R.version.string))
