#!/usr/bin/env bash
# Install missing dependencies (Debian), build the seven flagship examples and run
# them; each writes its data, gnuplot script and PNG into build/demo/.
#
#   scripts/demo.sh             full-size runs
#   scripts/demo.sh --small     the quick runs ctest uses
#   scripts/demo.sh --gallery   full-size runs, then copy the PNGs into docs/images/
#                               (docs/gallery.md) and check each is under 200 KB
#
# Environment: BUILD_DIR (default: build), PRIORREG_SKIP_DEPS=1 to skip the apt
# step, JOBS for the build's parallelism (default: nproc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
EXAMPLES=(overfitting regularization_path validation_curve weight_histograms decision_matrix map_view
    posterior_intervals)

small=()
gallery=0
for arg in "$@"; do
    case "$arg" in
        --small) small=(--small) ;;
        --gallery) gallery=1 ;;
        -h | --help)
            sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "demo.sh: unknown option '$arg' (use --small, --gallery or --help)" >&2
            exit 2
            ;;
    esac
done
if [[ $gallery -eq 1 && ${#small[@]} -gt 0 ]]; then
    echo "demo.sh: --gallery renders the full-size runs; drop --small" >&2
    exit 2
fi

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

echo "==> cmake --build $BUILD_DIR --target ${EXAMPLES[*]} -j$JOBS"
cmake --build "$BUILD_DIR" --target "${EXAMPLES[@]}" -j"$JOBS"

outdir="$ROOT/$BUILD_DIR/demo"
mkdir -p "$outdir"
failed=()
for name in "${EXAMPLES[@]}"; do
    exe="$ROOT/$BUILD_DIR/examples/$name"
    echo
    echo "==> $name ${small[*]} --out $outdir"
    if ! "$exe" "${small[@]}" --out "$outdir"; then
        failed+=("$name")
    fi
done

echo
pngs=()
for name in "${EXAMPLES[@]}"; do
    [[ -s "$outdir/$name.png" ]] && pngs+=("$outdir/$name.png")
done
if [[ ${#pngs[@]} -gt 0 ]]; then
    echo "==> demo.sh: the pictures:"
    ls -l "${pngs[@]}"
else
    echo "==> demo.sh: no PNGs (is gnuplot installed?); data and scripts are in $outdir"
fi

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "==> demo.sh: FAILED: ${failed[*]} (the story did not hold or the plot failed)" >&2
    exit 1
fi

if [[ $gallery -eq 1 ]]; then
    mkdir -p "$ROOT/docs/images"
    for name in "${EXAMPLES[@]}"; do
        png="$outdir/$name.png"
        if [[ ! -s "$png" ]]; then
            echo "demo.sh: ERROR: $png missing; cannot update the gallery" >&2
            exit 1
        fi
        bytes=$(stat -c %s "$png")
        if ((bytes > 200 * 1024)); then
            echo "demo.sh: ERROR: $png is $bytes bytes, over the gallery's 200 KB" >&2
            exit 1
        fi
        cp "$png" "$ROOT/docs/images/$name.png"
    done
    echo "==> demo.sh: gallery updated:"
    ls -l "$ROOT/docs/images/"*.png
fi
echo "==> demo.sh: ran ${EXAMPLES[*]}; pictures in $outdir"
