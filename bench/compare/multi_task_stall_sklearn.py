"""scikit-learn's MultiTaskLasso on the near-duplicate design of multi_task_stall.cpp.

Run `multi_task_stall --anchors DIR` first, then (scikit-learn is in Debian's python3):
    /usr/bin/python3 bench/compare/multi_task_stall_sklearn.py DIR
Prints, at each lambda of DIR/lambdas.txt, the objective (1/2n)||Y - 1b0' - XW'||^2 +
lambda sum_j ||W_j|| with tol 1e-12 (max_iter 100000) and with the defaults (tol 1e-4,
max_iter 1000), whether scikit-learn reported convergence, the time and the nonzero rows.
"""
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import MultiTaskLasso

folder = sys.argv[1]
X = np.loadtxt(folder + "/X.csv", delimiter=",")
Y = np.loadtxt(folder + "/Y.csv", delimiter=",")
n = X.shape[0]
for lam in np.loadtxt(folder + "/lambdas.txt"):
    for tol, max_iter in ((1e-12, 100000), (1e-4, 1000)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            start = time.perf_counter()
            model = MultiTaskLasso(alpha=lam, tol=tol, max_iter=max_iter).fit(X, Y)
            seconds = time.perf_counter() - start
        converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        residual = Y - X @ model.coef_.T - model.intercept_
        rows = np.linalg.norm(model.coef_.T, axis=1)
        objective = 0.5 * (residual ** 2).sum() / n + lam * rows.sum()
        print("sklearn lambda %.6g tol %g max_iter %d converged %s objective %.15g time %.3f s "
              "sweeps %d nonzero rows %d" % (lam, tol, max_iter, converged, objective, seconds,
                                             model.n_iter_, (rows > 0).sum()), flush=True)
