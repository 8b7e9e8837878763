# Reference values for tests/test_multi_task.cpp from glmnet's family = "mgaussian" (the Lasso,
# alpha = 1, with standardization, thresh 1e-14) on the data of tests/reference/multi_task.py.
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
cat(sprintf("glmnet %s, %s\n", packageVersion("glmnet"), R.version.string))
