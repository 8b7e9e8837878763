#!/usr/bin/python3
"""Scores the three solvers' paths on one objective (bench/compare/sparse/run.sh):
(1/(2n)) sum (y - b0 - X beta)^2 + lambda sum_j |s_j beta_j|, s_j the 1/n standard deviation;
per solver the worst over lambda of (its value - the best of the three) / null deviance."""
import os
import sys

import numpy as np
import scipy.sparse as sp

d = sys.argv[1]
files = dict(arg.split("=", 1) for arg in sys.argv[2:])
n, p, nnz = (int(v) for v in open(os.path.join(d, "meta.txt")).read().split())
X = sp.csc_matrix((np.fromfile(os.path.join(d, "data.f64"), "<f8"),
                   np.fromfile(os.path.join(d, "indices.i32"), "<i4"),
                   np.fromfile(os.path.join(d, "indptr.i32"), "<i4")), shape=(n, p))
y = np.fromfile(os.path.join(d, "y.f64"), "<f8")
lambdas = np.fromfile(os.path.join(d, "lambdas.f64"), "<f8")
L = len(lambdas)
mean = np.asarray(X.mean(axis=0)).ravel()
sd = np.sqrt(np.maximum(np.asarray(X.multiply(X).mean(axis=0)).ravel() - mean ** 2, 0))
null = np.mean((y - y.mean()) ** 2)
values = {}
for name, path in files.items():
    raw = np.fromfile(path, "<f8")
    coefs = raw[: p * L].reshape(L, p).T
    intercepts = raw[p * L: p * L + L]
    r = y[:, None] - X @ coefs - intercepts[None, :]
    values[name] = 0.5 * np.mean(r * r, axis=0) + lambdas * np.abs(sd[:, None] * coefs).sum(axis=0)
best = np.min(np.vstack(list(values.values())), axis=0)
for name, v in values.items():
    print(f"{name} {np.max((v - best) / null):.1e}")
