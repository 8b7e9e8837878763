// priorreg-fit: OLS, ridge, lasso or elastic net on a CSV file, from the command line.
//
//   priorreg-fit DATA.csv [--target NAME] [--model ols|ridge|lasso|enet]
//                [--lambda L | --path | --cv K] [--alpha A] [--no-standardize]
//                [--no-intercept] [--weights NAME] [--format csv|json] [--output FILE]
//                [--plot DIR] [--seed S] [--level P] [--tolerance T] [--nlambda N]
//                [--lambda-min-ratio R] [--threads N]
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

#include "csv_table.hpp"
#include "gnuplot.hpp"
#include "json_writer.hpp"
#include "staged_files.hpp"

namespace {

using priorreg_fit::csv_field;
using priorreg_fit::format_number;
using priorreg_fit::JsonWriter;

constexpr const char* kUsage =
    "usage: priorreg-fit DATA.csv [--target NAME] [--model ols|ridge|lasso|enet]\n"
    "                    [--lambda L | --path | --cv K] [--alpha A] [--no-standardize]\n"
    "                    [--no-intercept] [--weights NAME] [--format csv|json]\n"
    "                    [--output FILE] [--plot DIR] [--seed S] [--level P]\n"
    "                    [--tolerance T] [--nlambda N] [--lambda-min-ratio R] [--threads N]\n"
    "Run 'priorreg-fit --help' for the options.\n";

/// An option value out of range or inconsistent options: one line, exit status 2.
class OptionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Data the model cannot use (unknown column, negative weight, too few rows): exit status 1.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Mode { fit, path, cv };

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
    int threads = 0;
    // Which options were given.
    bool lambda_given = false;
    bool cv_given = false;
    bool alpha_given = false;
    bool seed_given = false;
    bool level_given = false;
    bool tolerance_given = false;
    bool grid_given = false; // --nlambda or --lambda-min-ratio
    Mode mode = Mode::fit;
};

/// Checks the option values and resolves the model (defaults: `enet` when --alpha is given,
/// else `lasso` with one of --lambda/--path/--cv, else `ols`).
void resolve(Options& o) {
    if (!o.format.empty() && o.format != "csv" && o.format != "json")
        throw OptionError("--format: unknown format \"" + o.format + "\" (expected csv or json)");
    if (o.lambda_given && !(std::isfinite(o.lambda) && o.lambda >= 0))
        throw OptionError("--lambda: must be a finite number >= 0, got " + format_number(o.lambda));
    if (o.alpha_given && !(o.alpha >= 0 && o.alpha <= 1))
        throw OptionError("--alpha: must be in [0, 1], got " + format_number(o.alpha));
    if (o.cv_given && o.folds < 2)
        throw OptionError("--cv: needs at least 2 folds, got " + std::to_string(o.folds));

    const bool has_penalty_option = o.lambda_given || o.path || o.cv_given;
    if (o.model.empty())
        o.model = o.alpha_given ? "enet" : has_penalty_option ? "lasso" : "ols";
    if (o.model != "ols" && o.model != "ridge" && o.model != "lasso" && o.model != "enet")
        throw OptionError("--model: unknown model \"" + o.model +
                          "\" (expected ols, ridge, lasso or enet)");
    if (o.model == "ols" && has_penalty_option)
        throw OptionError("--model ols: takes no --lambda, --path or --cv (OLS has no penalty)");
    if (o.model != "ols" && !has_penalty_option)
        throw OptionError("--model " + o.model + ": needs --lambda L, --path or --cv K");
    if (o.alpha_given && o.model != "enet")
        throw OptionError("--alpha: applies to --model enet only (the model is " + o.model + ")");
    if (o.seed_given) {
        const char* first = o.seed_text.data();
        const char* last = first + o.seed_text.size();
        const auto parsed = std::from_chars(first, last, o.seed);
        if (o.seed_text.empty() || parsed.ec != std::errc() || parsed.ptr != last)
            throw OptionError("--seed: must be an integer in [0, 2^64), got \"" + o.seed_text +
                              "\"");
    }
    if (o.seed_given && !o.cv_given)
        throw OptionError("--seed: applies to --cv only");
    if (o.level_given && !(o.level > 0 && o.level < 1))
        throw OptionError("--level: must lie strictly between 0 and 1, got " +
                          format_number(o.level));
    if (o.tolerance_given && !(std::isfinite(o.tolerance) && o.tolerance > 0))
        throw OptionError("--tolerance: must be a finite number > 0, got " +
                          format_number(o.tolerance));
    if (o.n_lambda < 1)
        throw OptionError("--nlambda: must be at least 1, got " + std::to_string(o.n_lambda));
    if (o.lambda_min_ratio != -1 && !(o.lambda_min_ratio > 0 && o.lambda_min_ratio < 1))
        throw OptionError("--lambda-min-ratio: must lie strictly between 0 and 1, got " +
                          format_number(o.lambda_min_ratio));
    if (o.threads < 0)
        throw OptionError("--threads: must be >= 0 (0: every core), got " +
                          std::to_string(o.threads));
    if (o.grid_given && !(o.path || o.cv_given || !o.plot_dir.empty()))
        throw OptionError("--nlambda and --lambda-min-ratio: set the grid of --path, --cv or "
                          "--plot");
    if (o.level_given && o.model != "ols")
        throw OptionError("--level: applies to --model ols only (the confidence intervals of "
                          "least squares)");
    if (!o.plot_dir.empty() && o.model == "ols")
        throw OptionError("--plot: plots a regularization path; give --lambda, --path or --cv");
    if (!o.weights.empty() && o.weights == o.target)
        throw OptionError("--weights: the weights column cannot be the target");
    o.mode = o.cv_given ? Mode::cv : o.path ? Mode::path : Mode::fit;
}

// ------------------------------------------------------------------------------ data

struct Dataset {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    Eigen::VectorXd w;
    bool weighted = false;
    std::vector<std::string> features;
    std::string target;
};

std::string column_list(const std::vector<std::string>& names) {
    std::string list;
    for (std::size_t j = 0; j < names.size() && j < 12; ++j)
        list += (j ? ", " : "") + names[j];
    if (names.size() > 12)
        list += ", ... (" + std::to_string(names.size()) + " columns)";
    return list;
}

Dataset load(const Options& o) {
    const priorreg_fit::CsvTable table = priorreg_fit::read_csv_file(o.data);
    const std::string& file = o.data;

    auto column = [&](const std::string& name, const char* role) {
        const auto index = table.find(name);
        if (!index)
            throw DataError(file + ":1: unknown " + role + " column \"" + name +
                            "\" (columns: " + column_list(table.names) + ")");
        return *index;
    };
    std::size_t weights_column = table.cols();
    if (!o.weights.empty())
        weights_column = column(o.weights, "weights");
    // The default target is the last column (the last but one if that holds the weights).
    std::size_t target_column = table.cols() - 1;
    if (!o.target.empty())
        target_column = column(o.target, "target");
    else if (target_column == weights_column && target_column > 0)
        --target_column;
    if (target_column == weights_column)
        throw DataError(file + ": the weights column \"" + o.weights + "\" cannot be the target");

    const std::size_t n = table.rows();
    if (n < 2)
        throw DataError(file + ": " + std::to_string(n) + (n == 1 ? " data row" : " data rows") +
                        "; at least 2 are needed");

    Dataset d;
    d.target = table.names[target_column];
    std::vector<std::size_t> feature_columns;
    for (std::size_t j = 0; j < table.cols(); ++j)
        if (j != target_column && j != weights_column) {
            feature_columns.push_back(j);
            d.features.push_back(table.names[j]);
        }
    if (feature_columns.empty())
        throw DataError(file + ": no feature columns (only the target \"" + d.target + "\"" +
                        (o.weights.empty() ? "" : " and the weights") + ")");

    const auto rows = static_cast<Eigen::Index>(n);
    const auto p = static_cast<Eigen::Index>(feature_columns.size());
    d.X.resize(rows, p);
    d.y.resize(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
        const double* row = table.values.data() + static_cast<std::size_t>(i) * table.cols();
        for (Eigen::Index j = 0; j < p; ++j)
            d.X(i, j) = row[feature_columns[static_cast<std::size_t>(j)]];
        d.y(i) = row[target_column];
    }
    if (!o.weights.empty()) {
        d.weighted = true;
        d.w.resize(rows);
        for (std::size_t i = 0; i < n; ++i) {
            const double weight = table(i, weights_column);
            if (weight < 0)
                throw DataError(file + ":" + std::to_string(table.row_lines[i]) + ":" +
                                std::to_string(weights_column + 1) + ": negative weight " +
                                format_number(weight) + " in column \"" + o.weights + "\"");
            d.w(static_cast<Eigen::Index>(i)) = weight;
        }
        if (!(d.w.sum() > 0))
            throw DataError(file + ": the weights in column \"" + o.weights + "\" are all zero");
    }
    return d;
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
Report run(priorreg::MapRegression<Prior> model, const Options& o, const Dataset& d) {
    model.set_standardize(!o.no_standardize)
        .set_fit_intercept(!o.no_intercept)
        .set_tolerance(o.tolerance)
        .set_threads(o.threads);
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
        auto fit_path = [&]() {
            return d.weighted ? model.fit_path(d.X, d.y, d.w, grid)
                              : model.fit_path(d.X, d.y, grid);
        };
        if (o.mode == Mode::fit) {
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
            if (o.folds > d.X.rows())
                throw OptionError("--cv: " + std::to_string(o.folds) + " folds but " + o.data +
                                  " has only " + std::to_string(d.X.rows()) + " data rows");
            priorreg::CrossValidationOptions options;
            options.folds = o.folds;
            options.seed = o.seed;
            options.threads = o.threads;
            options.path = grid;
            priorreg::CrossValidation<Prior> cv(model, options);
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

Report run(const Options& o, const Dataset& d) {
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
std::string inference_csv(const Report& r, const Dataset& d) {
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
    for (std::size_t j = 0; j < d.features.size(); ++j)
        row(d.features[j], r.fit.coef(static_cast<Eigen::Index>(j)), s.coefficients[j]);
    out += "\nstatistic,value\n";
    for (const auto& [name, value] : summary_statistics(s))
        out += std::string(name) + "," + csv_statistic(value) + "\n";
    return out;
}

std::string to_csv(const Report& r, const Dataset& d) {
    std::string out;
    auto coefficient_rows = [&](const std::vector<const Coefficients*>& columns) {
        out += "(intercept)";
        for (const Coefficients* c : columns)
            out += "," + format_number(c->intercept);
        out += "\n";
        for (std::size_t j = 0; j < d.features.size(); ++j) {
            out += csv_field(d.features[j]);
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
        for (const std::string& name : d.features)
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

std::string to_json(const Report& r, const Dataset& d, const Options& o) {
    JsonWriter json;
    json.begin_object();
    json.member("data", o.data);
    json.member("target", d.target);
    json.key("weights");
    o.weights.empty() ? json.null() : json.value(o.weights);
    json.member("rows", static_cast<std::int64_t>(d.X.rows()));
    json.member("model", r.model);
    json.key("alpha");
    r.model == "ols" ? json.null() : json.value(r.alpha);
    json.member("standardize", !o.no_standardize);
    json.member("fit_intercept", !o.no_intercept);

    auto coefficient_list =
        [&](const std::vector<std::pair<const char*, const Coefficients*>>& columns) {
            json.key("coefficients").begin_array();
            for (std::size_t j = 0; j <= d.features.size(); ++j) {
                json.begin_object();
                json.member("term", j == 0 ? std::string("(intercept)") : d.features[j - 1]);
                for (const auto& [name, c] : columns)
                    json.member(name,
                                j == 0 ? c->intercept : c->coef(static_cast<Eigen::Index>(j - 1)));
                json.end_object();
            }
            json.end_array();
        };

    if (r.inference) {
        json.key("lambda").null();
        const priorreg::LeastSquaresSummary<double>& s = *r.inference;
        json.key("coefficients").begin_array();
        for (std::size_t j = 0; j <= d.features.size(); ++j) {
            if (j == 0 && !s.has_intercept)
                continue;
            const auto& c = j == 0 ? s.intercept : s.coefficients[j - 1];
            json.begin_object();
            json.member("term", j == 0 ? std::string("(intercept)") : d.features[j - 1]);
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
        for (const std::string& name : d.features)
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
        json.member("folds", static_cast<std::int64_t>(o.folds));
        json.member("seed", static_cast<std::int64_t>(o.seed));
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

std::string marker(double lambda, const std::string& label) {
    if (!(lambda > 0))
        return "";
    const std::string x = format_number(lambda);
    return "set arrow from " + x + ", graph 0 to " + x +
           ", graph 1 nohead dashtype 2 lc rgb '#555555'\n" + "set label " +
           priorreg_fit::gnuplot_string(label) + " at " + x +
           ", graph 0.97 left offset 0.5,0 tc rgb '#555555'\n";
}

struct Plot {
    std::string stem;
    std::string data;
    std::string script;
};

std::vector<Plot> plots(const Report& r, const Dataset& d) {
    std::vector<Plot> result;
    Plot path{"coef_path", "", ""};
    path.data = "# lambda intercept";
    for (const std::string& name : d.features)
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
        path.script += marker(r.lambda_min, "min") + marker(r.lambda_1se, "1se");
    const std::size_t p = d.features.size();
    if (p <= 20) {
        path.script += "set key outside right top\nplot ";
        for (std::size_t j = 0; j < p; ++j)
            path.script += std::string(j ? ", \\\n     " : "") +
                           "datafile using 1:" + std::to_string(j + 3) + " with lines lw 2 title " +
                           priorreg_fit::gnuplot_string(d.features[j]);
        path.script += "\n";
    } else {
        path.script += "unset key\nplot for [j=3:" + std::to_string(p + 2) +
                       "] datafile using 1:j with lines lw 1.5\n";
    }
    result.push_back(std::move(path));

    if (r.mode == Mode::cv) {
        Plot cv{"cv_curve", "# lambda mean_error standard_error nonzeros\n", ""};
        for (Eigen::Index l = 0; l < r.path.lambdas.size(); ++l)
            cv.data += format_number(r.path.lambdas(l)) + " " + format_number(r.mean_errors(l)) +
                       " " + format_number(r.standard_errors(l)) + " " +
                       std::to_string(r.nonzeros[static_cast<std::size_t>(l)]) + "\n";
        cv.script = script_head("cv_curve", r.model + " cross-validation: " + d.target) +
                    "set xlabel 'lambda (log scale)'\nset ylabel 'CV mean squared error'\n" +
                    marker(r.lambda_min, "min") + marker(r.lambda_1se, "1se") +
                    "set key outside bottom center horizontal\n"
                    "plot datafile using 1:2:3 with yerrorbars pt 7 ps 0.6 lc rgb '#c0392b' "
                    "title 'mean +- 1 standard error', \\\n"
                    "     '' using 1:2 with lines lc rgb '#c0392b' notitle\n";
        result.push_back(std::move(cv));
    }
    return result;
}

/// Stages the plot files of `r` in `directory` (creating it if needed) and renders the PNGs.
void stage_plots(const Report& r, const Dataset& d, const std::string& directory,
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

int run_program(int argc, char** argv) {
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
                   "enet with --alpha)")
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
    app.add_option("--seed", o.seed_text, "seed of the CV fold assignment (default 1)")
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
    app.add_option("--level", o.level,
                   "ols: confidence level of the coefficients' intervals (default 0.95)")
        ->type_name("P");

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::ParseError& e) {
        std::cerr << "priorreg-fit: error: " << one_line(e.what()) << "\n" << kUsage;
        return 2;
    }
    o.lambda_given = app.count("--lambda") > 0;
    o.cv_given = app.count("--cv") > 0;
    o.alpha_given = app.count("--alpha") > 0;
    o.seed_given = app.count("--seed") > 0;
    o.level_given = app.count("--level") > 0;
    o.tolerance_given = app.count("--tolerance") > 0;
    o.grid_given = app.count("--nlambda") > 0 || app.count("--lambda-min-ratio") > 0;

    try {
        resolve(o);
        const Dataset d = load(o);
        const Report report = run(o, d);
        const std::string text = o.format == "json" ? to_json(report, d, o) : to_csv(report, d);

        // Declared first, destroyed last: after a failure the staged files are removed
        // before the check that the directory this run created is empty again.
        std::optional<CreatedDirectory> plot_directory;
        priorreg_fit::StagedFiles staged;
        if (!o.output.empty())
            staged.write(o.output, text);
        if (!o.plot_dir.empty()) {
            plot_directory.emplace(o.plot_dir);
            stage_plots(report, d, o.plot_dir, staged);
        }
        staged.commit();
        if (plot_directory)
            plot_directory->keep();
        for (const std::string& warning : report.warnings)
            std::cerr << "priorreg-fit: warning: " << warning << "\n";
        if (o.output.empty()) {
            std::cout << text << std::flush;
            if (!std::cout)
                return fail("cannot write to stdout", 1);
        }
        return 0;
    } catch (const OptionError& e) {
        return fail(e.what(), 2);
    } catch (const std::bad_alloc&) {
        return fail("out of memory", 1);
    } catch (const std::exception& e) {
        // CsvError, DataError, OutputError, PlotError, priorreg::InvalidInput and the rest.
        return fail(e.what(), 1);
    }
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
