#!/usr/bin/env bash
# priorreg-fit --stream on a CSV larger than the memory it may use: a generated file of ROWS
# rows x COLS correlated features (make_large_csv.cpp, seeded; about 9 bytes a cell, so the
# defaults 10^7 x 60 make about 5.4 GB; written once to bench/compare/data/stream/, gitignored)
# fitted by a 10-fold cross-validated lasso path (100 lambdas) under an address-space cap of
# CAP_MB MiB (prlimit --as; default 1024). For each of RUNS runs: the reader alone over the file
# (parse_only.cpp: every cell parsed, nothing else) and the whole --stream run, with its wall
# time and peak resident memory (GNU time); then the in-memory run under the same cap, which
# must fail. The page cache holds what it can of the file between runs, as for any user.
#
#   bench/compare/stream/run.sh [ROWS] [COLS] [RUNS]   (defaults 10000000 60 3)
#
# Needs priorreg-fit built in BUILD_DIR (default build-bench), GNU time (/usr/bin/time) and
# prlimit (util-linux). Prints a Markdown table and the commands' outputs to stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
rows="${1:-10000000}" cols="${2:-60}" runs="${3:-3}"
cap_mb="${CAP_MB:-1024}"
build="${BUILD_DIR:-$root/build-bench}"
fit="$build/tools/priorreg-fit/priorreg-fit"
[[ -x "$fit" ]] || { echo "stream/run.sh: $fit not built" >&2; exit 1; }
for tool in /usr/bin/time prlimit; do
    command -v "$tool" >/dev/null || { echo "stream/run.sh: needs $tool" >&2; exit 1; }
done
data="$root/bench/compare/data/stream"
mkdir -p "$data/bin"
cxx="${CXX:-c++}"
"$cxx" -O3 -march=native -std=c++17 -o "$data/bin/make_large_csv" "$here/make_large_csv.cpp"
"$cxx" -O3 -march=native -std=c++17 -I "$root/tools/priorreg-fit" -o "$data/bin/parse_only" \
    "$here/parse_only.cpp"
file="$data/large-${rows}x${cols}.csv"
if [[ ! -f "$file" ]]; then
    "$data/bin/make_large_csv" "$rows" "$cols" 20261208 >"$file.tmp"
    mv "$file.tmp" "$file"
fi
bytes=$(stat -c %s "$file")
cap_kb=$((cap_mb * 1024))
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

: >"$data/parse.times"
: >"$data/fit.times"
: >"$data/fit.rss"
for ((r = 0; r < runs; ++r)); do
    prlimit --as=$((cap_kb * 1024)) "$data/bin/parse_only" "$file" | tee "$data/parse.out" >&2
    awk '{for (k = 1; k <= NF; ++k) if ($k == "seconds") print $(k + 1)}' "$data/parse.out" \
        >>"$data/parse.times"
    prlimit --as=$((cap_kb * 1024)) /usr/bin/time -f "%e %M" -o "$data/time.out" \
        "$fit" "$file" --cv 10 --stream >"$data/fit.out"
    read -r wall rss <"$data/time.out"
    echo "$wall" >>"$data/fit.times"
    echo "$rss" >>"$data/fit.rss"
    echo "run $((r + 1)): --stream --cv 10 wall $wall s, peak RSS $rss KB" >&2
done
set +e
prlimit --as=$((cap_kb * 1024)) "$fit" "$file" --cv 10 >/dev/null 2>"$data/memory.err"
memory_status=$?
set -e
parse_s=$(median <"$data/parse.times")
fit_s=$(median <"$data/fit.times")
rss_kb=$(median <"$data/fit.rss")
mb=$(echo "$bytes / 1000000" | bc -l)
echo
echo "| file | rows x features | cap | reader alone s (MB/s) | --stream --cv 10 s (MB/s) | peak RSS MB | in memory under the cap |"
echo "|---|---|---|---|---|---|---|"
printf '| %.0f MB | %s x %s | %s MiB | %.2f (%.0f) | %.2f (%.0f) | %.0f | exit %s: %s |\n' \
    "$mb" "$rows" "$cols" "$cap_mb" "$parse_s" "$(echo "$mb / $parse_s" | bc -l)" "$fit_s" \
    "$(echo "$mb / $fit_s" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" "$memory_status" \
    "$(head -c 160 "$data/memory.err" | tr '\n' ' ')"
echo
echo "The CV table's first lines (lambda, mean_error, standard_error, nonzeros):"
head -n 4 "$data/fit.out"
