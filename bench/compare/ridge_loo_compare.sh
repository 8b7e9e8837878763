#!/usr/bin/env bash
# R3: ridge leave-one-out over 100 lambdas, priorreg RidgeLeaveOneOut vs scikit-learn RidgeCV
# (efficient LOO), on the same seeded data (n=20000, p=500) and the same grid (scikit-learn's
# alpha = n * lambda). Both standardize once on all rows. Appends to bench/RESULTS_CV.md.
#
#   bench/compare/ridge_loo_compare.sh [RUNS]   (default 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-3}"
build="${BUILD_DIR:-$root/build-bench}"
cmake --build "$build" --target compare_priorreg >/dev/null
mkdir -p "$here/data"
data="$here/data/R3.bin"
/usr/bin/python3 - "$data" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(6)
n, p = 20000, 500
X = rng.standard_normal((n, p))
beta = np.zeros(p)
beta[:: p // 50] = np.where(np.arange(50) % 2 == 0, 1.0, -1.0)
y = 1.0 + X @ beta + rng.standard_normal(n)
grid = 10.0 ** np.linspace(-4, 1, 100)
with open(sys.argv[1], "wb") as f:
    f.write(np.array([n, p], dtype="<i8").tobytes())
    f.write(np.asfortranarray(X).tobytes(order="F"))
    f.write(y.astype("<f8").tobytes())
    f.write(np.array([grid.size], dtype="<i8").tobytes())
    f.write(grid.astype("<f8").tobytes())
PY
read -r pr_t pr_best < <("$build/bench/compare/compare_priorreg" --ridge-loo "$data" "$runs")
read -r sk_t sk_best < <(cd "$here" && /usr/bin/python3 - "$data" "$runs" <<'PY'
import sys, time
import numpy as np
from sklearn.linear_model import RidgeCV
from compare_io import read_case
X, y, grid = read_case(sys.argv[1])
Xs = (X - X.mean(axis=0)) / X.std(axis=0)
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    model = RidgeCV(alphas=X.shape[0] * grid, fit_intercept=True).fit(Xs, y)
    times.append(time.perf_counter() - start)
print(f"{np.median(times):.6f} {int(np.argmin(np.abs(X.shape[0] * grid - model.alpha_)))}")
PY
)
ratio=$(python3 -c "print(f'{$sk_t / $pr_t:.2f}')")
{
    echo
    echo "## R3: ridge leave-one-out, 100 lambdas, n=20000, p=500"
    echo
    echo "Produced by \`bench/compare/ridge_loo_compare.sh $runs\` on $(date -u '+%Y-%m-%d %H:%M UTC'), priorreg git $(git -C "$root" rev-parse --short HEAD); median of $runs runs."
    echo
    echo "| priorreg RidgeLeaveOneOut s | scikit-learn RidgeCV s | ratio | chosen lambda index priorreg / scikit-learn |"
    echo "|---|---|---|---|"
    echo "| $pr_t | $sk_t | $ratio | $pr_best / $sk_best |"
} >>"$root/bench/RESULTS_CV.md"
echo "R3: priorreg $pr_t s, RidgeCV $sk_t s, ratio $ratio, chosen index $pr_best / $sk_best"
