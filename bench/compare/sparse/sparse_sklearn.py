#!/usr/bin/python3
"""scikit-learn's side of the sparse comparison (bench/compare/sparse/run.sh).

scikit-learn has no standardize option: the columns are divided by their 1/n standard deviations
(a sparse scaling, untimed data preparation), then one Lasso(fit_intercept=True, warm_start=True)
is refitted down the grid (scikit-learn centres a sparse X implicitly); defaults otherwise
(tol = 1e-4, max_iter = 1000). Coefficients are mapped back (beta_j = w_j / s_j).
   /usr/bin/python3 sparse_sklearn.py DIR RUNS OUT
"""
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso

d, runs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
n, p, nnz = (int(v) for v in open(os.path.join(d, "meta.txt")).read().split())
indptr = np.fromfile(os.path.join(d, "indptr.i32"), "<i4")
indices = np.fromfile(os.path.join(d, "indices.i32"), "<i4")
data = np.fromfile(os.path.join(d, "data.f64"), "<f8")
y = np.fromfile(os.path.join(d, "y.f64"), "<f8")
lambdas = np.fromfile(os.path.join(d, "lambdas.f64"), "<f8")
X = sp.csc_matrix((data, indices, indptr), shape=(n, p))
mean = np.asarray(X.mean(axis=0)).ravel()
sd = np.sqrt(np.maximum(np.asarray(X.multiply(X).mean(axis=0)).ravel() - mean ** 2, 0))
scale = np.where(sd > 0, sd, 1.0)
Xs = sp.csc_matrix(X @ sp.diags(1.0 / scale))
warnings_seen = 0
for run in range(runs):
    coefs = np.zeros((p, len(lambdas)))
    intercepts = np.zeros(len(lambdas))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        start = time.perf_counter()
        model = Lasso(alpha=lambdas[0], fit_intercept=True, warm_start=True)
        for k, lam in enumerate(lambdas):
            model.set_params(alpha=lam)
            model.fit(Xs, y)
            coefs[:, k] = model.coef_
            intercepts[k] = model.intercept_
        seconds = time.perf_counter() - start
        warnings_seen = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    print(f"{seconds:.6f}", flush=True)
coefs /= scale[:, None]
intercepts = y.mean() - mean @ coefs
with open(out, "wb") as f:
    coefs.T.astype("<f8").tofile(f)  # p x L column-major, as the others
    intercepts.astype("<f8").tofile(f)
print(f"scikit-learn {sklearn.__version__}: {warnings_seen} ConvergenceWarnings", file=sys.stderr)
