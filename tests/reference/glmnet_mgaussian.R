# Reference values for tests/test_multi_task.cpp from glmnet's family = "mgaussian" (with
# standardization, thresh 1e-14) on the data of tests/reference/multi_task.py: the Lasso path
# (glmnet_mgaussian.csv), and paths at alpha 1 and 0.6 with observation weights and penalty
# factors (glmnet_mgaussian_weighted.csv). The weights are (i - 1) mod 5 for row i (1-based:
# every fifth row has weight 0) and the penalty factors repeat (0.5, 1, 1.5) on the Linnerud
# data and (0, 0.5, 1.5, 2) on the correlated design: they sum to p, so glmnet's rescaling to
# sum p leaves them as they are.
# Run from the repository root after it:
#
#   Rscript tests/reference/glmnet_mgaussian.R tests/data/multitask
#
# R with r-cran-glmnet is needed only to record; the test reads the file.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/data/multitask"
fmt <- function(v) trimws(formatC(v, digits = 17, format = "g"))
lines <- c("data,lambda,intercepts then coefficients row by row...")
for (name in c("linnerud", "correlated")) {
    d <- as.matrix(read.csv(file.path(out, paste0(name, ".csv"))))
    k <- if (name == "linnerud") 3 else 4
    x <- d[, 1:(ncol(d) - k)]
    y <- d[, (ncol(d) - k + 1):ncol(d)]
    fit <- glmnet(x, y, family = "mgaussian", alpha = 1, nlambda = 15, thresh = 1e-14,
                  maxit = 10000000)
    cf <- coef(fit)
    for (l in seq_along(fit$lambda)) {
        m <- sapply(cf, function(c) as.numeric(c[, l])) # (p + 1) x k
        lines <- c(lines, paste(c(name, fmt(fit$lambda[l]), fmt(m[1, ]), fmt(t(m[-1, ]))),
                                collapse = ","))
    }
}
writeLines(lines, file.path(out, "glmnet_mgaussian.csv"))

lines <- c("data,lambda,alpha,intercepts then coefficients row by row...")
for (name in c("linnerud", "correlated")) {
    d <- as.matrix(read.csv(file.path(out, paste0(name, ".csv"))))
    k <- if (name == "linnerud") 3 else 4
    x <- d[, 1:(ncol(d) - k)]
    y <- d[, (ncol(d) - k + 1):ncol(d)]
    w <- (seq_len(nrow(x)) - 1) %% 5
    pattern <- if (name == "linnerud") c(0.5, 1, 1.5) else c(0, 0.5, 1.5, 2)
    pf <- rep(pattern, length.out = ncol(x))
    stopifnot(abs(sum(pf) - ncol(x)) < 1e-12)
    for (alpha in c(1, 0.6)) {
        fit <- glmnet(x, y, family = "mgaussian", alpha = alpha, weights = w,
                      penalty.factor = pf, nlambda = 12, thresh = 1e-14, maxit = 10000000)
        cf <- coef(fit)
        for (l in seq_along(fit$lambda)) {
            m <- sapply(cf, function(c) as.numeric(c[, l]))
            lines <- c(lines, paste(c(name, fmt(fit$lambda[l]), fmt(alpha), fmt(m[1, ]),
                                      fmt(t(m[-1, ]))), collapse = ","))
        }
    }
}
writeLines(lines, file.path(out, "glmnet_mgaussian_weighted.csv"))
cat(sprintf("glmnet %s, %s\n", packageVersion("glmnet"), R.version.string))
