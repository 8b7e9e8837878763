# Reference values for tests/test_path_lookup.cpp from glmnet: the Lasso path on the diabetes
# data (10 measurements) with features 2, 5 and 6 excluded (`exclude`, 1-based), at a tight
# threshold, and coefficients between two of its lambdas both ways glmnet offers them:
# `exact = TRUE` (a refit) and `exact = FALSE` (linear interpolation). Run from the repository
# root:
#
#   Rscript tests/reference/glmnet_lookup.R tests/data/glmnet
#
# R with r-cran-glmnet is needed only to record; the test reads the file.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/data/glmnet"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
fmt <- function(v) trimws(formatC(v, digits = 17, format = "g"))

data <- read.csv("tests/data/diabetes/diabetes.csv")
x <- as.matrix(data[, 1:10])
y <- data[, 11]
exclude <- c(2, 5, 6)
fit <- glmnet(x, y, alpha = 1, nlambda = 40, exclude = exclude, thresh = 1e-14,
              maxit = 10000000)
lines <- c("kind,lambda,intercept,coefficients...")
for (k in seq_along(fit$lambda))
    lines <- c(lines, paste(c("path", fmt(fit$lambda[k]), fmt(as.numeric(coef(fit)[, k]))),
                            collapse = ","))
for (k in c(3, 12, 25)) {
    s <- sqrt(fit$lambda[k] * fit$lambda[k + 1])
    exact <- coef(fit, s = s, exact = TRUE, x = x, y = y, exclude = exclude, thresh = 1e-14,
                  maxit = 10000000)
    linear <- coef(fit, s = s, exact = FALSE)
    lines <- c(lines, paste(c("exact", fmt(s), fmt(as.numeric(exact))), collapse = ","))
    lines <- c(lines, paste(c("linear", fmt(s), fmt(as.numeric(linear))), collapse = ","))
}
writeLines(lines, file.path(out, "diabetes_lasso_exclude.csv"))
cat(sprintf("glmnet %s, %s\n", packageVersion("glmnet"), R.version.string))
