// The inference of least squares (LinearRegression::summary) against R's summary(lm(...)) and
// confint on R's own datasets, the t and F distributions against closed forms and R, and the
// invariances the statistics must have. R's values: tests/reference/ols_inference.R.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "r_datasets.hpp"

namespace ols_inference_test {

using r_datasets::Frame;
using r_datasets::read_frame;

std::string r_path(const std::string& file) {
    return r_datasets::path(file);
}

double parse(const std::string& token) {
    return token == "NA" ? std::numeric_limits<double>::quiet_NaN() : std::stod(token);
}

/// One case of ols_inference_reference.txt.
struct RCase {
    std::string name, data;
    bool intercept = true;
    double level = 0.95;
    Eigen::VectorXd weights;                // empty: none
    std::vector<std::vector<double>> terms; // estimate, se, t, p, ci_low, ci_high (NaN: NA)
    double sigma = 0, r_squared = 0, adj_r_squared = 0, f = 0, f_p = 0;
    Eigen::Index df_residual = 0, rank = 0, df_model = 0;
};

std::vector<RCase> read_r_cases() {
    std::ifstream in(r_path("ols_inference_reference.txt"));
    REQUIRE(in.good());
    std::vector<RCase> cases;
    std::string line;
    RCase current;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string key;
        fields >> key;
        if (key == "case") {
            current = RCase();
            std::string label, weights;
            int intercept = 1;
            fields >> current.name >> label >> current.data >> label >> intercept >> label >>
                weights >> label >> current.level;
            current.intercept = intercept == 1;
        } else if (key == "w") {
            std::vector<double> w;
            std::string token;
            while (fields >> token)
                w.push_back(parse(token));
            current.weights =
                Eigen::Map<const Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size()));
        } else if (key == "coef") {
            std::string term, token;
            fields >> term;
            std::vector<double> row;
            while (fields >> token)
                row.push_back(parse(token));
            current.terms.push_back(row);
        } else if (key == "sigma") {
            fields >> current.sigma;
        } else if (key == "df_residual") {
            fields >> current.df_residual;
        } else if (key == "rank") {
            fields >> current.rank;
        } else if (key == "r_squared") {
            fields >> current.r_squared;
        } else if (key == "adj_r_squared") {
            fields >> current.adj_r_squared;
        } else if (key == "f_statistic") {
            std::string f, d1, d2, fp;
            fields >> f >> d1 >> d2 >> fp;
            current.f = parse(f);
            current.df_model = d1 == "NA" ? 0 : std::stol(d1);
            current.f_p = parse(fp);
        } else if (key == "end") {
            cases.push_back(current);
        }
    }
    return cases;
}

bool close_relative(double got, double expected, double tolerance) {
    if (std::isnan(expected))
        return std::isnan(got);
    return std::abs(got - expected) <= tolerance * std::abs(expected);
}

std::vector<double> row_of(const priorreg::CoefficientInference<double>& c) {
    return {c.estimate, c.std_error, c.t_value, c.p_value, c.ci_low, c.ci_high};
}

} // namespace ols_inference_test

using namespace ols_inference_test;

TEST_CASE("summary() agrees with R's summary(lm) and confint to 1e-10 on R's datasets",
          "[ols][inference]") {
    const std::vector<RCase> cases = read_r_cases();
    REQUIRE(cases.size() == 8);
    const char* columns[] = {"estimate", "std_error", "t_value", "p_value", "ci_low", "ci_high"};
    for (const RCase& c : cases) {
        INFO("case " << c.name);
        const Frame frame = read_frame(c.data);
        const Eigen::VectorXd w =
            c.weights.size() > 0 ? c.weights : Eigen::VectorXd::Ones(frame.y.size());
        priorreg::LinearRegression ols;
        ols.set_fit_intercept(c.intercept).fit(frame.X, frame.y, w);
        const auto s = ols.summary(frame.X, frame.y, w, c.level);
        std::vector<std::vector<double>> rows;
        if (c.intercept)
            rows.push_back(row_of(s.intercept));
        for (const auto& term : s.coefficients)
            rows.push_back(row_of(term));
        REQUIRE(rows.size() == c.terms.size());
        for (std::size_t k = 0; k < rows.size(); ++k)
            for (std::size_t e = 0; e < 6; ++e) {
                INFO("term " << k << " " << columns[e] << ": " << rows[k][e] << " vs R "
                             << c.terms[k][e]);
                CHECK(close_relative(rows[k][e], c.terms[k][e], 1e-10));
            }
        for (std::size_t j = 0; j < s.coefficients.size(); ++j)
            CHECK(s.coefficients[j].estimable ==
                  !std::isnan(c.terms[j + (c.intercept ? 1 : 0)][0]));
        CHECK(close_relative(s.sigma, c.sigma, 1e-10));
        CHECK(s.df_residual == c.df_residual);
        CHECK(s.rank == c.rank);
        CHECK(s.df_model == c.df_model);
        CHECK(close_relative(s.r_squared, c.r_squared, 1e-10));
        CHECK(close_relative(s.adj_r_squared, c.adj_r_squared, 1e-10));
        CHECK(close_relative(s.f_statistic, c.f, 1e-10));
        CHECK(close_relative(s.f_p_value, c.f_p, 1e-10));
        // The covariance's diagonal is the squared standard errors; aliased terms are NaN.
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const double variance =
                s.covariance(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
            if (std::isnan(rows[k][1]))
                CHECK(std::isnan(variance));
            else
                CHECK(std::abs(variance - rows[k][1] * rows[k][1]) <= 1e-14 * variance);
        }
        CHECK((s.covariance - s.covariance.transpose()).cwiseAbs().maxCoeff() == 0);
    }
}

TEST_CASE("The t and F tails and the t quantile agree with R to 1e-10 (quantiles 1e-9)",
          "[ols][inference][distributions]") {
    std::ifstream in(r_path("distributions_reference.txt"));
    REQUIRE(in.good());
    std::string line;
    int checked = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string kind;
        double a = 0, b = 0, x = 0, expected = 0;
        fields >> kind >> a >> b >> x >> expected;
        INFO(line);
        if (kind == "pt") {
            CHECK(close_relative(priorreg::detail::student_t_upper(x, a), expected, 1e-10));
        } else if (kind == "pf") {
            CHECK(close_relative(priorreg::detail::f_upper(x, a, b), expected, 1e-10));
        } else {
            // R's qt loses digits next to the median (0.5000001 at 1 degree of freedom:
            // 4e-10 off tan(pi (p - 1/2))); the closed forms below check those exactly.
            CHECK(close_relative(priorreg::detail::student_t_quantile(x, a), expected, 1e-9));
        }
        ++checked;
    }
    CHECK(checked == 9 * (12 + 9) + 5 * 6 * 8);
}

TEST_CASE("The t and F distributions reproduce their closed forms", "[ols][inference]") {
    using namespace priorreg::detail;
    const double pi = std::acos(-1.0);
    for (const double p : {0.5000001, 0.51, 0.6, 0.8, 0.975, 0.999, 1 - 1e-12}) {
        INFO("p = " << p);
        // 1 degree of freedom (Cauchy): t = tan(pi (p - 1/2)) = 1 / tan(pi (1 - p)), the form
        // that is well conditioned (1 - p and p - 1/2 are exact).
        const double cauchy = p < 0.75 ? std::tan(pi * (p - 0.5)) : 1 / std::tan(pi * (1 - p));
        CHECK(close_relative(student_t_quantile(p, 1), cauchy, 1e-13));
        // 2 degrees of freedom: t = (2p - 1) / sqrt(2 p (1 - p)).
        CHECK(close_relative(student_t_quantile(p, 2), (2 * p - 1) / std::sqrt(2 * p * (1 - p)),
                             1e-13));
        CHECK(close_relative(student_t_quantile(1 - p, 2), -student_t_quantile(p, 2), 1e-15));
    }
    for (const double t : {1e-9, 0.3, 1.0, 3.0, 30.0, 3e4}) {
        INFO("t = " << t);
        // 2 degrees of freedom: P(T > t) = (1 - t / sqrt(2 + t^2)) / 2, written without
        // cancellation as 1 / (sqrt(2 + t^2) (sqrt(2 + t^2) + t)).
        const double root = std::sqrt(2 + t * t);
        CHECK(close_relative(student_t_upper(t, 2), 1 / (root * (root + t)), 1e-13));
        // F(1, nu) is the square of T(nu).
        for (const double nu : {1.0, 7.0, 250.0})
            CHECK(close_relative(f_upper(t * t, 1, nu), student_t_two_sided(t, nu), 1e-13));
        // F(2, d): P(F > f) = (1 + 2 f / d)^(-d/2).
        for (const double d : {1.0, 5.0, 60.0})
            CHECK(close_relative(f_upper(t, 2, d), std::pow(1 + 2 * t / d, -d / 2), 1e-12));
    }
    CHECK(student_t_two_sided(0.0, 5) == 1.0);
    CHECK(student_t_two_sided(std::numeric_limits<double>::infinity(), 5) == 0.0);
    CHECK(std::isnan(student_t_two_sided(std::numeric_limits<double>::quiet_NaN(), 5)));
}

TEST_CASE("summary() statistics are invariant as they should be", "[ols][inference]") {
    const Frame frame = read_frame("mtcars");
    const Eigen::Index n = frame.X.rows();
    Eigen::VectorXd w(n);
    for (Eigen::Index i = 0; i < n; ++i)
        w(i) = 0.5 + static_cast<double>(i % 5);
    priorreg::LinearRegression ols;
    ols.fit(frame.X, frame.y, w);
    const auto base = ols.summary(frame.X, frame.y, w);

    SECTION("scaling the weights scales sigma by their root and nothing else") {
        // Row i's noise variance is sigma^2 / w_i: weights 9 w mean sigma 3 times as large.
        const auto scaled = ols.summary(frame.X, frame.y, Eigen::VectorXd(9 * w));
        CHECK(scaled.sigma == Approx(3 * base.sigma).epsilon(1e-12));
        for (std::size_t j = 0; j < base.coefficients.size(); ++j) {
            CHECK(scaled.coefficients[j].std_error ==
                  Approx(base.coefficients[j].std_error).epsilon(1e-11));
            CHECK(scaled.coefficients[j].p_value ==
                  Approx(base.coefficients[j].p_value).epsilon(1e-10));
        }
        CHECK(scaled.f_statistic == Approx(base.f_statistic).epsilon(1e-11));
    }
    SECTION("scaling a column scales its estimate, error and interval inversely; t and p stay") {
        Eigen::MatrixXd X = frame.X;
        X.col(2) *= 1e3;
        priorreg::LinearRegression refit;
        refit.fit(X, frame.y, w);
        const auto s = refit.summary(X, frame.y, w);
        const auto& moved = s.coefficients[2];
        const auto& was = base.coefficients[2];
        CHECK(moved.estimate == Approx(was.estimate / 1e3).epsilon(1e-10));
        CHECK(moved.std_error == Approx(was.std_error / 1e3).epsilon(1e-10));
        CHECK(moved.ci_high == Approx(was.ci_high / 1e3).epsilon(1e-10));
        CHECK(moved.t_value == Approx(was.t_value).epsilon(1e-10));
        CHECK(moved.p_value == Approx(was.p_value).epsilon(1e-9));
        CHECK(s.intercept.std_error == Approx(base.intercept.std_error).epsilon(1e-10));
        CHECK(s.r_squared == Approx(base.r_squared).epsilon(1e-12));
    }
    SECTION("the estimates are the fit's, and the interval is estimate -+ qt * se") {
        CHECK(base.intercept.estimate == Approx(ols.intercept()).epsilon(1e-10));
        const double q = priorreg::detail::student_t_quantile(0.975, double(base.df_residual));
        for (std::size_t j = 0; j < base.coefficients.size(); ++j) {
            const auto& c = base.coefficients[j];
            CHECK(c.estimate == Approx(ols.coef()(static_cast<Eigen::Index>(j))).epsilon(1e-10));
            CHECK(c.ci_high - c.estimate == Approx(q * c.std_error).epsilon(1e-12));
            CHECK(c.estimate - c.ci_low == Approx(q * c.std_error).epsilon(1e-12));
            CHECK(c.t_value == Approx(c.estimate / c.std_error).epsilon(1e-15));
        }
    }
    SECTION("the F statistic is R^2 against 1 - R^2 by their degrees of freedom") {
        const double ratio = base.r_squared / (1 - base.r_squared) * double(base.df_residual) /
                             double(base.df_model);
        CHECK(base.f_statistic == Approx(ratio).epsilon(1e-10));
    }
    SECTION("a constant column is aliased with the intercept") {
        Eigen::MatrixXd X(n, frame.X.cols() + 1);
        X << frame.X, Eigen::VectorXd::Constant(n, 4.0);
        priorreg::LinearRegression refit;
        refit.fit(X, frame.y, w);
        const auto s = refit.summary(X, frame.y, w);
        CHECK_FALSE(s.coefficients.back().estimable);
        CHECK(std::isnan(s.coefficients.back().estimate));
        CHECK(s.rank == base.rank);
        CHECK(s.sigma == Approx(base.sigma).epsilon(1e-12));
    }
}

TEST_CASE("summary() refuses bad calls with typed errors", "[ols][inference][bad_input]") {
    const Frame frame = read_frame("swiss");
    priorreg::LinearRegression ols;
    CHECK_THROWS_AS(ols.summary(frame.X, frame.y), priorreg::NotFitted);
    ols.fit(frame.X, frame.y);
    CHECK_THROWS_AS(ols.summary(frame.X, frame.y, 1.0), priorreg::InvalidInput);
    CHECK_THROWS_AS(ols.summary(frame.X, frame.y, 0.0), priorreg::InvalidInput);
    CHECK_THROWS_AS(ols.summary(frame.X.leftCols(3), frame.y), priorreg::InvalidInput);
    CHECK_THROWS_AS(ols.summary(frame.X, frame.y.head(10)), priorreg::InvalidInput);
    Eigen::VectorXd negative = Eigen::VectorXd::Ones(frame.y.size());
    negative(4) = -1;
    CHECK_THROWS_AS(ols.summary(frame.X, frame.y, negative), priorreg::InvalidInput);
    // As many estimable terms as rows: no residual degrees of freedom, NaN where R has NaN.
    const Eigen::MatrixXd X = frame.X.topRows(6);
    const Eigen::VectorXd y = frame.y.head(6);
    priorreg::LinearRegression exact;
    exact.fit(X, y);
    const auto s = exact.summary(X, y);
    CHECK(s.df_residual == 0);
    CHECK(std::isnan(s.sigma));
    CHECK(std::isnan(s.coefficients[0].std_error));
    CHECK(std::isnan(s.f_statistic));
}

TEST_CASE("summary() of a float model is the double computation, rounded", "[ols][inference]") {
    const Frame frame = read_frame("swiss");
    priorreg::LinearRegression ols;
    ols.fit(frame.X, frame.y);
    const auto exact = ols.summary(frame.X, frame.y, 0.9);
    const Eigen::MatrixXf X = frame.X.cast<float>();
    const Eigen::VectorXf y = frame.y.cast<float>();
    priorreg::MapRegression<priorreg::FlatPrior<float>> single;
    single.fit(X, y);
    const auto s = single.summary(X, y, 0.9f);
    REQUIRE(s.coefficients.size() == exact.coefficients.size());
    // The data rounded to float move the statistics by about float's epsilon times the
    // conditioning; nothing is computed in float.
    for (std::size_t j = 0; j < s.coefficients.size(); ++j) {
        CHECK(s.coefficients[j].std_error == Approx(exact.coefficients[j].std_error).epsilon(1e-5));
        CHECK(s.coefficients[j].ci_high == Approx(exact.coefficients[j].ci_high).epsilon(1e-4));
    }
    CHECK(s.sigma == Approx(exact.sigma).epsilon(1e-5));
    CHECK(s.f_p_value == Approx(exact.f_p_value).epsilon(1e-4));
    CHECK(s.df_residual == exact.df_residual);
}

TEST_CASE("summary() with no estimable column: the intercept is the mean, its error the "
          "standard error of the mean",
          "[ols][inference][edge]") {
    Eigen::MatrixXd X = Eigen::MatrixXd::Constant(6, 2, 3.0); // constant: aliased with 1
    Eigen::VectorXd y(6);
    y << 1, 2, 3, 4, 5, 7;
    priorreg::LinearRegression ols;
    ols.fit(X, y);
    const auto s = ols.summary(X, y);
    const double mean = y.mean();
    const double sd = std::sqrt((y.array() - mean).square().sum() / 5);
    CHECK(s.intercept.estimate == Approx(mean).epsilon(1e-15));
    CHECK(s.intercept.std_error == Approx(sd / std::sqrt(6.0)).epsilon(1e-14));
    CHECK(s.sigma == Approx(sd).epsilon(1e-14));
    CHECK(s.rank == 1);
    CHECK(s.df_residual == 5);
    CHECK(s.df_model == 0);
    CHECK(s.r_squared == 0);
    CHECK(std::isnan(s.f_statistic));
    for (const auto& c : s.coefficients) {
        CHECK_FALSE(c.estimable);
        CHECK(std::isnan(c.std_error));
    }
    // Without an intercept and with a zero column: nothing is fitted, sigma^2 = sum y^2 / n.
    priorreg::LinearRegression none;
    none.set_fit_intercept(false);
    const Eigen::MatrixXd Z = Eigen::MatrixXd::Zero(6, 1);
    none.fit(Z, y);
    const auto t = none.summary(Z, y);
    CHECK(t.rank == 0);
    CHECK(t.sigma == Approx(std::sqrt(y.squaredNorm() / 6)).epsilon(1e-14));
}
