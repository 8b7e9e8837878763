#!/usr/bin/env bash
# priorreg-fit-mpi on the diabetes data split into two shards (unequal), under mpiexec with 2
# ranks, against priorreg-fit on the whole file: the lasso at one lambda, least squares, and the
# pattern form of the shard names; every coefficient within 1e-9 of the largest. A missing
# shard is an error on every rank (exit status not 0), not a hang.
#
#   mpi_fit.sh MPIEXEC PRIORREG_FIT_MPI PRIORREG_FIT WORKDIR [MPIEXEC_FLAGS...]
set -euo pipefail
mpiexec="$1" fit_mpi="$2" fit="$3" work="$4"
shift 4
data="$(cd "$(dirname "${BASH_SOURCE[0]}")/../data/diabetes" && pwd)/diabetes.csv"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
head -n 1 "$data" >shard-0.csv && sed -n '2,151p' "$data" >>shard-0.csv
head -n 1 "$data" >shard-1.csv && sed -n '152,$p' "$data" >>shard-1.csv

# Largest |a - b| over the estimates of two "term,estimate" tables, relative to the largest |b|.
compare() {
    paste -d, "$1" "$2" | awk -F, -v what="$3" '
        NR == 1 { next }
        $1 != $3 { print what ": term " $1 " against " $3; bad = 1; exit }
        { d = $2 - $4; if (d < 0) d = -d; if (d > worst) worst = d
          m = $4 < 0 ? -$4 : $4; if (m > scale) scale = m; rows++ }
        END { if (bad) exit 1
              if (rows != 11 || worst > 1e-9 * scale) { print what ": differs by " worst " (scale " scale ", rows " rows ")"; exit 1 }
              print what ": " rows " estimates agree within " worst }'
}

"$mpiexec" "$@" "$fit_mpi" --model lasso --lambda 0.5 --tolerance 1e-12 shard-0.csv shard-1.csv >mpi-lasso.csv
"$fit" "$data" --model lasso --lambda 0.5 --tolerance 1e-12 >one-lasso.csv
compare mpi-lasso.csv one-lasso.csv "lasso, lambda 0.5"
"$mpiexec" "$@" "$fit_mpi" --model ols 'shard-{rank}.csv' >mpi-ols.csv
"$fit" "$data" --model ols | cut -d, -f1,2 | head -n 12 >one-ols.csv
compare mpi-ols.csv one-ols.csv "least squares"
# Chunks of 300 bytes, CRLF line ends and blank lines in a shard: the same rows, the same
# folds (numbered by rank order, counted before reading), the same CV result.
"$mpiexec" "$@" "$fit_mpi" --model lasso --cv 5 --tolerance 1e-12 shard-0.csv shard-1.csv >mpi-cv.csv
{ head -n 3 shard-1.csv; echo; echo "  "; tail -n +4 shard-1.csv; echo; } | sed 's/$/\r/' >shard-1-crlf.csv
"$mpiexec" "$@" "$fit_mpi" --model lasso --cv 5 --tolerance 1e-12 --chunk-bytes 300 shard-0.csv shard-1-crlf.csv >mpi-cv-chunks.csv
compare mpi-cv-chunks.csv mpi-cv.csv "5-fold CV, chunks of 300 bytes, CRLF and blank lines"
if "$mpiexec" "$@" "$fit_mpi" --model lasso --lambda 1 shard-0.csv missing.csv >/dev/null 2>err.txt; then
    echo "a missing shard was not an error"
    exit 1
fi
grep -q "missing.csv" err.txt && echo "a missing shard: an error naming it"
