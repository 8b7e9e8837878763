"""scikit-learn LassoCV on a case file with given fold ids and the case's lambda grid.

Usage: /usr/bin/python3 cv_sklearn.py CASE.bin FOLDS.txt RUNS
Prints "median_seconds lambda_min_index". LassoCV runs on the standardized, centered data
(1/n standard deviations), as enet_path in run_sklearn.py; the fold-wise refits therefore keep
the full-data standardization (scikit-learn has no per-fold standardization of its own).
"""
import sys
import time

import numpy as np
from sklearn.linear_model import LassoCV
from sklearn.model_selection import PredefinedSplit

from compare_io import read_case


def main(argv):
    X, y, grid = read_case(argv[0])
    folds = np.loadtxt(argv[1], dtype=int)
    runs = int(argv[2])
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    ys = y - y.mean()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        model = LassoCV(alphas=grid, cv=PredefinedSplit(folds), n_jobs=2).fit(Xs, ys)
        times.append(time.perf_counter() - start)
    index = int(np.argmin(np.abs(grid - model.alpha_)))
    print(f"{np.median(times):.6f} {index}")


if __name__ == "__main__":
    main(sys.argv[1:])
