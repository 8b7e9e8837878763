#!/usr/bin/python3
"""Generate the benchmark cases for bench/compare/run.sh.

Each case is written once to data/<case>.bin (little-endian), the one input
file that priorreg, glmnet and scikit-learn all read:

    int64 n, int64 p
    float64 X[n*p]   column-major
    float64 y[n]
    int64 L
    float64 lambdas[L]   decreasing

A sidecar data/<case>.json records the parameters; a file is regenerated only
when they change (or it is missing).

Usage:
    gen_data.py DATA_DIR CASE...   generate the cases that are missing or stale
    gen_data.py --alpha CASE       print the case's alpha (the L1 share)
    gen_data.py --list             print all case names

Only numpy is used (np.random.default_rng), so the data are bit-for-bit
reproducible on any machine with the same numpy version.
"""

import itertools
import json
import os
import sys

import numpy as np

from compare_io import write_case

# Problem definitions. rho: Toeplitz correlation corr(x_j, x_k) = rho^|j-k|
# (an AR(1) process across the columns; 0 = independent columns); k: number
# of true nonzero coefficients; data: the case whose X and y are reused (same
# seed and shape, so the same arrays); n_lambda: length of the grid.
CASES = {
    "D1": dict(n=10000, p=1000, rho=0.0, k=20, alpha=1.0, seed=1),
    "D2": dict(n=1000, p=100, rho=0.5, k=10, alpha=1.0, seed=2),
    "D3": dict(n=500, p=20000, rho=0.0, k=20, alpha=1.0, seed=3),
    "D4": dict(n=10000, p=1000, rho=0.0, k=20, alpha=0.5, seed=1),  # D1's data
    "D5": dict(n=2000, p=5000, rho=0.9, k=50, alpha=1.0, seed=5),
    # Real data: the diabetes data of the LARS paper (tests/data/diabetes) expanded to its
    # quadratic model, 10 measurements + 45 pairwise products + 9 squares (not of the
    # two-valued sex column) = 64 strongly correlated features.
    "D6": dict(n=442, p=64, source="diabetes-quadratic", alpha=1.0),
}
DIABETES_CSV = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "diabetes",
    "diabetes.csv")
N_LAMBDA = 100
INTERCEPT = 1.0  # true intercept
NOISE_SD = 1.0
FORMAT_VERSION = 1  # bump when the generator's output changes


def lambda_min_ratio(n, p):
    """glmnet's default: 1e-4 when n > p, else 1e-2."""
    return 1e-4 if n > p else 1e-2


def make_design(rng, n, p, rho):
    """Return X^T as a C-contiguous (p, n) array, i.e. X in column-major order.

    Columns follow x_1 = z_1, x_j = rho x_{j-1} + sqrt(1 - rho^2) z_j with
    z_j iid N(0, I), so every column is N(0, I) and corr(x_j, x_k) = rho^|j-k|.
    """
    xt = rng.standard_normal((p, n))
    if rho != 0.0:
        c = np.sqrt(1.0 - rho * rho)
        for j in range(1, p):
            xt[j] *= c
            xt[j] += rho * xt[j - 1]
    return xt


def true_coefficients(p, k):
    """k nonzeros spread evenly over the p columns, magnitudes 1..2, alternating sign."""
    beta = np.zeros(p)
    idx = (np.arange(k) * p) // k + p // (2 * k)
    beta[idx] = np.linspace(1.0, 2.0, k) * np.where(np.arange(k) % 2 == 0, 1.0, -1.0)
    return beta


def lambda_grid(xt, y, alpha, n_lambda):
    """glmnet's standardized convention for the grid.

    lambda_max = max_j |x~_j^T (y - ybar)| / (n alpha), x~_j column j centered and
    scaled to unit (1/n) variance; grid = lambda_max * ratio^(k/(L-1)), k = 0..L-1.
    """
    p, n = xt.shape
    mean = xt.mean(axis=1)
    sd = np.sqrt(((xt - mean[:, None]) ** 2).mean(axis=1))
    yc = y - y.mean()
    grad = (xt @ yc - mean * yc.sum()) / sd  # x~_j^T yc
    lam_max = np.abs(grad).max() / (n * alpha)
    ratio = lambda_min_ratio(n, p)
    return lam_max * ratio ** (np.arange(n_lambda) / (n_lambda - 1))


def polynomial_features(raw, degree, binary=()):
    """The columns of raw (n, m) and all their products up to `degree`, as X^T (C-contiguous).

    Monomials in the order of itertools.combinations_with_replacement, degree by degree; a
    monomial with a two-valued column (index in `binary`) more than once is left out (it
    would duplicate a lower-degree column up to an affine map).
    """
    columns = []
    for d in range(1, degree + 1):
        for combo in itertools.combinations_with_replacement(range(raw.shape[1]), d):
            if any(combo.count(b) > 1 for b in binary):
                continue
            column = raw[:, combo[0]]
            for a in combo[1:]:
                column = column * raw[:, a]
            columns.append(column)
    return np.ascontiguousarray(np.array(columns))


def diabetes_raw():
    """Return (raw (442, 10), y) of the diabetes data; column 1 (sex) is two-valued."""
    data = np.loadtxt(DIABETES_CSV, delimiter=",", skiprows=1)
    return data[:, :10], data[:, 10]


def diabetes_quadratic():
    """Return (X^T, y) of the diabetes quadratic model, X^T C-contiguous (64, 442)."""
    raw, y = diabetes_raw()
    return polynomial_features(raw, 2, binary=(1,)), y


def generate(case):
    """Return the case's (X^T, y, lambdas)."""
    c = CASES[case]
    if c.get("source") == "diabetes-quadratic":
        xt, y = diabetes_quadratic()
        assert xt.shape == (c["p"], c["n"])
    else:
        rng = np.random.default_rng(c["seed"])
        xt = make_design(rng, c["n"], c["p"], c["rho"])
        beta = true_coefficients(c["p"], c["k"])
        y = INTERCEPT + beta @ xt + NOISE_SD * rng.standard_normal(c["n"])
    return xt, y, lambda_grid(xt, y, c["alpha"], N_LAMBDA)


def write_if_stale(data_dir, case, meta, make, label):
    """Write data_dir/<case>.bin from make() -> (X^T, y, lambdas) and its sidecar <case>.json
    (the dict meta), unless the sidecar already holds meta and the .bin exists."""
    path = os.path.join(data_dir, case + ".bin")
    meta_path = os.path.join(data_dir, case + ".json")
    try:
        with open(meta_path) as f:
            fresh = json.load(f) == meta and os.path.exists(path)
    except (OSError, ValueError):
        fresh = False
    if fresh:
        print(f"  {case}: reusing {path}")
        return
    print(f"  {case}: generating {label} -> {path}", flush=True)
    write_case(path, *make())
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


def metadata(case):
    return dict(
        CASES[case],
        case=case,
        n_lambda=N_LAMBDA,
        lambda_min_ratio=lambda_min_ratio(CASES[case]["n"], CASES[case]["p"]),
        intercept=INTERCEPT,
        noise_sd=NOISE_SD,
        format=FORMAT_VERSION,
        numpy=np.__version__,
    )


def main(argv):
    if len(argv) == 2 and argv[0] == "--alpha":
        print(repr(CASES[argv[1]]["alpha"]))
        return 0
    if len(argv) == 1 and argv[0] == "--list":
        print(" ".join(CASES))
        return 0
    if len(argv) < 2 or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    data_dir, cases = argv[0], argv[1:]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        print(f"gen_data.py: unknown case(s) {unknown}; known: {list(CASES)}", file=sys.stderr)
        return 2
    os.makedirs(data_dir, exist_ok=True)
    for case in cases:
        meta = metadata(case)
        label = (f"n={meta['n']} p={meta['p']} "
                 f"{meta.get('source') or 'rho=%g k=%d' % (meta['rho'], meta['k'])} "
                 f"alpha={meta['alpha']}")
        write_if_stale(data_dir, case, meta, lambda: generate(case), label)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
