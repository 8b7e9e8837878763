#!/usr/bin/env bash
# B2: the Bayesian lasso, priorreg's Gibbs sampler (BayesianLasso) against Stan's NUTS (rstan)
# on the same model and data: effective samples per second of the coefficients (issue 19's
# speed target: >= 10x Stan at n=442, p=10 and n=200, p=1000). Both run 4 chains of 1000
# warm-up (burn-in) and 1000 kept iterations, one chain after the other on one core; the time
# is the whole run after compilation (Stan: warm-up + sampling from get_elapsed_time; priorreg:
# the sample() call, median of RUNS). Stan's ESS is rstan::ess_bulk (rank-normalized), priorreg's
# the classic split-chain estimate (PosteriorSamples::effective_sample_size); the two agree
# closely on these near-normal posteriors. Appends to bench/RESULTS_BAYES.md.
#
#   bench/compare/bayes_lasso_compare.sh [RUNS]   (default 5)
#
# Stan's side is bench/compare/stan_bayes_lasso.R (about 3 minutes to compile the model, then
# seconds for diabetes and much longer for p = 1000); its output,
# bench/compare/out/stan_bayes_lasso.txt, is reused when present unless STAN=run. It also writes
# the p = 1000 data the C++ side reads. A case missing from that output is timed on priorreg's
# side only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-5}"
build="${BUILD_DIR:-$root/build-bench}"
stan_out="$here/out/stan_bayes_lasso.txt"
wide="$here/data/bayes_wide_200x1000.csv"
cmake --build "$build" --target compare_priorreg >/dev/null
if [[ "${STAN:-reuse}" == run || ! -f "$stan_out" || ! -f "$wide" ]]; then
    (cd "$root" && Rscript bench/compare/stan_bayes_lasso.R)
fi

# Stan's figures of one case: "total_seconds min_ess median_ess chains warmup sampling".
stan_case() {
    awk -v want="$1" '
        /^case: / { on = ($2 == want) }
        on && /^  chains / { chains = $2; warmup = substr($4, 2); sampling = $7 }
        on && /^  time: / { total = $9 }
        on && /^  ess_bulk of beta: / { minimum = $5; sub(",", "", minimum); median = $7 }
        END { print total, minimum, median, chains, warmup, sampling }' "$stan_out"
}

rows=""
for spec in "diabetes $root/tests/data/diabetes/diabetes.csv 3" "wide $wide 1"; do
    read -r name data lambda <<<"$spec"
    read -r st_total st_min st_median chains warmup sampling < <(stan_case "$name")
    if [[ -z "$st_total" ]]; then # not in Stan's output (stan_bayes_lasso.R CASE... ran others)
        read -r pr_total pr_min pr_median < <("$build/bench/compare/compare_priorreg" \
            --bayes-lasso "$data" "$lambda" 4 1000 1000 "$runs")
        rows+="| $name (lambda $lambda) | 4 x (1000 + 1000) | $pr_total | $pr_min / $pr_median | not run | | | |"$'\n'
        continue
    fi
    read -r pr_total pr_min pr_median < <("$build/bench/compare/compare_priorreg" --bayes-lasso \
        "$data" "$lambda" "$chains" "$warmup" "$sampling" "$runs")
    read -r shape pr_rate_min st_rate_min ratio_min ratio_median < <(python3 -c "
import csv
with open('$data') as f:
    rows = sum(1 for _ in f) - 1
    f.seek(0)
    cols = len(next(csv.reader(f))) - 1
pm, sm = $pr_min / $pr_total, $st_min / $st_total
print(f'{rows}x{cols} {pm:.0f} {sm:.1f} {pm / sm:.0f} {($pr_median / $pr_total) / ($st_median / $st_total):.0f}')")
    rows+="| $name ($shape, lambda $lambda) | $chains x ($warmup + $sampling) | $pr_total | $pr_min / $pr_median | $st_total | $st_min / $st_median | $pr_rate_min vs $st_rate_min | ${ratio_min}x / ${ratio_median}x |"$'\n'
done
{
    echo
    echo "## B2: Bayesian lasso, Gibbs (priorreg) vs NUTS (Stan)"
    echo
    echo "Produced by \`bench/compare/bayes_lasso_compare.sh $runs\` on $(date -u '+%Y-%m-%d %H:%M UTC'), priorreg git $(git -C "$root" rev-parse --short HEAD); Stan's side from \`$(head -n 1 "$stan_out")\` ($(sed -n 2p "$stan_out")); $(nproc) cores, one chain at a time on one core on both sides. Effective sample sizes of the coefficients (min / median over them); ESS/s is the minimum's."
    echo
    echo "| case | chains x (warm-up + kept) | priorreg s | priorreg ESS min / median | Stan s | Stan ESS min / median | ESS/s (min): priorreg vs Stan | ratio: min / median |"
    echo "|---|---|---|---|---|---|---|---|"
    printf "%s" "$rows"
} | tee -a "$root/bench/RESULTS_BAYES.md"
