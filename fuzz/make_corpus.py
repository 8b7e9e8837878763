#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_fit (fuzz/corpus/) in the byte layout the harness decodes.

Each seed is one scenario: model kind (OLS, Ridge, Lasso, Elastic Net; double or float), data
shape, options and special values (NaN, Inf, subnormals, huge and tiny scales, constant and
duplicated columns, weights). Deterministic: rerunning writes the same files.
"""
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

NAN, INF, NEG_INF, ZERO, DENORM, DBL_MAX, HUGE, TINY = 200, 201, 202, 203, 205, 206, 210, 209
RAW = 216  # followed by 8 bytes


def seed(name, kind=2, single=False, n=12, p=4, intercept=True, standardize=True,
         weights=None, factors=None, map_form=False, path=False, cv=False, mode=0,
         lam=7, alpha=100, iterations=0, tolerance=0, columns=None, y_scale=0, w_scale=0,
         x=None, y=None, rng=None):
    rng = rng or random.Random(name)
    flags = (0 if intercept else 1) | (0 if standardize else 2) | (4 if weights else 0) | \
        (8 if factors else 0) | (16 if map_form else 0) | (32 if path else 0) | \
        (64 if cv else 0)
    flags2 = (1 if cv else 0) | (mode << 1) | (16 << 3)
    data = bytearray([kind + (4 if single else 0), n - 1, p - 1, flags, flags2 & 0xFF,
                      lam, alpha, iterations, tolerance])
    columns = columns or [0] * p
    data += bytes(columns)
    data += bytes([y_scale, w_scale])
    for j, code in enumerate(columns):
        shape = code // 16 % 4
        if shape in (1, 2) and j > 0:
            continue
        count = 1 if shape == 3 else n
        for i in range(count):
            value = x(i, j) if x else None
            data += encode(value if value is not None else rng.randrange(60, 140))
    for i in range(n):
        value = y(i) if y else None
        data += encode(value if value is not None else rng.randrange(70, 130))
    if weights:
        for i in range(n):
            data += encode(weights(i))
            data += bytes([0])
    if factors:
        data += bytes(factors(j) for j in range(p))
    with open(os.path.join(OUT, name), "wb") as handle:
        handle.write(bytes(data))


def encode(value):
    if isinstance(value, float):
        return bytes([RAW]) + struct.pack("<d", value)
    return bytes([value])


def main():
    os.makedirs(OUT, exist_ok=True)
    kinds = {"ols": 0, "ridge": 1, "lasso": 2, "enet": 3}
    for name, kind in kinds.items():
        for single in (False, True):
            tag = f"{name}_{'float' if single else 'double'}"
            seed(f"{tag}_plain", kind=kind, single=single)
            seed(f"{tag}_path", kind=kind, single=single, path=True)
            seed(f"{tag}_weighted", kind=kind, single=single, weights=lambda i: 100 + i * 7 % 90)
            seed(f"{tag}_no_intercept", kind=kind, single=single, intercept=False,
                 standardize=False)
    # Special values: each must be rejected with InvalidInput.
    seed("nan_in_x", x=lambda i, j: NAN if (i, j) == (3, 1) else None)
    seed("inf_in_y", y=lambda i: INF if i == 5 else None)
    seed("negative_inf_weight", weights=lambda i: NEG_INF if i == 2 else 120)
    seed("all_zero_weights", weights=lambda i: ZERO)
    seed("negative_lambda", lam=13)
    seed("nan_alpha", kind=3, alpha=203)
    # Extreme but valid values.
    seed("subnormal_x", x=lambda i, j: DENORM if j == 0 and i % 2 else None)
    seed("scales_1e150", columns=[2, 3, 0, 8], path=True)
    seed("scales_1e300_unstandardized", kind=1, standardize=False, columns=[5, 4, 0, 0])
    seed("huge_y", y_scale=8, path=True)
    seed("y_near_overflow", kind=2, y=lambda i: DBL_MAX if i == 0 else HUGE if i == 1 else None)
    seed("ols_y_range_overflow", kind=0,
         y=lambda i: DBL_MAX if i == 0 else 207 if i == 1 else None)
    seed("huge_weights", weights=lambda i: DBL_MAX, path=True)
    seed("subnormal_weights", weights=lambda i: DENORM)
    seed("float_overflow", kind=1, single=True, columns=[9, 0, 0], p=3, y_scale=10, lam=1)
    # Structure: constant and duplicated columns, collinearity, p >> n, n = 1.
    seed("constant_column", columns=[0, 48, 0, 0], path=True)
    seed("duplicated_columns", kind=2, columns=[0, 16, 0, 16], lam=5)
    seed("collinear_ols", kind=0, columns=[0, 32 + 7, 0, 32 + 2])
    seed("wide_ols", kind=0, n=5, p=10)
    seed("wide_lasso_path", kind=2, n=6, p=10, path=True, mode=2)
    seed("single_row", n=1, p=3, path=True)
    seed("constant_y", y=lambda i: 110, path=True, cv=True)
    # Options.
    seed("max_iterations_1", kind=3, iterations=128, lam=3)
    seed("tight_tolerance", kind=2, tolerance=213)
    seed("penalty_factors", kind=3, factors=lambda j: j % 5, path=True)
    seed("map_form_enet", kind=3, map_form=True, path=True)
    seed("covariance_mode_cv", kind=2, n=20, mode=1, cv=True, path=True)
    seed("naive_mode_cv_weighted", kind=3, n=16, mode=2, cv=True,
         weights=lambda i: 0 if i % 3 == 0 else 150)
    seed("lambda_zero_lasso", kind=2, lam=0)
    seed("lambda_huge", kind=2, lam=12, path=True)


if __name__ == "__main__":
    main()
