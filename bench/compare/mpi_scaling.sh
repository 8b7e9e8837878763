#!/usr/bin/env bash
# Scaling of priorreg-fit-mpi with the ranks on one machine: a generated data set of ROWS rows
# and COLS features (seeded; written once to bench/compare/data/mpi/, gitignored) as one shard
# and as two halves, fitted by a 10-fold cross-validated lasso path under mpiexec -np 1 and
# -np 2; the medians of RUNS runs of each phase (count the rows, read the CSV in chunks and
# accumulate the statistics, allreduce, fit) of the slowest rank, and the whole run's wall time.
#
#   bench/compare/mpi_scaling.sh [ROWS] [COLS] [RUNS]   (defaults 400000 100 3)
#
# Needs a build with the MPI component: BUILD_DIR (default build-bench) must hold
# tools/priorreg-fit/priorreg-fit-mpi.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-400000}" cols="${2:-100}" runs="${3:-3}"
build="${BUILD_DIR:-$root/build-bench}"
fit="$build/tools/priorreg-fit/priorreg-fit-mpi"
[[ -x "$fit" ]] || { echo "mpi_scaling.sh: $fit not built (MPI component)" >&2; exit 1; }
data="$here/data/mpi"
mkdir -p "$data"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
whole="$data/whole-${rows}x${cols}.csv"
if [[ ! -f "$whole" ]]; then
    /usr/bin/python3 - "$whole" "$rows" "$cols" <<'PY'
import sys
import numpy as np
path, n, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(20261207)
beta = np.zeros(p)
beta[: p // 10] = rng.normal(size=p // 10)
with open(path, "w") as f:
    f.write(",".join([f"x{j + 1}" for j in range(p)] + ["y"]) + "\n")
    for start in range(0, n, 50000):
        m = min(50000, n - start)
        z = rng.normal(size=(m, 1))
        X = 0.6 * z + 0.8 * rng.normal(size=(m, p)) + np.arange(p)  # correlated, offset means
        y = X @ beta + rng.normal(size=m)
        np.savetxt(f, np.column_stack([X, y]), fmt="%.9g", delimiter=",")
PY
    half=$(((rows + 1) / 2))
    head -n 1 "$whole" >"$data/half-0.csv"
    sed -n "2,$((half + 1))p" "$whole" >>"$data/half-0.csv"
    head -n 1 "$whole" >"$data/half-1.csv"
    sed -n "$((half + 2)),\$p" "$whole" >>"$data/half-1.csv"
fi
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
size_mb=$(du -m "$whole" | cut -f1)
echo "| ranks | count s | read and accumulate s | allreduce s | fit s | wall s | CSV MB/s |"
echo "|---|---|---|---|---|---|---|"
for ranks in 1 2; do
    : >"$data/times"
    for ((r = 0; r < runs; ++r)); do
        if ((ranks == 1)); then shards=("$whole"); else shards=("$data/half-0.csv" "$data/half-1.csv"); fi
        start=$(date +%s.%N)
        mpiexec -np "$ranks" "$fit" --model lasso --cv 10 --timing "${shards[@]}" >/dev/null 2>"$data/err"
        end=$(date +%s.%N)
        # The slowest rank's phases, and the wall time.
        awk -v wall="$(echo "$end - $start" | bc)" '/rank [0-9]+ of/ {
                for (k = 1; k <= NF; ++k) {
                    if ($k == "count") r = $(k + 1); if ($k == "included)") a = $(k + 1)
                    if ($k == "allreduce") m = $(k + 1); if ($k == "fit") f = $(k + 1) }
                if (r > R) R = r; if (a > A) A = a; if (m > M) M = m; if (f > F) F = f }
            END { printf "%.3f %.3f %.3f %.3f %.2f\n", R, A, M, F, wall }' "$data/err" >>"$data/times"
    done
    read_s=$(cut -d' ' -f1 "$data/times" | median)
    acc_s=$(cut -d' ' -f2 "$data/times" | median)
    red_s=$(cut -d' ' -f3 "$data/times" | median)
    fit_s=$(cut -d' ' -f4 "$data/times" | median)
    wall_s=$(cut -d' ' -f5 "$data/times" | median)
    echo "| $ranks | $read_s | $acc_s | $red_s | $fit_s | $wall_s | $(echo "scale=0; $size_mb / $wall_s" | bc) |"
done
