#!/usr/bin/env bash
# priorreg-fit on bad data and bad options: a non-zero exit status, a one-line message on stderr
# that names the problem (and file:line:column where there is one), usage text for usage
# errors only, and no output file left behind -- nor a temporary, nor a clobbered old file.
#
# Usage: bad_input.sh PRIORREG_FIT WORK_DIR
set -u

exe=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

failures=0
cases=0

good='x1,x2,y
1,2,3
2,1,4
3,5,1
4,4,2
5,3,6
'

# check NAME EXPECTED_STATUS KIND PHRASE -- ARGS...
#   Runs the tool in a fresh directory case_NAME that holds data.csv (from $data) and nothing
#   else, with --output out.csv appended unless NO_OUTPUT=1. KIND is "line" (exactly one line
#   on stderr) or "usage" (the message line, then the usage).
check() {
    local name=$1 expected=$2 kind=$3 phrase=$4
    shift 5
    cases=$((cases + 1))
    local dir="case_$name"
    mkdir -p "$dir"
    if [[ -n "${data+set}" ]]; then printf '%s' "$data" >"$dir/data.csv"; fi
    local before
    before=$(cd "$dir" && ls -A)
    local -a extra=(--output out.csv)
    [[ "${NO_OUTPUT:-0}" == 1 ]] && extra=()
    (cd "$dir" && ${RUN_PREFIX:-} "$exe" "$@" "${extra[@]}" >stdout.txt 2>stderr.txt)
    local status=$?
    local first lines after
    first=$(head -n 1 "$dir/stderr.txt")
    lines=$(wc -l <"$dir/stderr.txt")
    after=$(cd "$dir" && ls -A | grep -v -x -e stdout.txt -e stderr.txt)
    local problems=()
    [[ $status -eq $expected ]] || problems+=("exit status $status, expected $expected")
    [[ "$first" == "priorreg-fit: error: "* ]] || problems+=("first line lacks 'priorreg-fit: error: '")
    [[ "$first" == *"$phrase"* ]] || problems+=("first line lacks: $phrase")
    if [[ $kind == line ]]; then
        [[ $lines -eq 1 ]] || problems+=("$lines lines on stderr, expected 1")
        grep -q '^usage:' "$dir/stderr.txt" && problems+=("usage printed for a data error")
    else
        grep -q '^usage: priorreg-fit DATA.csv' "$dir/stderr.txt" || problems+=("no usage")
    fi
    [[ -s "$dir/stdout.txt" ]] && problems+=("something on stdout")
    [[ "$before" == "$after" ]] || problems+=("files changed: [$before] -> [$after]")
    if [[ ${#problems[@]} -eq 0 ]]; then
        echo "ok   $name"
    else
        failures=$((failures + 1))
        echo "FAIL $name (priorreg-fit $*)"
        printf '       %s\n' "${problems[@]}"
        sed 's/^/       stderr: /' "$dir/stderr.txt"
    fi
}

# ---------------------------------------------------------------- the file itself
unset data
check missing_file 1 line "nope.csv: cannot open: No such file or directory" -- nope.csv
data="$good"
mkdir -p case_directory/sub
check directory 1 line "sub: cannot read: is a directory" -- sub
cases=$((cases + 1))
if [[ $(id -u) -ne 0 ]]; then
    mkdir -p case_unreadable && printf '%s' "$good" >case_unreadable/data.csv && chmod 000 case_unreadable/data.csv
    (cd case_unreadable && "$exe" data.csv --output out.csv 2>err.txt)
    status=$?
    if [[ $status -eq 1 ]] && grep -q 'data.csv: cannot open: Permission denied' case_unreadable/err.txt &&
        [[ ! -e case_unreadable/out.csv ]]; then echo "ok   unreadable"; else
        echo "FAIL unreadable"
        failures=$((failures + 1))
    fi
    cases=$((cases + 1))
else
    echo "skip unreadable (running as root: permissions do not stop reading)"
fi

data=''
check empty_file 1 line "data.csv: empty file (no header row)" -- data.csv
data=$'  \n\r\n\n'
check blank_file 1 line "data.csv: empty file (no header row)" -- data.csv

# ---------------------------------------------------------------- malformed rows and cells
data=$'x1,x2,y\n1,2,3\n4,5\n'
check ragged_short 1 line "data.csv:3:3: row has 2 fields but the header has 3" -- data.csv
data=$'x1,x2,y\n1,2,3\n4,5,6\n7,8,9,10\n'
check ragged_long 1 line "data.csv:4:4: row has 4 fields but the header has 3" -- data.csv
data=$'x1,x2,y\n1,2,3\n4,abc,6\n'
check mixed_column 1 line 'data.csv:3:2: column "x2": mixes numbers and text ("abc")' -- data.csv
data=$'x1,x2,y\n1,2,3\n4,5,6x\n'
check trailing_garbage 1 line 'data.csv:3:3: column "y": mixes numbers and text ("6x")' -- data.csv
data=$'x1,x2,y\n1,,3\n'
check empty_cell 1 line 'data.csv:2:2: column "x2": missing value (--na drop drops' -- data.csv
data=$'x1,x2,y\n1,2,3\n1,2,\n'
check empty_last_cell 1 line 'data.csv:3:3: column "y": missing value' -- data.csv
data=$'x1,x2,y\r\n1,2,3\r\n\r\n4,5,nan\r\n'
check nan_crlf 1 line 'data.csv:4:3: column "y": missing value' -- data.csv
data=$'x1,x2,y\n1,2,3\n4,5,-inf\n'
check infinite 1 line 'data.csv:3:3: non-finite value "-inf"' -- data.csv
data=$'x1,x2,y\n1,a,3\n4,b,6\n5,a,1\n'
check categorical_off 1 line 'data.csv:2:2: column "x2": holds text ("a"); --categorical off refuses text columns' -- data.csv --categorical off
data=$'x1,x2,y\n1,2,a\n4,5,b\n'
check text_target 1 line 'data.csv:2:3: column "y": holds text ("a"); the target must be numeric' -- data.csv
data=$'x1,x2,y\n1,NA,3\n4,NA,6\n5,3,1\n'
check too_few_complete_rows 1 line "data.csv: 1 data row without a missing value; at least 2 are needed" -- data.csv --na drop
data=$'x1,x2,y\n1,a,3\n4,a,6\n5,a,1\n'
check single_level_only 1 line "data.csv: no feature terms (every text column has a single level)" -- data.csv --drop x1
data=$'x1,x2,y\n1,2,1e400\n'
check overflow 1 line 'data.csv:2:3: number out of range "1e400"' -- data.csv
data=$'x1,x1,y\n1,2,3\n'
check duplicate_name 1 line 'data.csv:1:2: duplicate column name "x1"' -- data.csv
data=$'x1,,y\n1,2,3\n'
check empty_name 1 line "data.csv:1:2: empty column name" -- data.csv

# ---------------------------------------------------------------- columns, weights, rows
data="$good"
check unknown_target 1 line 'data.csv:1: unknown target column "z" (columns: x1, x2, y)' -- data.csv --target z
check unknown_weights 1 line 'data.csv:1: unknown weights column "w"' -- data.csv --weights w
data=$'x1,w,y\n1,1,3\n2,-0.5,4\n3,1,1\n'
check negative_weight 1 line 'data.csv:3:2: column "w": negative weight -0.5' -- data.csv --weights w
data=$'x1,w,y\n1,0,3\n2,0,4\n3,0,1\n'
check zero_weights 1 line 'data.csv: the weights in column "w" are all zero' -- data.csv --weights w
data=$'x1,y\n1,2\n'
check one_row 1 line "data.csv: 1 data row; at least 2 are needed" -- data.csv
data=$'x1,y\n'
check no_rows 1 line "data.csv: 0 data rows; at least 2 are needed" -- data.csv
data=$'y\n1\n2\n3\n'
check no_features 1 line 'data.csv: no feature columns (only the target "y")' -- data.csv

data="$good"
check unknown_drop 1 line 'data.csv:1: unknown --drop column "x9" (columns: x1, x2, y)' -- data.csv --drop x9
check dropped_target 1 line 'data.csv: column "y" is dropped (--drop) but used' -- data.csv --target y --drop y
check unknown_foldid 1 line 'data.csv:1: unknown foldid column "f"' -- data.csv --foldid f
data=$'x1,f,y\n1,1,3\n2,2,4\n3,1.5,1\n4,2,2\n'
check foldid_fraction 1 line 'data.csv:4:2: column "f": fold id 1.5 is not an integer' -- data.csv --foldid f
data=$'x1,f,y\n1,1,3\n2,1,4\n3,1,1\n'
check foldid_one_fold 1 line 'data.csv: column "f" holds one fold id; cross-validation needs at least 2' -- data.csv --foldid f
data=$'x1,f,y\n1,1,3\n2,2,4\n3,1,1\n4,2,2\n'
check foldid_count 2 line '--cv 3: the --foldid column "f" holds 2 fold ids' -- data.csv --foldid f --cv 3

# ---------------------------------------------------------------- option values out of range
data="$good"
check alpha_high 2 line "--alpha: must be in [0, 1], got 1.5" -- data.csv --lambda 0.1 --alpha 1.5
check alpha_negative 2 line "--alpha: must be in [0, 1], got -0.1" -- data.csv --lambda 0.1 --alpha=-0.1
check alpha_nan 2 line "--alpha: must be in [0, 1], got nan" -- data.csv --lambda 0.1 --alpha nan
check lambda_negative 2 line "--lambda: must be a finite number >= 0, got -1" -- data.csv --lambda=-1
check lambda_inf 2 line "--lambda: must be a finite number >= 0, got inf" -- data.csv --lambda inf
check cv_one 2 line "--cv: needs at least 2 folds, got 1" -- data.csv --cv 1
check cv_more_than_rows 2 line "--cv: 6 folds but data.csv has only 5 data rows" -- data.csv --cv 6
check seed_negative 2 line '--seed: must be an integer in [0, 2^64), got "-3"' -- data.csv --cv 2 --seed=-3
check seed_text 2 line '--seed: must be an integer' -- data.csv --cv 2 --seed 1x
check bad_model 2 line '--model: unknown model "lars"' -- data.csv --model lars --lambda 1
check bad_format 2 line '--format: unknown format "xml"' -- data.csv --format xml
check ols_with_lambda 2 line "--model ols: takes no --lambda" -- data.csv --model ols --lambda 1
check level_out_of_range 2 line "--level: must lie strictly between 0 and 1" -- data.csv --level 1
check level_with_lasso 2 line "--level: applies to --model ols (the confidence" -- data.csv --lambda 1 --level 0.9
check tolerance_zero 2 line "--tolerance: must be a finite number > 0, got 0" -- data.csv --lambda 1 --tolerance 0
check nlambda_zero 2 line "--nlambda: must be at least 1, got 0" -- data.csv --path --nlambda 0
check ratio_one 2 line "--lambda-min-ratio: must lie strictly between 0 and 1, got 1" -- data.csv --path --lambda-min-ratio 1
check threads_negative 2 line "--threads: must be >= 0" -- data.csv --path --threads=-2
check grid_without_path 2 line "--nlambda and --lambda-min-ratio: set the grid of --path, --cv or --plot" -- data.csv --lambda 1 --nlambda 10
check lasso_without_lambda 2 line "--model lasso: needs --lambda L, --path or --cv K" -- data.csv --model lasso
check alpha_with_lasso 2 line "--alpha: applies to --model enet only" -- data.csv --model lasso --lambda 1 --alpha 0.5
check seed_without_cv 2 line "--seed: applies to --cv and the samplers" -- data.csv --lambda 1 --seed 3
check plot_with_ols 2 line "--plot: plots a regularization path" -- data.csv --plot plots
check weights_is_target 2 line "--weights: the weights column cannot be the target" -- data.csv --target y --weights y
check bad_sep 2 line '--sep: expected , ; or tab (got "|")' -- data.csv --sep '|'
check bad_decimal 2 line '--decimal: expected . or , (got ";")' -- data.csv --decimal ';'
check sep_is_decimal 2 line '--sep and --decimal: both are ","' -- data.csv --sep , --decimal ,
check bad_na 2 line '--na: expected error or drop, got "keep"' -- data.csv --na keep
check bad_categorical 2 line '--categorical: expected auto or off, got "yes"' -- data.csv --categorical yes
check seed_with_foldid 2 line "--foldid and --seed: the fold ids leave nothing to seed" -- data.csv --foldid x1 --seed 3
check penalty_factor_ols 2 line "--penalty-factor: applies to a penalized model" -- data.csv --penalty-factor x1=0
check penalty_factor_unknown 2 line '--penalty-factor: no feature or term "x7"' -- data.csv --lambda 1 --penalty-factor x7=0
check penalty_factor_negative 2 line '--penalty-factor: x1: expected a finite number >= 0, got "-1"' -- data.csv --lambda 1 --penalty-factor x1=-1
check penalty_factor_syntax 2 line '--penalty-factor: expected NAME=V, got "x1"' -- data.csv --lambda 1 --penalty-factor x1

# ---------------------------------------------------------------- predict
# A model of x1 and a categorical g; each case directory holds it beside data.csv.
printf '%s' $'x1,g,y\n1,a,3\n2,b,4\n3,a,1\n4,b,2\n5,c,6\n' >train.csv
"$exe" train.csv --save-model model.json >/dev/null || { echo "FAIL cannot save the model"; exit 1; }
for name in predict_missing_column predict_unknown_level predict_text_in_numeric predict_missing_value predict_bad_na; do
    mkdir -p "case_$name" && cp model.json "case_$name/"
done
data=$'x1,y\n1,2\n'
check predict_missing_column 1 line 'data.csv:1: the model'"'"'s input column "g" is missing (columns: x1, y)' -- predict model.json data.csv
data=$'g,x1\na,1\nd,2\n'
check predict_unknown_level 1 line 'data.csv:3:1: column "g": level "d" is not one the model knows (a, b, c)' -- predict model.json data.csv
data=$'g,x1\na,1\nb,x\n'
check predict_text_in_numeric 1 line 'data.csv:3:2: column "x1": mixes numbers and text ("x")' -- predict model.json data.csv
data=$'g,x1\na,1\nb,NA\n'
check predict_missing_value 1 line 'data.csv:3:2: column "x1": missing value (--na skip gives' -- predict model.json data.csv
check predict_bad_na 2 line '--na: expected error or skip, got "drop"' -- predict model.json data.csv --na drop
mkdir -p case_predict_terms_reordered && sed 's/"term": "x1"/"term": "x9"/' model.json >case_predict_terms_reordered/model.json
data=$'g,x1\na,1\n'
check predict_terms_reordered 1 line 'model.json: not a priorreg-fit model file (term 1 is "x9" where the inputs make "x1")' -- predict model.json data.csv
mkdir -p case_predict_not_a_model && printf '{"a": 1}' >case_predict_not_a_model/bad.json
check predict_not_a_model 1 line 'bad.json: not a priorreg-fit model file' -- predict bad.json data.csv
mkdir -p case_predict_not_json && printf 'nope' >case_predict_not_json/bad.json
check predict_not_json 1 line 'bad.json: not a JSON document' -- predict bad.json data.csv
check predict_no_model 1 line 'none.json: cannot open the model file' -- predict none.json data.csv
check predict_no_arguments 2 usage "MODEL.json is required" -- predict
# --lambda needs a saved path; a path model needs --lambda.
for name in predict_lambda_one_fit predict_lambda_negative predict_path_without_lambda; do
    mkdir -p "case_$name" && cp model.json "case_$name/"
done
"$exe" train.csv --path --save-model case_predict_path_without_lambda/path.json >/dev/null ||
    { echo "FAIL cannot save a path model"; exit 1; }
cp case_predict_path_without_lambda/path.json case_predict_lambda_negative/path.json
data=$'g,x1\na,1\n'
check predict_lambda_one_fit 2 line '--lambda: model.json holds one fit (chosen by ols)' -- predict model.json data.csv --lambda 0.1
check predict_lambda_negative 2 line '--lambda: must be a finite number >= 0, got -1' -- predict path.json data.csv --lambda -1
check predict_path_without_lambda 2 line 'path.json holds a path (--path): give --lambda L' -- predict path.json data.csv

# ---------------------------------------------------------------- usage errors
check no_arguments 2 usage "DATA.csv is required" --
check unknown_option 2 usage "--bogus" -- data.csv --bogus
check exclusive_options 2 usage "excludes" -- data.csv --lambda 1 --path
check lambda_not_a_number 2 usage "--lambda" -- data.csv --lambda abc
check missing_value 2 usage "--cv" -- data.csv --cv

# ---------------------------------------------------------------- outputs that cannot be written
data="$good"
NO_OUTPUT=1 check output_dir_missing 1 line "no/such/out.csv: cannot create" -- data.csv --output no/such/out.csv
mkdir -p case_output_is_dir/out.csv
data="$good"
NO_OUTPUT=1 check output_is_dir 1 line "out.csv: is a directory" -- data.csv --output out.csv
# gnuplot missing: no plot directory, no plot files, no output file.
RUN_PREFIX="env PATH=/nonexistent" check no_gnuplot 1 line "--plot needs gnuplot, which is not on PATH" -- data.csv --lambda 0.1 --plot plots
# The plot directory cannot be created (a file is in the way).
mkdir -p case_plot_dir_blocked && printf 'x' >case_plot_dir_blocked/plots
check plot_dir_blocked 1 line "plots: cannot create the plot directory" -- data.csv --lambda 0.1 --plot plots

# ---------------------------------------------------------------- an old output file survives
cases=$((cases + 1))
mkdir -p case_keep_old && printf '%s' $'x1,y\n1,2\n3,oops\n' >case_keep_old/data.csv && printf 'old\n' >case_keep_old/out.csv
(cd case_keep_old && "$exe" data.csv --output out.csv 2>/dev/null)
status=$?
if [[ $status -eq 1 && "$(cat case_keep_old/out.csv)" == old && $(ls -A case_keep_old | wc -l) -eq 2 ]]; then
    echo "ok   keep_old_output"
else
    echo "FAIL keep_old_output (status $status, out.csv: $(cat case_keep_old/out.csv), files: $(ls -A case_keep_old))"
    failures=$((failures + 1))
fi

# ---------------------------------------------------------------- and a good run does write
cases=$((cases + 1))
mkdir -p case_good && printf '%s' "$good" >case_good/data.csv
(cd case_good && "$exe" data.csv --lambda 0.1 --output out.csv 2>err.txt)
status=$?
if [[ $status -eq 0 && -s case_good/out.csv && ! -s case_good/err.txt && $(ls -A case_good | wc -l) -eq 3 ]] &&
    head -n 1 case_good/out.csv | grep -qx 'term,estimate'; then
    echo "ok   good_run_writes_output"
else
    echo "FAIL good_run_writes_output (status $status, files: $(ls -A case_good))"
    failures=$((failures + 1))
fi

echo "$((cases - failures)) of $cases cases passed"
[[ $failures -eq 0 ]]
