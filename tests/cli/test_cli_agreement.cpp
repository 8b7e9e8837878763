// priorreg-fit against the library: the tool's coefficients, paths and CV tables equal those of
// MapRegression / CrossValidation run in-process on the same data (the CSV carries every double
// exactly), in both output formats; OLS on exactly linear data returns the generating
// coefficients.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "cli_test_support.hpp"
#include "json_writer.hpp"

namespace {

using cli_test::Json;
using cli_test::relative_difference;
using cli_test::run_ok;
using cli_test::to_double;
using cli_test::with_intercept;

struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    Eigen::VectorXd w;
    std::vector<std::string> names;
};

/// Correlated features on different scales, a sparse truth and noise; names that need CSV
/// quoting. Weights in (0, 3).
Data make_data(Eigen::Index n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform(0.0, 3.0);
    Data d;
    d.names = {"x1", "size (m)", "a,b", "say \"q\"", "x5", "x6"};
    const auto p = static_cast<Eigen::Index>(d.names.size());
    d.X.resize(n, p);
    d.y.resize(n);
    d.w.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double common = normal(rng);
        for (Eigen::Index j = 0; j < p; ++j)
            d.X(i, j) = (0.6 * common + normal(rng)) * double(j + 1);
        d.y(i) = 2.0 + 1.5 * d.X(i, 0) - 0.4 * d.X(i, 2) + 0.1 * d.X(i, 4) + normal(rng);
        d.w(i) = uniform(rng);
    }
    return d;
}

/// Columns: the features, with the weights column ("w") inserted after the second feature when
/// `weights`, and the response "y" last.
std::string to_csv(const Data& d, bool weights) {
    std::string text;
    auto row = [&](const std::vector<std::string>& cells) {
        for (std::size_t k = 0; k < cells.size(); ++k)
            text += (k ? "," : "") + cells[k];
        text += "\n";
    };
    std::vector<std::string> header;
    for (std::size_t j = 0; j < d.names.size(); ++j) {
        header.push_back(priorreg_fit::csv_field(d.names[j]));
        if (weights && j == 1)
            header.push_back("w");
    }
    header.push_back("y");
    row(header);
    for (Eigen::Index i = 0; i < d.X.rows(); ++i) {
        std::vector<std::string> cells;
        for (Eigen::Index j = 0; j < d.X.cols(); ++j) {
            cells.push_back(priorreg_fit::format_number(d.X(i, j)));
            if (weights && j == 1)
                cells.push_back(priorreg_fit::format_number(d.w(i)));
        }
        cells.push_back(priorreg_fit::format_number(d.y(i)));
        row(cells);
    }
    return text;
}

/// Largest difference relative to the largest magnitude of the reference.

/// The `term,estimate` table: checks the term names, returns the estimates.
Eigen::VectorXd estimates_from_csv(const std::string& out, const std::vector<std::string>& names) {
    const auto records = cli_test::split_csv(out);
    REQUIRE(records.size() == names.size() + 2);
    CHECK(records[0] == std::vector<std::string>{"term", "estimate"});
    CHECK(records[1][0] == "(intercept)");
    Eigen::VectorXd values(records.size() - 1);
    for (std::size_t r = 1; r < records.size(); ++r) {
        REQUIRE(records[r].size() == 2);
        if (r >= 2)
            CHECK(records[r][0] == names[r - 2]);
        values(static_cast<Eigen::Index>(r - 1)) = to_double(records[r][1]);
    }
    return values;
}

Eigen::VectorXd estimates_from_json(const Json& doc, const std::vector<std::string>& names,
                                    const std::string& field) {
    const auto& list = doc["coefficients"].array;
    REQUIRE(list.size() == names.size() + 1);
    Eigen::VectorXd values(static_cast<Eigen::Index>(list.size()));
    for (std::size_t k = 0; k < list.size(); ++k) {
        CHECK(list[k]["term"].str() == (k == 0 ? std::string("(intercept)") : names[k - 1]));
        values(static_cast<Eigen::Index>(k)) = list[k][field].num();
    }
    return values;
}

template <class Model> void configure(Model& model, const std::vector<std::string>& flags) {
    for (const std::string& flag : flags) {
        if (flag == "--no-standardize")
            model.set_standardize(false);
        if (flag == "--no-intercept")
            model.set_fit_intercept(false);
    }
}

template <class Model, class DX> void fit(Model& model, const DX& d, bool weights) {
    weights ? model.fit(d.X, d.y, d.w) : model.fit(d.X, d.y);
}

} // namespace

TEST_CASE("OLS on exactly linear data returns the generating coefficients", "[cli][agreement]") {
    cli_test::TempDir dir;
    Data d = make_data(30, 5);
    Eigen::VectorXd beta(6);
    beta << 1.0, -2.0, 3.0, 0.25, 0.0, -0.5;
    d.y = (d.X * beta).array() + 0.5;
    cli_test::write_text(dir / "lin.csv", to_csv(d, false));
    // ols is the default without a lambda option; its first table adds the inference columns.
    const auto result = run_ok(dir, {"lin.csv"});
    const auto sections = cli_test::csv_sections(result.out);
    REQUIRE(sections.size() == 2);
    REQUIRE(sections[0].size() == d.names.size() + 2);
    Eigen::VectorXd got(static_cast<Eigen::Index>(d.names.size() + 1));
    for (std::size_t r = 1; r < sections[0].size(); ++r)
        got(static_cast<Eigen::Index>(r - 1)) = to_double(sections[0][r][1]);
    CHECK(relative_difference(got, with_intercept(0.5, beta)) < 1e-10);

    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y);
    CHECK(relative_difference(got, with_intercept(ols.intercept(), ols.coef())) < 1e-12);
}

TEST_CASE("OLS output carries the library's summary: errors, tests, intervals, R^2, F",
          "[cli][agreement][inference]") {
    cli_test::TempDir dir;
    const Data d = make_data(40, 7);
    cli_test::write_text(dir / "d.csv", to_csv(d, false));
    cli_test::write_text(dir / "dw.csv", to_csv(d, true));
    for (const bool weights : {false, true}) {
        for (const bool intercept : {true, false}) {
            std::vector<std::string> args = {weights ? "dw.csv" : "d.csv", "--level", "0.9"};
            if (weights)
                args.insert(args.end(), {"--weights", "w"});
            if (!intercept)
                args.emplace_back("--no-intercept");
            INFO("weights " << weights << ", intercept " << intercept);
            const Eigen::MatrixXd& X = d.X;
            const std::vector<std::string>& names = d.names;
            priorreg::LinearRegression ols;
            ols.set_fit_intercept(intercept);
            const Eigen::VectorXd w =
                weights ? Eigen::VectorXd(d.w) : Eigen::VectorXd::Ones(X.rows());
            ols.fit(X, d.y, w);
            const auto s = ols.summary(X, d.y, w, 0.9);
            std::vector<priorreg::CoefficientInference<double>> rows;
            if (intercept)
                rows.push_back(s.intercept);
            rows.insert(rows.end(), s.coefficients.begin(), s.coefficients.end());

            const auto sections = cli_test::csv_sections(run_ok(dir, args).out);
            REQUIRE(sections.size() == 2);
            CHECK(sections[0][0] == std::vector<std::string>{"term", "estimate", "std_error",
                                                             "t_value", "p_value", "ci_low",
                                                             "ci_high"});
            REQUIRE(sections[0].size() == rows.size() + 1);
            for (std::size_t k = 0; k < rows.size(); ++k) {
                const auto& record = sections[0][k + 1];
                CHECK(record[0] == (intercept && k == 0 ? std::string("(intercept)")
                                                        : names[k - (intercept ? 1 : 0)]));
                // The same numbers, to the last bit (shortest round-trip formatting).
                CHECK(to_double(record[2]) == rows[k].std_error);
                CHECK(to_double(record[3]) == rows[k].t_value);
                CHECK(to_double(record[4]) == rows[k].p_value);
                CHECK(to_double(record[5]) == rows[k].ci_low);
                CHECK(to_double(record[6]) == rows[k].ci_high);
            }
            const auto& statistics = sections[1];
            REQUIRE(statistics.size() == 9);
            CHECK(statistics[1] ==
                  std::vector<std::string>{"sigma", priorreg_fit::format_number(s.sigma)});
            CHECK(to_double(statistics[2][1]) == double(s.df_residual));
            CHECK(to_double(statistics[3][1]) == s.r_squared);
            CHECK(to_double(statistics[5][1]) == s.f_statistic);
            CHECK(to_double(statistics[7][1]) == s.f_p_value);
            CHECK(to_double(statistics[8][1]) == 0.9);

            args.insert(args.end(), {"--format", "json"});
            const Json doc = cli_test::parse_json(run_ok(dir, args).out);
            const auto& list = doc["coefficients"].array;
            REQUIRE(list.size() == rows.size());
            for (std::size_t k = 0; k < rows.size(); ++k) {
                CHECK(list[k]["std_error"].num() == rows[k].std_error);
                CHECK(list[k]["p_value"].num() == rows[k].p_value);
                CHECK(list[k]["ci_high"].num() == rows[k].ci_high);
            }
            CHECK(doc["sigma"].num() == s.sigma);
            CHECK(doc["df_residual"].num() == double(s.df_residual));
            CHECK(doc["adj_r_squared"].num() == s.adj_r_squared);
            CHECK(doc["f_p_value"].num() == s.f_p_value);
        }
    }
}

TEST_CASE("The grid, tolerance and thread options of the CLI reach the library",
          "[cli][agreement]") {
    cli_test::TempDir dir;
    const Data d = make_data(60, 29);
    cli_test::write_text(dir / "d.csv", to_csv(d, false));
    priorreg::Lasso lasso(1.0);
    lasso.set_tolerance(1e-11).set_threads(1);
    priorreg::PathOptions grid;
    grid.n_lambda = 17;
    grid.lambda_min_ratio = 0.03;
    const auto path = lasso.fit_path(d.X, d.y, grid);
    const auto sections = cli_test::csv_sections(
        run_ok(dir, {"d.csv", "--path", "--nlambda", "17", "--lambda-min-ratio", "0.03",
                     "--tolerance", "1e-11", "--threads", "1"})
            .out);
    REQUIRE(sections.size() == 1);
    REQUIRE(sections[0].size() == 18);
    for (Eigen::Index l = 0; l < 17; ++l) {
        const auto& record = sections[0][static_cast<std::size_t>(l + 1)];
        CHECK(to_double(record[0]) == path.lambdas()(l));
        for (Eigen::Index j = 0; j < d.X.cols(); ++j)
            CHECK(to_double(record[static_cast<std::size_t>(j + 4)]) == path.coefs()(j, l));
    }
}

TEST_CASE("CV from the CLI warns when its minimum is at an end of the grid", "[cli][agreement]") {
    cli_test::TempDir dir;
    Data d = make_data(60, 31);
    d.y = d.X * Eigen::VectorXd::LinSpaced(d.X.cols(), -1.0, 1.0); // no noise: least squares
    cli_test::write_text(dir / "exact.csv", to_csv(d, false));
    const auto result = run_ok(dir, {"exact.csv", "--cv", "5"});
    CHECK(result.err.find("warning: the CV error is least at the smallest lambda") !=
          std::string::npos);
    CHECK(result.err.find("least squares") != std::string::npos);
}

TEST_CASE("Fits with --lambda equal the library's, in CSV and JSON", "[cli][agreement]") {
    cli_test::TempDir dir;
    const Data d = make_data(80, 11);
    cli_test::write_text(dir / "d.csv", to_csv(d, false));
    cli_test::write_text(dir / "dw.csv", to_csv(d, true));

    const std::vector<std::vector<std::string>> variants = {
        {}, {"--no-standardize"}, {"--no-intercept"}, {"--weights", "w"}};
    for (const auto& variant : variants) {
        const bool weights = !variant.empty() && variant[0] == "--weights";
        const std::string file = weights ? "dw.csv" : "d.csv";
        for (const std::string model_name : {"ridge", "lasso", "enet"}) {
            const double lambda = model_name == "ridge" ? 0.7 : 0.05;
            std::vector<std::string> args = {file, "--model", model_name, "--lambda",
                                             priorreg_fit::format_number(lambda)};
            if (model_name == "enet")
                args.insert(args.end(), {"--alpha", "0.3"});
            args.insert(args.end(), variant.begin(), variant.end());
            INFO("priorreg-fit " << [&] {
                std::string joined;
                for (const auto& a : args)
                    joined += a + " ";
                return joined;
            }());

            Eigen::VectorXd expected;
            if (model_name == "ridge") {
                priorreg::Ridge model(lambda);
                configure(model, variant);
                fit(model, d, weights);
                expected = with_intercept(model.intercept(), model.coef());
            } else if (model_name == "lasso") {
                priorreg::Lasso model(lambda);
                configure(model, variant);
                fit(model, d, weights);
                expected = with_intercept(model.intercept(), model.coef());
            } else {
                priorreg::ElasticNet model(lambda, 0.3);
                configure(model, variant);
                fit(model, d, weights);
                expected = with_intercept(model.intercept(), model.coef());
            }

            const Eigen::VectorXd from_csv = estimates_from_csv(run_ok(dir, args).out, d.names);
            CHECK(relative_difference(from_csv, expected) < 1e-12);

            args.insert(args.end(), {"--format", "json"});
            const Json doc = cli_test::parse_json(run_ok(dir, args).out);
            CHECK(doc["model"].str() == model_name);
            CHECK(doc["target"].str() == "y");
            CHECK(doc["rows"].num() == 80);
            CHECK(doc["lambda"].num() == lambda);
            CHECK(doc["alpha"].num() == (model_name == "ridge"   ? 0.0
                                         : model_name == "lasso" ? 1.0
                                                                 : 0.3));
            // The same numbers as the CSV output, to the last bit.
            const Eigen::VectorXd from_json = estimates_from_json(doc, d.names, "estimate");
            CHECK(from_json == from_csv);
            if (weights)
                CHECK(doc["weights"].str() == "w");
        }
    }
}

TEST_CASE("The path of --path equals the library's path", "[cli][agreement]") {
    cli_test::TempDir dir;
    const Data d = make_data(60, 23);
    cli_test::write_text(dir / "dw.csv", to_csv(d, true));
    priorreg::ElasticNet model(1.0, 0.5);
    const auto path = model.fit_path(d.X, d.y, d.w, priorreg::PathOptions());

    const auto csv = run_ok(dir, {"dw.csv", "--path", "--weights", "w", "--model", "enet"});
    const auto records = cli_test::split_csv(csv.out);
    REQUIRE(static_cast<Eigen::Index>(records.size()) == path.size() + 1);
    std::vector<std::string> header = {"lambda", "df", "dev_ratio", "(intercept)"};
    header.insert(header.end(), d.names.begin(), d.names.end());
    CHECK(records[0] == header);
    const Eigen::Index p = d.X.cols();
    for (Eigen::Index l = 0; l < path.size(); ++l) {
        const auto& row = records[static_cast<std::size_t>(l + 1)];
        REQUIRE(static_cast<Eigen::Index>(row.size()) == p + 4);
        CHECK(to_double(row[0]) == Approx(path.lambdas()(l)).epsilon(1e-12));
        CHECK(to_double(row[1]) == double(path.df()(l)));
        CHECK(to_double(row[2]) == Approx(path.dev_ratio()(l)).epsilon(1e-12).margin(1e-15));
        Eigen::VectorXd got(p + 1);
        for (Eigen::Index j = 0; j <= p; ++j)
            got(j) = to_double(row[static_cast<std::size_t>(j + 3)]);
        CHECK(relative_difference(got, with_intercept(path.intercepts()(l), path.coefs().col(l))) <
              1e-12);
    }

    // JSON: the same path, entry by entry.
    const Json doc = cli_test::parse_json(
        run_ok(dir, {"dw.csv", "--path", "--weights", "w", "--alpha", "0.5", "--format", "json"})
            .out);
    CHECK(doc["model"].str() == "enet"); // --alpha alone selects the elastic net
    REQUIRE(doc["terms"].array.size() == d.names.size() + 1);
    CHECK(doc["terms"][1].str() == d.names[0]);
    REQUIRE(static_cast<Eigen::Index>(doc["path"].array.size()) == path.size());
    for (Eigen::Index l = 0; l < path.size(); ++l) {
        const Json& entry = doc["path"][static_cast<std::size_t>(l)];
        const auto& row = records[static_cast<std::size_t>(l + 1)];
        CHECK(entry["lambda"].num() == to_double(row[0]));
        CHECK(entry["df"].num() == to_double(row[1]));
        CHECK(entry["dev_ratio"].num() == to_double(row[2]));
        for (std::size_t j = 0; j <= d.names.size(); ++j)
            CHECK(entry["estimates"][j].num() == to_double(row[j + 3]));
    }
}

TEST_CASE("The CV of --cv equals the library's cross-validation and honours --seed",
          "[cli][agreement]") {
    cli_test::TempDir dir;
    const Data d = make_data(90, 31);
    cli_test::write_text(dir / "d.csv", to_csv(d, false));

    priorreg::Lasso lasso(1.0);
    priorreg::CrossValidationOptions options;
    options.folds = 4;
    options.seed = 11;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
    cv.fit(d.X, d.y);

    const auto result = run_ok(dir, {"d.csv", "--cv", "4", "--seed", "11"});
    const auto sections = cli_test::csv_sections(result.out);
    REQUIRE(sections.size() == 3);

    const auto& table = sections[0];
    CHECK(table[0] ==
          std::vector<std::string>{"lambda", "mean_error", "standard_error", "nonzeros"});
    REQUIRE(static_cast<Eigen::Index>(table.size()) == cv.lambdas().size() + 1);
    Eigen::VectorXd mean_errors(cv.lambdas().size());
    for (Eigen::Index l = 0; l < cv.lambdas().size(); ++l) {
        const auto& row = table[static_cast<std::size_t>(l + 1)];
        REQUIRE(row.size() == 4);
        CHECK(to_double(row[0]) == Approx(cv.lambdas()(l)).epsilon(1e-12));
        mean_errors(l) = to_double(row[1]);
        CHECK(mean_errors(l) == Approx(cv.mean_errors()(l)).epsilon(1e-12));
        CHECK(to_double(row[2]) == Approx(cv.standard_errors()(l)).epsilon(1e-12));
        CHECK(to_double(row[3]) == double(cv.nonzeros()(l)));
    }

    const auto& choice = sections[1];
    REQUIRE(choice.size() == 3);
    CHECK(choice[0] == std::vector<std::string>{"choice", "lambda"});
    CHECK(choice[1][0] == "lambda_min");
    CHECK(to_double(choice[1][1]) == Approx(cv.lambda_min()).epsilon(1e-12));
    CHECK(choice[2][0] == "lambda_1se");
    CHECK(to_double(choice[2][1]) == Approx(cv.lambda_1se()).epsilon(1e-12));

    const auto& coefs = sections[2];
    REQUIRE(coefs.size() == d.names.size() + 2);
    CHECK(coefs[0] == std::vector<std::string>{"term", "lambda_min", "lambda_1se"});
    Eigen::VectorXd at_min(coefs.size() - 1), at_1se(coefs.size() - 1);
    for (std::size_t r = 1; r < coefs.size(); ++r) {
        CHECK(coefs[r][0] == (r == 1 ? std::string("(intercept)") : d.names[r - 2]));
        at_min(static_cast<Eigen::Index>(r - 1)) = to_double(coefs[r][1]);
        at_1se(static_cast<Eigen::Index>(r - 1)) = to_double(coefs[r][2]);
    }
    CHECK(relative_difference(at_min, with_intercept(cv.model().intercept(), cv.model().coef())) <
          1e-12);
    // The 1se refit is the all-rows solution at lambda_1se: an independent fit there agrees to
    // the solver's tolerance.
    priorreg::Lasso refit(cv.lambda_1se());
    refit.set_tolerance(1e-12).fit(d.X, d.y);
    CHECK(relative_difference(at_1se, with_intercept(refit.intercept(), refit.coef())) < 1e-4);
    CHECK((at_1se.tail(at_1se.size() - 1).array() != 0).count() <=
          (at_min.tail(at_min.size() - 1).array() != 0).count());

    // JSON carries the same numbers.
    const Json doc = cli_test::parse_json(
        run_ok(dir, {"d.csv", "--cv", "4", "--seed", "11", "--format", "json"}).out);
    CHECK(doc["cv"]["folds"].num() == 4);
    CHECK(doc["cv"]["seed"].num() == 11);
    REQUIRE(static_cast<Eigen::Index>(doc["cv"]["table"].array.size()) == cv.lambdas().size());
    for (Eigen::Index l = 0; l < cv.lambdas().size(); ++l)
        CHECK(doc["cv"]["table"][static_cast<std::size_t>(l)]["mean_error"].num() ==
              mean_errors(l));
    CHECK(doc["lambda_min"].num() == to_double(choice[1][1]));
    CHECK(doc["lambda_1se"].num() == to_double(choice[2][1]));
    CHECK(estimates_from_json(doc, d.names, "lambda_min") == at_min);
    CHECK(estimates_from_json(doc, d.names, "lambda_1se") == at_1se);

    // Another seed, other folds: the errors change.
    const auto other =
        cli_test::csv_sections(run_ok(dir, {"d.csv", "--cv", "4", "--seed", "12"}).out);
    REQUIRE(other[0].size() == table.size());
    bool differs = false;
    for (std::size_t r = 1; r < table.size(); ++r)
        differs = differs || other[0][r][1] != table[r][1];
    CHECK(differs);
}

TEST_CASE("Posterior models: the tool's tables are the library's posteriors",
          "[cli][agreement][posterior]") {
    cli_test::TempDir dir;
    const Data d = make_data(60, 19);
    cli_test::write_text(dir / "d.csv", to_csv(d, false));
    cli_test::write_text(dir / "dw.csv", to_csv(d, true));
    const std::vector<std::string> header{"term",   "mean",    "sd",  "ci_low",
                                          "median", "ci_high", "ess", "rhat"};

    SECTION("bayes-ridge: the exact Gaussian posterior, intervals mean -/+ z sd") {
        for (const bool weights : {false, true}) {
            INFO("weights " << weights);
            std::vector<std::string> args{weights ? "dw.csv" : "d.csv", "--model", "bayes-ridge",
                                          "--level", "0.9"};
            if (weights)
                args.insert(args.end(), {"--weights", "w"});
            priorreg::BayesianRidge model;
            const Eigen::VectorXd w = weights ? Eigen::VectorXd(d.w) : Eigen::VectorXd::Ones(60);
            model.fit(d.X, d.y, w);
            const Eigen::MatrixXd covariance = model.posterior_covariance();
            const auto sections = cli_test::csv_sections(run_ok(dir, args).out);
            REQUIRE(sections.size() == 2);
            CHECK(sections[0][0] == header);
            REQUIRE(sections[0].size() == d.names.size() + 2);
            CHECK(to_double(sections[0][1][1]) == model.intercept());
            for (std::size_t j = 0; j < d.names.size(); ++j) {
                const auto& row = sections[0][j + 2];
                const auto k = static_cast<Eigen::Index>(j);
                CHECK(row[0] == d.names[j]);
                CHECK(to_double(row[1]) == model.coef()(k));
                CHECK(to_double(row[2]) == Approx(std::sqrt(covariance(k, k))).epsilon(1e-14));
                // The 0.95 quantile of N(0, 1): 1.6448536269514729.
                CHECK(to_double(row[3]) ==
                      Approx(model.coef()(k) - 1.6448536269514729 * std::sqrt(covariance(k, k)))
                          .epsilon(1e-12));
                CHECK(row[6] == "NA");
            }
            CHECK(sections[1][2] ==
                  std::vector<std::string>{"noise_precision",
                                           priorreg_fit::format_number(model.noise_precision())});
        }
    }
    SECTION("bayes-lasso and horseshoe: the sampler's draws, seeded; JSON says the same") {
        priorreg::SamplerOptions options;
        options.draws = 300;
        options.burn_in = 1000;
        options.chains = 4;
        options.seed = 7;
        const auto lasso = priorreg::BayesianLasso(2.0).sample(d.X, d.y, d.w, options);
        const auto sections = cli_test::csv_sections(
            run_ok(dir, {"dw.csv", "--weights", "w", "--model", "bayes-lasso", "--lambda", "2",
                         "--draws", "300", "--seed", "7"})
                .out);
        REQUIRE(sections[0].size() == d.names.size() + 2);
        const Eigen::VectorXd median = lasso.median(), low = lasso.quantile(0.025);
        const Eigen::VectorXd ess = lasso.effective_sample_size(), rhat = lasso.rhat();
        for (std::size_t j = 0; j < d.names.size(); ++j) {
            const auto& row = sections[0][j + 2];
            const auto k = static_cast<Eigen::Index>(j);
            CHECK(to_double(row[4]) == median(k));
            // (1 - 0.95) / 2 is 0.025 to rounding: the interpolation weight differs in the last
            // bits.
            CHECK(to_double(row[3]) == Approx(low(k)).epsilon(1e-12).margin(1e-15));
            CHECK(to_double(row[6]) == ess(k));
            CHECK(to_double(row[7]) == rhat(k));
        }
        const auto horseshoe = priorreg::HorseshoeRegression().sample(d.X, d.y, options);
        const Json doc =
            cli_test::parse_json(run_ok(dir, {"d.csv", "--model", "horseshoe", "--draws", "300",
                                              "--seed", "7", "--format", "json"})
                                     .out);
        CHECK(doc["model"].str() == "horseshoe");
        CHECK(doc["level"].num() == 0.95);
        CHECK(doc["chains"].num() == 4);
        const auto& list = doc["coefficients"].array;
        REQUIRE(list.size() == d.names.size() + 1);
        CHECK(list[0]["term"].str() == "(intercept)");
        CHECK(list[0]["mean"].num() == horseshoe.intercept_draws().mean());
        for (std::size_t j = 0; j < d.names.size(); ++j)
            CHECK(list[j + 1]["median"].num() == horseshoe.median()(static_cast<Eigen::Index>(j)));
    }
    SECTION("options that do not apply are usage errors") {
        const std::vector<std::vector<std::string>> misuse{
            {"d.csv", "--draws", "100"},
            {"d.csv", "--model", "bayes-ridge", "--draws", "100"},
            {"d.csv", "--model", "bayes-ridge", "--seed", "3"},
            {"d.csv", "--model", "horseshoe", "--lambda", "1"},
            {"d.csv", "--model", "bayes-lasso", "--lambda", "0"},
            {"d.csv", "--model", "bayes-lasso", "--path"},
            {"d.csv", "--model", "bayes-lasso", "--cv", "5"},
            {"d.csv", "--model", "horseshoe", "--draws", "2"},
            {"d.csv", "--model", "horseshoe", "--plot", "plots"},
            {"d.csv", "--model", "bayes", "--lambda", "1"}};
        for (const auto& args : misuse) {
            INFO(args[1] << " " << args[2] << " " << (args.size() > 3 ? args[3] : ""));
            const auto result = cli_test::run_tool(dir, args);
            CHECK(result.status == 2);
            CHECK(result.out.empty());
        }
    }
}
