// priorreg-fit: OLS, ridge, lasso or elastic net on a CSV file, from the command line, and the
// posteriors of Bayesian ridge, the Bayesian lasso and the horseshoe.
//
//   priorreg-fit DATA.csv [--target NAME]
//                [--model ols|ridge|lasso|enet|bayes-ridge|bayes-lasso|horseshoe] [--draws N]
//                [--lambda L | --path | --cv K] [--alpha A] [--no-standardize]
//                [--no-intercept] [--weights NAME] [--format csv|json] [--output FILE]
//                [--plot DIR] [--seed S] [--level P] [--tolerance T] [--nlambda N]
//                [--lambda-min-ratio R] [--threads N] [--sep C] [--decimal C] [--drop COLS]
//                [--na error|drop] [--categorical auto|off] [--foldid COL]
//                [--penalty-factor NAME=V,...] [--save-model FILE] [--stream]
//                [--chunk-bytes N]
//   priorreg-fit predict MODEL.json NEW.csv [--lambda L] [--output FILE] [--sep C]
//                [--decimal C] [--na error|skip]
//
// Exit status: 0 on success, 1 for bad data or a failed fit or write, 2 for a usage error or
// an option value out of range. Every error is one line on stderr (usage errors add the
// usage); no output file is left behind by a failed run (see staged_files.hpp).

#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <priorreg/priorreg.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "csv_table.hpp"
#include "design.hpp"
#include "gnuplot.hpp"
#include "json_writer.hpp"
#include "model_file.hpp"
#include "posterior_table.hpp"
#include "staged_files.hpp"
#include "stream_design.hpp"

namespace {

using priorreg_fit::csv_field;
using priorreg_fit::DataError;
using priorreg_fit::Design;
using priorreg_fit::format_number;
using priorreg_fit::JsonWriter;

constexpr const char* kUsage =
    "usage: priorreg-fit DATA.csv [--target NAME]\n"
    "                    [--model ols|ridge|lasso|enet|bayes-ridge|bayes-lasso|horseshoe]\n"
    "                    [--lambda L | --path | --cv K] [--alpha A] [--no-standardize]\n"
    "                    [--no-intercept] [--weights NAME] [--format csv|json]\n"
    "                    [--output FILE] [--plot DIR] [--seed S] [--level P]\n"
    "                    [--tolerance T] [--nlambda N] [--lambda-min-ratio R] [--threads N]\n"
    "                    [--sep C] [--decimal C] [--drop COLS] [--na error|drop]\n"
    "                    [--categorical auto|off] [--foldid COL] [--penalty-factor NAME=V,...]\n"
    "                    [--save-model FILE] [--stream] [--chunk-bytes N]\n"
    "       priorreg-fit predict MODEL.json NEW.csv [--lambda L] [--output FILE] [--sep C]\n"
    "                    [--decimal C] [--na error|skip]\n"
    "Run 'priorreg-fit --help' (or 'priorreg-fit predict --help') for the options.\n";

/// An option value out of range or inconsistent options: one line, exit status 2.
class OptionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Mode { fit, path, cv, posterior };

struct Options {
    std::string data;
    std::string target;
    std::string model;
    std::string weights;
    std::string format = "csv";
    std::string output;
    std::string plot_dir;
    double lambda = 0;
    bool path = false;
    int folds = 0;
    double alpha = 0.5;
    bool no_standardize = false;
    bool no_intercept = false;
    std::uint64_t seed = 1;
    std::string seed_text;
    double level = 0.95;
    double tolerance = 1e-7;
    int n_lambda = 100;
    double lambda_min_ratio = -1; // glmnet's default by shape
    int draws = 2000;             // the samplers' draws per chain
    int threads = 0;
    std::string sep; // "", ",", ";", "tab" or a tab
    std::string decimal = ".";
    std::vector<std::string> drop;
    std::string na = "error";
    std::string categorical = "auto";
    std::string foldid;
    std::vector<std::string> penalty_factors; // NAME=V
    std::string save_model;
    bool stream = false;                             // --stream
    std::size_t chunk_bytes = std::size_t(16) << 20; // --chunk-bytes
    priorreg_fit::CsvFormat csv;
    // Which options were given.
    bool lambda_given = false;
    bool cv_given = false;
    bool alpha_given = false;
    bool seed_given = false;
    bool level_given = false;
    bool tolerance_given = false;
    bool grid_given = false;        // --nlambda or --lambda-min-ratio
    bool folds_from_column = false; // --foldid without --cv K
    bool draws_given = false;
    bool chunk_bytes_given = false;
    Mode mode = Mode::fit;
};

/// The CSV format of --sep and --decimal.
priorreg_fit::CsvFormat csv_format(const std::string& sep, const std::string& decimal) {
    priorreg_fit::CsvFormat format;
    if (decimal == ",")
        format.decimal = ',';
    else if (decimal != ".")
        throw OptionError("--decimal: expected . or , (got \"" + decimal + "\")");
    if (sep == "," || sep == ";")
        format.separator = sep[0];
    else if (sep == "tab" || sep == "\t" || sep == "\\t")
        format.separator = '\t';
    else if (!sep.empty())
        throw OptionError("--sep: expected , ; or tab (got \"" + sep + "\")");
    if (format.separator == format.decimal)
        throw OptionError("--sep and --decimal: both are \",\"");
    return format;
}

/// The checks shared by every model: the CSV format and the data options.
void resolve_data_options(Options& o) {
    if (!o.weights.empty() && o.weights == o.target)
        throw OptionError("--weights: the weights column cannot be the target");
    o.csv = csv_format(o.sep, o.decimal);
    if (o.na != "error" && o.na != "drop")
        throw OptionError("--na: expected error or drop, got \"" + o.na + "\"");
    if (o.categorical != "auto" && o.categorical != "off")
        throw OptionError("--categorical: expected auto or off, got \"" + o.categorical + "\"");
    if (o.threads < 0)
        throw OptionError("--threads: must be >= 0 (0: every core), got " +
                          std::to_string(o.threads));
    if (o.seed_given) {
        const char* first = o.seed_text.data();
        const char* last = first + o.seed_text.size();
        const auto parsed = std::from_chars(first, last, o.seed);
        if (o.seed_text.empty() || parsed.ec != std::errc() || parsed.ptr != last)
            throw OptionError("--seed: must be an integer in [0, 2^64), got \"" + o.seed_text +
                              "\"");
    }
    if (o.level_given && !(o.level > 0 && o.level < 1))
        throw OptionError("--level: must lie strictly between 0 and 1, got " +
                          format_number(o.level));
}

/// --stream: what a fit from statistics read chunk by chunk can serve.
void resolve_stream(const Options& o) {
    if (!o.stream)
        return;
    if (o.mode == Mode::posterior || o.model == "ols")
        throw OptionError("--stream: --model " + o.model +
                          " needs the rows in memory; --stream fits ridge, lasso and enet "
                          "(least squares: --model ridge --lambda 0)");
    if (!o.foldid.empty())
        throw OptionError("--stream: --foldid is not available (a fold column's labels need the "
                          "whole file); --cv K folds the rows by a seeded hash of their number");
    if (o.no_intercept)
        throw OptionError("--stream: needs the intercept (the statistics are centered); drop "
                          "--no-intercept");
    if (o.chunk_bytes < 1)
        throw OptionError("--chunk-bytes: must be at least 1");
    if (o.mode == Mode::cv && o.folds > 1000)
        throw OptionError("--stream --cv: at most 1000 folds (each keeps p x p statistics), got " +
                          std::to_string(o.folds));
}

/// The checks of --chunk-bytes, for every model.
void resolve_chunk_bytes(const Options& o) {
    if (o.chunk_bytes_given && !o.stream)
        throw OptionError("--chunk-bytes: applies to --stream");
}

/// The posterior models: bayes-ridge (exact), bayes-lasso and horseshoe (Gibbs sampling).
/// They take the data options, --level (the credible interval), --seed and --draws (the
/// samplers), --lambda (bayes-lasso: the Laplace prior's rate in units of the noise's sd;
/// without it a Gamma(1, 0.01) hyperprior on its square), and none of the path's options.
void resolve_posterior(Options& o) {
    const std::string model = "--model " + o.model + ": ";
    if (o.path || o.cv_given || !o.foldid.empty())
        throw OptionError(model + "a posterior model takes no --path, --cv or --foldid");
    if (o.alpha_given || !o.penalty_factors.empty() || o.grid_given || o.tolerance_given)
        throw OptionError(model + "takes no --alpha, --penalty-factor, --nlambda, "
                                  "--lambda-min-ratio or --tolerance");
    if (!o.plot_dir.empty() || !o.save_model.empty())
        throw OptionError(model + "--plot and --save-model are not available for it yet");
    if (o.lambda_given && o.model != "bayes-lasso")
        throw OptionError(model + "takes no --lambda (only bayes-lasso has a rate to fix)");
    if (o.lambda_given && !(std::isfinite(o.lambda) && o.lambda > 0))
        throw OptionError("--lambda: bayes-lasso's rate must be a finite number > 0, got " +
                          format_number(o.lambda));
    if (o.draws_given && o.model == "bayes-ridge")
        throw OptionError(model + "takes no --draws (its posterior is exact, not sampled)");
    if (o.seed_given && o.model == "bayes-ridge")
        throw OptionError(model + "takes no --seed (nothing is random in it)");
    if (o.draws < 4)
        throw OptionError("--draws: at least 4 per chain, got " + std::to_string(o.draws));
    resolve_data_options(o);
    o.mode = Mode::posterior;
    resolve_stream(o);
}

/// Checks the option values and resolves the model (defaults: `enet` when --alpha is given,
/// else `lasso` with one of --lambda/--path/--cv, else `ols`).
void resolve(Options& o) {
    resolve_chunk_bytes(o);
    if (!o.foldid.empty() && !o.cv_given) { // --foldid alone: CV over the column's folds
        o.cv_given = true;
        o.folds_from_column = true;
    }
    if (!o.format.empty() && o.format != "csv" && o.format != "json")
        throw OptionError("--format: unknown format \"" + o.format + "\" (expected csv or json)");
    if (o.lambda_given && !(std::isfinite(o.lambda) && o.lambda >= 0))
        throw OptionError("--lambda: must be a finite number >= 0, got " + format_number(o.lambda));
    if (o.alpha_given && !(o.alpha >= 0 && o.alpha <= 1))
        throw OptionError("--alpha: must be in [0, 1], got " + format_number(o.alpha));
    if (o.cv_given && !o.folds_from_column && o.folds < 2)
        throw OptionError("--cv: needs at least 2 folds, got " + std::to_string(o.folds));

    const bool has_penalty_option = o.lambda_given || o.path || o.cv_given;
    if (o.model.empty())
        o.model = o.alpha_given ? "enet" : has_penalty_option ? "lasso" : "ols";
    if (o.model == "bayes-ridge" || o.model == "bayes-lasso" || o.model == "horseshoe") {
        resolve_posterior(o);
        return;
    }
    if (o.model != "ols" && o.model != "ridge" && o.model != "lasso" && o.model != "enet")
        throw OptionError("--model: unknown model \"" + o.model +
                          "\" (expected ols, ridge, lasso, enet, bayes-ridge, bayes-lasso or "
                          "horseshoe)");
    if (o.draws_given)
        throw OptionError("--draws: applies to the samplers (--model bayes-lasso, horseshoe)");
    if (o.model == "ols" && has_penalty_option)
        throw OptionError("--model ols: takes no --lambda, --path or --cv (OLS has no penalty)");
    if (o.model != "ols" && !has_penalty_option)
        throw OptionError("--model " + o.model + ": needs --lambda L, --path or --cv K");
    if (o.alpha_given && o.model != "enet")
        throw OptionError("--alpha: applies to --model enet only (the model is " + o.model + ")");
    resolve_data_options(o);
    if (o.seed_given && !o.cv_given)
        throw OptionError("--seed: applies to --cv and the samplers (bayes-lasso, horseshoe)");
    if (o.tolerance_given && !(std::isfinite(o.tolerance) && o.tolerance > 0))
        throw OptionError("--tolerance: must be a finite number > 0, got " +
                          format_number(o.tolerance));
    if (o.n_lambda < 1)
        throw OptionError("--nlambda: must be at least 1, got " + std::to_string(o.n_lambda));
    if (o.lambda_min_ratio != -1 && !(o.lambda_min_ratio > 0 && o.lambda_min_ratio < 1))
        throw OptionError("--lambda-min-ratio: must lie strictly between 0 and 1, got " +
                          format_number(o.lambda_min_ratio));
    if (o.grid_given && !(o.path || o.cv_given || !o.plot_dir.empty()))
        throw OptionError("--nlambda and --lambda-min-ratio: set the grid of --path, --cv or "
                          "--plot");
    if (o.level_given && o.model != "ols")
        throw OptionError("--level: applies to --model ols (the confidence intervals of least "
                          "squares) and the posterior models (the credible intervals)");
    if (!o.plot_dir.empty() && o.model == "ols")
        throw OptionError("--plot: plots a regularization path; give --lambda, --path or --cv");
    if (!o.foldid.empty() && o.seed_given)
        throw OptionError("--foldid and --seed: the fold ids leave nothing to seed");
    if (!o.penalty_factors.empty() && o.model == "ols")
        throw OptionError("--penalty-factor: applies to a penalized model (ols has no penalty)");
    o.mode = o.cv_given ? Mode::cv : o.path ? Mode::path : Mode::fit;
    resolve_stream(o);
}

// ------------------------------------------------------------------------------ data

/// --stream allocates buffers of a chunk's size for every chunk (its table, its design, the
/// statistics' centered rows) and frees them again. glibc maps each such block afresh and
/// returns it on free, so every chunk pays a page fault per 4 KiB: on 10^6 rows x 50 columns
/// (455 MB, chunks of 16 MiB) 2.8 s against 1.7 s with the freed blocks kept for the next
/// chunk (this setting; the largest mmap threshold glibc accepts is 32 MiB, above a default
/// chunk's blocks).
void keep_freed_chunks() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

/// The design of `o.data` (design.hpp): the table in memory, or with --stream its rows
/// summarized chunk by chunk (stream_design.hpp).
Design load(const Options& o) {
    priorreg_fit::DesignRequest request;
    request.target = o.target;
    request.weights = o.weights;
    request.foldid = o.foldid;
    request.drop = o.drop;
    request.drop_missing = o.na == "drop";
    request.categorical = o.categorical == "auto";
    if (o.stream) {
        keep_freed_chunks();
        priorreg_fit::CsvChunkReader reader(o.data, o.csv, o.chunk_bytes);
        return priorreg_fit::stream_design(reader, request, o.mode == Mode::cv ? o.folds : 1,
                                           o.seed);
    }
    const priorreg_fit::CsvTable table = priorreg_fit::read_csv_file(o.data, o.csv);
    return priorreg_fit::build_design(table, request);
}

/// The penalty factor of every term from NAME=V items: NAME is a term or an input column (all
/// of its terms); the others keep 1.
Eigen::VectorXd penalty_factors(const Options& o, const Design& d) {
    Eigen::VectorXd factors = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(d.terms.size()));
    for (const std::string& item : o.penalty_factors) {
        const auto equals = item.rfind('=');
        if (equals == std::string::npos || equals == 0)
            throw OptionError("--penalty-factor: expected NAME=V, got \"" + item + "\"");
        const std::string name = item.substr(0, equals), text = item.substr(equals + 1);
        double value = 0;
        const auto parsed = fast_float::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() ||
            !(std::isfinite(value) && value >= 0))
            throw OptionError("--penalty-factor: " + name +
                              ": expected a finite number >= 0, got \"" + text + "\"");
        bool found = false;
        for (std::size_t j = 0; j < d.terms.size(); ++j)
            if (d.terms[j] == name || d.inputs[d.term_input[j]].name == name) {
                factors(static_cast<Eigen::Index>(j)) = value;
                found = true;
            }
        if (!found)
            throw OptionError("--penalty-factor: no feature or term \"" + name + "\"");
    }
    return factors;
}

// ------------------------------------------------------------------------------ fitting

struct Coefficients {
    double intercept = 0;
    Eigen::VectorXd coef;
};

struct PathTable {
    Eigen::VectorXd lambdas;
    Eigen::VectorXd dev_ratio;
    Eigen::VectorXd intercepts;
    Eigen::MatrixXd coefs; // p x L
    std::vector<Eigen::Index> df;
};

struct Report {
    Mode mode = Mode::fit;
    int folds = 0; // --cv
    std::string model;
    double alpha = 0;
    // --lambda and ols
    double lambda = 0;
    Coefficients fit;
    // --path (and the plotted path of the other modes)
    PathTable path;
    // --cv
    Eigen::VectorXd mean_errors;
    Eigen::VectorXd standard_errors;
    std::vector<Eigen::Index> nonzeros;
    double lambda_min = 0;
    double lambda_1se = 0;
    Coefficients at_min;
    Coefficients at_1se;
    // ols: standard errors, tests and intervals (LinearRegression::summary)
    std::optional<priorreg::LeastSquaresSummary<double>> inference;
    // the posterior models
    std::optional<priorreg_fit::PosteriorTable> posterior;
    std::vector<std::string> warnings;
};

template <class Model> Coefficients coefficients(const Model& model) {
    return Coefficients{model.intercept(), model.coef()};
}

template <class PathType> PathTable path_table(const PathType& path) {
    PathTable table;
    table.lambdas = path.lambdas();
    table.dev_ratio = path.dev_ratio();
    table.intercepts = path.intercepts();
    table.coefs = path.coefs();
    table.df.assign(path.df().data(), path.df().data() + path.df().size());
    return table;
}

const char* status_text(priorreg::Status status) {
    return status == priorreg::Status::NoConvergence ? "did not converge"
                                                     : "ran into a numerical problem";
}

template <class Prior>
Report run(priorreg::MapRegression<Prior> model, const Options& o, const Design& d) {
    model.set_standardize(!o.no_standardize)
        .set_fit_intercept(!o.no_intercept)
        .set_tolerance(o.tolerance)
        .set_threads(o.threads);
    if constexpr (!std::is_same_v<Prior, priorreg::FlatPrior<double>>)
        if (!o.penalty_factors.empty())
            model.set_penalty_factors(penalty_factors(o, d));
    Report report;
    report.mode = o.mode;
    report.model = o.model;
    report.alpha = model.alpha();

    if constexpr (std::is_same_v<Prior, priorreg::FlatPrior<double>>) {
        d.weighted ? model.fit(d.X, d.y, d.w) : model.fit(d.X, d.y);
        report.fit = coefficients(model);
        report.inference =
            d.weighted ? model.summary(d.X, d.y, d.w, o.level) : model.summary(d.X, d.y, o.level);
        const Eigen::Index columns = d.X.cols() + (o.no_intercept ? 0 : 1);
        if (model.rank() < columns)
            report.warnings.push_back(
                "the design is rank deficient (rank " + std::to_string(model.rank()) + " of " +
                std::to_string(columns) +
                " columns); the estimate is one of many (the minimum-norm one), and the terms "
                "that depend on earlier ones have no standard error (NA)");
        if (model.info() != priorreg::Status::Success)
            report.warnings.push_back(std::string("the fit ") + status_text(model.info()));
    } else {
        priorreg::PathOptions grid;
        grid.n_lambda = o.n_lambda;
        grid.lambda_min_ratio = o.lambda_min_ratio;
        grid.keep_data = false; // the tool reads the grid's own solutions only
        auto fit_path = [&]() {
            return d.statistics ? model.fit_path(*d.statistics, grid)
                   : d.weighted ? model.fit_path(d.X, d.y, d.w, grid)
                                : model.fit_path(d.X, d.y, grid);
        };
        if (o.mode == Mode::fit) {
            if (d.statistics)
                model.fit(*d.statistics);
            else
                d.weighted ? model.fit(d.X, d.y, d.w) : model.fit(d.X, d.y);
            report.lambda = model.lambda();
            report.fit = coefficients(model);
            if (model.info() != priorreg::Status::Success)
                report.warnings.push_back("the fit at lambda " + format_number(model.lambda()) +
                                          " " + status_text(model.info()));
            if (!o.plot_dir.empty())
                report.path = path_table(fit_path());
        } else if (o.mode == Mode::path) {
            const auto path = fit_path();
            report.path = path_table(path);
            if (path.info() != priorreg::Status::Success)
                report.warnings.push_back(std::string("the path ") + status_text(path.info()) +
                                          " at every lambda");
        } else {
            if (!d.folds.empty() && !o.folds_from_column && o.folds != d.fold_count)
                throw OptionError("--cv " + std::to_string(o.folds) + ": the --foldid column \"" +
                                  o.foldid + "\" holds " + std::to_string(d.fold_count) +
                                  " fold ids");
            report.folds = d.folds.empty() ? o.folds : d.fold_count;
            if (d.folds.empty() && o.folds > d.rows())
                throw OptionError("--cv: " + std::to_string(o.folds) + " folds but " + o.data +
                                  " has only " + std::to_string(d.rows()) + " data rows");
            if (d.statistics) // hashed folds: a few rows can leave one empty
                for (int k = 0; k < o.folds; ++k)
                    if (d.statistics->fold_cross_products(k).rows == 0)
                        throw OptionError("--stream --cv " + std::to_string(o.folds) + ": fold " +
                                          std::to_string(k + 1) + " holds none of the " +
                                          std::to_string(d.rows()) +
                                          " rows (the rows are hashed into folds); use fewer "
                                          "folds, or fit without --stream");
            priorreg::CrossValidationOptions options;
            options.folds = o.folds;
            options.seed = o.seed;
            options.fold_ids = d.folds; // --foldid (else empty: seeded folds)
            options.threads = o.threads;
            options.path = grid;
            priorreg::CrossValidation<Prior> cv(model, options);
            if (d.statistics)
                cv.fit(*d.statistics); // the statistics' folds: o.folds, seeded by o.seed
            else
                d.weighted ? cv.fit(d.X, d.y, d.w) : cv.fit(d.X, d.y);
            report.mean_errors = cv.mean_errors();
            report.standard_errors = cv.standard_errors();
            report.nonzeros.assign(cv.nonzeros().data(),
                                   cv.nonzeros().data() + cv.nonzeros().size());
            report.lambda_min = cv.lambda_min();
            report.lambda_1se = cv.lambda_1se();
            if (cv.minimum_position() == priorreg::GridPosition::smallest)
                report.warnings.push_back(
                    "the CV error is least at the smallest lambda of the grid (" +
                    format_number(cv.lambda_min()) +
                    "): it may fall further below it; a grid reaching lower "
                    "(--lambda-min-ratio) would show whether it does, down to least squares "
                    "(lambda 0, --model ols), which is a legitimate answer");
            else if (cv.minimum_position() == priorreg::GridPosition::largest)
                report.warnings.push_back(
                    "the CV error is least at the largest lambda of the grid (" +
                    format_number(cv.lambda_min()) +
                    "): no penalty weak enough to let a feature in lowers it");
            report.at_min = coefficients(cv.model());
            // The CV grid is the path on all rows; the 1se refit is that path's solution there.
            const auto path = fit_path();
            report.at_1se = coefficients(path.model(cv.index_1se()));
            report.path = path_table(path);
            if (path.info() != priorreg::Status::Success)
                report.warnings.push_back(std::string("the path on all rows ") +
                                          status_text(path.info()) + " at every lambda");
        }
    }
    return report;
}

/// The posterior models (resolve_posterior): the exact Gaussian posterior of bayes-ridge, or 4
/// chains of the Gibbs sampler (1000 sweeps of burn-in, --draws kept each, seeded by --seed).
Report run_posterior(const Options& o, const Design& d) {
    Report report;
    report.mode = Mode::posterior;
    report.model = o.model;
    report.lambda = o.lambda_given ? o.lambda : std::nan("");
    const bool intercept = !o.no_intercept;
    if (o.model == "bayes-ridge") {
        priorreg::BayesianRidge model;
        model.set_fit_intercept(intercept)
            .set_standardize(!o.no_standardize)
            .set_threads(o.threads);
        const Eigen::VectorXd w = d.weighted ? d.w : Eigen::VectorXd::Ones(d.X.rows());
        model.fit(d.X, d.y, w);
        if (model.info() != priorreg::Status::Success)
            report.warnings.push_back(std::string("the evidence's fixed point ") +
                                      status_text(model.info()));
        report.posterior =
            priorreg_fit::summarize_bayesian_ridge(model, d.X, w, d.terms, o.level, intercept);
        return report;
    }
    priorreg::SamplerOptions options;
    options.draws = o.draws;
    options.burn_in = 1000;
    options.chains = 4;
    options.seed = o.seed;
    options.threads = o.threads;
    const auto sample = [&](auto model) {
        model.set_fit_intercept(intercept).set_standardize(!o.no_standardize);
        return d.weighted ? model.sample(d.X, d.y, d.w, options) : model.sample(d.X, d.y, options);
    };
    const priorreg::PosteriorSamples samples =
        o.model == "horseshoe" ? sample(priorreg::HorseshoeRegression())
        : o.lambda_given       ? sample(priorreg::BayesianLasso(o.lambda))
                               : sample(priorreg::BayesianLasso(
                                     priorreg::LaplaceMixture::with_gamma_hyperprior(1, 0.01)));
    if (samples.info() != priorreg::Status::Success)
        report.warnings.push_back("a chain ran into a numerical problem; its remaining draws are "
                                  "missing and the summaries are NaN");
    report.posterior = priorreg_fit::summarize_samples(samples, d.terms, o.level, intercept);
    double worst = 1;
    for (const auto& row : report.posterior->rows)
        worst = std::isnan(row.rhat) ? worst : std::max(worst, row.rhat);
    if (worst > 1.01)
        report.warnings.push_back("split-R-hat reaches " + format_number(worst) +
                                  ": the chains disagree; read nothing from the summaries before "
                                  "a run with more --draws agrees");
    return report;
}

Report run(const Options& o, const Design& d) {
    if (o.mode == Mode::posterior)
        return run_posterior(o, d);
    if (o.model == "ols")
        return run(priorreg::LinearRegression(), o, d);
    if (o.model == "ridge")
        return run(priorreg::Ridge(o.mode == Mode::fit ? o.lambda : 1.0), o, d);
    if (o.model == "lasso")
        return run(priorreg::Lasso(o.mode == Mode::fit ? o.lambda : 1.0), o, d);
    return run(priorreg::ElasticNet(o.mode == Mode::fit ? o.lambda : 1.0, o.alpha), o, d);
}

// ------------------------------------------------------------------------------ output

/// A statistic for CSV: NA where it does not exist (R's convention), as aliased terms.
std::string csv_statistic(double value) {
    return std::isnan(value) ? std::string("NA") : format_number(value);
}

/// The statistics of the least-squares summary, in a fixed order (CSV rows and JSON members).
std::vector<std::pair<const char*, double>>
summary_statistics(const priorreg::LeastSquaresSummary<double>& s) {
    return {{"sigma", s.sigma},
            {"df_residual", static_cast<double>(s.df_residual)},
            {"r_squared", s.r_squared},
            {"adj_r_squared", s.adj_r_squared},
            {"f_statistic", s.f_statistic},
            {"f_df_model", static_cast<double>(s.df_model)},
            {"f_p_value", s.f_p_value},
            {"level", s.level}};
}

/// OLS as CSV: the coefficient table with standard errors, t values, p-values and confidence
/// intervals, then the fit's statistics.
std::string inference_csv(const Report& r, const Design& d) {
    const priorreg::LeastSquaresSummary<double>& s = *r.inference;
    std::string out = "term,estimate,std_error,t_value,p_value,ci_low,ci_high\n";
    const auto row = [&](const std::string& term, double estimate,
                         const priorreg::CoefficientInference<double>& c) {
        out += csv_field(term) + "," + format_number(estimate) + "," + csv_statistic(c.std_error) +
               "," + csv_statistic(c.t_value) + "," + csv_statistic(c.p_value) + "," +
               csv_statistic(c.ci_low) + "," + csv_statistic(c.ci_high) + "\n";
    };
    if (s.has_intercept)
        row("(intercept)", r.fit.intercept, s.intercept);
    for (std::size_t j = 0; j < d.terms.size(); ++j)
        row(d.terms[j], r.fit.coef(static_cast<Eigen::Index>(j)), s.coefficients[j]);
    out += "\nstatistic,value\n";
    for (const auto& [name, value] : summary_statistics(s))
        out += std::string(name) + "," + csv_statistic(value) + "\n";
    return out;
}

/// A posterior model's table: each term's posterior, then the model's statistics.
std::string posterior_csv(const priorreg_fit::PosteriorTable& table) {
    std::string out = "term,mean,sd,ci_low,median,ci_high,ess,rhat\n";
    for (const priorreg_fit::PosteriorRow& row : table.rows)
        out += csv_field(row.term) + "," + format_number(row.mean) + "," + format_number(row.sd) +
               "," + format_number(row.low) + "," + format_number(row.median) + "," +
               format_number(row.high) + "," + csv_statistic(row.ess) + "," +
               csv_statistic(row.rhat) + "\n";
    out += "\nstatistic,value\nlevel," + format_number(table.level) + "\n";
    for (const auto& [name, value] : table.statistics)
        out += name + "," + csv_statistic(value) + "\n";
    return out;
}

std::string to_csv(const Report& r, const Design& d) {
    if (r.posterior)
        return posterior_csv(*r.posterior);
    std::string out;
    auto coefficient_rows = [&](const std::vector<const Coefficients*>& columns) {
        out += "(intercept)";
        for (const Coefficients* c : columns)
            out += "," + format_number(c->intercept);
        out += "\n";
        for (std::size_t j = 0; j < d.terms.size(); ++j) {
            out += csv_field(d.terms[j]);
            for (const Coefficients* c : columns)
                out += "," + format_number(c->coef(static_cast<Eigen::Index>(j)));
            out += "\n";
        }
    };
    if (r.inference) {
        out += inference_csv(r, d);
    } else if (r.mode == Mode::fit) {
        out += "term,estimate\n";
        coefficient_rows({&r.fit});
    } else if (r.mode == Mode::path) {
        out += "lambda,df,dev_ratio,(intercept)";
        for (const std::string& name : d.terms)
            out += "," + csv_field(name);
        out += "\n";
        for (Eigen::Index l = 0; l < r.path.lambdas.size(); ++l) {
            out += format_number(r.path.lambdas(l)) + "," +
                   std::to_string(r.path.df[static_cast<std::size_t>(l)]) + "," +
                   format_number(r.path.dev_ratio(l)) + "," + format_number(r.path.intercepts(l));
            for (Eigen::Index j = 0; j < r.path.coefs.rows(); ++j)
                out += "," + format_number(r.path.coefs(j, l));
            out += "\n";
        }
    } else {
        out += "lambda,mean_error,standard_error,nonzeros\n";
        for (Eigen::Index l = 0; l < r.path.lambdas.size(); ++l)
            out += format_number(r.path.lambdas(l)) + "," + format_number(r.mean_errors(l)) + "," +
                   format_number(r.standard_errors(l)) + "," +
                   std::to_string(r.nonzeros[static_cast<std::size_t>(l)]) + "\n";
        out += "\nchoice,lambda\n";
        out += "lambda_min," + format_number(r.lambda_min) + "\n";
        out += "lambda_1se," + format_number(r.lambda_1se) + "\n";
        out += "\nterm,lambda_min,lambda_1se\n";
        coefficient_rows({&r.at_min, &r.at_1se});
    }
    return out;
}

std::string to_json(const Report& r, const Design& d, const Options& o) {
    JsonWriter json;
    json.begin_object();
    json.member("data", o.data);
    json.member("target", d.target);
    json.key("weights");
    o.weights.empty() ? json.null() : json.value(o.weights);
    json.member("rows", static_cast<std::int64_t>(d.rows()));
    json.member("model", r.model);
    json.key("alpha");
    r.model == "ols" || r.posterior ? json.null() : json.value(r.alpha);
    json.member("standardize", !o.no_standardize);
    json.member("fit_intercept", !o.no_intercept);

    auto coefficient_list =
        [&](const std::vector<std::pair<const char*, const Coefficients*>>& columns) {
            json.key("coefficients").begin_array();
            for (std::size_t j = 0; j <= d.terms.size(); ++j) {
                json.begin_object();
                json.member("term", j == 0 ? std::string("(intercept)") : d.terms[j - 1]);
                for (const auto& [name, c] : columns)
                    json.member(name,
                                j == 0 ? c->intercept : c->coef(static_cast<Eigen::Index>(j - 1)));
                json.end_object();
            }
            json.end_array();
        };

    if (r.posterior) {
        json.key("lambda");
        std::isnan(r.lambda) ? json.null() : json.value(r.lambda);
        json.member("level", r.posterior->level);
        json.key("coefficients").begin_array();
        for (const priorreg_fit::PosteriorRow& row : r.posterior->rows) {
            json.begin_object();
            json.member("term", row.term);
            json.member("mean", row.mean);
            json.member("sd", row.sd);
            json.member("ci_low", row.low);
            json.member("median", row.median);
            json.member("ci_high", row.high);
            json.member("ess", row.ess); // null for bayes-ridge (exact)
            json.member("rhat", row.rhat);
            json.end_object();
        }
        json.end_array();
        for (const auto& [name, value] : r.posterior->statistics)
            json.member(name, value);
    } else if (r.inference) {
        json.key("lambda").null();
        const priorreg::LeastSquaresSummary<double>& s = *r.inference;
        json.key("coefficients").begin_array();
        for (std::size_t j = 0; j <= d.terms.size(); ++j) {
            if (j == 0 && !s.has_intercept)
                continue;
            const auto& c = j == 0 ? s.intercept : s.coefficients[j - 1];
            json.begin_object();
            json.member("term", j == 0 ? std::string("(intercept)") : d.terms[j - 1]);
            json.member("estimate",
                        j == 0 ? r.fit.intercept : r.fit.coef(static_cast<Eigen::Index>(j - 1)));
            // null where R has NA (a term aliased with earlier ones).
            json.member("std_error", c.std_error);
            json.member("t_value", c.t_value);
            json.member("p_value", c.p_value);
            json.member("ci_low", c.ci_low);
            json.member("ci_high", c.ci_high);
            json.end_object();
        }
        json.end_array();
        for (const auto& [name, value] : summary_statistics(s)) {
            if (std::string_view(name) == "df_residual" || std::string_view(name) == "f_df_model")
                json.member(name, static_cast<std::int64_t>(value));
            else
                json.member(name, value);
        }
    } else if (r.mode == Mode::fit) {
        json.key("lambda");
        r.model == "ols" ? json.null() : json.value(r.lambda);
        coefficient_list({{"estimate", &r.fit}});
    } else if (r.mode == Mode::path) {
        json.key("terms").begin_array().value("(intercept)");
        for (const std::string& name : d.terms)
            json.value(name);
        json.end_array();
        json.key("path").begin_array();
        for (Eigen::Index l = 0; l < r.path.lambdas.size(); ++l) {
            json.begin_object();
            json.member("lambda", r.path.lambdas(l));
            json.member("df", static_cast<std::int64_t>(r.path.df[static_cast<std::size_t>(l)]));
            json.member("dev_ratio", r.path.dev_ratio(l));
            json.key("estimates").begin_array().value(r.path.intercepts(l));
            for (Eigen::Index j = 0; j < r.path.coefs.rows(); ++j)
                json.value(r.path.coefs(j, l));
            json.end_array();
            json.end_object();
        }
        json.end_array();
    } else {
        json.key("cv").begin_object();
        json.member("folds", static_cast<std::int64_t>(r.folds));
        json.key("seed");
        o.foldid.empty() ? json.value(static_cast<std::int64_t>(o.seed)) : json.null();
        json.key("foldid");
        o.foldid.empty() ? json.null() : json.value(o.foldid);
        json.member("measure", "mse");
        json.key("table").begin_array();
        for (Eigen::Index l = 0; l < r.path.lambdas.size(); ++l) {
            json.begin_object();
            json.member("lambda", r.path.lambdas(l));
            json.member("mean_error", r.mean_errors(l));
            json.member("standard_error", r.standard_errors(l));
            json.member("nonzeros",
                        static_cast<std::int64_t>(r.nonzeros[static_cast<std::size_t>(l)]));
            json.end_object();
        }
        json.end_array();
        json.end_object();
        json.member("lambda_min", r.lambda_min);
        json.member("lambda_1se", r.lambda_1se);
        coefficient_list({{"lambda_min", &r.at_min}, {"lambda_1se", &r.at_1se}});
    }
    json.end_object();
    return json.str();
}

// ------------------------------------------------------------------------------ model file

/// The model of --save-model: the fit (--lambda, ols) or the one at lambda_min (--cv).
priorreg_fit::SavedModel saved_model(const Report& r, const Design& d, const Options& o) {
    priorreg_fit::SavedModel m;
    m.model = r.model;
    m.prior = r.model == "ols"     ? "flat"
              : r.model == "ridge" ? "gaussian"
              : r.model == "lasso" ? "laplace"
                                   : "elastic_net";
    const bool cv = r.mode == Mode::cv, path_only = r.mode == Mode::path;
    m.chosen_by = r.model == "ols" ? "ols" : cv ? "cv lambda_min" : path_only ? "path" : "lambda";
    if (r.model != "ols") {
        m.lambda = cv ? r.lambda_min : path_only ? NAN : r.lambda;
        m.alpha = r.alpha;
    }
    if (cv || path_only) {
        m.path.lambdas = r.path.lambdas;
        m.path.intercepts = r.path.intercepts;
        m.path.estimates = r.path.coefs.transpose();
    }
    m.standardize = !o.no_standardize;
    m.fit_intercept = !o.no_intercept;
    m.target = d.target;
    m.rows = static_cast<std::int64_t>(d.rows());
    m.inputs = d.inputs;
    const Coefficients& c = cv ? r.at_min : r.fit;
    m.intercept = path_only ? NAN : c.intercept;
    // Center and scale: the weighted mean and standard deviation of each term's column.
    if (d.statistics) { // --stream: from the statistics
        const priorreg::CrossProducts<double> all = d.statistics->cross_products();
        for (std::size_t j = 0; j < d.terms.size(); ++j) {
            const auto k = static_cast<Eigen::Index>(j);
            m.terms.push_back({d.terms[j], path_only ? NAN : c.coef(k), all.center(k),
                               std::sqrt(all.xx(k, k) / all.weight)});
        }
        return m;
    }
    const Eigen::VectorXd w = d.weighted ? Eigen::VectorXd(d.w / d.w.sum())
                                         : Eigen::VectorXd::Constant(d.X.rows(), 1.0 / d.X.rows());
    for (std::size_t j = 0; j < d.terms.size(); ++j) {
        const auto column = d.X.col(static_cast<Eigen::Index>(j));
        const double mean = w.dot(column);
        const double sd = std::sqrt(w.dot((column.array() - mean).square().matrix()));
        m.terms.push_back(
            {d.terms[j], path_only ? NAN : c.coef(static_cast<Eigen::Index>(j)), mean, sd});
    }
    return m;
}

// ------------------------------------------------------------------------------ plots

/// The head of a plot script: the data and image names are variables so that the script that
/// ran (on temporary names, via `gnuplot -e`) is also the one kept for rerunning by hand.
std::string script_head(const std::string& stem, const std::string& title) {
    return "# Written by priorreg-fit. To redraw: cd into this directory and run gnuplot " + stem +
           ".gp\n"
           "if (!exists(\"datafile\")) datafile = '" +
           stem + ".dat'\nif (!exists(\"outfile\")) outfile = '" + stem +
           ".png'\n"
           "set terminal pngcairo size 960,600 noenhanced font ',11'\n"
           "set output outfile\n"
           "set title " +
           priorreg_fit::gnuplot_string(title) + "\nset logscale x\nset format x '%g'\nset grid\n";
}

/// A vertical line at `lambda` labelled at `height` (graph units): markers that may lie close
/// together (lambda_min, lambda_1se) get different heights so that their labels never overlap.
std::string marker(double lambda, const std::string& label, double height = 0.97) {
    if (!(lambda > 0))
        return "";
    const std::string x = format_number(lambda);
    return "set arrow from " + x + ", graph 0 to " + x +
           ", graph 1 nohead dashtype 2 lc rgb '#555555'\n" + "set label " +
           priorreg_fit::gnuplot_string(label) + " at " + x + ", graph " + format_number(height) +
           " left offset 0.5,0 tc rgb '#555555' front\n";
}

/// The style of series `k`: ten distinguishable colours, then the same colours with other
/// dash types, so that no two of the first 50 series look alike.
std::string series_style(std::size_t k) {
    static const char* const colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    return std::string("lc rgb '") + colours[k % 10] + "' dt " + std::to_string(1 + (k / 10) % 5);
}

struct Plot {
    std::string stem;
    std::string data;
    std::string script;
};

std::vector<Plot> plots(const Report& r, const Design& d) {
    std::vector<Plot> result;
    Plot path{"coef_path", "", ""};
    path.data = "# lambda intercept";
    for (const std::string& name : d.terms)
        path.data +=
            " " +
            std::string(name.find_first_of(" \t") == std::string::npos ? name : "\"" + name + "\"");
    path.data += "\n";
    for (Eigen::Index l = 0; l < r.path.lambdas.size(); ++l) {
        path.data += format_number(r.path.lambdas(l)) + " " + format_number(r.path.intercepts(l));
        for (Eigen::Index j = 0; j < r.path.coefs.rows(); ++j)
            path.data += " " + format_number(r.path.coefs(j, l));
        path.data += "\n";
    }
    path.script = script_head("coef_path", r.model + " coefficient paths: " + d.target) +
                  "set xlabel 'lambda (log scale)'\nset ylabel 'coefficient (original scale)'\n";
    if (r.mode == Mode::fit)
        path.script += marker(r.lambda, "lambda");
    if (r.mode == Mode::cv)
        path.script += marker(r.lambda_min, "min", 0.97) + marker(r.lambda_1se, "1se", 0.91);
    const std::size_t p = d.terms.size();
    // A key for up to 20 series; beyond, none (it would not fit), but each series keeps its
    // own colour and dash type (series_style).
    path.script += p <= 20 ? "set key outside right top\nplot " : "unset key\nplot ";
    for (std::size_t j = 0; j < p; ++j)
        path.script += std::string(j ? ", \\\n     " : "") +
                       "datafile using 1:" + std::to_string(j + 3) + " with lines lw " +
                       (p <= 20 ? "2 " : "1.5 ") + series_style(j) +
                       (p <= 20 ? " title " + priorreg_fit::gnuplot_string(d.terms[j])
                                : std::string(" notitle"));
    path.script += "\n";
    result.push_back(std::move(path));

    if (r.mode == Mode::cv) {
        Plot cv{"cv_curve", "# lambda mean_error standard_error nonzeros\n", ""};
        for (Eigen::Index l = 0; l < r.path.lambdas.size(); ++l)
            cv.data += format_number(r.path.lambdas(l)) + " " + format_number(r.mean_errors(l)) +
                       " " + format_number(r.standard_errors(l)) + " " +
                       std::to_string(r.nonzeros[static_cast<std::size_t>(l)]) + "\n";
        cv.script = script_head("cv_curve", r.model + " cross-validation: " + d.target) +
                    "set xlabel 'lambda (log scale)'\nset ylabel 'CV mean squared error'\n" +
                    marker(r.lambda_min, "min", 0.97) + marker(r.lambda_1se, "1se", 0.91) +
                    "set key outside bottom center horizontal\n"
                    "plot datafile using 1:2:3 with yerrorbars pt 7 ps 0.6 lc rgb '#c0392b' "
                    "title 'mean +- 1 standard error', \\\n"
                    "     '' using 1:2 with lines lc rgb '#c0392b' notitle\n";
        result.push_back(std::move(cv));
    }
    return result;
}

/// Stages the plot files of `r` in `directory` (creating it if needed) and renders the PNGs.
void stage_plots(const Report& r, const Design& d, const std::string& directory,
                 priorreg_fit::StagedFiles& staged) {
    namespace fs = std::filesystem;
    for (const Plot& plot : plots(r, d)) {
        const fs::path stem = fs::path(directory) / plot.stem;
        const std::string data = staged.write(stem.string() + ".dat", plot.data);
        const std::string script = staged.write(stem.string() + ".gp", plot.script);
        const std::string image = staged.reserve(stem.string() + ".png");
        priorreg_fit::run_gnuplot(script, "datafile = " + priorreg_fit::gnuplot_string(data) +
                                              "; outfile = " + priorreg_fit::gnuplot_string(image));
        std::error_code ec;
        if (fs::file_size(image, ec) == 0 || ec)
            throw priorreg_fit::PlotError("gnuplot wrote no image for " + stem.string() + ".png");
    }
}

/// Removes a directory this run created if the run fails before filling it.
class CreatedDirectory {
public:
    explicit CreatedDirectory(const std::string& path) {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (fs::is_directory(path, ec))
            return;
        if (!fs::create_directories(path, ec) || ec)
            throw priorreg_fit::OutputError(path + ": cannot create the plot directory" +
                                            (ec ? ": " + ec.message() : std::string()));
        path_ = path;
    }
    CreatedDirectory(const CreatedDirectory&) = delete;
    CreatedDirectory& operator=(const CreatedDirectory&) = delete;
    ~CreatedDirectory() {
        if (!path_.empty() && !kept_) {
            std::error_code ec;
            if (std::filesystem::is_empty(path_, ec) && !ec)
                std::filesystem::remove(path_, ec);
        }
    }
    void keep() { kept_ = true; }

private:
    std::string path_;
    bool kept_ = false;
};

/// One line: messages from libraries may carry line breaks.
std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::replace(text.begin(), text.end(), '\r', ' ');
    return text;
}

int fail(const std::string& message, int status) {
    std::cerr << "priorreg-fit: error: " << one_line(message) << "\n";
    return status;
}

/// Parses the arguments: -1 to go on, else the exit status (0 after --help, 2 for a usage
/// error, which prints the usage).
int parse_arguments(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::ParseError& e) {
        std::cerr << "priorreg-fit: error: " << one_line(e.what()) << "\n" << kUsage;
        return 2;
    }
    return -1;
}

/// Runs `body`; an exception is one line on stderr and exit status 2 (OptionError) or 1
/// (CsvError, DataError, OutputError, PlotError, priorreg::InvalidInput and the rest).
template <class Body> int exit_status_of(Body&& body) {
    try {
        return body();
    } catch (const OptionError& e) {
        return fail(e.what(), 2);
    } catch (const std::bad_alloc&) {
        return fail("out of memory", 1);
    } catch (const std::exception& e) {
        return fail(e.what(), 1);
    }
}

int write_stdout(const std::string& text) {
    std::cout << text << std::flush;
    return std::cout ? 0 : fail("cannot write to stdout", 1);
}

/// The intercept and coefficients `predict` uses: the saved fit, or with `--lambda` the saved
/// path's, interpolated linearly in lambda between its neighbouring solutions (the ends held
/// beyond the grid), as glmnet's `predict(..., exact = FALSE)`.
Coefficients saved_coefficients(const priorreg_fit::SavedModel& model, std::optional<double> lambda,
                                const std::string& model_path) {
    Coefficients c;
    if (!lambda) {
        if (model.path_only())
            throw OptionError(model_path + " holds a path (--path): give --lambda L");
        c.intercept = model.intercept;
        c.coef.resize(static_cast<Eigen::Index>(model.terms.size()));
        for (std::size_t j = 0; j < model.terms.size(); ++j)
            c.coef(static_cast<Eigen::Index>(j)) = model.terms[j].estimate;
        return c;
    }
    if (!(std::isfinite(*lambda) && *lambda >= 0))
        throw OptionError("--lambda: must be a finite number >= 0, got " + format_number(*lambda));
    if (model.path.empty())
        throw OptionError(
            "--lambda: " + model_path + " holds one fit" +
            (model.chosen_by.empty() ? std::string() : " (chosen by " + model.chosen_by + ")") +
            "; a model saved with --path or --cv has the path that --lambda reads");
    const auto& path = model.path;
    const auto at = priorreg::bracket_on_grid(path.lambdas, *lambda);
    const Eigen::Index next = std::min(at.upper + 1, path.lambdas.size() - 1);
    c.intercept = (1 - at.share) * path.intercepts(at.upper) + at.share * path.intercepts(next);
    c.coef = ((1 - at.share) * path.estimates.row(at.upper) + at.share * path.estimates.row(next))
                 .transpose();
    return c;
}

/// `priorreg-fit predict MODEL.json NEW.csv`: one column `prediction`, one row per data row.
int run_predict(int argc, char** argv) {
    std::string model_path, data_path, output, sep, decimal = ".", na = "error";
    std::optional<double> lambda;
    CLI::App app{"Predict with a model saved by 'priorreg-fit --save-model': the columns of "
                 "NEW.csv are matched to the model's inputs by name.",
                 "priorreg-fit predict"};
    app.add_option("MODEL.json", model_path, "model file written by --save-model")
        ->required()
        ->type_name("");
    app.add_option("NEW.csv", data_path, "CSV file with a header row")->required()->type_name("");
    app.add_option("--output", output, "write to FILE instead of stdout (all or nothing)")
        ->type_name("FILE");
    app.add_option("--sep", sep, "field separator: , ; or tab (default: detected)")->type_name("C");
    app.add_option("--decimal", decimal, "decimal mark: . (default) or ,")->type_name("C");
    app.add_option("--na", na,
                   "rows with a missing input: error (default) or skip (their prediction is NA)")
        ->type_name("error|skip");
    app.add_option("--lambda", lambda,
                   "predict at this lambda of a model saved with --path or --cv: interpolated "
                   "linearly between the path's solutions (refit with --lambda L for the exact "
                   "one)")
        ->type_name("L");
    if (const int status = parse_arguments(app, argc - 1, argv + 1); status >= 0)
        return status;
    return exit_status_of([&] {
        if (na != "error" && na != "skip")
            throw OptionError("--na: expected error or skip, got \"" + na + "\"");
        const priorreg_fit::CsvFormat format = csv_format(sep, decimal);
        const priorreg_fit::SavedModel model = priorreg_fit::read_model_file(model_path);
        const Coefficients c = saved_coefficients(model, lambda, model_path);
        const priorreg_fit::CsvTable table = priorreg_fit::read_csv_file(data_path, format);
        const priorreg_fit::NewData data =
            priorreg_fit::encode_new_data(table, model.inputs, na == "skip");
        const Eigen::VectorXd predictions = (data.X * c.coef).array() + c.intercept;
        std::string text = "prediction\n";
        std::size_t next = 0;
        for (std::size_t i = 0; i < table.rows(); ++i) {
            if (next < data.rows.size() && data.rows[next] == i)
                text += format_number(predictions(static_cast<Eigen::Index>(next++))) + "\n";
            else
                text += "NA\n";
        }
        if (!output.empty()) {
            priorreg_fit::StagedFiles staged;
            staged.write(output, text);
            staged.commit();
        } else if (write_stdout(text) != 0) {
            return 1;
        }
        if (data.rows.size() < table.rows())
            std::cerr << "priorreg-fit: warning: --na skip: " << table.rows() - data.rows.size()
                      << " of " << table.rows() << " rows have a missing input (prediction NA)\n";
        return 0;
    });
}

int run_program(int argc, char** argv) {
    if (argc > 1 && std::string_view(argv[1]) == "predict")
        return run_predict(argc, argv);
    Options o;
    CLI::App app{"Fit OLS, ridge, lasso or elastic net (MAP estimates under flat, Gaussian, "
                 "Laplace or mixed priors) to a CSV file with a header row.",
                 "priorreg-fit"};
    app.footer("Exit status: 0 on success; 1 for bad data or a failed fit, plot or write; 2 for a "
               "usage error or an option value out of range. Errors are one line on stderr; a "
               "failed run leaves no output file.");
    app.add_option("DATA.csv", o.data, "CSV file with a header row")->required()->type_name("");
    app.add_option("--target", o.target, "response column (default: the last column)")
        ->type_name("NAME");
    app.add_option("--model", o.model,
                   "ols, ridge, lasso or enet (default: ols; lasso with --lambda/--path/--cv; "
                   "enet with --alpha); or a posterior: bayes-ridge (exact), bayes-lasso or "
                   "horseshoe (Gibbs sampling; --lambda fixes bayes-lasso's rate)")
        ->type_name("MODEL");
    auto* lambda = app.add_option("--lambda", o.lambda, "one fit at this penalty strength (>= 0)")
                       ->type_name("L");
    auto* path = app.add_flag("--path", o.path, "the regularization path (100 lambdas)");
    auto* cv = app.add_option("--cv", o.folds, "K-fold cross-validation over the path (K >= 2)")
                   ->type_name("K");
    lambda->excludes(path)->excludes(cv);
    path->excludes(cv);
    app.add_option("--alpha", o.alpha, "L1 share of the elastic net in [0, 1] (default 0.5)")
        ->type_name("A");
    app.add_flag("--no-standardize", o.no_standardize,
                 "penalize the raw columns, not the unit-variance ones");
    app.add_flag("--no-intercept", o.no_intercept, "fit no intercept");
    app.add_option("--weights", o.weights, "column of non-negative observation weights")
        ->type_name("NAME");
    app.add_option("--format", o.format, "csv (default) or json")->type_name("FORMAT");
    app.add_option("--output", o.output, "write to FILE instead of stdout (all or nothing)")
        ->type_name("FILE");
    app.add_option("--plot", o.plot_dir, "write PNG plots (path, CV curve) to DIR via gnuplot")
        ->type_name("DIR");
    app.add_option("--seed", o.seed_text,
                   "seed of the CV fold assignment or of the samplers (default 1)")
        ->type_name("S");
    app.add_option("--tolerance", o.tolerance,
                   "duality gap / null deviance at which a fit is certified (default 1e-7)")
        ->type_name("T");
    app.add_option("--nlambda", o.n_lambda, "points of the lambda grid (default 100)")
        ->type_name("N");
    app.add_option("--lambda-min-ratio", o.lambda_min_ratio,
                   "smallest lambda of the grid / lambda_max, in (0, 1) (default 1e-4 if rows > "
                   "columns, else 1e-2)")
        ->type_name("R");
    app.add_option("--threads", o.threads, "threads (default 0: every core)")->type_name("N");
    app.add_option("--sep", o.sep,
                   "field separator: , ; or tab (default: detected from the header)")
        ->type_name("C");
    app.add_option("--decimal", o.decimal, "decimal mark: . (default) or ,")->type_name("C");
    app.add_option("--drop", o.drop, "columns to ignore (comma-separated names)")
        ->type_name("COLS")
        ->delimiter(',');
    app.add_option("--na", o.na,
                   "rows with a missing cell (empty, NA, NaN, NULL, ...): error (default) or drop")
        ->type_name("error|drop");
    app.add_option("--categorical", o.categorical,
                   "text columns: auto (default: one-hot, first level the reference) or off "
                   "(an error)")
        ->type_name("auto|off");
    app.add_option("--foldid", o.foldid,
                   "column of CV fold ids (integers; implies --cv over its folds)")
        ->type_name("COL");
    app.add_option("--penalty-factor", o.penalty_factors,
                   "per-feature penalty multipliers NAME=V (a feature, or a term column=level), "
                   "comma-separated; 0 leaves a feature unpenalized")
        ->type_name("NAME=V,...")
        ->delimiter(',');
    app.add_flag("--stream", o.stream,
                 "read the CSV in chunks into sufficient statistics (memory p^2 + a chunk, not "
                 "the file): ridge, lasso, enet; numeric columns; --cv folds by a seeded hash "
                 "of the row number");
    app.add_option("--chunk-bytes", o.chunk_bytes,
                   "--stream: bytes of CSV text per chunk (default 16777216)")
        ->type_name("N");
    app.add_option("--save-model", o.save_model,
                   "write the fitted model (--lambda, --cv: at lambda_min, ols) as JSON for "
                   "'priorreg-fit predict'")
        ->type_name("FILE");
    app.add_option("--level", o.level,
                   "ols: confidence level of the coefficients' intervals; posterior models: "
                   "level of the central credible intervals (default 0.95)")
        ->type_name("P");
    app.add_option("--draws", o.draws,
                   "bayes-lasso, horseshoe: draws kept per chain (4 chains, 1000 burn-in; "
                   "default 2000)")
        ->type_name("N");

    if (const int status = parse_arguments(app, argc, argv); status >= 0)
        return status;
    o.lambda_given = app.count("--lambda") > 0;
    o.cv_given = app.count("--cv") > 0;
    o.alpha_given = app.count("--alpha") > 0;
    o.seed_given = app.count("--seed") > 0;
    o.level_given = app.count("--level") > 0;
    o.tolerance_given = app.count("--tolerance") > 0;
    o.grid_given = app.count("--nlambda") > 0 || app.count("--lambda-min-ratio") > 0;
    o.draws_given = app.count("--draws") > 0;
    o.chunk_bytes_given = app.count("--chunk-bytes") > 0;

    return exit_status_of([&] {
        resolve(o);
        const Design d = load(o);
        const Report report = run(o, d);
        const std::string text = o.format == "json" ? to_json(report, d, o) : to_csv(report, d);

        // Declared first, destroyed last: after a failure the staged files are removed
        // before the check that the directory this run created is empty again.
        std::optional<CreatedDirectory> plot_directory;
        priorreg_fit::StagedFiles staged;
        if (!o.output.empty())
            staged.write(o.output, text);
        if (!o.save_model.empty())
            staged.write(o.save_model, priorreg_fit::to_json(saved_model(report, d, o)));
        if (!o.plot_dir.empty()) {
            plot_directory.emplace(o.plot_dir);
            stage_plots(report, d, o.plot_dir, staged);
        }
        staged.commit();
        if (plot_directory)
            plot_directory->keep();
        if (d.rows_dropped > 0)
            std::cerr << "priorreg-fit: warning: --na drop: dropped " << d.rows_dropped << " of "
                      << d.rows_dropped + static_cast<std::size_t>(d.rows())
                      << " rows with a missing value\n";
        for (const std::string& warning : report.warnings)
            std::cerr << "priorreg-fit: warning: " << warning << "\n";
        if (o.output.empty() && write_stdout(text) != 0)
            return 1;
        return 0;
    });
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run_program(argc, argv);
    } catch (const std::exception& e) {
        return fail(e.what(), 1);
    } catch (...) {
        return fail("unexpected error", 1);
    }
}
