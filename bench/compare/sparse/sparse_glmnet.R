# glmnet's side of the sparse comparison (bench/compare/sparse/run.sh): the case as a dgCMatrix,
# the same explicit grid, all 100 lambdas fitted (fdev = 0, devmax = 1), thresh 1e-7.
#   Rscript sparse_glmnet.R DIR RUNS OUT
suppressPackageStartupMessages({ library(Matrix); library(glmnet) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; runs <- as.integer(args[2]); out <- args[3]
meta <- scan(file.path(dir, "meta.txt"), quiet = TRUE)
n <- meta[1]; p <- meta[2]; nnz <- meta[3]
readb <- function(name, what, count, size) {
  con <- file(file.path(dir, name), "rb"); on.exit(close(con))
  readBin(con, what, count, size = size, endian = "little")
}
x <- sparseMatrix(i = readb("indices.i32", "integer", nnz, 4), p = readb("indptr.i32", "integer", p + 1, 4),
                  x = readb("data.f64", "double", nnz, 8), dims = c(n, p), index1 = FALSE)
y <- readb("y.f64", "double", n, 8)
lambdas <- readb("lambdas.f64", "double", 100, 8)
glmnet.control(fdev = 0, devmax = 1)
for (run in seq_len(runs)) {
  start <- proc.time()[["elapsed"]]
  fit <- glmnet(x, y, family = "gaussian", alpha = 1, lambda = lambdas, standardize = TRUE,
                intercept = TRUE, thresh = 1e-7)
  cat(sprintf("%.6f\n", proc.time()[["elapsed"]] - start))
}
beta <- as.matrix(fit$beta)
con <- file(out, "wb")
writeBin(as.vector(beta), con, size = 8, endian = "little")
writeBin(as.vector(fit$a0), con, size = 8, endian = "little")
close(con)
cat(sprintf("glmnet %s: %d lambdas fitted\n", as.character(packageVersion("glmnet")), length(fit$lambda)),
    file = stderr())
