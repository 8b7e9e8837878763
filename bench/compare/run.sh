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

log() { printf '==> %s\n' "$*"; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }

# --- 1. Dependencies ------------------------------------------------------------------------
if [[ "${PRIORREG_SKIP_DEPS:-0}" != 1 ]]; then
    missing=()
    # libopenblas0-pthread: numpy (scikit-learn) and R then use OpenBLAS instead of the reference
    # BLAS, the configuration users run them in.
    for pkg in r-cran-glmnet python3-sklearn gnuplot-nox libopenblas0-pthread; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        SUDO=()
        [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
        "${SUDO[@]}" apt-get update -q
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            "${missing[@]}"
    fi
fi
for tool in Rscript gnuplot cmake; do
    command -v "$tool" >/dev/null || { warn "$tool not found"; exit 1; }
done
"$PY" -c "import numpy, sklearn" || { warn "$PY cannot import numpy/sklearn"; exit 1; }

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
DRIVER=""
priorreg_status="ran"
if [[ "${COMPARE_SKIP_PRIORREG:-0}" == 1 ]]; then
    warn "COMPARE_SKIP_PRIORREG=1: priorreg is not built or run"
    priorreg_status="skipped (COMPARE_SKIP_PRIORREG=1)"
else
    build_log="$OUT_DIR/build.log"
    configure_args=(-S . -B "$BUILD_DIR" -DPRIORREG_BUILD_BENCHMARKS=ON)
    if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
        # A new build dir: Release, and skip the tests and examples (compile time).
        configure_args+=(-DCMAKE_BUILD_TYPE=Release -DPRIORREG_BUILD_TESTS=OFF
            -DPRIORREG_BUILD_EXAMPLES=OFF)
        command -v ninja >/dev/null && configure_args+=(-G Ninja)
    elif ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt"; then
        warn "$BUILD_DIR is not a Release build; timings of priorreg will not be representative"
    fi
    log "building compare_priorreg in $BUILD_DIR (log: ${build_log#"$ROOT"/})"
    if cmake "${configure_args[@]}" >"$build_log" 2>&1 &&
        cmake --build "$BUILD_DIR" --target compare_priorreg -j"$JOBS" >>"$build_log" 2>&1; then
        DRIVER="$(find "$BUILD_DIR" -type f -name compare_priorreg -perm -u+x | head -n 1)"
    fi
    if [[ -z "$DRIVER" ]]; then
        warn "compare_priorreg did not build; priorreg's column will read n/a. End of the log:"
        tail -n 15 "$build_log" >&2 || true
        priorreg_status="driver did not build (see bench/compare/out/build.log)"
    fi
fi

# --- 3. Data --------------------------------------------------------------------------------
log "data (generated once, reused while the case definition is unchanged)"
"$PY" "$HERE/gen_data.py" "$DATA_DIR" "${cases[@]}"

# --- 4. Timings -----------------------------------------------------------------------------
# Every solver takes: CASE.bin ALPHA RUNS OUT.bin TIMES.txt. A solver that fails leaves no
# result file and reads n/a in the table; the run goes on.
runs_for() {
    local var="RUNS_$1_$2"
    echo "${!var:-$RUNS}"
}

# Appends this round's timed runs to OUT_DIR/CASE.SOLVER.times (its first, cold run to
# CASE.SOLVER.cold); a failed round drops the solver.
run_solver() {
    local name="$1" case="$2" alpha="$3" round="$4"
    shift 4
    local runs times="$OUT_DIR/$case.$name.times"
    runs="$(runs_for "$name" "$case")"
    if [[ "$round" -gt 1 && ! -f "$times" ]]; then
        return # failed in an earlier round
    fi
    log "$case: $name ($WARMUP + $runs runs, round $round of $ROUNDS)"
    if "$@" "$DATA_DIR/$case.bin" "$alpha" "$((WARMUP + runs))" \
        "$OUT_DIR/$case.$name.bin" "$times.round"; then
        head -n 1 "$times.round" >>"$OUT_DIR/$case.$name.cold"
        tail -n +"$((WARMUP + 1))" "$times.round" >>"$times"
        rm -f "$times.round"
    else
        warn "$case: $name failed; its column will read n/a"
        rm -f "$OUT_DIR/$case.$name.bin" "$times" "$times.round" "$OUT_DIR/$case.$name.cold"
    fi
}

# Other work on the machine skews the times. cpu_snapshot prints the machine's busy CPU ticks
# (/proc/stat: all but idle and iowait), the CPU ticks of this script's finished children
# (/proc/$$/stat: cutime + cstime, i.e. the solvers) and the uptime in seconds; other_cores
# turns two snapshots into the average number of cores other processes kept busy in between.
cpu_snapshot() {
    local stat self uptime
    stat="$(head -n 1 /proc/stat)"
    self="$(cat "/proc/$$/stat")"
    uptime="$(cut -d' ' -f1 /proc/uptime)"
    awk -v s="$stat" -v p="${self##*) }" -v u="$uptime" 'BEGIN {
        n = split(s, c); busy = 0
        for (i = 2; i <= 9 && i <= n; i++) if (i != 5 && i != 6) busy += c[i]
        split(p, f)               # fields after "(comm) ": f[1] is field 3 of /proc/PID/stat
        print busy, f[14] + f[15], u   # cutime, cstime: fields 16 and 17
    }'
}

other_cores() {
    awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {
        split(a, x); split(b, y)
        wall = y[3] - x[3]; other = (y[1] - x[1]) - (y[2] - x[2])
        printf "%.2f\n", (wall > 0 && other > 0 ? other / hz / wall : 0)
    }'
}

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
    # The cores other processes kept busy during this case (RESULTS.md shows it).
    other="$(other_cores "$before" "$(cpu_snapshot)")"
    echo "$other" >"$OUT_DIR/$case.load"
    awk -v o="$other" 'BEGIN { exit !(o > 0.1) }' &&
        warn "other processes kept $other cores busy during $case: its times may be skewed"
done

# --- 5. Check, table, RESULTS.md, chart -----------------------------------------------------
log "checking the solutions and writing the report"
"$PY" "$HERE/report.py" --root "$ROOT" --build-dir "$BUILD_DIR" --command "$COMMAND" \
    --priorreg-status "$priorreg_status" "${cases[@]}"
