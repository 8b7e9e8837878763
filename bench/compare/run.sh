#!/usr/bin/env bash
# Side-by-side benchmark of the regularization path: priorreg vs glmnet (R) vs scikit-learn.
#
#   bench/compare/run.sh            all cases (D1 .. D5)
#   bench/compare/run.sh D2 D3      a subset (the other rows of bench/RESULTS.md are kept)
#
# Steps: install r-cran-glmnet, python3-sklearn, gnuplot-nox and libopenblas0-pthread with apt-get if missing;
# configure/build the compare_priorreg driver in BUILD_DIR (a failed build is tolerated:
# priorreg's column then reads n/a); generate each case's data once (bench/compare/data/);
# time the three solvers on the identical data and lambda grid; check that they reach the
# same objective; print the table and write bench/RESULTS.md and bench/compare/ratios.png.
#
# Environment:
#   BUILD_DIR              build directory (default: build-bench at the repository root)
#   RUNS                   timed runs per solver, case and round (default: 4)
#   ROUNDS                 rounds per case (default: 3); each round runs the three solvers in
#                          turn, so that a slow spell of a shared machine is spread over all of
#                          them; the median is over all rounds' runs
#   WARMUP                 untimed runs before each round's timed ones (default: 2): a fresh
#                          process pays for first-touch memory and warm caches in its first
#                          runs; the first run's time is kept apart and reported as "cold"
#   RUNS_<solver>_<case>   override for one solver and case, e.g. RUNS_sklearn_D3=3
#   FIT_TIMEOUT            seconds per fit after which a solver is stopped (default: none)
#   COMPARE_SKIP_PRIORREG  1: do not build or run the priorreg driver (its column is n/a)
#   PRIORREG_SKIP_DEPS     1: skip the apt-get step
#   OMP_NUM_THREADS, OPENBLAS_NUM_THREADS   default: the number of cores (nproc)
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as found and recorded in RESULTS.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

# scikit-learn and numpy come from Debian's python3-sklearn: use Debian's interpreter, not
# whatever python3 comes first on PATH.
PY=/usr/bin/python3
BUILD_DIR="${BUILD_DIR:-build-bench}"
RUNS="${RUNS:-4}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-2}"
export RUNS ROUNDS WARMUP # report.py states them
DATA_DIR="$HERE/data"
OUT_DIR="$HERE/out"
JOBS="$(nproc 2>/dev/null || echo 2)"
COMMAND="bench/compare/run.sh${*:+ $*}"

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    sed -n '2,/^set -euo/p' "$HERE/run.sh" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 0
fi

# shellcheck source=common.sh
source "$HERE/common.sh"

# --- 1. Dependencies ------------------------------------------------------------------------
# libopenblas0-pthread: numpy (scikit-learn) and R then use OpenBLAS instead of the reference
# BLAS, the configuration users run them in.
install_deps r-cran-glmnet python3-sklearn gnuplot-nox libopenblas0-pthread

# --- Cases ----------------------------------------------------------------------------------
read -r -a all_cases <<<"$("$PY" "$HERE/gen_data.py" --list)"
if (($#)); then
    cases=("$@")
    for c in "${cases[@]}"; do
        [[ " ${all_cases[*]} " == *" $c "* ]] || {
            warn "unknown case '$c' (known: ${all_cases[*]})"
            exit 2
        }
    done
else
    cases=("${all_cases[@]}")
fi

# Threads: the machine default for all three (OpenMP for priorreg, OpenBLAS if numpy/R use it).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$JOBS}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$JOBS}"

# --- 2. The priorreg driver -----------------------------------------------------------------
mkdir -p "$OUT_DIR"
build_driver

# --- 3. Data --------------------------------------------------------------------------------
log "data (generated once, reused while the case definition is unchanged)"
"$PY" "$HERE/gen_data.py" "$DATA_DIR" "${cases[@]}"

# --- 4. Timings -----------------------------------------------------------------------------
# Every solver takes: CASE.bin ALPHA RUNS OUT.bin TIMES.txt (see run_solver in common.sh).
for case in "${cases[@]}"; do
    alpha="$("$PY" "$HERE/gen_data.py" --alpha "$case")"
    rm -f "$OUT_DIR/$case".*  # no stale results from an earlier run
    before="$(cpu_snapshot)"
    for ((round = 1; round <= ROUNDS; round++)); do
        if [[ -n "$DRIVER" ]]; then
            run_solver priorreg "$case" "$alpha" "$round" "$DRIVER"
        fi
        run_solver glmnet "$case" "$alpha" "$round" Rscript "$HERE/run_glmnet.R"
        run_solver sklearn "$case" "$alpha" "$round" "$PY" "$HERE/run_sklearn.py"
    done
    record_load "$case" "$before" # the cores other processes kept busy (RESULTS.md shows it)
done

# --- 5. Check, table, RESULTS.md, chart -----------------------------------------------------
log "checking the solutions and writing the report"
"$PY" "$HERE/report.py" --root "$ROOT" --build-dir "$BUILD_DIR" --command "$COMMAND" \
    --priorreg-status "$priorreg_status" "${cases[@]}"
