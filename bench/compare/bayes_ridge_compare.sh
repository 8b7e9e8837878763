#!/usr/bin/env bash
# B1: Bayesian ridge (evidence maximization), priorreg BayesianRidge vs scikit-learn
# BayesianRidge at its defaults, on the same seeded data (n=20000, p=500; issue 19's speed
# case). priorreg runs without standardization, which is scikit-learn's model; both runs are
# checked to reach the same precisions. Appends to bench/RESULTS_BAYES.md.
#
#   bench/compare/bayes_ridge_compare.sh [RUNS]   (default 5)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
build="${BUILD_DIR:-$root/build-bench}"
cmake --build "$build" --target compare_priorreg >/dev/null
mkdir -p "$here/data"
data="$here/data/B1.bin"
/usr/bin/python3 - "$data" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(19)
n, p = 20000, 500
X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p) + rng.uniform(-1.0, 1.0, p)
beta = np.zeros(p)
beta[:: p // 50] = rng.uniform(-1.0, 1.0, 50)
y = 2.0 + X @ beta + rng.standard_normal(n)
with open(sys.argv[1], "wb") as f:
    f.write(np.array([n, p], dtype="<i8").tobytes())
    f.write(np.asfortranarray(X).tobytes(order="F"))
    f.write(y.astype("<f8").tobytes())
    f.write(np.array([1], dtype="<i8").tobytes())
    f.write(np.array([1.0], dtype="<f8").tobytes())
PY
read -r pr_t pr_iter pr_alpha pr_lambda pr_norm < <("$build/bench/compare/compare_priorreg" --bayes-ridge "$data" "$runs")
read -r sk_t sk_iter sk_alpha sk_lambda sk_norm < <(cd "$here" && /usr/bin/python3 - "$data" "$runs" <<'PY'
import sys, time
import numpy as np
from sklearn.linear_model import BayesianRidge
from compare_io import read_case
X, y, _ = read_case(sys.argv[1])
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    model = BayesianRidge().fit(X, y)
    times.append(time.perf_counter() - start)
print(f"{np.median(times):.6f} {model.n_iter_} {model.alpha_!r} {model.lambda_!r} "
      f"{np.linalg.norm(model.coef_)!r}")
PY
)
read -r ratio d_alpha d_lambda d_norm < <(python3 -c "
print(f'{$sk_t / $pr_t:.2f} {abs($pr_alpha / $sk_alpha - 1):.1e} {abs($pr_lambda / $sk_lambda - 1):.1e} {abs($pr_norm / $sk_norm - 1):.1e}')")
blas=$(/usr/bin/python3 -c "import numpy; c = numpy.__config__; import io, contextlib; s = io.StringIO();
with contextlib.redirect_stdout(s): c.show()
print('openblas' if 'openblas' in s.getvalue().lower() else 'see numpy.show_config()')" 2>/dev/null || echo unknown)
{
    echo
    echo "## B1: Bayesian ridge, n=20000, p=500"
    echo
    echo "Produced by \`bench/compare/bayes_ridge_compare.sh $runs\` on $(date -u '+%Y-%m-%d %H:%M UTC'), priorreg git $(git -C "$root" rev-parse --short HEAD), scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)'), numpy's BLAS: $blas (\`readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3\`: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo none)); $(nproc) cores; median of $runs runs each, the whole fit timed (priorreg from X, y; scikit-learn's \`fit\`)."
    echo
    echo "| priorreg s | scikit-learn s | speedup | iterations (priorreg, scikit-learn) | relative difference: noise precision, weight precision, coefficient norm |"
    echo "|---|---|---|---|---|"
    echo "| $pr_t | $sk_t | ${ratio}x | $pr_iter, $sk_iter | $d_alpha, $d_lambda, $d_norm |"
} >>"$root/bench/RESULTS_BAYES.md"
echo "B1: priorreg $pr_t s, scikit-learn $sk_t s, speedup ${ratio}x; iterations $pr_iter / $sk_iter; differences $d_alpha $d_lambda $d_norm"
