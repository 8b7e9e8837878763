#!/usr/bin/env bash
# priorreg vs glmnet (R) vs scikit-learn on hard designs (issue 16: a suite that cannot be
# tuned to).
#
#   bench/compare/run_hard.sh                        the fixed list (hard_designs.py --list)
#   bench/compare/run_hard.sh H03_... H07_...        a subset (H03 alone is enough: a unique
#                                                    prefix of a fixed name); the other rows of
#                                                    bench/RESULTS_HARD.md are kept
#   bench/compare/run_hard.sh --random 16 --seed 7   16 cases drawn at random from seed 7
#
# Steps, as run.sh: install the Debian packages that are missing (r-cran-glmnet, r-cran-mass,
# python3-sklearn, gnuplot-nox, libopenblas0-pthread); build compare_priorreg in BUILD_DIR (a
# failed build is tolerated: priorreg's column reads n/a); generate each case once
# (bench/compare/data/hard/, by hard_designs.py); per case, time the three solvers at their
# defaults on the identical data and lambda grid, then run priorreg once more at a very tight
# tolerance for the best known objective; check the solutions and write the table
# (report_hard.py) to bench/RESULTS_HARD.md (fixed cases) or bench/RESULTS_HARD_RANDOM.md
# (random draws).
#
# Environment:
#   BUILD_DIR              build directory (default: build-bench at the repository root)
#   RUNS                   timed runs per solver, case and round (default: 3)
#   ROUNDS                 rounds per case, the solvers taking turns (default: 1)
#   WARMUP                 untimed runs before each round's timed ones (default: 1)
#   RUNS_<solver>_<case>   override for one solver and case, e.g. RUNS_sklearn_H01_block_5000x2000_l1=1
#   TIGHT_TOLERANCE        tolerance of the reference priorreg run (default: 1e-14)
#   TIGHT_MAX_ITERATIONS   its sweep limit per lambda (default: 20000)
#   FIT_TIMEOUT            seconds per fit after which a solver is stopped (default: 300; it
#                          gets FIT_TIMEOUT times its WARMUP + RUNS fits) and reads "failed"
#   TIGHT_TIMEOUT          seconds after which the reference run is abandoned (default: 900)
#   RESULTS                the results file (default: see above)
#   COMPARE_SKIP_PRIORREG  1: do not build or run the priorreg driver (its column is n/a)
#   PRIORREG_SKIP_DEPS     1: skip the apt-get step
#   OMP_NUM_THREADS, OPENBLAS_NUM_THREADS   default: the number of cores (nproc)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

PY=/usr/bin/python3 # Debian's interpreter, with python3-sklearn
BUILD_DIR="${BUILD_DIR:-build-bench}"
RUNS="${RUNS:-3}"
ROUNDS="${ROUNDS:-1}"
WARMUP="${WARMUP:-1}"
export RUNS ROUNDS WARMUP # report.py states them
TIGHT_TOLERANCE="${TIGHT_TOLERANCE:-1e-14}"
TIGHT_MAX_ITERATIONS="${TIGHT_MAX_ITERATIONS:-20000}"
TIGHT_TIMEOUT="${TIGHT_TIMEOUT:-900}"
FIT_TIMEOUT="${FIT_TIMEOUT:-300}"
DATA_DIR="$HERE/data/hard"
OUT_DIR="$HERE/out/hard"
JOBS="$(nproc 2>/dev/null || echo 2)"
COMMAND="RUNS=$RUNS ROUNDS=$ROUNDS WARMUP=$WARMUP FIT_TIMEOUT=$FIT_TIMEOUT bench/compare/run_hard.sh${*:+ $*}"

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    sed -n '2,/^set -euo/p' "$HERE/run_hard.sh" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 0
fi

# shellcheck source=common.sh
source "$HERE/common.sh"

# --- 1. Dependencies ------------------------------------------------------------------------
install_deps r-cran-glmnet r-cran-mass python3-sklearn gnuplot-nox libopenblas0-pthread

# --- Cases ----------------------------------------------------------------------------------
designs() { "$PY" "$HERE/hard_designs.py" "$@"; }
mapfile -t fixed < <(designs --list)
report_args=()
if [[ "${1:-}" == --random ]]; then
    [[ $# -eq 4 && "$3" == --seed ]] || {
        warn "usage: run_hard.sh --random N --seed S"
        exit 2
    }
    mapfile -t cases < <(designs --random "$2" --seed "$4")
    RESULTS="${RESULTS:-$ROOT/bench/RESULTS_HARD_RANDOM.md}"
elif (($#)); then
    cases=()
    for arg in "$@"; do # a fixed name, a unique prefix of one, or a random case's name
        matches=()
        for name in "${fixed[@]}"; do
            [[ "$name" == "$arg"* ]] && matches+=("$name")
        done
        if ((${#matches[@]} == 1)); then
            cases+=("${matches[0]}")
        elif designs --alpha "$arg" >/dev/null 2>&1; then
            cases+=("$arg")
        else
            warn "unknown or ambiguous case '$arg' (fixed: ${fixed[*]})"
            exit 2
        fi
    done
    RESULTS="${RESULTS:-$ROOT/bench/RESULTS_HARD.md}"
    report_args+=(--with-fixed)
else
    cases=("${fixed[@]}")
    RESULTS="${RESULTS:-$ROOT/bench/RESULTS_HARD.md}"
fi

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$JOBS}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-$JOBS}"

# --- 2. The priorreg driver -----------------------------------------------------------------
mkdir -p "$OUT_DIR"
build_driver

# --- 3. Data --------------------------------------------------------------------------------
log "data (generated once, reused while the case definition is unchanged)"
designs "$DATA_DIR" "${cases[@]}"

# --- 4. Timings, then the tight reference run -----------------------------------------------
for case in "${cases[@]}"; do
    alpha="$(designs --alpha "$case")"
    rm -f "$OUT_DIR/$case".* # no stale results from an earlier run
    before="$(cpu_snapshot)"
    for ((round = 1; round <= ROUNDS; round++)); do
        if [[ -n "$DRIVER" ]]; then
            run_solver priorreg "$case" "$alpha" "$round" "$DRIVER"
        fi
        run_solver glmnet "$case" "$alpha" "$round" Rscript "$HERE/run_glmnet.R"
        run_solver sklearn "$case" "$alpha" "$round" "$PY" "$HERE/run_sklearn.py"
    done
    if [[ -n "$DRIVER" ]]; then
        FIT_TIMEOUT="$TIGHT_TIMEOUT" WARMUP=0 RUNS=1 run_solver priorreg_tight "$case" \
            "$alpha" 1 "$DRIVER" --tolerance "$TIGHT_TOLERANCE" \
            --max-iterations "$TIGHT_MAX_ITERATIONS"
    fi
    record_load "$case" "$before"
done

# --- 5. Check, table, results file ----------------------------------------------------------
log "checking the solutions and writing the report"
"$PY" "$HERE/report_hard.py" --root "$ROOT" --build-dir "$BUILD_DIR" --command "$COMMAND" \
    --results "$RESULTS" --tight-tolerance "$TIGHT_TOLERANCE" \
    --tight-max-iterations "$TIGHT_MAX_ITERATIONS" "${report_args[@]}" "${cases[@]}"
