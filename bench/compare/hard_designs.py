#!/usr/bin/python3
"""Hard designs for the priorreg / glmnet / scikit-learn comparison (issue 16, run_hard.sh).

Each case is fully determined by its family, parameters and seed, and is written in the
shared case format of gen_data.py (compare_io.write_case) with glmnet's default grid (100
lambdas down to 1e-4 lambda_max if n > p, else 1e-2; gen_data.lambda_grid). The sidecar
<case>.json records every parameter.

Families (X is n x p; the parameters are those of the spec dicts below):
  block   groups of group_size columns, x = sqrt(rho) f_group + sqrt(1 - rho) z; the truth
          sits on k columns of active_groups groups; shuffle: columns in random order
  ar1     AR(1) across the columns (Toeplitz correlation rho^|j-k|)
  factor  X = F L^T + sigma E, F (n x rank) and E standard normal, L (p x rank) N(0, 1/rank)
  dup     base independent (or AR(1) base_rho) columns, each followed by `copies` copies: the
          first `exact` of them exact, the others plus eps * N(0, 1) noise
  heavy   Student t (df) or lognormal (sigma) entries of a latent AR(1) (rho) Gaussian
          design, column j scaled by 10^u_j, u_j uniform in [-decades, decades]
  real    the diabetes data (tests/data/diabetes) or R's MASS::Boston, expanded to all
          monomials up to `degree` (degree 2: pairwise products and squares), the real
          response; rows: a seeded subsample of that many rows (none: all)
Synthetic responses: y = 1 + X beta + noise, beta with k nonzeros at random columns, equal
to b_j / sd(x_j) with |b_j| uniform in [1, 2] and random signs (the truth is set on the
standardized scale, the one the penalty sees), noise N(0, s^2) with s = sd(X beta) / sqrt(snr).

Usage:
    hard_designs.py --list                  the fixed case names, one per line
    hard_designs.py --random N --seed S     names of N cases drawn at random from seed S
    hard_designs.py --alpha CASE            the case's alpha
    hard_designs.py --show CASE...          the cases' parameters (JSON)
    hard_designs.py DATA_DIR CASE...        generate the cases that are missing or stale

A random case's name, R<seed>n<index>_<family>_<n>x<p>_<alpha>, determines it: any command
takes it like a fixed name. Boston is extracted from R (Rscript, package MASS) into
DATA_DIR/boston.csv the first time a case needs it.
"""

import itertools
import json
import math
import os
import re
import subprocess
import sys

import numpy as np

from gen_data import (diabetes_raw, lambda_grid, lambda_min_ratio, make_design, N_LAMBDA,
                      polynomial_features, write_if_stale)

FORMAT_VERSION = 1  # bump when the generator's output changes
INTERCEPT = 1.0
FAMILIES = ("block", "ar1", "factor", "dup", "heavy", "real")
ALPHA_TAGS = {1.0: "l1", 0.5: "en05", 0.1: "en01"}

# The real data sets: rows, raw columns, the two-valued columns (no powers of them).
REAL = {
    "diabetes": dict(rows=442, columns=10, binary=(1,)),  # column 1: sex
    "boston": dict(rows=506, columns=13, binary=(3,)),  # column 3: chas
}

# The fixed list. The name after the first "_" is checked against the spec (family, n x p,
# alpha); H01, H09 and H04 are the reference cases (a block-correlated 5000 x 2000
# lasso, a p > n design of near-duplicate groups at alpha = 0.5, a tall AR(1) with rho 0.98).
FIXED = {
    "H01_block_5000x2000_l1": dict(family="block", n=5000, p=2000, alpha=1.0, seed=101,
                                   group_size=20, rho=0.95, active_groups=10, k=40, snr=4.0,
                                   shuffle=False),
    "H02_block_800x4000_en05": dict(family="block", n=800, p=4000, alpha=0.5, seed=102,
                                    group_size=100, rho=0.99, active_groups=5, k=25, snr=2.0,
                                    shuffle=True),
    "H03_block_2000x300_en01": dict(family="block", n=2000, p=300, alpha=0.1, seed=103,
                                    group_size=3, rho=0.995, active_groups=20, k=30, snr=9.0,
                                    shuffle=False),
    "H04_ar1_20000x500_l1": dict(family="ar1", n=20000, p=500, alpha=1.0, seed=104, rho=0.98,
                                 k=25, snr=4.0),
    "H05_ar1_600x5000_en05": dict(family="ar1", n=600, p=5000, alpha=0.5, seed=105, rho=0.999,
                                  k=30, snr=4.0),
    "H06_ar1_3000x1000_en01": dict(family="ar1", n=3000, p=1000, alpha=0.1, seed=106, rho=0.9,
                                   k=50, snr=1.0),
    "H07_factor_5000x1000_l1": dict(family="factor", n=5000, p=1000, alpha=1.0, seed=107,
                                    rank=5, sigma=0.3, k=20, snr=4.0),
    "H08_factor_300x3000_en01": dict(family="factor", n=300, p=3000, alpha=0.1, seed=108,
                                     rank=20, sigma=0.1, k=15, snr=4.0),
    "H09_dup_400x1200_en05": dict(family="dup", n=400, p=1200, alpha=0.5, seed=109, base=300,
                                  copies=3, exact=1, eps=1e-4, base_rho=0.0, k=20, snr=4.0,
                                  shuffle=False),
    "H10_dup_3000x600_l1": dict(family="dup", n=3000, p=600, alpha=1.0, seed=110, base=200,
                                copies=2, exact=0, eps=1e-6, base_rho=0.5, k=20, snr=4.0,
                                shuffle=True),
    "H11_heavy_5000x800_l1": dict(family="heavy", n=5000, p=800, alpha=1.0, seed=111, dist="t",
                                  df=1.5, rho=0.5, decades=3.0, k=20, snr=4.0),
    "H12_heavy_600x3000_en01": dict(family="heavy", n=600, p=3000, alpha=0.1, seed=112,
                                    dist="lognormal", sigma=1.5, rho=0.8, decades=1.0, k=20,
                                    snr=4.0),
    "H13_heavy_4000x300_en05": dict(family="heavy", n=4000, p=300, alpha=0.5, seed=113,
                                    dist="t", df=3.0, rho=0.9, decades=0.0, k=15, snr=2.0),
    "H14_heavy_500x2500_l1": dict(family="heavy", n=500, p=2500, alpha=1.0, seed=114,
                                  dist="lognormal", sigma=1.0, rho=0.0, decades=2.0, k=10,
                                  snr=9.0),
    "H15_real_506x103_l1": dict(family="real", n=506, p=103, alpha=1.0, seed=115,
                                source="boston", degree=2, rows=None),
    "H16_real_442x64_en01": dict(family="real", n=442, p=64, alpha=0.1, seed=116,
                                 source="diabetes", degree=2, rows=None),
    "H17_real_506x545_en05": dict(family="real", n=506, p=545, alpha=0.5, seed=117,
                                  source="boston", degree=3, rows=None),
    "H18_real_80x103_en05": dict(family="real", n=80, p=103, alpha=0.5, seed=118,
                                 source="boston", degree=2, rows=80),
    "H19_real_442x274_l1": dict(family="real", n=442, p=274, alpha=1.0, seed=119,
                                source="diabetes", degree=3, rows=None),
    "H20_factor_2000x150_en05": dict(family="factor", n=2000, p=150, alpha=0.5, seed=120,
                                     rank=3, sigma=0.05, k=10, snr=4.0),
}

RANDOM_NAME = re.compile(r"^R(\d+)n(\d+)_(.+)$")


# --------------------------------------------------------------------------------------------
# Names and specs
# --------------------------------------------------------------------------------------------


def name_tail(spec):
    """<family>_<n>x<p>_<alpha tag>: the part of a name after its prefix."""
    return f"{spec['family']}_{spec['n']}x{spec['p']}_{ALPHA_TAGS[spec['alpha']]}"


def real_columns(source, degree):
    """Number of columns of a real data set expanded to `degree`."""
    info = REAL[source]
    return sum(
        1
        for d in range(1, degree + 1)
        for combo in itertools.combinations_with_replacement(range(info["columns"]), d)
        if all(combo.count(b) <= 1 for b in info["binary"])
    )


def log_uniform(rng, lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def draw(seed, index):
    """The index-th random case of seed `seed` (independent of how many are drawn)."""
    rng = np.random.default_rng([seed, index])
    family = FAMILIES[rng.integers(len(FAMILIES))]
    alpha = [1.0, 0.5, 0.1][rng.integers(3)]
    spec = dict(family=family, alpha=alpha, seed=int(rng.integers(2**31)))
    if family == "real":
        source = ["diabetes", "boston"][rng.integers(2)]
        degree = int(rng.integers(2, 4))
        p = real_columns(source, degree)
        rows = None
        if rng.random() < 0.5:  # a subsample: half as tall, or wider than tall
            rows = int(rng.integers(max(40, p // 4), REAL[source]["rows"]))
        n = rows or REAL[source]["rows"]
        return dict(spec, n=n, p=p, source=source, degree=degree, rows=rows)

    # Shape: n p cells log-uniform in [1e5, 4e6], aspect ratio log-uniform in [1.5, 10].
    cells, aspect = log_uniform(rng, 1e5, 4e6), log_uniform(rng, 1.5, 10.0)
    short = max(20, round(math.sqrt(cells / aspect)))
    long = max(50, round(short * aspect))
    n, p = (long, short) if rng.random() < 0.5 else (short, long)
    spec.update(n=n, p=p)
    if family == "block":
        spec.update(group_size=int(round(log_uniform(rng, 2, 100))),
                    rho=float(rng.uniform(0.7, 0.995)), shuffle=bool(rng.random() < 0.5))
        groups = -(-p // spec["group_size"])
        spec["active_groups"] = int(rng.integers(1, min(10, groups) + 1))
    elif family == "ar1":
        spec["rho"] = 1.0 - log_uniform(rng, 1e-3, 0.1)
    elif family == "factor":
        spec.update(rank=int(rng.integers(3, 21)), sigma=log_uniform(rng, 0.05, 1.0))
    elif family == "dup":
        copies = int(rng.integers(1, 5))
        base = max(10, p // (copies + 1))
        spec.update(p=base * (copies + 1), base=base, copies=copies,
                    exact=int(rng.integers(0, copies + 1)), eps=log_uniform(rng, 1e-6, 1e-3),
                    base_rho=float(rng.uniform(0.0, 0.8)), shuffle=bool(rng.random() < 0.5))
    elif family == "heavy":
        if rng.random() < 0.5:
            spec.update(dist="t", df=float(rng.uniform(1.5, 3.0)))
        else:
            spec.update(dist="lognormal", sigma=float(rng.uniform(1.0, 2.0)))
        spec.update(rho=float(rng.uniform(0.0, 0.9)), decades=float(rng.uniform(0.0, 3.0)))
    spec["k"] = int(round(log_uniform(rng, 5, max(6, min(100, min(spec["n"], spec["p"]) / 4)))))
    spec["snr"] = log_uniform(rng, 0.5, 20.0)
    return spec


def random_names(count, seed):
    return [f"R{seed}n{i:02d}_{name_tail(draw(seed, i))}" for i in range(1, count + 1)]


def spec_of(name):
    """The spec of a fixed or random case name; KeyError if it is neither."""
    if name in FIXED:
        return dict(FIXED[name])
    m = RANDOM_NAME.match(name)
    if m:
        spec = draw(int(m.group(1)), int(m.group(2)))
        if name_tail(spec) == m.group(3):
            return spec
    raise KeyError(name)


# --------------------------------------------------------------------------------------------
# Designs (each returns X^T, C-contiguous (p, n), from the case's generator)
# --------------------------------------------------------------------------------------------


def block_design(rng, s):
    groups = np.arange(s["p"]) // s["group_size"]
    factors = rng.standard_normal((groups[-1] + 1, s["n"]))
    xt = math.sqrt(1.0 - s["rho"]) * rng.standard_normal((s["p"], s["n"]))
    xt += math.sqrt(s["rho"]) * factors[groups]
    active = rng.choice(groups[-1] + 1, min(s["active_groups"], groups[-1] + 1), replace=False)
    candidates = np.flatnonzero(np.isin(groups, active))
    return xt, rng.choice(candidates, min(s["k"], candidates.size), replace=False)


def factor_design(rng, s):
    factors = rng.standard_normal((s["rank"], s["n"]))
    loadings = rng.standard_normal((s["p"], s["rank"])) / math.sqrt(s["rank"])
    xt = loadings @ factors
    xt += s["sigma"] * rng.standard_normal((s["p"], s["n"]))
    return xt


def dup_design(rng, s):
    base = make_design(rng, s["n"], s["base"], s["base_rho"])
    xt = np.empty((s["p"], s["n"]))
    xt[: s["base"]] = base
    for c in range(s["copies"]):
        rows = slice((c + 1) * s["base"], (c + 2) * s["base"])
        xt[rows] = base
        if c >= s["exact"]:
            xt[rows] += s["eps"] * rng.standard_normal(base.shape)
    return xt


def heavy_design(rng, s):
    xt = make_design(rng, s["n"], s["p"], s["rho"])
    if s["dist"] == "t":
        xt /= np.sqrt(rng.chisquare(s["df"], size=xt.shape) / s["df"])
    else:
        np.exp(s["sigma"] * xt, out=xt)
    xt *= 10.0 ** rng.uniform(-s["decades"], s["decades"], size=(s["p"], 1))
    return xt


def real_raw(source, data_dir):
    """(raw (rows, columns), y) of a real data set; Boston is extracted from R once."""
    if source == "diabetes":
        return diabetes_raw()
    path = os.path.join(data_dir, "boston.csv")
    if not os.path.exists(path):
        print(f"  extracting MASS::Boston with Rscript -> {path}", flush=True)
        subprocess.run(["Rscript", "-e", f"write.csv(MASS::Boston, '{path}.tmp', "
                        "row.names = FALSE)"], check=True)
        os.replace(path + ".tmp", path)
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :13], data[:, 13]  # the response: medv


def real_case(s, data_dir):
    """(X^T, y) of a real case: a seeded row subsample (if any) with no constant column."""
    raw, y = real_raw(s["source"], data_dir)
    info = REAL[s["source"]]
    assert raw.shape == (info["rows"], info["columns"])
    rows = np.arange(info["rows"])
    if s["rows"] is not None:
        rng = np.random.default_rng(s["seed"])
        for _ in range(10000):  # redraw subsamples on which a column would be constant
            rows = np.sort(rng.choice(info["rows"], s["rows"], replace=False))
            xt = polynomial_features(raw[rows], s["degree"], info["binary"])
            if np.all(np.ptp(xt, axis=1) > 0):
                break
        else:
            raise RuntimeError(f"no subsample of {s['rows']} rows without constant columns")
    xt = polynomial_features(raw[rows], s["degree"], info["binary"])
    return xt, y[rows]


def synthetic_case(s):
    """(X^T, y) of a synthetic case."""
    rng = np.random.default_rng(s["seed"])
    support = None
    if s["family"] == "block":
        xt, support = block_design(rng, s)
    elif s["family"] == "ar1":
        xt = make_design(rng, s["n"], s["p"], s["rho"])
    elif s["family"] == "factor":
        xt = factor_design(rng, s)
    elif s["family"] == "dup":
        xt = dup_design(rng, s)
    elif s["family"] == "heavy":
        xt = heavy_design(rng, s)
    else:
        raise ValueError(f"unknown family {s['family']}")
    if support is None:
        support = rng.choice(s["p"], min(s["k"], s["p"]), replace=False)
    b = rng.uniform(1.0, 2.0, support.size) * rng.choice([-1.0, 1.0], support.size)
    signal = b @ (xt[support] / xt[support].std(axis=1, keepdims=True))
    noise_sd = signal.std() / math.sqrt(s["snr"])
    y = INTERCEPT + signal + noise_sd * rng.standard_normal(s["n"])
    if s.get("shuffle"):
        xt = xt[rng.permutation(s["p"])]
    return np.ascontiguousarray(xt), y


def generate(spec, data_dir):
    """The case's (X^T, y, lambdas)."""
    xt, y = real_case(spec, data_dir) if spec["family"] == "real" else synthetic_case(spec)
    assert xt.shape == (spec["p"], spec["n"]), (xt.shape, spec)
    return xt, y, lambda_grid(xt, y, spec["alpha"], N_LAMBDA)


def metadata(name):
    spec = spec_of(name)
    return dict(spec, case=name, n_lambda=N_LAMBDA,
                lambda_min_ratio=lambda_min_ratio(spec["n"], spec["p"]),
                intercept=INTERCEPT if spec["family"] != "real" else None,
                format=FORMAT_VERSION, numpy=np.__version__)


def describe(spec):
    """The family parameters of a spec, as text (for listings and RESULTS_HARD.md)."""
    common = ("family", "n", "p", "alpha", "case", "n_lambda", "lambda_min_ratio", "intercept",
              "format", "numpy")
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in spec.items() if k not in common)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv):
    try:
        if argv == ["--list"]:
            print("\n".join(FIXED))
            return 0
        if len(argv) == 4 and argv[0] == "--random" and argv[2] == "--seed":
            print("\n".join(random_names(int(argv[1]), int(argv[3]))))
            return 0
        if len(argv) == 2 and argv[0] == "--alpha":
            print(repr(spec_of(argv[1])["alpha"]))
            return 0
        if len(argv) >= 2 and argv[0] == "--show":
            print(json.dumps({name: spec_of(name) for name in argv[1:]}, indent=1))
            return 0
        if len(argv) < 2 or argv[0].startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        data_dir, names = argv[0], argv[1:]
        metas = {name: metadata(name) for name in names}
    except KeyError as e:
        print(f"hard_designs.py: unknown case {e} (fixed: --list; random: "
              "R<seed>n<index>_... from --random N --seed S)", file=sys.stderr)
        return 2
    os.makedirs(data_dir, exist_ok=True)
    for name, meta in metas.items():
        label = (f"{meta['family']} n={meta['n']} p={meta['p']} alpha={meta['alpha']} "
                 f"({describe(meta)})")
        write_if_stale(data_dir, name, meta, lambda: generate(spec_of(name), data_dir), label)
    return 0


# A fixed name must say what its spec is.
for _name, _spec in FIXED.items():
    assert _name.split("_", 1)[1] == name_tail(_spec), _name
    if _spec["family"] == "real":
        assert _spec["p"] == real_columns(_spec["source"], _spec["degree"]), _name
        assert _spec["n"] == (_spec["rows"] or REAL[_spec["source"]]["rows"]), _name
    if _spec["family"] == "dup":
        assert _spec["p"] == _spec["base"] * (_spec["copies"] + 1), _name

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
