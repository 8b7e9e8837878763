# cv.glmnet on a case file with given fold ids and the case's lambda grid.
# Usage: Rscript cv_glmnet.R CASE.bin FOLDS.txt RUNS  ->  "median_seconds lambda_min_index lambda_1se_index"
suppressPackageStartupMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
con <- file(args[1], "rb")
n <- readBin(con, "integer", size = 8); p <- readBin(con, "integer", size = 8)
x <- matrix(readBin(con, "double", n * p), n, p)
y <- readBin(con, "double", n)
L <- readBin(con, "integer", size = 8); grid <- readBin(con, "double", L)
close(con)
foldid <- scan(args[2], quiet = TRUE) + 1
runs <- as.integer(args[3])
glmnet.control(fdev = 0, devmax = 1)
times <- numeric(runs)
for (r in seq_len(runs)) {
  times[r] <- system.time(fit <- cv.glmnet(x, y, lambda = grid, foldid = foldid, alpha = 1,
                                           standardize = TRUE, intercept = TRUE))[["elapsed"]]
}
cat(sprintf("%.6f %d %d\n", median(times), which(grid == fit$lambda.min) - 1,
            which(grid == fit$lambda.1se) - 1))
