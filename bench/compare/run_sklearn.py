#!/usr/bin/python3
"""Time scikit-learn's enet_path on one case.

    run_sklearn.py CASE.bin ALPHA RUNS OUT.bin TIMES.txt

The data are standardized first (data preparation, not timed), so that
scikit-learn -- which does not standardize -- solves the same problem as
glmnet(standardize=TRUE) and priorreg: with X~ = (X - mean)/sd (sd with 1/n)
and y~ = y - ybar, its objective
    (1/(2n)) ||y~ - X~ w||^2 + a * l1_ratio * ||w||_1 + a/2 * (1 - l1_ratio) * ||w||^2
at a = lambda, l1_ratio = alpha is ours with w_j = sd_j * beta_j. Only the
enet_path call is timed (defaults: precompute='auto', tol=1e-4, max_iter=1000).
The coefficients are mapped back: beta_j = w_j / sd_j, b0 = ybar - mean^T beta.
"""

import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import enet_path

from compare_io import read_case, write_result, write_times


def main(argv):
    case_path, alpha, runs, out_path, times_path = argv
    alpha, runs = float(alpha), int(runs)
    X, y, lambdas = read_case(case_path)

    # Data preparation (not timed).
    mean = X.mean(axis=0)
    sd = np.sqrt(((X - mean) ** 2).mean(axis=0))
    Xs = np.asfortranarray((X - mean) / sd)
    ybar = y.mean()
    ys = y - ybar
    del X

    times, n_warn = [], 0
    for r in range(runs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            t0 = time.perf_counter()
            alphas, coefs, _ = enet_path(Xs, ys, l1_ratio=alpha, alphas=lambdas)
            times.append(time.perf_counter() - t0)
        n_warn = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
        print(f"    sklearn run {r + 1}/{runs}: {times[-1]:.3f} s"
              + (f" ({n_warn} ConvergenceWarnings)" if n_warn else ""), flush=True)

    if not np.allclose(alphas, lambdas, rtol=0, atol=0):
        raise SystemExit("run_sklearn.py: enet_path reordered or changed the grid")
    beta = coefs / sd[:, None]
    intercepts = ybar - mean @ beta
    write_result(out_path, beta, intercepts)
    write_times(times_path, times)

    # With precompute='auto' and n > p, enet_path starts by forming the Gram matrix X~^T X~
    # with numpy's BLAS; time that product alone once (not part of the reported times) so
    # the report can show how much of scikit-learn's time is the BLAS.
    gram = ""
    if Xs.shape[0] > Xs.shape[1]:
        t0 = time.perf_counter()
        np.dot(Xs.T, Xs)
        gram = f"; gram_seconds {time.perf_counter() - t0:.4f}"
    # One line of metadata for the report.
    with open(out_path + ".info", "w") as f:
        f.write(f"sklearn {sklearn.__version__}; convergence_warnings {n_warn}{gram}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
