// priorreg-fit on data as people have it: the same numbers written with other separators, a
// decimal comma, row names or an index give the same fit; text columns are one-hot encoded as
// R's treatment contrasts (checked against the library on the encoded matrix, and by the
// invariance of least-squares predictions to the reference level); --na drop, --drop,
// --foldid and --penalty-factor equal the library on the corresponding data and options;
// --save-model and predict reproduce the library's predictions on new rows.
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

using cli_test::relative_difference;
using cli_test::run_ok;
using cli_test::with_intercept;

using priorreg_fit::format_number;

/// Rows of a small data set: two numeric features, a text column of three levels, a
/// response. Levels named so that byte order and first appearance differ.
struct Rows {
    Eigen::MatrixXd x;             // n x 2
    std::vector<std::string> kind; // "north", "east", "south"
    Eigen::VectorXd y;
};

Rows make_rows(Eigen::Index n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    const char* levels[] = {"south", "north", "east"};
    Rows r;
    r.x.resize(n, 2);
    r.y.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        r.x(i, 0) = normal(rng);
        r.x(i, 1) = 0.5 * r.x(i, 0) + normal(rng);
        const int k = static_cast<int>(rng() % 3);
        r.kind.push_back(levels[k]);
        r.y(i) = 1 + 2 * r.x(i, 0) - r.x(i, 1) + (k == 1 ? 1.5 : k == 2 ? -0.5 : 0) + normal(rng);
    }
    return r;
}

/// The rows as CSV: `sep` between fields, `decimal` as the decimal mark, `index` "" (none),
/// "r" (R's quoted row names) or "pandas" (an unnamed integer index), and an extra column
/// "note" when `note`.
std::string write_rows(const Rows& r, char sep, char decimal, const std::string& index, bool note,
                       const std::vector<std::pair<Eigen::Index, std::string>>& x2_missing = {}) {
    auto number = [&](double v) {
        std::string text = format_number(v);
        if (decimal == ',')
            std::replace(text.begin(), text.end(), '.', ',');
        return text;
    };
    std::string out;
    auto cell = [&](bool first, const std::string& text) {
        out += (first ? "" : std::string(1, sep)) + text;
    };
    if (index == "r")
        cell(true, "\"\"");
    else if (index == "pandas")
        cell(true, "");
    cell(index.empty(), "x1");
    if (note)
        cell(false, "note");
    cell(false, "kind");
    cell(false, "x2");
    cell(false, "y");
    out += "\n";
    for (Eigen::Index i = 0; i < r.x.rows(); ++i) {
        if (index == "r")
            cell(true, "\"car " + std::to_string(i) + "\"");
        else if (index == "pandas")
            cell(true, std::to_string(i));
        cell(index.empty(), number(r.x(i, 0)));
        if (note)
            cell(false, i % 2 ? "\"ok, fine\"" : "NA");
        cell(false, r.kind[static_cast<std::size_t>(i)]);
        std::string x2 = number(r.x(i, 1));
        for (const auto& [row, token] : x2_missing)
            if (row == i)
                x2 = token;
        cell(false, x2);
        cell(false, number(r.y(i)));
        out += "\n";
    }
    return out;
}

/// The design of R's treatment contrasts: x1, kind=north, kind=south, x2 (levels sorted:
/// east is the reference).
Eigen::MatrixXd encoded(const Rows& r) {
    Eigen::MatrixXd X(r.x.rows(), 4);
    for (Eigen::Index i = 0; i < r.x.rows(); ++i) {
        const std::string& k = r.kind[static_cast<std::size_t>(i)];
        X.row(i) << r.x(i, 0), k == "north" ? 1.0 : 0.0, k == "south" ? 1.0 : 0.0, r.x(i, 1);
    }
    return X;
}

const std::vector<std::string> kTerms = {"x1", "kind=north", "kind=south", "x2"};

/// The `term,estimate[,...]` table: its term names and estimates.
std::pair<std::vector<std::string>, Eigen::VectorXd> estimates(const std::string& out) {
    const auto records = cli_test::csv_sections(out).front();
    std::vector<std::string> terms;
    Eigen::VectorXd values(static_cast<Eigen::Index>(records.size() - 1));
    for (std::size_t k = 1; k < records.size(); ++k) {
        terms.push_back(records[k][0]);
        values(static_cast<Eigen::Index>(k - 1)) = cli_test::to_double(records[k][1]);
    }
    return {terms, values};
}

Eigen::VectorXd predictions(const std::string& out) {
    const auto records = cli_test::split_csv(out);
    REQUIRE(records.front() == std::vector<std::string>{"prediction"});
    Eigen::VectorXd values(static_cast<Eigen::Index>(records.size() - 1));
    for (std::size_t k = 1; k < records.size(); ++k)
        values(static_cast<Eigen::Index>(k - 1)) =
            records[k][0] == "NA" ? std::nan("") : cli_test::to_double(records[k][0]);
    return values;
}

} // namespace

TEST_CASE("Text columns are treatment contrasts: the library's fit on the encoded matrix",
          "[cli][data]") {
    cli_test::TempDir dir;
    const Rows r = make_rows(60, 5);
    cli_test::write_text(dir / "d.csv", write_rows(r, ',', '.', "", false));
    const Eigen::MatrixXd X = encoded(r);

    priorreg::LinearRegression ols;
    ols.fit(X, r.y);
    const auto [ols_terms, ols_estimates] = estimates(run_ok(dir, {"d.csv"}).out);
    std::vector<std::string> expected{"(intercept)"};
    expected.insert(expected.end(), kTerms.begin(), kTerms.end());
    CHECK(ols_terms == expected);
    CHECK(relative_difference(ols_estimates, with_intercept(ols.intercept(), ols.coef())) < 1e-12);

    priorreg::ElasticNet enet(0.05, 0.5);
    enet.fit(X, r.y);
    const auto [enet_terms, enet_estimates] =
        estimates(run_ok(dir, {"d.csv", "--lambda", "0.05", "--alpha", "0.5"}).out);
    CHECK(relative_difference(enet_estimates, with_intercept(enet.intercept(), enet.coef())) <
          1e-12);

    // Another reference level ("aaa" sorts first) changes the coefficients but not the
    // least-squares fitted values: the column space with the intercept is the same.
    Rows renamed = r;
    for (auto& k : renamed.kind)
        if (k == "south")
            k = "aaa";
    cli_test::write_text(dir / "renamed.csv", write_rows(renamed, ',', '.', "", false));
    run_ok(dir, {"d.csv", "--save-model", "a.json"});
    run_ok(dir, {"renamed.csv", "--save-model", "b.json"});
    const Eigen::VectorXd fitted_a = predictions(run_ok(dir, {"predict", "a.json", "d.csv"}).out);
    const Eigen::VectorXd fitted_b =
        predictions(run_ok(dir, {"predict", "b.json", "renamed.csv"}).out);
    CHECK(relative_difference(fitted_a, fitted_b) < 1e-10);
    CHECK(relative_difference(fitted_a, ols.predict(X)) < 1e-12);
}

TEST_CASE("Separators, decimal commas, row names and an index give the same fit", "[cli][data]") {
    cli_test::TempDir dir;
    const Rows r = make_rows(40, 8);
    cli_test::write_text(dir / "plain.csv", write_rows(r, ',', '.', "", false));
    const Eigen::VectorXd reference =
        estimates(run_ok(dir, {"plain.csv", "--lambda", "0.1"}).out).second;
    struct Variant {
        char sep;
        char decimal;
        const char* index;
        std::vector<std::string> flags;
    };
    const Variant variants[] = {{';', ',', "", {"--decimal", ","}},
                                {'\t', '.', "", {}},
                                {',', '.', "r", {}},
                                {';', '.', "pandas", {"--sep", ";"}},
                                {'\t', ',', "r", {"--sep", "tab", "--decimal", ","}}};
    for (const Variant& v : variants) {
        cli_test::write_text(dir / "v.csv", write_rows(r, v.sep, v.decimal, v.index, false));
        std::vector<std::string> args{"v.csv", "--lambda", "0.1"};
        args.insert(args.end(), v.flags.begin(), v.flags.end());
        INFO("separator " << int(v.sep) << ", decimal " << v.decimal << ", index " << v.index);
        const Eigen::VectorXd got = estimates(run_ok(dir, args).out).second;
        CHECK(relative_difference(got, reference) == 0);
    }
}

TEST_CASE("Options na drop and drop equal the fit on the complete rows and the kept columns",
          "[cli][data]") {
    cli_test::TempDir dir;
    const Rows r = make_rows(50, 13);
    // Missing values (empty, NA, NaN) in x2 on rows 3, 10, 11; the note column has NA too.
    cli_test::write_text(dir / "d.csv",
                         write_rows(r, ',', '.', "", true, {{3, ""}, {10, "NA"}, {11, "NaN"}}));

    std::vector<Eigen::Index> kept;
    for (Eigen::Index i = 0; i < r.x.rows(); ++i)
        if (i != 3 && i != 10 && i != 11)
            kept.push_back(i);
    const Eigen::MatrixXd X = encoded(r)(kept, Eigen::all);
    const Eigen::VectorXd y = r.y(kept);
    priorreg::Lasso lasso(0.02);
    lasso.fit(X, y);
    const auto result =
        run_ok(dir, {"d.csv", "--lambda", "0.02", "--na", "drop", "--drop", "note"});
    CHECK(result.err.find("dropped 3 of 50 rows") != std::string::npos);
    CHECK(relative_difference(estimates(result.out).second,
                              with_intercept(lasso.intercept(), lasso.coef())) < 1e-12);
}

TEST_CASE("Fold ids and penalty factors of the CLI reach the library", "[cli][data]") {
    cli_test::TempDir dir;
    const Rows r = make_rows(45, 21);
    const Eigen::MatrixXd X = encoded(r);
    // Fold ids 7, 8, 9 (any integers: mapped in increasing order to folds 0, 1, 2).
    std::string text = "x1,kind,x2,fold,y\n";
    std::vector<int> folds;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        folds.push_back(static_cast<int>((i * 7) % 3));
        text += format_number(r.x(i, 0)) + "," + r.kind[static_cast<std::size_t>(i)] + "," +
                format_number(r.x(i, 1)) + "," + std::to_string(7 + folds.back()) + "," +
                format_number(r.y(i)) + "\n";
    }
    cli_test::write_text(dir / "d.csv", text);

    Eigen::VectorXd factors = Eigen::VectorXd::Ones(4);
    factors(1) = factors(2) = 0; // "kind": both of its terms
    factors(3) = 2.5;
    priorreg::Lasso lasso(1.0);
    lasso.set_penalty_factors(factors);
    priorreg::CrossValidationOptions options;
    options.fold_ids = folds;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
    cv.fit(X, r.y);

    const auto result = run_ok(dir, {"d.csv", "--foldid", "fold", "--penalty-factor",
                                     "kind=0,x2=2.5", "--format", "json"});
    const auto doc = cli_test::parse_json(result.out);
    CHECK(doc["cv"]["folds"].num() == 3);
    CHECK(doc["cv"]["foldid"].str() == "fold");
    const auto& table = doc["cv"]["table"].array;
    REQUIRE(static_cast<Eigen::Index>(table.size()) == cv.mean_errors().size());
    for (std::size_t l = 0; l < table.size(); ++l)
        CHECK(table[l]["mean_error"].num() ==
              Approx(cv.mean_errors()(static_cast<Eigen::Index>(l))).epsilon(1e-12));
    CHECK(doc["lambda_min"].num() == Approx(cv.lambda_min()).epsilon(1e-12));
    // With factor 0 the terms of kind are unpenalized: at the largest lambda of the path they
    // hold their least-squares values given the intercept, while x1 and x2 are still zero.
    const auto path = lasso.fit_path(X, r.y);
    const auto path_doc =
        cli_test::parse_json(run_ok(dir, {"d.csv", "--path", "--drop", "fold", "--penalty-factor",
                                          "kind=0,x2=2.5", "--format", "json"})
                                 .out);
    const auto& first = path_doc["path"].array.front();
    CHECK(first["lambda"].num() == Approx(path.lambdas()(0)).epsilon(1e-12));
    const auto& estimates = first["estimates"].array;
    REQUIRE(estimates.size() == 5);
    CHECK(estimates[1].num() == 0); // x1
    CHECK(estimates[4].num() == 0); // x2
    CHECK(estimates[2].num() != 0); // kind=north
    CHECK(estimates[3].num() != 0); // kind=south
    for (Eigen::Index j = 0; j < 4; ++j)
        CHECK(estimates[static_cast<std::size_t>(j + 1)].num() ==
              Approx(path.coefs()(j, 0)).margin(1e-12));
}

TEST_CASE("A saved model and predict give the library's predictions on new rows", "[cli][data]") {
    cli_test::TempDir dir;
    const Rows train = make_rows(70, 34), fresh = make_rows(12, 35);
    cli_test::write_text(dir / "train.csv", write_rows(train, ',', '.', "", false));
    // New rows: another order of columns, an extra column, R's row names, a semicolon file.
    std::string text = "\"\";\"x2\";\"extra\";\"kind\";\"x1\"\n";
    for (Eigen::Index i = 0; i < fresh.x.rows(); ++i)
        text += "\"r" + std::to_string(i) + "\";" + format_number(fresh.x(i, 1)) + ";zz;" +
                fresh.kind[static_cast<std::size_t>(i)] + ";" + format_number(fresh.x(i, 0)) + "\n";
    cli_test::write_text(dir / "new.csv", text);

    SECTION("elastic net at a given lambda, without standardization") {
        priorreg::ElasticNet enet(0.03, 0.3);
        enet.set_standardize(false).fit(encoded(train), train.y);
        const auto saved = run_ok(dir, {"train.csv", "--lambda", "0.03", "--alpha", "0.3",
                                        "--no-standardize", "--save-model", "m.json"});
        const auto doc = cli_test::parse_json(cli_test::read_text(dir / "m.json"));
        CHECK(doc["format"].str() == "priorreg-fit model");
        CHECK(doc["prior"].str() == "elastic_net");
        CHECK(doc["lambda"].num() == 0.03);
        CHECK(doc["alpha"].num() == 0.3);
        CHECK(doc["standardize"].boolean == false);
        CHECK(doc["inputs"].array.size() == 3);
        const auto& levels = doc["inputs"].array[1]["levels"].array;
        REQUIRE(levels.size() == 3);
        CHECK(levels[0].str() == "east"); // the reference
        const auto& terms = doc["terms"].array;
        REQUIRE(terms.size() == 4);
        CHECK(terms[1]["term"].str() == "kind=north");
        CHECK(terms[0]["center"].num() == Approx(encoded(train).col(0).mean()).epsilon(1e-12));

        const auto result = run_ok(dir, {"predict", "m.json", "new.csv", "--output", "p.csv"});
        CHECK(result.out.empty());
        const Eigen::VectorXd got = predictions(cli_test::read_text(dir / "p.csv"));
        CHECK(relative_difference(got, enet.predict(encoded(fresh))) < 1e-12);
    }
    SECTION("the lasso at the CV minimum") {
        priorreg::Lasso lasso(1.0);
        priorreg::CrossValidationOptions options;
        options.folds = 5;
        options.seed = 3;
        priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
        cv.fit(encoded(train), train.y);
        run_ok(dir, {"train.csv", "--cv", "5", "--seed", "3", "--save-model", "cv.json"});
        const auto doc = cli_test::parse_json(cli_test::read_text(dir / "cv.json"));
        CHECK(doc["chosen_by"].str() == "cv lambda_min");
        CHECK(doc["lambda"].num() == Approx(cv.lambda_min()).epsilon(1e-12));
        const Eigen::VectorXd got = predictions(run_ok(dir, {"predict", "cv.json", "new.csv"}).out);
        CHECK(relative_difference(got, cv.model().predict(encoded(fresh))) < 1e-12);
    }
    SECTION("a path model predicts at any lambda, as the library's linear lookup") {
        priorreg::ElasticNet enet(1.0, 0.5);
        const auto path = enet.fit_path(encoded(train), train.y);
        run_ok(dir, {"train.csv", "--path", "--alpha", "0.5", "--save-model", "path.json"});
        const auto doc = cli_test::parse_json(cli_test::read_text(dir / "path.json"));
        CHECK(doc["chosen_by"].str() == "path");
        REQUIRE(doc["path"]["lambdas"].array.size() == static_cast<std::size_t>(path.size()));
        const auto linear = priorreg::PathLookup::linear;
        for (const double lambda : {std::sqrt(path.lambdas()(20) * path.lambdas()(21)),
                                    path.lambdas()(40), 2 * path.lambdas()(0), 0.0}) {
            INFO("lambda " << lambda);
            const Eigen::VectorXd got = predictions(
                run_ok(dir, {"predict", "path.json", "new.csv", "--lambda", format_number(lambda)})
                    .out);
            CHECK(relative_difference(got, path.predict_at(encoded(fresh), lambda, linear)) <
                  1e-12);
        }
        // A CV model predicts at lambda_min by default and anywhere on its path with --lambda.
        run_ok(dir, {"train.csv", "--cv", "5", "--alpha", "0.5", "--save-model", "cv.json"});
        const double lambda = path.lambdas()(30);
        const Eigen::VectorXd at_lambda = predictions(
            run_ok(dir, {"predict", "cv.json", "new.csv", "--lambda", format_number(lambda)}).out);
        CHECK(relative_difference(at_lambda, path.model(30).predict(encoded(fresh))) < 1e-9);
    }
    SECTION("a text column with one level makes no term, and predicts") {
        std::string one = "x1,kind,const,x2,y\n";
        for (Eigen::Index i = 0; i < train.x.rows(); ++i)
            one += format_number(train.x(i, 0)) + "," + train.kind[static_cast<std::size_t>(i)] +
                   ",same," + format_number(train.x(i, 1)) + "," + format_number(train.y(i)) + "\n";
        cli_test::write_text(dir / "one.csv", one);
        priorreg::LinearRegression ols;
        ols.fit(encoded(train), train.y);
        run_ok(dir, {"one.csv", "--save-model", "one.json"});
        const Eigen::VectorXd got =
            predictions(run_ok(dir, {"predict", "one.json", "one.csv"}).out);
        CHECK(relative_difference(got, ols.predict(encoded(train))) < 1e-12);
    }
    SECTION("rows with a missing input get NA with --na skip") {
        run_ok(dir, {"train.csv", "--save-model", "ols.json"});
        cli_test::write_text(dir / "gap.csv", "x1,kind,x2\n1,east,2\nNA,north,1\n0.5,south,\n");
        const auto result = run_ok(dir, {"predict", "ols.json", "gap.csv", "--na", "skip"});
        const Eigen::VectorXd got = predictions(result.out);
        REQUIRE(got.size() == 3);
        CHECK(std::isfinite(got(0)));
        CHECK(std::isnan(got(1)));
        CHECK(std::isnan(got(2)));
        CHECK(result.err.find("2 of 3 rows have a missing input") != std::string::npos);
    }
}
