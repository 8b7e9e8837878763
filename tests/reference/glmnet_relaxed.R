# Reference values for tests/test_relaxed.cpp from glmnet: the relaxed Lasso (`relax = TRUE`) on
# the diabetes data at a tight threshold, its coefficients at gamma 0, 0.5 and 1 at every lambda,
# and cv.glmnet's relaxed CV errors with fixed folds (priorreg's make_folds(442, 5, 3) plus 1,
# read from tests/data/glmnet/relaxed_folds.csv, which the test writes the same way). Run from
# the repository root:
#
#   Rscript tests/reference/glmnet_relaxed.R tests/data/glmnet
#
# R with r-cran-glmnet is needed only to record; the test reads the file.
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/data/glmnet"
fmt <- function(v) trimws(formatC(v, digits = 17, format = "g"))

data <- read.csv("tests/data/diabetes/diabetes.csv")
x <- as.matrix(data[, 1:10])
y <- data[, 11]
fit <- glmnet(x, y, alpha = 1, nlambda = 25, relax = TRUE, thresh = 1e-14, maxit = 10000000)
lines <- c("kind,gamma,lambda,values...")
for (gamma in c(0, 0.5, 1)) {
    coefs <- coef(fit, gamma = gamma)
    for (k in seq_along(fit$lambda))
        lines <- c(lines, paste(c("coef", fmt(gamma), fmt(fit$lambda[k]),
                                  fmt(as.numeric(coefs[, k]))), collapse = ","))
}
foldid <- scan(file.path(out, "relaxed_folds.csv"), quiet = TRUE) + 1
cv <- cv.glmnet(x, y, alpha = 1, lambda = fit$lambda, relax = TRUE, foldid = foldid,
                gamma = c(0, 0.5, 1), thresh = 1e-14, maxit = 10000000)
for (g in seq_along(cv$relaxed$statlist)) {
    stat <- cv$relaxed$statlist[[g]]
    gamma <- c(0, 0.5, 1)[g]
    lines <- c(lines, paste(c("cvm", fmt(gamma), "", fmt(stat$cvm)), collapse = ","))
    lines <- c(lines, paste(c("cvsd", fmt(gamma), "", fmt(stat$cvsd)), collapse = ","))
}
writeLines(lines, file.path(out, "diabetes_relaxed.csv"))
cat(sprintf("glmnet %s, %s\n", packageVersion("glmnet"), R.version.string))
