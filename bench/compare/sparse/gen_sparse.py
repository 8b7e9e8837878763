#!/usr/bin/python3
"""Writes the sparse comparison cases once, for all three solvers (run with /usr/bin/python3).

S1: synthetic, 100,000 x 50,000 at 0.1 % density (uniform positions, N(0,1) values), y = 1 +
    X beta + N(0,1) with 40 nonzero coefficients of magnitude 1..2 and alternating sign.
S2: a real sparse design: word counts of the manual pages on this machine (every
    /usr/share/man/man*/*.gz is a document; words are lowercase runs of 2+ letters, kept when
    they occur in at least 5 documents); X holds log(1 + count). The response is synthetic:
    y = 1 + X beta + N(0, 0.5^2), 30 nonzero coefficients on words of medium frequency.

Each case directory gets raw little-endian CSC arrays (indptr.i32, indices.i32, data.f64), y.f64,
lambdas.f64 (100 values from lambda_max down to 1e-2 lambda_max, log-spaced, lambda_max on the
standardized columns with 1/n standard deviations, as glmnet computes it) and meta.txt (n p nnz).
"""
import glob
import gzip
import os
import re
import sys

import numpy as np
import scipy.sparse as sp

OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/priorreg_sparse"


def grid(X, y, count=100, ratio=1e-2):
    n = X.shape[0]
    mean = np.asarray(X.mean(axis=0)).ravel()
    square = np.asarray(X.multiply(X).mean(axis=0)).ravel()
    sd = np.sqrt(np.maximum(square - mean * mean, 0))
    yc = y - y.mean()
    correlation = np.abs(X.T @ yc) / np.where(sd > 0, sd, np.inf) / n
    top = correlation.max()
    return top * ratio ** (np.arange(count) / (count - 1))


def write(name, X, y):
    X = sp.csc_matrix(X)
    X.sort_indices()
    X.eliminate_zeros()
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    X.indptr.astype("<i4").tofile(os.path.join(d, "indptr.i32"))
    X.indices.astype("<i4").tofile(os.path.join(d, "indices.i32"))
    X.data.astype("<f8").tofile(os.path.join(d, "data.f64"))
    y.astype("<f8").tofile(os.path.join(d, "y.f64"))
    grid(X, y).astype("<f8").tofile(os.path.join(d, "lambdas.f64"))
    with open(os.path.join(d, "meta.txt"), "w") as f:
        f.write(f"{X.shape[0]} {X.shape[1]} {X.nnz}\n")
    print(f"{name}: n={X.shape[0]} p={X.shape[1]} nnz={X.nnz} "
          f"density={X.nnz / (X.shape[0] * X.shape[1]):.2e}")


def synthetic():
    rng = np.random.default_rng(1)
    n, p, density = 100_000, 50_000, 1e-3
    nnz = int(n * p * density)
    rows = rng.integers(0, n, nnz)
    cols = rng.integers(0, p, nnz)
    X = sp.csc_matrix((rng.standard_normal(nnz), (rows, cols)), shape=(n, p))
    X.sum_duplicates()
    beta = np.zeros(p)
    idx = np.linspace(0, p - 1, 40).astype(int)
    beta[idx] = (1 + np.arange(40) / 40) * np.where(np.arange(40) % 2 == 0, 1, -1)
    y = 1 + X @ beta + rng.standard_normal(n)
    write("S1", X, y)


def man_pages():
    word = re.compile(rb"[a-z]{2,}")
    docs = []
    for path in sorted(glob.glob("/usr/share/man/man*/*.gz")):
        try:
            with gzip.open(path, "rb") as f:
                text = f.read().lower()
        except (OSError, EOFError):
            continue
        counts = {}
        for w in word.findall(text):
            counts[w] = counts.get(w, 0) + 1
        if counts:
            docs.append(counts)
    frequency = {}
    for counts in docs:
        for w in counts:
            frequency[w] = frequency.get(w, 0) + 1
    vocabulary = sorted(w for w, f in frequency.items() if f >= 5)
    column = {w: j for j, w in enumerate(vocabulary)}
    rows, cols, vals = [], [], []
    for i, counts in enumerate(docs):
        for w, c in counts.items():
            j = column.get(w)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(np.log1p(c))
    X = sp.csc_matrix((vals, (rows, cols)), shape=(len(docs), len(vocabulary)))
    rng = np.random.default_rng(2)
    df = np.diff(X.indptr)
    medium = np.flatnonzero((df > 50) & (df < 2000))
    chosen = rng.choice(medium, 30, replace=False)
    beta = np.zeros(X.shape[1])
    beta[chosen] = rng.uniform(0.5, 1.5, 30) * np.where(np.arange(30) % 2 == 0, 1, -1)
    y = 1 + X @ beta + 0.5 * rng.standard_normal(X.shape[0])
    write("S2", X, y)


if __name__ == "__main__":
    cases = sys.argv[2:] or ["S1", "S2"]
    if "S1" in cases:
        synthetic()
    if "S2" in cases:
        man_pages()
