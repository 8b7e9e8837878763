#!/usr/bin/env bash
# Regression check of priorreg alone: the paths of D1..D6 and the 10-fold CV of D1 and D2
# (the cases of run.sh and cv_compare.sh) timed with the headers of an earlier commit and with
# the working tree's, in the same run, the two taking turns.
#
#   bench/compare/ab_priorreg.sh BASE_COMMIT [CASE ...]
#   bench/compare/ab_priorreg.sh BASE_COMMIT --hard [H01 ...]
#
# With --hard the cases are hard designs of run_hard.sh (hard_designs.py: every case of the
# fixed list by default, else the named ones, a unique prefix of a fixed name being enough),
# paths only, their data in bench/compare/data/hard (written there when missing).
#
# Builds bench/compare/compare_priorreg.cpp twice (-O3 -march=native, one thread), once against
# `git archive BASE_COMMIT include` and once against include/, in a temporary directory;
# generates the data with gen_data.py (bench/compare/data, as run.sh); then for each case
# ROUNDS rounds (default 3), each running base then head for WARMUP + RUNS fits in one process
# (defaults 2 and 4) and keeping the RUNS timed ones. Prints a markdown table of the medians
# and head / base; the CV rows give each system's median over ROUNDS runs of `--cv` (3 fits).
# Needs /usr/bin/python3 with numpy (python3-sklearn brings it).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
PY=/usr/bin/python3
RUNS="${RUNS:-4}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-2}"
base="${1:?usage: bench/compare/ab_priorreg.sh BASE_COMMIT [--hard] [CASE ...]}"
shift
hard=0
if [[ "${1:-}" == --hard ]]; then
    hard=1
    shift
fi
cases=("$@")
if ((hard)); then
    mapfile -t fixed < <("$PY" "$HERE/hard_designs.py" --list)
    if ((${#cases[@]})); then
        for a in "${!cases[@]}"; do
            for name in "${fixed[@]}"; do
                [[ "$name" == "${cases[a]}"* ]] && cases[a]="$name" && break
            done
        done
    else
        cases=("${fixed[@]}")
    fi
fi
((${#cases[@]})) || cases=(D1 D2 D3 D4 D5 D6)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base"
git archive "$base" include | tar -x -C "$work/base"
flags=(-std=c++17 -O3 -march=native -DNDEBUG -isystem /usr/include/eigen3)
g++ "${flags[@]}" -I "$work/base/include" "$HERE/compare_priorreg.cpp" -o "$work/base.bin" -lpthread
g++ "${flags[@]}" -I "$ROOT/include" "$HERE/compare_priorreg.cpp" -o "$work/head.bin" -lpthread
if ((hard)); then
    "$PY" "$HERE/hard_designs.py" "$HERE/data/hard" "${cases[@]}" >/dev/null
else
    "$PY" "$HERE/gen_data.py" "$HERE/data" "${cases[@]}" >/dev/null
fi

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# turns LABEL ARGS...: ROUNDS rounds of base then head, each running `<system> ARGS`; a path
# run's times are the last RUNS lines of its times file, a CV run's its printed median.
turns() {
    local label="$1" v
    shift
    for v in base head; do : >"$work/$v.times"; done
    for ((round = 1; round <= ROUNDS; round++)); do
        for v in base head; do
            if [[ "$1" == --cv ]]; then
                "$work/$v.bin" "$@" | awk '{print $1}' >>"$work/$v.times"
            else
                "$work/$v.bin" "$@" "$work/out.bin" "$work/t.txt" >/dev/null
                tail -n "$RUNS" "$work/t.txt" >>"$work/$v.times"
            fi
        done
    done
    local b h
    b="$(median <"$work/base.times")"
    h="$(median <"$work/head.times")"
    echo "| $label | $b | $h | $(awk -v h="$h" -v b="$b" 'BEGIN {printf "%.3f", h / b}') |"
}

echo "| case | base $(git rev-parse --short "$base") s | head $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- include || echo '+') s | head / base |"
echo "|---|---|---|---|"
for case in "${cases[@]}"; do
    if ((hard)); then
        alpha="$("$PY" "$HERE/hard_designs.py" --alpha "$case")"
        turns "$case path" "$HERE/data/hard/$case.bin" "$alpha" $((WARMUP + RUNS))
        continue
    fi
    alpha="$("$PY" "$HERE/gen_data.py" --alpha "$case")"
    turns "$case path" "$HERE/data/$case.bin" "$alpha" $((WARMUP + RUNS))
done
for case in D1 D2; do
    ((hard == 0)) || break
    [[ " ${cases[*]} " == *" $case "* ]] || continue
    folds="$work/$case.folds"
    "$PY" - "$HERE/data/$case.bin" "$folds" <<'PY'
import sys
import numpy as np
sys.path.insert(0, sys.argv[1].rsplit("/data/", 1)[0])
from compare_io import read_case
X, y, grid = read_case(sys.argv[1])
ids = np.random.default_rng(11).permutation(np.arange(X.shape[0]) % 10)  # as cv_compare.sh
np.savetxt(sys.argv[2], ids, fmt="%d")
PY
    turns "$case CV" --cv "$HERE/data/$case.bin" "$folds" 3
done
