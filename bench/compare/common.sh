# Shared by run.sh and run_hard.sh (sourced, not run): dependencies, the priorreg driver, the
# timed solver runs and the measure of other work on the machine.
#
# The caller sets HERE (bench/compare), ROOT (the repository), PY, BUILD_DIR, DATA_DIR, OUT_DIR,
# RUNS, ROUNDS, WARMUP and JOBS, and runs with `set -euo pipefail`.

log() { printf '==> %s\n' "$*"; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }

# install_deps PACKAGE...: apt-get install the Debian packages that are missing, unless
# PRIORREG_SKIP_DEPS=1; then check that the tools the benchmark runs are there.
install_deps() {
    if [[ "${PRIORREG_SKIP_DEPS:-0}" != 1 ]]; then
        local missing=() pkg
        for pkg in "$@"; do
            dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
        done
        if ((${#missing[@]})); then
            log "installing ${missing[*]}"
            local sudo=()
            [[ $(id -u) -eq 0 ]] || sudo=(sudo)
            "${sudo[@]}" apt-get update -q
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
                --no-install-recommends "${missing[@]}"
        fi
    fi
    local tool
    for tool in Rscript gnuplot cmake; do
        command -v "$tool" >/dev/null || { warn "$tool not found"; exit 1; }
    done
    "$PY" -c "import numpy, sklearn" || { warn "$PY cannot import numpy/sklearn"; exit 1; }
}

# build_driver: configure and build compare_priorreg in BUILD_DIR; sets DRIVER (empty if the
# build failed or COMPARE_SKIP_PRIORREG=1) and priorreg_status (for the report).
build_driver() {
    DRIVER=""
    priorreg_status="ran"
    if [[ "${COMPARE_SKIP_PRIORREG:-0}" == 1 ]]; then
        warn "COMPARE_SKIP_PRIORREG=1: priorreg is not built or run"
        priorreg_status="skipped (COMPARE_SKIP_PRIORREG=1)"
        return
    fi
    local build_log="$OUT_DIR/build.log"
    local configure_args=(-S "$ROOT" -B "$BUILD_DIR" -DPRIORREG_BUILD_BENCHMARKS=ON)
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
        priorreg_status="driver did not build (see ${build_log#"$ROOT"/})"
    fi
}

# runs_for SOLVER CASE: timed runs per round, RUNS unless RUNS_<solver>_<case> is set.
runs_for() {
    local var="RUNS_$1_$2"
    echo "${!var:-$RUNS}"
}

# run_solver NAME CASE ALPHA ROUND COMMAND...: runs COMMAND CASE.bin ALPHA N OUT.bin TIMES.txt
# (N = WARMUP + runs) and appends this round's timed runs to OUT_DIR/CASE.NAME.times (its first,
# cold run to CASE.NAME.cold). With FIT_TIMEOUT set, the command is stopped after N times that
# many seconds. A solver that fails leaves no result file (its column reads n/a) but the reason
# in OUT_DIR/CASE.NAME.failed, and is dropped from later rounds; the run goes on.
run_solver() {
    local name="$1" case="$2" alpha="$3" round="$4"
    shift 4
    local runs times="$OUT_DIR/$case.$name.times" limit=() status=0
    runs="$(runs_for "$name" "$case")"
    if [[ "$round" -gt 1 && ! -f "$times" ]]; then
        return # failed in an earlier round
    fi
    if [[ -n "${FIT_TIMEOUT:-}" ]]; then
        limit=(timeout "$((FIT_TIMEOUT * (WARMUP + runs)))")
    fi
    log "$case: $name ($WARMUP + $runs runs, round $round of $ROUNDS)"
    "${limit[@]}" "$@" "$DATA_DIR/$case.bin" "$alpha" "$((WARMUP + runs))" \
        "$OUT_DIR/$case.$name.bin" "$times.round" || status=$?
    if ((status == 0)); then
        head -n 1 "$times.round" >>"$OUT_DIR/$case.$name.cold"
        tail -n +"$((WARMUP + 1))" "$times.round" >>"$times"
        rm -f "$times.round"
    else
        local reason="exit status $status"
        if ((status == 124)) && ((${#limit[@]})); then
            reason="timed out after ${limit[1]} s for $((WARMUP + runs)) fit(s)"
        fi
        warn "$case: $name failed ($reason); its column will read n/a"
        echo "$reason" >"$OUT_DIR/$case.$name.failed"
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

# record_load CASE BEFORE: writes OUT_DIR/CASE.load (the cores other processes kept busy since
# the snapshot BEFORE) and warns when that is well above 0.
record_load() {
    local other
    other="$(other_cores "$2" "$(cpu_snapshot)")"
    echo "$other" >"$OUT_DIR/$1.load"
    if awk -v o="$other" 'BEGIN { exit !(o > 0.1) }'; then
        warn "other processes kept $other cores busy during $1: its times may be skewed"
    fi
}
