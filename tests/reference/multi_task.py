"""Data and scikit-learn reference fits for tests/test_multi_task.cpp: the Linnerud data (20
men, 3 exercises, 3 physiological measurements; shipped with scikit-learn) and a generated
correlated design (60 x 40, 4 responses sharing 6 features), fitted by MultiTaskLasso and
MultiTaskElasticNet at tol 1e-12. Run from the repository root with the system interpreter:

    /usr/bin/python3 tests/reference/multi_task.py tests/data/multitask

scikit-learn is needed only to record; the test reads the files. scikit-learn does not
standardize: its alpha is lambda, its l1_ratio is alpha, compared with set_standardize(false)."""
import csv
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_linnerud
from sklearn.linear_model import MultiTaskElasticNet, MultiTaskLasso

out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/multitask"
fmt = lambda v: repr(float(v))


def write_data(name, X, Y):
    with open(os.path.join(out, name), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([f"x{j}" for j in range(X.shape[1])] + [f"y{r}" for r in range(Y.shape[1])])
        for row in np.hstack([X, Y]):
            writer.writerow([fmt(v) for v in row])


linnerud = load_linnerud()
write_data("linnerud.csv", linnerud.data, linnerud.target)
rng = np.random.default_rng(20261204)
n, p, k = 60, 40, 4
Z = rng.standard_normal((n, p))
X = Z.copy()
for j in range(1, p):
    X[:, j] = 0.7 * X[:, j - 1] + np.sqrt(1 - 0.49) * Z[:, j]
B = np.zeros((p, k))
B[[0, 3, 7, 12, 20, 33], :] = rng.standard_normal((6, k)) * 2
Y = X @ B + rng.standard_normal((n, k))
write_data("correlated.csv", X, Y)

data = {"linnerud": (linnerud.data, linnerud.target), "correlated": (X, Y)}
cases = [("linnerud", 2.0, 1.0), ("linnerud", 5.0, 0.5), ("correlated", 0.1, 1.0),
         ("correlated", 0.2, 0.3)]
with open(os.path.join(out, "sklearn.csv"), "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["data", "lambda", "alpha", "intercepts then coefficients row by row..."])
    for name, lam, l1_ratio in cases:
        Xd, Yd = data[name]
        if l1_ratio == 1.0:
            model = MultiTaskLasso(alpha=lam, tol=1e-12, max_iter=10_000_000)
        else:
            model = MultiTaskElasticNet(alpha=lam, l1_ratio=l1_ratio, tol=1e-12,
                                        max_iter=10_000_000)
        model.fit(Xd, Yd)
        # coef_ is k x p: written as p rows of k.
        writer.writerow([name, fmt(lam), fmt(l1_ratio)] + [fmt(v) for v in model.intercept_]
                        + [fmt(v) for v in model.coef_.T.ravel()])
print(f"scikit-learn {sklearn.__version__}")
