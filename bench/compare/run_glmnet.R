#!/usr/bin/env Rscript
# Time glmnet's path on one case.
#
#   Rscript run_glmnet.R CASE.bin ALPHA RUNS OUT.bin TIMES.txt
#
# Reads the shared case file (see compare_io.py for the layout), fits
#   glmnet(x, y, family = "gaussian", alpha = ALPHA, lambda = grid,
#          standardize = TRUE, intercept = TRUE)
# RUNS times, timing each call (wall clock), and writes the last fit's
# coefficients (p x L, original scale) and intercepts in the shared result
# format. glmnet's early path exits (fdev: deviance change < 1e-5, devmax:
# deviance ratio > 0.999) are switched off so that every lambda of the grid
# is fitted, as by the other solvers; everything else is at its default
# (thresh = 1e-7, maxit = 1e5, type.gaussian by p).

suppressPackageStartupMessages(library(glmnet))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 5) stop("usage: run_glmnet.R CASE.bin ALPHA RUNS OUT.bin TIMES.txt")
case_path <- args[1]
alpha <- as.numeric(args[2])
runs <- as.integer(args[3])
out_path <- args[4]
times_path <- args[5]

read_case <- function(path) {
  con <- file(path, "rb")
  on.exit(close(con))
  np <- readBin(con, "integer", 2, size = 8, endian = "little")
  n <- np[1]
  p <- np[2]
  x <- matrix(readBin(con, "double", n * p, size = 8, endian = "little"), n, p)
  y <- readBin(con, "double", n, size = 8, endian = "little")
  L <- readBin(con, "integer", 1, size = 8, endian = "little")
  lambda <- readBin(con, "double", L, size = 8, endian = "little")
  if (length(lambda) != L || length(readBin(con, "raw", 1)) != 0) stop(path, ": size mismatch")
  list(x = x, y = y, lambda = lambda)
}

d <- read_case(case_path)
glmnet.control(fdev = 0, devmax = 1)

times <- numeric(runs)
for (r in seq_len(runs)) {
  t0 <- proc.time()[["elapsed"]]
  fit <- glmnet(d$x, d$y, family = "gaussian", alpha = alpha, lambda = d$lambda,
                standardize = TRUE, intercept = TRUE)
  times[r] <- proc.time()[["elapsed"]] - t0
  cat(sprintf("    glmnet run %d/%d: %.3f s\n", r, runs, times[r]))
}
glmnet.control(factory = TRUE)

if (length(fit$lambda) != length(d$lambda) || max(abs(fit$lambda / d$lambda - 1)) > 1e-12) {
  stop("glmnet returned ", length(fit$lambda), " of ", length(d$lambda), " lambdas")
}
if (fit$jerr != 0) warning("glmnet jerr = ", fit$jerr)

beta <- as.matrix(fit$beta)  # p x L, original scale
con <- file(out_path, "wb")
writeBin(as.integer(dim(beta)), con, size = 8, endian = "little")
writeBin(as.vector(beta), con, size = 8, endian = "little")
writeBin(as.vector(fit$a0), con, size = 8, endian = "little")
close(con)
writeLines(sprintf("%.6f", times), times_path)
writeLines(sprintf("glmnet %s; %s; BLAS %s; type.gaussian %s; jerr %d",
                   as.character(packageVersion("glmnet")), R.version.string,
                   extSoftVersion()[["BLAS"]], if (ncol(d$x) < 500) "covariance" else "naive",
                   fit$jerr),
           paste0(out_path, ".info"))
