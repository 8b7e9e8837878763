# glmnet's mgaussian on the near-duplicate design of multi_task_stall.cpp.
#
# Run `multi_task_stall --anchors DIR` first, then
#   Rscript bench/compare/multi_task_stall_glmnet.R DIR
# Fits one path (100 log-spaced lambdas from lambda_max plus those of DIR/lambdas.txt,
# standardize = FALSE) at thresh 1e-14 and at the default 1e-7, and prints the objective
# (1/2n)||Y - 1b0' - XB||^2 + lambda sum_j ||B_j|| at each lambda of DIR/lambdas.txt, with the
# path's time. glmnet warns where a lambda did not converge; its later lambdas are then missing
# and the nearest one returned is reported.
suppressMessages(library(glmnet))
dir <- commandArgs(trailingOnly = TRUE)[1]
X <- as.matrix(read.csv(file.path(dir, "X.csv"), header = FALSE))
Y <- as.matrix(read.csv(file.path(dir, "Y.csv"), header = FALSE))
n <- nrow(X)
lambdas <- scan(file.path(dir, "lambdas.txt"), quiet = TRUE)
top <- max(sqrt(rowSums((t(scale(X, scale = FALSE)) %*% scale(Y, scale = FALSE))^2))) / n
grid <- sort(unique(c(exp(seq(log(top), log(min(lambdas)), length.out = 100)), lambdas)),
             decreasing = TRUE)
for (thresh in c(1e-14, 1e-7)) {
  start <- proc.time()[["elapsed"]]
  fit <- glmnet(X, Y, family = "mgaussian", standardize = FALSE, lambda = grid,
                thresh = thresh, maxit = 1e7)
  seconds <- proc.time()[["elapsed"]] - start
  for (lambda in lambdas) {
    at <- which.min(abs(fit$lambda - lambda))
    B <- sapply(fit$beta, function(b) as.numeric(b[, at]))
    R <- Y - X %*% B - matrix(fit$a0[, at], n, ncol(Y), byrow = TRUE)
    objective <- 0.5 * sum(R^2) / n + lambda * sum(sqrt(rowSums(B^2)))
    cat(sprintf("glmnet thresh %g lambda %.6g (returned %.6g) objective %.15g nonzero rows %d path time %.3f s\n",
                thresh, lambda, fit$lambda[at], objective, sum(rowSums(B^2) > 0), seconds))
  }
}
