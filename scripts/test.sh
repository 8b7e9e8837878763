#!/usr/bin/env bash
# Install missing dependencies (Debian), configure, build and run every test: the unit tests,
# the header, include-layer, prior-contract, packaging, example and CLI tests. The benchmarks are
# built (linked to the compiled component, not for the host CPU) to check that they build; time
# them from a tree of their own (build-bench, see bench/compare/run.sh).
#
#   scripts/test.sh
#
# The long stages (sanitizers and fuzzing, in their own build trees) are
# scripts/test-sanitizers.sh; CI (.ci/run) runs both.
#
# Environment: BUILD_DIR (default: build), PRIORREG_SKIP_DEPS=1 to skip the
# apt step, CMAKE_GENERATOR to override the default generator (Ninja).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
JOBS="$(nproc 2>/dev/null || echo 2)"

step="starting"
on_exit() {
    local rc=$?
    if [[ $rc -ne 0 ]]; then
        echo "==> test.sh: FAILED during: ${step} (exit code ${rc})" >&2
    fi
}
trap on_exit EXIT

step="installing dependencies"
# shellcheck source=scripts/install-deps.sh
source "$ROOT/scripts/install-deps.sh"
priorreg_install_deps

step="configuring"
configure_args=(-S . -B "$BUILD_DIR"
    -DCMAKE_BUILD_TYPE=Release
    -DPRIORREG_BUILD_TESTS=ON
    -DPRIORREG_BUILD_BENCHMARKS=ON
    -DPRIORREG_BENCH_NATIVE=OFF
    -DPRIORREG_BUILD_EXAMPLES=ON)
# Pick Ninja for a new build dir; an existing one keeps its generator.
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" && -z "${CMAKE_GENERATOR:-}" ]] \
    && command -v ninja >/dev/null 2>&1; then
    configure_args+=(-G Ninja)
fi
echo "==> cmake ${configure_args[*]}"
cmake "${configure_args[@]}"

step="building"
echo "==> cmake --build $BUILD_DIR -j$JOBS"
cmake --build "$BUILD_DIR" -j"$JOBS"

step="running tests"
echo "==> ctest --test-dir $BUILD_DIR --output-on-failure -j2"
ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j2

ntests="$(ctest --test-dir "$BUILD_DIR" -N | sed -n 's/^Total Tests: *//p')"

step="done"
echo "==> test.sh: OK: configured, built and passed all ${ntests:-?} tests in $BUILD_DIR"
