"""Reference values for tests/test_box_constraints.cpp from scikit-learn: `positive=True` fits of
Lasso, ElasticNet and LinearRegression (non-negative least squares) on the diabetes data and the
correlated design of glmnet_bounds.R, at a tight tolerance. Run from the repository root with
the system interpreter (the one that has scikit-learn):

    /usr/bin/python3 tests/reference/sklearn_positive.py tests/data/sklearn

scikit-learn is needed only to record; the test reads the file. Its objective is priorreg's
without standardization: alpha is lambda, l1_ratio is alpha."""
import csv
import sys

import numpy as np
import sklearn
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression

out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/sklearn"


def load(path):
    rows = np.genfromtxt(path, delimiter=",", skip_header=1)
    return rows[:, :-1], rows[:, -1]


data = {
    "diabetes": load("tests/data/diabetes/diabetes.csv"),
    "correlated": load("tests/data/glmnet/bounds_correlated.csv"),
}
cases = [
    ("diabetes", "lasso", 0.5, 1.0),
    ("diabetes", "enet", 2.0, 0.3),
    ("diabetes", "nnls", 0.0, 0.0),
    ("correlated", "lasso", 0.05, 1.0),
    ("correlated", "enet", 0.2, 0.5),
]
fmt = lambda v: repr(float(v))
with open(f"{out}/positive.csv", "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["data", "kind", "lambda", "alpha", "intercept", "coefficients..."])
    for name, kind, lam, l1_ratio in cases:
        X, y = data[name]
        if kind == "nnls":
            model = LinearRegression(positive=True)
        elif kind == "lasso":
            model = Lasso(alpha=lam, positive=True, tol=1e-12, max_iter=10_000_000)
        else:
            model = ElasticNet(alpha=lam, l1_ratio=l1_ratio, positive=True, tol=1e-12,
                               max_iter=10_000_000)
        model.fit(X, y)
        writer.writerow([name, kind, fmt(lam), fmt(l1_ratio), fmt(model.intercept_)]
                        + [fmt(c) for c in model.coef_])
print(f"scikit-learn {sklearn.__version__}")
