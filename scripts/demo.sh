#!/usr/bin/env bash
# Install missing dependencies (Debian), build, and run the overfitting
# example (build/examples/overfitting). Extra arguments go to the example,
# e.g. `scripts/demo.sh --small`. The example runs in build/demo/, so any
# files it writes (data, gnuplot scripts, plots) end up there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
JOBS="$(nproc 2>/dev/null || echo 2)"

# shellcheck source=scripts/install-deps.sh
source "$ROOT/scripts/install-deps.sh"
priorreg_install_deps

configure_args=(-S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DPRIORREG_BUILD_EXAMPLES=ON)
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" && -z "${CMAKE_GENERATOR:-}" ]] \
    && command -v ninja >/dev/null 2>&1; then
    configure_args+=(-G Ninja)
fi
echo "==> cmake ${configure_args[*]}"
cmake "${configure_args[@]}"

if [[ ! -f examples/overfitting.cpp ]]; then
    echo "==> demo.sh: examples/overfitting.cpp does not exist yet; building everything instead"
    cmake --build "$BUILD_DIR" -j"$JOBS"
    echo "==> demo.sh: built $BUILD_DIR; no overfitting example to run"
    exit 0
fi

echo "==> cmake --build $BUILD_DIR --target overfitting -j$JOBS"
cmake --build "$BUILD_DIR" --target overfitting -j"$JOBS"

exe="$ROOT/$BUILD_DIR/examples/overfitting"
if [[ ! -x "$exe" ]]; then
    echo "demo.sh: ERROR: built, but $exe is missing" >&2
    exit 1
fi

outdir="$ROOT/$BUILD_DIR/demo"
mkdir -p "$outdir"
echo "==> running $exe $* (in $outdir)"
(cd "$outdir" && "$exe" "$@")

echo "==> demo.sh: built and ran examples/overfitting${*:+ with arguments: $*}"
if compgen -G "$outdir/*" >/dev/null; then
    echo "==> files in $outdir:"
    ls -l "$outdir"
fi
