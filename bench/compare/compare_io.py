"""Binary formats shared by the bench/compare scripts (numpy only).

Case file (gen_data.py and hard_designs.py write it with write_case; every solver reads it),
little-endian:
    int64 n, int64 p, float64 X[n*p] column-major, float64 y[n],
    int64 L, float64 lambdas[L]

Result file (each solver writes one per case), little-endian:
    int64 p, int64 L, float64 coefs[p*L] column-major (original scale),
    float64 intercepts[L]

Times file: one wall-clock time in seconds per line (one per timed run).
"""

import os

import numpy as np


def write_case(path, xt, y, lambdas):
    """Write a case file atomically; xt is X^T, i.e. X in column-major order, shape (p, n)."""
    p, n = xt.shape
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(np.array([n, p], dtype="<i8").tobytes())
        f.write(np.ascontiguousarray(xt, dtype="<f8").tobytes())
        f.write(np.asarray(y, dtype="<f8").tobytes())
        f.write(np.array([len(lambdas)], dtype="<i8").tobytes())
        f.write(np.asarray(lambdas, dtype="<f8").tobytes())
    os.replace(tmp, path)


def read_case(path):
    """Return (X, y, lambdas); X is a Fortran-ordered (n, p) float64 view."""
    raw = np.fromfile(path, dtype=np.uint8)
    n, p = (int(v) for v in raw[:16].view("<i8"))
    off = 16
    xt = raw[off : off + 8 * n * p].view("<f8").reshape(p, n)
    off += 8 * n * p
    y = raw[off : off + 8 * n].view("<f8")
    off += 8 * n
    (L,) = raw[off : off + 8].view("<i8")
    off += 8
    lambdas = raw[off : off + 8 * int(L)].view("<f8")
    if off + 8 * int(L) != raw.size:
        raise ValueError(f"{path}: size mismatch (corrupt or old format)")
    return xt.T, y.copy(), lambdas.copy()


def write_result(path, coefs, intercepts):
    """coefs: (p, L) on the original scale; intercepts: (L,)."""
    coefs = np.asarray(coefs, dtype="<f8")
    p, L = coefs.shape
    with open(path, "wb") as f:
        f.write(np.array([p, L], dtype="<i8").tobytes())
        f.write(np.asfortranarray(coefs).tobytes(order="F"))
        f.write(np.asarray(intercepts, dtype="<f8").tobytes())


def read_result(path):
    """Return (coefs (p, L), intercepts (L,))."""
    raw = np.fromfile(path, dtype=np.uint8)
    p, L = (int(v) for v in raw[:16].view("<i8"))
    if raw.size != 16 + 8 * (p * L + L):
        raise ValueError(f"{path}: size mismatch")
    body = raw[16:].view("<f8")
    coefs = body[: p * L].reshape(L, p).T
    return coefs, body[p * L :].copy()


def write_times(path, times):
    with open(path, "w") as f:
        f.writelines(f"{t:.6f}\n" for t in times)


def read_times(path):
    with open(path) as f:
        return [float(line) for line in f if line.strip()]
