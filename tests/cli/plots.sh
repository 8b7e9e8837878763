#!/usr/bin/env bash
# priorreg-fit --plot: the PNGs exist, are PNG files and are not empty; the .dat and .gp files
# next to them redraw the plot by hand; nothing temporary is left. Skipped without gnuplot (the
# missing-gnuplot error is tested in bad_input.sh).
#
# Usage: plots.sh PRIORREG_FIT WORK_DIR
set -euo pipefail

exe=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work"

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "skip: gnuplot not found"
    exit 77
fi

{
    echo "x1,x2,x3,y"
    for i in $(seq 1 40); do
        echo "$i,$(((i * 7) % 11)),$(((i * i) % 13)),$((2 * i + (i * 5) % 7))"
    done
} >data.csv

is_png() { # FILE
    [[ -s $1 ]] && [[ $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]]
}

fail() {
    echo "FAIL $*"
    exit 1
}

# --cv: coefficient path and CV curve, in a directory that does not exist yet.
"$exe" data.csv --cv 4 --plot out/cv --output cv.csv
for stem in coef_path cv_curve; do
    for ext in dat gp png; do
        [[ -s out/cv/$stem.$ext ]] || fail "--cv: out/cv/$stem.$ext missing or empty"
    done
    is_png "out/cv/$stem.png" || fail "--cv: $stem.png is not a PNG"
done
[[ $(ls -A out/cv | wc -l) -eq 6 ]] || fail "--cv: unexpected files: $(ls -A out/cv)"
echo "ok   --cv plots"

# The kept script redraws the same picture from the kept data.
rm out/cv/coef_path.png
(cd out/cv && gnuplot coef_path.gp) || fail "coef_path.gp does not rerun"
is_png out/cv/coef_path.png || fail "rerun did not make a PNG"
echo "ok   kept scripts rerun"

# --lambda and --path: the coefficient path only.
"$exe" data.csv --model ridge --lambda 0.5 --plot out/fit >/dev/null
is_png out/fit/coef_path.png || fail "--lambda: no coef_path.png"
[[ ! -e out/fit/cv_curve.png ]] || fail "--lambda made a CV curve"
"$exe" data.csv --path --plot out/path >/dev/null
is_png out/path/coef_path.png || fail "--path: no coef_path.png"
[[ $(ls -A out/fit | wc -l) -eq 3 && $(ls -A out/path | wc -l) -eq 3 ]] || fail "unexpected files"
echo "ok   --lambda and --path plots"

# Many features: no key, still a plot.
{
    printf 'f%d,' $(seq 1 30)
    echo y
    for i in $(seq 1 60); do
        for j in $(seq 1 30); do printf '%d,' $(((i * j * 7 + j) % 17)); done
        echo $((i % 9))
    done
} >wide.csv
"$exe" wide.csv --path --plot out/wide >/dev/null
is_png out/wide/coef_path.png || fail "wide: no coef_path.png"
echo "ok   wide data plot"

# Every series has its own colour and dash type (30 series: 10 colours x 3 dash types), and
# the markers of lambda_min and lambda_1se are labelled at different heights.
styles=$(grep -o "lc rgb '#[0-9a-f]*' dt [0-9]*" out/wide/coef_path.gp | sort -u | wc -l)
[[ $styles -eq 30 ]] || fail "wide: $styles distinct series styles for 30 series"
heights=$(grep -o "set label '[a-z0-9]*' at [^,]*, graph [0-9.]*" out/cv/coef_path.gp | awk '{print $NF}' | sort -u | wc -l)
[[ $heights -eq 2 ]] || fail "--cv: the min and 1se labels share a height"
echo "ok   distinct series styles and marker heights"
