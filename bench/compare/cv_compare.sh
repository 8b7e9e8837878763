#!/usr/bin/env bash
# 10-fold lasso cross-validation side by side: priorreg CrossValidation, glmnet cv.glmnet and
# scikit-learn LassoCV, on the D1 and D2 data of run.sh, with the same fold ids and lambda grid.
# Writes bench/RESULTS_CV.md. Run bench/compare/run.sh first (it installs the packages, builds
# compare_priorreg and generates the data).
#
#   bench/compare/cv_compare.sh [RUNS]      (default 3 runs per system; the median is reported)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-3}"
build="${BUILD_DIR:-$root/build-bench}"
cmake --build "$build" --target compare_priorreg >/dev/null
driver="$build/bench/compare/compare_priorreg"
out="$root/bench/RESULTS_CV.md"
{
    echo "# Cross-validation: priorreg vs cv.glmnet vs scikit-learn LassoCV"
    echo
    echo "Produced by \`bench/compare/cv_compare.sh $runs\` on $(date -u '+%Y-%m-%d %H:%M UTC'), priorreg git $(git -C "$root" rev-parse --short HEAD)."
    echo "10 folds (the same fold ids for all three, seeded numpy permutation), the case's 100-lambda grid, lasso, median of $runs runs, wall-clock seconds."
    echo "LassoCV runs on data standardized once on all rows (scikit-learn cannot standardize per fold inside LassoCV); glmnet and priorreg standardize each training fold."
    echo
    echo "| case | priorreg s | cv.glmnet s | LassoCV s | ratio (faster anchor / priorreg) | lambda_min index priorreg / glmnet / sklearn | lambda_1se index priorreg / glmnet |"
    echo "|---|---|---|---|---|---|---|"
} >"$out"
for case in D1 D2; do
    data="$here/data/$case.bin"
    folds="$here/out/$case.folds.txt"
    /usr/bin/python3 - "$data" "$folds" <<'PY'
import sys
import numpy as np
sys.path.insert(0, sys.argv[1].rsplit("/data/", 1)[0])
from compare_io import read_case
X, y, grid = read_case(sys.argv[1])
ids = np.random.default_rng(11).permutation(np.arange(X.shape[0]) % 10)
np.savetxt(sys.argv[2], ids, fmt="%d")
PY
    read -r pr_t pr_min pr_1se < <("$driver" --cv "$data" "$folds" "$runs")
    read -r gl_t gl_min gl_1se < <(Rscript "$here/cv_glmnet.R" "$data" "$folds" "$runs")
    read -r sk_t sk_min < <(cd "$here" && /usr/bin/python3 cv_sklearn.py "$data" "$folds" "$runs")
    ratio=$(python3 -c "print(f'{min($gl_t, $sk_t) / $pr_t:.2f}')")
    echo "| $case | $pr_t | $gl_t | $sk_t | $ratio | $pr_min / $gl_min / $sk_min | $pr_1se / $gl_1se |" >>"$out"
    echo "$case: priorreg $pr_t s, cv.glmnet $gl_t s, LassoCV $sk_t s, ratio $ratio; lambda_min index $pr_min / $gl_min / $sk_min"
done
echo "wrote $out"
