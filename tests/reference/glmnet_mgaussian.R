# Reference values for tests/test_multi_task.cpp from glmnet's family = "mgaussian" (with
# standardization, thresh 1e-14) on the data of tests/reference/multi_task.py: the Lasso path
# (glmnet_mgaussian.csv), and paths at alpha 1 and 0.6 with observation weights and penalty
# factors (glmnet_mgaussian_weighted.csv). The weights are (i - 1) mod 5 for row i (1-based:
# every fifth row has weight 0) and the penalty factors repeat (0.5, 1, 1.5) on the Linnerud
# data and (0, 0.5, 1.5, 2) on the correlated design: they sum to p, so glmnet's rescaling to
# sum p leaves them as they are. glmnet_mgaussian_bounded.csv: paths at alpha 1 and 0.5 with
# sign bounds, lower.limits = 0 on the correlated design and lower.limits = (0, -Inf, -Inf),
# upper.limits = (Inf, 0, Inf) on the Linnerud data.
# Run from the repository root after it:
#
#   Rscript tests/reference/glmnet_mgaussian.R tests/data/multitask
#
# R with r-cran-glmnet is needed only to record; the test reads the file.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/data/multitask"
fmt <- function(v) trimws(formatC(v, digits = 17, format = "g"))

# Writes `file`: for each data set and each alpha (NA: the file has no alpha column), the path
# of glmnet(x, y, "mgaussian", alpha, <options(name, x)>), one row per lambda.
record <- function(file, alphas, nlambda, options) {
    lines <- c(paste0("data,lambda,", if (is.na(alphas[1])) "" else "alpha,",
                      "intercepts then coefficients row by row..."))
    for (name in c("linnerud", "correlated")) {
        d <- as.matrix(read.csv(file.path(out, paste0(name, ".csv"))))
        k <- if (name == "linnerud") 3 else 4
        x <- d[, 1:(ncol(d) - k)]
        y <- d[, (ncol(d) - k + 1):ncol(d)]
        for (alpha in alphas) {
            fit <- do.call(glmnet, c(list(x, y, family = "mgaussian",
                                          alpha = if (is.na(alpha)) 1 else alpha,
                                          nlambda = nlambda, thresh = 1e-14, maxit = 10000000),
                                     options(name, x)))
            cf <- coef(fit)
            for (l in seq_along(fit$lambda)) {
                m <- sapply(cf, function(c) as.numeric(c[, l])) # (p + 1) x k
                lead <- c(name, fmt(fit$lambda[l]), if (is.na(alpha)) NULL else fmt(alpha))
                lines <- c(lines, paste(c(lead, fmt(m[1, ]), fmt(t(m[-1, ]))), collapse = ","))
            }
        }
    }
    writeLines(lines, file.path(out, file))
}

record("glmnet_mgaussian.csv", NA, 15, function(name, x) list())
record("glmnet_mgaussian_weighted.csv", c(1, 0.6), 12, function(name, x) {
    pattern <- if (name == "linnerud") c(0.5, 1, 1.5) else c(0, 0.5, 1.5, 2)
    pf <- rep(pattern, length.out = ncol(x))
    stopifnot(abs(sum(pf) - ncol(x)) < 1e-12)
    list(weights = (seq_len(nrow(x)) - 1) %% 5, penalty.factor = pf)
})
record("glmnet_mgaussian_bounded.csv", c(1, 0.5), 12, function(name, x) {
    if (name == "linnerud")
        list(lower.limits = c(0, -Inf, -Inf), upper.limits = c(Inf, 0, Inf))
    else
        list(lower.limits = rep(0, ncol(x)), upper.limits = rep(Inf, ncol(x)))
})
cat(sprintf("glmnet %s, %s\n", packageVersion("glmnet"), R.version.string))
