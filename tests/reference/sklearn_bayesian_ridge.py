"""Reference values for tests/test_bayesian_ridge.cpp from scikit-learn's BayesianRidge, and the
generated designs they are fitted on. Run from the repository root with the system interpreter
(the one that has scikit-learn):

    /usr/bin/python3 tests/reference/sklearn_bayesian_ridge.py tests/data/sklearn

scikit-learn is needed only to record; the test reads the files. priorreg's BayesianRidge with
set_standardize(false) is scikit-learn's model: alpha_ is noise_precision(), lambda_ is
weight_precision(). Each case is fitted twice: at scikit-learn's defaults (tol 1e-3), and at a
tight tolerance, where its last scores_ entry is the evidence of the returned mean."""
import sys

import numpy as np
import sklearn
from sklearn.linear_model import BayesianRidge

out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/sklearn"


def load(path):
    rows = np.genfromtxt(path, delimiter=",", skip_header=1)
    return rows[:, :-1], rows[:, -1]


def generated(n, p, seed):
    """Correlated columns (a shared factor), unequal scales, a sparse truth and noise."""
    rng = np.random.default_rng(seed)
    factor = rng.standard_normal((n, 1))
    X = 0.7 * factor + rng.standard_normal((n, p))
    X *= rng.uniform(0.5, 3.0, p)
    X += rng.uniform(-2.0, 2.0, p)
    beta = np.zeros(p)
    beta[: min(p, 6)] = rng.uniform(-2.0, 2.0, min(p, 6))
    y = 1.5 + X @ beta + rng.standard_normal(n)
    return X, y


def save_design(name, X, y):
    header = ",".join([f"x{j}" for j in range(X.shape[1])] + ["y"])
    np.savetxt(f"{out}/{name}.csv", np.column_stack([X, y]), delimiter=",", header=header,
               comments="", fmt="%.17g")


data = {"diabetes": load("tests/data/diabetes/diabetes.csv")}
for name, n, p, seed in [("bayes_tall", 80, 12, 19), ("bayes_wide", 30, 60, 23)]:
    data[name] = generated(n, p, seed)
    save_design(name, *data[name])

rng = np.random.default_rng(5)
weights = {name: rng.uniform(0.2, 3.0, X.shape[0]) for name, (X, _) in data.items()}

cases = [
    # name, data, fit_intercept, weighted
    ("diabetes", "diabetes", True, False),
    ("diabetes_no_intercept", "diabetes", False, False),
    ("diabetes_weighted", "diabetes", True, True),
    ("tall", "bayes_tall", True, False),
    ("tall_weighted", "bayes_tall", True, True),
    ("wide", "bayes_wide", True, False),
    ("wide_no_intercept", "bayes_wide", False, False),
]
fmt = lambda values: " ".join(repr(float(v)) for v in np.ravel(values))
with open(f"{out}/bayesian_ridge.txt", "w") as handle:
    handle.write(f"# scikit-learn {sklearn.__version__} BayesianRidge; "
                 "tests/reference/sklearn_bayesian_ridge.py\n")
    for name, source, intercept, weighted in cases:
        X, y = data[source]
        w = weights[source] if weighted else None
        for label, settings in [("default", {}), ("tight", {"tol": 1e-10, "n_iter": 100000})]:
            model = BayesianRidge(fit_intercept=intercept, compute_score=True, **settings)
            model.fit(X, y, sample_weight=w)
            key = f"{name} {label}"
            handle.write(f"{key} data {source} intercept {int(intercept)} weighted "
                         f"{int(weighted)}\n")
            handle.write(f"{key} n_iter {model.n_iter_}\n")
            handle.write(f"{key} alpha {fmt([model.alpha_])}\n")
            handle.write(f"{key} lambda {fmt([model.lambda_])}\n")
            handle.write(f"{key} intercept {fmt([model.intercept_])}\n")
            handle.write(f"{key} coef {fmt(model.coef_)}\n")
            handle.write(f"{key} sigma {fmt(model.sigma_)}\n")
            handle.write(f"{key} score {fmt([model.scores_[-1]])}\n")
            _, std = model.predict(X[:5], return_std=True)
            handle.write(f"{key} predict_std {fmt(std)}\n")
for name in data:
    np.savetxt(f"{out}/{name}_weights.txt", weights[name], fmt="%.17g")
