#!/usr/bin/env bash
# priorreg-fit's outputs are well formed: every CSV table (the CV output has three, separated by
# blank lines) has a header and rows of its width with numeric cells; every JSON document parses
# and has the documented members; --output writes exactly what stdout would show.
# The parsing uses Debian's /usr/bin/python3 (csv and json modules) when present; the C++ tests
# (priorreg_fit_tests) parse the same outputs without python.
#
# Usage: output_formats.sh PRIORREG_FIT WORK_DIR
set -euo pipefail

exe=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work"

python=/usr/bin/python3
if [[ ! -x $python ]]; then
    echo "skip: $python not found (the C++ tests parse the outputs)"
    exit 77
fi

# 50 rows, a feature name that needs quoting, weights, CRLF line ends.
$python - <<'EOF'
import random
random.seed(5)
with open("data.csv", "w", newline="") as f:
    f.write('x1,"a,b",x3,w,"the ""y"""\r\n')
    for i in range(50):
        x = [random.gauss(0, 1) for _ in range(3)]
        y = 1 + 2 * x[0] - x[1] + random.gauss(0, 0.3)
        f.write(",".join(repr(v) for v in x + [random.uniform(0.5, 2), y]) + "\r\n")
EOF

check_csv() { # FILE TABLES FIRST_HEADER...
    $python - "$@" <<'EOF'
import csv, math, sys
path, tables, first = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
text = open(path, newline="").read()
assert text.endswith("\n"), "no final line break"
sections = [s for s in text.split("\n\n")]
assert len(sections) == tables, f"{len(sections)} tables, expected {tables}"
for k, section in enumerate(sections):
    rows = list(csv.reader(section.strip("\n").split("\n")))
    assert len(rows) >= 2, f"table {k} has no data rows"
    width = len(rows[0])
    for r in rows:
        assert len(r) == width, f"table {k}: row of {len(r)} fields under a header of {width}: {r}"
    text_columns = 1 if rows[0][0] in ("term", "choice", "statistic") else 0
    for r in rows[1:]:
        for cell in r[text_columns:]:
            assert math.isfinite(float(cell)), f"not a finite number: {cell}"
header = list(csv.reader([sections[0].split("\n")[0]]))[0]
assert header[:len(first)] == first, f"header {header} does not start with {first}"
if header[0] in ("term", "lambda") and "(intercept)" in header:
    assert header[-3:] == ["x1", "a,b", "x3"], header
EOF
}

check_json() { # FILE KIND
    $python - "$@" <<'EOF'
import json, sys
path, kind = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
for key in ("data", "target", "weights", "rows", "model", "alpha", "standardize", "fit_intercept"):
    assert key in doc, f"missing {key}"
assert doc["target"] == 'the "y"' and doc["weights"] == "w" and doc["rows"] == 50
terms = ["(intercept)", "x1", "a,b", "x3"]
if kind == "fit":
    assert [c["term"] for c in doc["coefficients"]] == terms
    assert all(isinstance(c["estimate"], float) or isinstance(c["estimate"], int) for c in doc["coefficients"])
    if doc["model"] == "ols":
        inference = ("std_error", "t_value", "p_value", "ci_low", "ci_high")
        assert all(isinstance(c[k], float) for c in doc["coefficients"] for k in inference)
        assert all(c["ci_low"] < c["estimate"] < c["ci_high"] for c in doc["coefficients"])
        assert all(0 <= c["p_value"] <= 1 for c in doc["coefficients"])
        for key in ("sigma", "r_squared", "adj_r_squared", "f_statistic", "f_p_value", "level"):
            assert isinstance(doc[key], float), key
        assert doc["df_residual"] == 50 - 4 and doc["f_df_model"] == 3 and doc["level"] == 0.95
elif kind == "path":
    assert doc["terms"] == terms
    assert len(doc["path"]) >= 2
    lambdas = [e["lambda"] for e in doc["path"]]
    assert lambdas == sorted(lambdas, reverse=True), "lambdas not decreasing"
    assert all(len(e["estimates"]) == 4 for e in doc["path"])
else:
    table = doc["cv"]["table"]
    assert doc["cv"]["folds"] == 5 and len(table) >= 2
    assert {"lambda", "mean_error", "standard_error", "nonzeros"} <= set(table[0])
    lambdas = [e["lambda"] for e in table]
    assert doc["lambda_min"] in lambdas and doc["lambda_1se"] in lambdas
    assert doc["lambda_1se"] >= doc["lambda_min"]
    assert [c["term"] for c in doc["coefficients"]] == terms
    assert all("lambda_min" in c and "lambda_1se" in c for c in doc["coefficients"])
EOF
}

run() { # NAME ARGS...  (stdout and --output must agree)
    local name=$1
    shift
    "$exe" data.csv --weights w "$@" >"$name.stdout"
    "$exe" data.csv --weights w "$@" --output "$name.file"
    cmp -s "$name.stdout" "$name.file" || {
        echo "FAIL $name: --output differs from stdout"
        exit 1
    }
}

run ols
check_csv ols.stdout 2 term estimate std_error t_value p_value ci_low ci_high
run fit --lambda 0.05 --model enet --alpha 0.7
check_csv fit.stdout 1 term estimate
run path --path --model ridge
check_csv path.stdout 1 lambda df dev_ratio "(intercept)"
run cv --cv 5 --seed 3
check_csv cv.stdout 3 lambda mean_error standard_error nonzeros
echo "ok   csv outputs"

run ols_json --format json
check_json ols_json.stdout fit
run fit_json --lambda 0.05 --format json
check_json fit_json.stdout fit
run path_json --path --format json
check_json path_json.stdout path
run cv_json --cv 5 --format json
check_json cv_json.stdout cv
echo "ok   json outputs"

# Nothing but the outputs in the directory: no temporaries left by --output.
leftover=$(ls -A | grep -v -E '(\.stdout|\.file)$|^data\.csv$' || true)
[[ -z $leftover ]] || {
    echo "FAIL leftover files: $leftover"
    exit 1
}
echo "ok   no temporary files"
