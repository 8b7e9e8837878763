#!/usr/bin/env bash
# Compile time and peak memory of one translation unit, side by side in one run (issue 17):
# an Eigen-only QR solve, one Lasso and three estimators with CV, each header-only and against
# the compiled component (-DPRIORREG_COMPILED; the library itself is built once, not timed
# here). Every program is compiled REPEAT (3) times in turn; the medians are printed.
#
#   bench/compile_time/measure.sh [CXX]      (default g++; flags -std=c++17 -O2)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cxx="${1:-g++}"
repeat="${REPEAT:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
flags=(-std=c++17 -O2 -I"$root/include" -isystem /usr/include/eigen3 -c)
cases=("eigen_qr::eigen_qr.cpp" "one_lasso::one_lasso.cpp"
       "one_lasso_compiled:-DPRIORREG_COMPILED:one_lasso.cpp"
       "three_estimators::three_estimators.cpp"
       "three_estimators_compiled:-DPRIORREG_COMPILED:three_estimators.cpp")
for ((r = 0; r < repeat; ++r)); do
    for c in "${cases[@]}"; do
        IFS=: read -r name define src <<<"$c"
        /usr/bin/time -f "$name %e %M" -a -o "$out/times" \
            "$cxx" "${flags[@]}" ${define:+"$define"} "$here/$src" -o "$out/$name.o"
    done
done
printf '%-28s %10s %12s\n' program "seconds" "peak MB"
for c in "${cases[@]}"; do
    name="${c%%:*}"
    grep "^$name " "$out/times" | sort -k2 -g | awk -v n="$repeat" -v name="$name" \
        'NR == int((n + 1) / 2) { printf "%-28s %10.1f %12.0f\n", name, $2, $3 / 1024 }'
done
