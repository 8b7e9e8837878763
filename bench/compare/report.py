#!/usr/bin/python3
"""Check and tabulate the bench/compare results (run.sh calls this after the solvers).

    report.py --root ROOT --build-dir DIR --command CMD CASE...

For every CASE it loads the shared data and each solver's path from
bench/compare/out/, checks that they solve the same problem and stores a
summary (out/<case>.summary.json). It then prints the table of every case that
has a summary, writes it with the machine, versions and notes to
bench/RESULTS.md, and draws the ratios with gnuplot to bench/compare/ratios.png.

The check. At every lambda, each solver's (b0, beta) is scored with the
objective (float64, numpy)

    F = (1/(2n)) sum_i (y_i - b0 - x_i^T beta)^2
        + lambda sum_j [ (1-alpha)/2 (s_j beta_j)^2 + alpha |s_j beta_j| ],

s_j the 1/n standard deviation of column j (the penalty is on the
standardized coefficients: glmnet's standardize=TRUE convention and
priorreg's default). A solver's suboptimality at lambda is
(F_solver - min over the solvers of F) / D0, D0 = (1/n) sum (y - ybar)^2 the
null deviance; the table shows the worst over lambda. As an absolute check
that does not depend on the other solvers, the duality gap of each solution
(with the intercept re-optimized, i.e. on the centered problem) is reported
too, in the same D0 units: it bounds the distance to the true optimum.
glmnet scales y to unit variance when alpha < 1, which divides its ridge
part by sd(y); for such cases glmnet's gap is also reported for that, its
own, objective.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys

import numpy as np

from compare_io import read_case, read_result, read_times

HERE = os.path.dirname(os.path.abspath(__file__))
SOLVERS = ("priorreg", "glmnet", "sklearn")
# run.sh's RUNS timed runs per solver in each of ROUNDS rounds (the solvers taking turns).
RUNS_PER_ROUND = int(os.environ.get("RUNS", "4"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
WARMUP = int(os.environ.get("WARMUP", "2"))
DEFAULT_RUNS = RUNS_PER_ROUND * ROUNDS


# --------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------


def elastic_net_gap(Rc, G, W, yc, lambdas, alpha, ridge_scale=1.0):
    """Duality gaps (objective units, per lambda) of the centered, standardized problem.

    Primal (unnormalized, times n):  P(w) = 1/2 ||r||^2 + sum_j [A |w_j| + B/2 w_j^2],
    A = n lambda alpha, B = n lambda (1 - alpha) ridge_scale, r = yc - X~ w. Fenchel dual:
    D(theta) = yc^T theta - 1/2 ||theta||^2 - sum_j psi*(x~_j^T theta) with
    psi*(u) = (|u| - A)_+^2 / (2B) (B > 0) or the indicator of |u| <= A (B = 0). Every
    theta = s r with s in [0, 1] (and, for B = 0, s <= A / max|X~^T r|) is dual feasible;
    the best of a few such s is taken. Rc: centered residuals (n, L); G = X~^T Rc (p, L);
    W: standardized coefficients (p, L).
    """
    n = Rc.shape[0]
    A = n * lambdas * alpha
    B = n * lambdas * (1.0 - alpha) * ridge_scale
    rr = np.einsum("ij,ij->j", Rc, Rc)
    yr = yc @ Rc
    gmax = np.abs(G).max(axis=0)
    primal = 0.5 * rr + A * np.abs(W).sum(axis=0) + 0.5 * B * (W * W).sum(axis=0)

    with np.errstate(divide="ignore", invalid="ignore"):
        s_feasible = np.where(B > 0, 1.0, np.minimum(1.0, np.where(gmax > 0, A / gmax, 1.0)))
        s_quad = np.where(rr > 0, yr / rr, 0.0)
    candidates = [s_feasible, np.clip(s_quad, 0.0, s_feasible), np.clip(s_quad, 0.0, 1.0)]
    best_dual = np.full(len(lambdas), -np.inf)
    for s in candidates:
        dual = s * yr - 0.5 * s * s * rr
        excess = np.maximum(np.abs(G * s) - A, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            conj = np.where(B > 0, (excess * excess).sum(axis=0) / (2.0 * B), 0.0)
        # For B = 0 only s <= s_feasible is feasible (excess is then 0 up to rounding).
        feasible = (B > 0) | (s <= s_feasible * (1.0 + 1e-12))
        best_dual = np.where(feasible, np.maximum(best_dual, dual - conj), best_dual)
    return np.maximum(primal - best_dual, 0.0) / n


def check_case(X, y, lambdas, alpha, results):
    """Objective values, suboptimality and duality gaps of each solver's path.

    results: {solver: (coefs (p, L), intercepts (L,))}. Returns a dict of per-solver
    figures (worst over lambda), all in units of the null deviance D0.
    """
    n = X.shape[0]
    mean = X.mean(axis=0)
    sd = np.sqrt(((X - mean) ** 2).mean(axis=0))
    ybar = y.mean()
    yc = y - ybar
    d0 = float(yc @ yc) / n

    objective, gap, gap_own = {}, {}, {}
    for name, (B, b0) in results.items():
        R = y[:, None] - b0[None, :] - X @ B  # residuals with the solver's own intercept
        W = sd[:, None] * B  # standardized coefficients
        loss = np.einsum("ij,ij->j", R, R) / (2 * n)
        pen = lambdas * (
            0.5 * (1 - alpha) * (W * W).sum(axis=0) + alpha * np.abs(W).sum(axis=0)
        )
        objective[name] = loss + pen
        Rc = R - R.mean(axis=0)  # optimal intercept: centered residual y~ - X~ w
        G = (X.T @ Rc) / sd[:, None]  # X~^T Rc (Rc sums to zero, so no mean term)
        gap[name] = elastic_net_gap(Rc, G, W, yc, lambdas, alpha) / d0
        if name == "glmnet" and alpha < 1:
            # glmnet's own objective: ridge part divided by sd(y) (1/n convention).
            gap_own[name] = elastic_net_gap(Rc, G, W, yc, lambdas, alpha, 1 / np.sqrt(d0)) / d0

    best = np.min(np.vstack(list(objective.values())), axis=0)
    # The best objective is within the smallest gap of any solver of the optimum: the worst
    # over lambda of that bound says how far the suboptimalities can be trusted.
    summary = {"null_deviance": d0, "solvers": {},
               "best_objective_certified_to": float(np.min(np.vstack(list(gap.values())),
                                                           axis=0).max())}
    for name in results:
        sub = (objective[name] - best) / d0
        k = int(np.argmax(sub))
        entry = {
            "worst_suboptimality": float(sub[k]),
            "worst_suboptimality_at": k,
            "worst_gap": float(gap[name].max()),
            "worst_gap_at": int(np.argmax(gap[name])),
            "nonzeros_last": int((results[name][0][:, -1] != 0).sum()),
        }
        if name in gap_own:
            entry["worst_gap_own_objective"] = float(gap_own[name].max())
        summary["solvers"][name] = entry
    return summary


# --------------------------------------------------------------------------------------------
# Environment
# --------------------------------------------------------------------------------------------


def run_text(cmd, cwd=None):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd).stdout.strip()
    except OSError:
        return ""


def cmake_cache(build_dir):
    cache = {}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                m = re.match(r"^([A-Za-z0-9_]+):[A-Z]+=(.*)$", line.strip())
                if m:
                    cache[m.group(1)] = m.group(2)
    except OSError:
        pass
    return cache


def eigen_version(cache):
    candidates = []
    if cache.get("Eigen3_DIR"):
        candidates.append(os.path.join(cache["Eigen3_DIR"], "Eigen3ConfigVersion.cmake"))
    candidates.append("/usr/share/eigen3/cmake/Eigen3ConfigVersion.cmake")
    for path in candidates:
        try:
            with open(path) as f:
                m = re.search(r'set\(PACKAGE_VERSION "([^"]+)"\)', f.read())
            if m:
                return m.group(1)
        except OSError:
            continue
    return "unknown"


def numpy_blas():
    """The BLAS numpy/scipy actually run: threadpoolctl if it sees one, else the alternative."""
    try:
        import threadpoolctl

        info = threadpoolctl.threadpool_info()
        blas = [i for i in info if i.get("user_api") == "blas"]
        if blas:
            return "; ".join(
                f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, "
                f"{i.get('num_threads')} threads) {i.get('filepath')}"
                for i in blas
            )
    except ImportError:
        pass
    lib = "/usr/lib/x86_64-linux-gnu/libblas.so.3"
    real = os.path.realpath(lib) if os.path.exists(lib) else "not found"
    kind = "reference (Netlib) BLAS, single-threaded" if "/blas/" in real else "see path"
    return f"{real} ({kind}; threadpoolctl sees no BLAS it can control)"


def environment(root, build_dir, out_dir=None):
    """Machine, versions and thread settings of this run (strings for RESULTS.md); glmnet's
    version is read from a result sidecar in out_dir (default: bench/compare/out)."""
    import scipy
    import sklearn

    def first_line(text, default="unknown"):
        return text.splitlines()[0] if text else default

    def env_vars(*names):
        return ", ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in names)

    cache = cmake_cache(os.path.join(root, build_dir))
    cpu = re.search(r"Model name:\s*(.+)", run_text(["lscpu"]))
    os_name = "unknown"
    try:
        with open("/etc/os-release") as f:
            os_name = re.search(r'PRETTY_NAME="([^"]+)"', f.read()).group(1)
    except (OSError, AttributeError):
        pass
    cxx = cache.get("CMAKE_CXX_COMPILER", "g++")
    if cache:
        flags = f"{cache.get('CMAKE_CXX_FLAGS_RELEASE', '')} -O3 -march=native".strip()
        openmp = cache.get("OpenMP_CXX_FLAGS")
        flags += f" {openmp}" if openmp else " (no OpenMP)"
    else:
        flags = f"n/a (no CMake cache in {build_dir})"
    head = run_text(["git", "rev-parse", "--short", "HEAD"], cwd=root)
    dirty = run_text(["git", "status", "--porcelain", "--", "include"], cwd=root)
    glmnet_info = "n/a"
    out_dir = out_dir or os.path.join(root, "bench", "compare", "out")
    for path in sorted(glob.glob(os.path.join(out_dir, "*.glmnet.bin.info"))):
        with open(path) as f:  # "glmnet V; R version; BLAS path; ..." (see run_glmnet.R)
            glmnet_info = "; ".join(part.strip() for part in f.read().split(";")[:3])
        break
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu.group(1).strip() if cpu else platform.processor()}, {os.cpu_count()} cores",
        "os": os_name,
        "cxx": first_line(run_text([cxx, "--version"]), cxx),
        "cxx_flags": flags,
        "eigen": eigen_version(cache),
        "priorreg": f"git {head}" + (" + uncommitted changes under include/" if dirty else ""),
        "glmnet": glmnet_info,
        "python": f"{platform.python_version()} ({sys.executable})",
        "sklearn": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}",
        "numpy_blas": numpy_blas(),
        "threads": env_vars("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"),
        "openblas_env": env_vars("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"),
    }


# --------------------------------------------------------------------------------------------
# Table, RESULTS.md, chart
# --------------------------------------------------------------------------------------------


def fmt_time(entry):
    if entry is None:
        return "n/a"
    text = f"{entry['median']:.3f}" if entry["median"] < 100 else f"{entry['median']:.1f}"
    if entry["runs"] != DEFAULT_RUNS:
        text += f" ({entry['runs']} run{'s' if entry['runs'] != 1 else ''})"
    return text


def fmt_sci(x):
    return "n/a" if x is None else f"{x:.1e}"


def ratio_of(summary):
    """min(glmnet, sklearn) / priorreg: > 1 means priorreg is faster."""
    t = summary["times"]
    others = [t[s]["median"] for s in ("glmnet", "sklearn") if t.get(s)]
    if not t.get("priorreg") or not others:
        return None
    return min(others) / t["priorreg"]["median"]


def describe(meta):
    kind = "lasso" if meta["alpha"] == 1 else f"elastic net alpha={meta['alpha']}"
    grid = f"{meta['n_lambda']} lambdas down to {meta['lambda_min_ratio']:g} lambda_max"
    if meta.get("source") == "diabetes-quadratic":
        return (f"real data: the diabetes data (tests/data/diabetes) with all pairwise "
                f"products and squares, n={meta['n']}, p={meta['p']}, {kind}, {grid}")
    corr = "independent columns" if meta["rho"] == 0 else f"Toeplitz corr {meta['rho']}"
    return f"n={meta['n']}, p={meta['p']}, {corr}, {meta['k']} true nonzeros, {kind}, {grid}"


def table_rows(summaries):
    header = [
        "case",
        "priorreg s",
        "glmnet s",
        "sklearn s",
        "ratio",
        "worst suboptimality (priorreg, glmnet, sklearn)",
    ]
    rows = []
    for s in summaries:
        sub = [
            fmt_sci(s["check"]["solvers"].get(name, {}).get("worst_suboptimality"))
            for name in SOLVERS
        ]
        ratio = ratio_of(s)
        rows.append(
            [
                s["case"],
                *(fmt_time(s["times"].get(name)) for name in SOLVERS),
                "n/a" if ratio is None else f"{ratio:.2f}",
                ", ".join(sub),
            ]
        )
    return header, rows


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def console_table(header, rows):
    widths = [max(len(x) for x in col) for col in zip(header, *rows)]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*("-" * w for w in widths))] +
                     [fmt.format(*r) for r in rows])


def gap_table(summaries):
    header = ["case", "priorreg", "glmnet", "sklearn", "notes"]
    rows = []
    for s in summaries:
        solvers = s["check"]["solvers"]
        notes = []
        own = solvers.get("glmnet", {}).get("worst_gap_own_objective")
        if own is not None:
            notes.append(f"glmnet on its own objective (ridge part / sd(y)): {own:.1e}")
        for name in SOLVERS:
            info = s.get("info", {}).get(name, "")
            m = re.search(r"convergence_warnings (\d+)", info)
            if m and int(m.group(1)):
                notes.append(f"{name}: {m.group(1)} ConvergenceWarnings")
            m = re.search(r"jerr (-?\d+)", info)
            if m and int(m.group(1)):
                notes.append(f"{name}: jerr {m.group(1)}")
        rows.append(
            [s["case"]]
            + [fmt_sci(solvers.get(name, {}).get("worst_gap")) for name in SOLVERS]
            + ["; ".join(notes)]
        )
    return markdown_table(header, rows)


def write_chart(summaries, out_dir, chart_path):
    """Bar chart of the ratios (log scale, bars from parity); n/a cases are labelled."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("report.py: gnuplot not found, no chart", file=sys.stderr)
        return
    data_path = os.path.join(out_dir, "ratios.dat")
    ratios = [ratio_of(s) for s in summaries]
    with open(data_path, "w") as f:
        f.write("# index case ratio label_y label color\n")
        for i, (s, r) in enumerate(zip(summaries, ratios)):
            if r is None:
                f.write(f'{i} "{s["case"]}" NaN 1.15 "n/a" 0\n')
            else:
                color = 0x2E8B57 if r >= 1 else 0xC0392B  # green: priorreg faster
                label_y = r * 1.2 if r >= 1 else r / 1.3  # above rising bars, below falling ones
                f.write(f'{i} "{s["case"]}" {r:.6g} {label_y:.6g} "{r:.2f}x" {color}\n')
    valid = [r for r in ratios if r is not None]
    lo = min(valid + [1.0]) / 2.5
    hi = max(valid + [1.0]) * 2.5
    title = "priorreg vs the faster of glmnet and scikit-learn (100-lambda path)"
    if not valid:
        title += "\\nno priorreg timings yet"
    script = f"""
set terminal pngcairo size 900,520 font "DejaVu Sans,11"
set output "{chart_path}"
set title "{title}"
set ylabel "time(faster of glmnet, sklearn) / time(priorreg)"
set xlabel "case   (above 1: priorreg faster)"
set logscale y
set yrange [{lo:g}:{hi:g}]
set xrange [-0.6:{len(summaries) - 0.4}]
set grid ytics
set key top left
set style fill solid 0.8 border -1
set xtics ({", ".join(f'"{s["case"]}" {i}' for i, s in enumerate(summaries))})
"""
    plots = []
    if valid:
        plots.append(
            f'"{data_path}" using 1:3:($1-0.3):($1+0.3):(1):3:6 '
            "with boxxyerror lc rgb variable notitle"
        )
    plots.append('1 with lines dt 2 lw 2 lc rgb "black" title "parity"')
    plots.append(
        f'"{data_path}" using 1:4:5 with labels notitle'
    )
    script += "plot " + ", \\\n     ".join(plots) + "\n"
    script_path = os.path.join(out_dir, "ratios.gp")
    with open(script_path, "w") as f:
        f.write(script)
    subprocess.run([gnuplot, script_path], check=True)


def blas_note(summaries, env):
    """A note on numpy's BLAS and the share of scikit-learn's time spent in its Gram matrix."""
    grams = []
    for s in summaries:
        m = re.search(r"gram_seconds ([0-9.]+)", s.get("info", {}).get("sklearn", ""))
        t = s["times"].get("sklearn")
        if m and t:
            grams.append(f"{s['case']} {float(m.group(1)):.3f} s of {t['median']:.3f} s")
    text = ("- scikit-learn's times depend strongly on numpy's BLAS (see Machine and versions): "
            "run.sh installs none of its own, and python3-sklearn installed with "
            "--no-install-recommends alone leaves Debian's reference BLAS, which makes the Gram "
            "matrix of precompute='auto' (n > p) an order of magnitude slower than OpenBLAS "
            "(libopenblas0-pthread) does. Compare runs only with the same BLAS.")
    if "reference" in env["numpy_blas"]:
        text = ("- numpy/scipy run the reference (Netlib) BLAS: Debian's python3-sklearn "
                "installed with --no-install-recommends brings no optimized BLAS, and the "
                "OPENBLAS_* variables have no effect on it. This slows scikit-learn where it "
                "relies on the BLAS: the Gram matrix of precompute='auto' (n > p) and the "
                "BLAS-1 calls of its coordinate descent.")
    if grams:
        text += (" The Gram matrix X~^T X~ alone, timed once with the same BLAS (not part of "
                 "the times): " + "; ".join(grams) + ".")
    return [text]


def write_results_md(path, summaries, env):
    header, rows = table_rows(summaries)
    preliminary = any(not s["times"].get("priorreg") for s in summaries)
    runs_note = sorted(
        {f"{s['case']} {name}" for s in summaries for name, t in s["times"].items()
         if t and t["runs"] != DEFAULT_RUNS}
    )
    lines = [
        "# priorreg vs glmnet vs scikit-learn: regularization paths",
        "",
        f"Produced by `{env['command']}` (from the repository root); last run {env['date']}.",
        "Rerun it to refresh; `bench/compare/run.sh D2 D3` reruns a subset and keeps the other "
        "rows.",
        "",
    ]
    if preliminary:
        lines += [
            "**Preliminary run without priorreg** for the rows marked n/a (last run: priorreg "
            f"{env.get('priorreg_status', 'not run')}). The glmnet and scikit-learn figures "
            "are real measurements on this machine.",
            "",
        ]
    lines += [
        markdown_table(header, rows),
        "",
        "![ratios](compare/ratios.png)",
        "",
        "## Cases",
        "",
    ]
    for s in summaries:
        load = s.get("load", [])
        load_text = f"; other processes used {load[0]:.2f} cores" if load else ""
        version = f"; priorreg {s.get('priorreg')}" if s["times"].get("priorreg") else ""
        seed = f"seed {s['meta']['seed']}; " if "seed" in s["meta"] else ""
        lines.append(f"- **{s['case']}**: {describe(s['meta'])} ({seed}"
                     f"measured {s['date']}{load_text}{version})")
    lines += [
        "",
        "The synthetic data (X with N(0,1) columns, y = 1 + X beta + N(0,1) noise, nonzeros "
        "of beta spread evenly over the columns with magnitudes 1..2 and alternating signs) "
        "and the real-data case are written once by `bench/compare/gen_data.py` (numpy's "
        "`default_rng(seed)` for the synthetic ones) and "
        "read by all three from the same binary file, including the lambda grid: "
        "lambda_max = max_j |x~_j^T (y - ybar)| / (n alpha) on the standardized columns, "
        "then 100 log-spaced values down to 1e-4 lambda_max (n > p) or 1e-2 (n <= p).",
        "",
        "## Notes",
        "",
        "- Times are wall-clock seconds, the median of "
        f"{DEFAULT_RUNS} runs"
        + (f" (except {', '.join(runs_note)})" if runs_note else "")
        + ", each fitting the whole 100-lambda path in-process after the data were loaded"
        + (f"; the runs were made in {ROUNDS} rounds of {RUNS_PER_ROUND} per solver, the three "
           "solvers taking turns, so that a slow spell of the shared machine does not fall on "
           "one solver alone" if ROUNDS > 1 else "")
        + (f". Each round is a fresh process whose first {WARMUP} run(s) are not timed: they "
           "pay for first-touch memory (expensive on this virtual machine) and cold caches. "
           "The cold first runs are shown below the gap table." if WARMUP > 0 else "."),
        "- priorreg: `fit_path` with the explicit grid (Lasso for alpha = 1, ElasticNet "
        "otherwise), standardize and intercept on, default tolerance 1e-7 (duality gap "
        "relative to the null deviance); built with -O3 -march=native.",
        "- glmnet: the whole `glmnet(x, y, family = \"gaussian\", alpha, lambda = grid, "
        "standardize = TRUE, intercept = TRUE)` call is timed (its standardization included). "
        "`glmnet.control(fdev = 0, devmax = 1)` switches off glmnet's early exit from the path "
        "so that all 100 lambdas are fitted, as by the others; otherwise defaults "
        "(thresh = 1e-7, type.gaussian = covariance for p < 500, else naive).",
        "- scikit-learn: `enet_path(X~, y~, l1_ratio = alpha, alphas = grid)` with the defaults "
        "(precompute = 'auto', i.e. a Gram matrix when n > p, tol = 1e-4, max_iter = 1000) on "
        "X~ = (X - mean)/sd (1/n sd) and y~ = y - ybar; only the `enet_path` call is timed. "
        "The standardization is data preparation and not timed, so scikit-learn gets that step "
        "for free while glmnet and priorreg pay for it. Coefficients are mapped back to the "
        "original scale (beta_j = w_j / sd_j, b0 = ybar - mean^T beta).",
        *blas_note(summaries, env),
        "- ratio = min(glmnet s, sklearn s) / priorreg s: above 1 priorreg is faster than both.",
        "- Suboptimality: at each lambda every solution is scored with "
        "(1/(2n)) sum (y_i - b0 - x_i^T beta)^2 + lambda sum_j [(1-alpha)/2 (s_j beta_j)^2 + "
        "alpha |s_j beta_j|] (s_j: 1/n standard deviation of column j), in numpy float64; the "
        "table shows, per solver, the worst over lambda of (its value - the best of the three) "
        "/ null deviance (1/n) sum (y - ybar)^2. 0 means it was the best at every lambda.",
        "- For alpha < 1 (D4) glmnet standardizes y internally, which divides its ridge part by "
        "sd(y): it solves a different problem, so its suboptimality in the table (our "
        "definition) is not a convergence error. Its duality gap on its own objective is given "
        "below.",
        "- \"Other processes used N cores\" in the case list: the average number of cores (of "
        f"{os.cpu_count()}) kept busy by anything but the solvers while the case ran, from "
        "/proc/stat minus the solvers' own CPU time; well above 0 means other work competed "
        "with the timings.",
        "",
        "Duality-gap certificates (worst over lambda, relative to the null deviance; intercept "
        "re-optimized). A gap bounds the solution's distance to the true optimum of the "
        "objective above, independently of the other solvers. It is an upper bound, and a "
        "loose one for a solver that does not stop on it: at small lambda a small absolute "
        "error in the gradient is a large relative KKT violation, which the dual point must be "
        "scaled down for, so glmnet's and scikit-learn's gaps can exceed their actual "
        "suboptimality (table above) by orders of magnitude. priorreg stops on this gap "
        "(tolerance 1e-7); scikit-learn stops on a gap of tol = 1e-4 (relative to sum y~^2).",
        "",
        gap_table(summaries),
        "",
        *cold_table(summaries),
        *machine_lines(env),
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def machine_lines(env):
    """The "Machine and versions" section of a results file."""
    return [
        "## Machine and versions",
        "",
        f"- CPU: {env['cpu']}; OS: {env['os']}",
        f"- C++: {env['cxx']}; flags {env['cxx_flags']}; Eigen {env['eigen']}; "
        f"priorreg {env['priorreg']}",
        f"- R / glmnet: {env['glmnet']}",
        f"- Python: {env['python']}; {env['sklearn']}",
        f"- numpy/scipy BLAS: {env['numpy_blas']}",
        f"- Threads: {env['threads']}",
        f"- OpenBLAS variables, left as found: {env['openblas_env']}",
        "",
    ]


def cold_table(summaries):
    """The first run of each fresh process (median over rounds), when they were recorded."""
    if not any(any(s.get("cold", {}).values()) for s in summaries):
        return []
    rows = []
    for s in summaries:
        cold = s.get("cold", {})
        rows.append([s["case"], *(fmt_time(cold.get(name)).split(" ")[0]
                                  for name in SOLVERS)])
    return [
        "Cold first run: seconds of the first fit_path / glmnet / enet_path call in a fresh "
        "process (median over the rounds), not part of the table above.",
        "",
        markdown_table(["case", *SOLVERS], rows),
        "",
    ]


def median_times(path):
    try:
        times = read_times(path)
    except OSError:
        return None
    if not times:
        return None
    return {"median": float(np.median(times)), "runs": len(times), "all": times}


def summarize_case(case, data_dir, out_dir, solvers=SOLVERS):
    """Times, check and sidecar info of one case's results in out_dir (of the given solvers:
    out_dir/<case>.<solver>.bin etc.); the check's best objective is over all of them."""
    with open(os.path.join(data_dir, case + ".json")) as f:
        meta = json.load(f)
    X, y, lambdas = read_case(os.path.join(data_dir, case + ".bin"))
    results, times, cold, info = {}, {}, {}, {}
    for name in solvers:
        base = os.path.join(out_dir, f"{case}.{name}")
        times[name] = median_times(base + ".times")
        cold[name] = median_times(base + ".cold")
        try:
            coefs, intercepts = read_result(base + ".bin")
        except (OSError, ValueError):
            times[name] = None  # no usable solution: do not report a time either
            continue
        if coefs.shape != (X.shape[1], len(lambdas)) or not np.all(np.isfinite(coefs)):
            print(f"report.py: {case} {name}: bad result shape or values, ignored", file=sys.stderr)
            times[name] = None
            continue
        results[name] = (coefs, intercepts)
        try:
            with open(base + ".bin.info") as f:
                info[name] = f.read().strip()
        except OSError:
            pass
    try:
        with open(os.path.join(out_dir, case + ".load")) as f:
            load = [float(v) for v in f.read().split()]
    except (OSError, ValueError):
        load = []
    check = (
        check_case(X, y, lambdas, meta["alpha"], results)
        if results
        else {"null_deviance": None, "solvers": {}}
    )
    return {
        "case": case,
        "meta": meta,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "times": times,
        "cold": cold,
        "check": check,
        "info": info,
        "load": load,
    }


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=os.path.abspath(os.path.join(HERE, "..", "..")))
    ap.add_argument("--build-dir", default="build-bench")
    ap.add_argument("--command", default="bench/compare/run.sh")
    ap.add_argument("--priorreg-status", default="ran",
                    help="what happened to the priorreg driver (shown when its column is n/a)")
    ap.add_argument("cases", nargs="*", help="cases to check; none: only re-render the report")
    args = ap.parse_args(argv)

    here = os.path.join(args.root, "bench", "compare")
    data_dir, out_dir = os.path.join(here, "data"), os.path.join(here, "out")
    env_path = os.path.join(out_dir, "environment.json")
    if args.cases:
        env = environment(args.root, args.build_dir)
        env["command"] = args.command
        env["priorreg_status"] = args.priorreg_status
        with open(env_path, "w") as f:
            json.dump(env, f, indent=1)
        for case in args.cases:
            print(f"  checking {case} ...", flush=True)
            summary = summarize_case(case, data_dir, out_dir)
            summary["priorreg"] = env["priorreg"]
            with open(os.path.join(out_dir, case + ".summary.json"), "w") as f:
                json.dump(summary, f, indent=1)
    else:
        try:  # re-render: the environment of the last measurement
            with open(env_path) as f:
                env = json.load(f)
        except OSError:
            print(f"report.py: no {env_path}: run bench/compare/run.sh first", file=sys.stderr)
            return 1

    # Every case with a summary, this run's and earlier ones, in case order.
    summaries = []
    for path in glob.glob(os.path.join(out_dir, "*.summary.json")):
        with open(path) as f:
            summaries.append(json.load(f))
    summaries.sort(key=lambda s: s["case"])

    header, rows = table_rows(summaries)
    print()
    print(console_table(header, rows))
    print("(seconds, median of runs; ratio = faster of glmnet/sklearn / priorreg; "
          "suboptimality relative to the null deviance)")
    results_md = os.path.join(args.root, "bench", "RESULTS.md")
    write_results_md(results_md, summaries, env)
    chart = os.path.join(here, "ratios.png")
    write_chart(summaries, out_dir, chart)
    print(f"\nwrote {os.path.relpath(results_md, args.root)} and "
          f"{os.path.relpath(chart, args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
