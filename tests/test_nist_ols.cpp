// OLS accuracy on the NIST StRD linear regression datasets against their certified values.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "numeric_csv.hpp"

namespace {

struct NistCase {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    bool intercept = true;
    std::vector<double> certified;    // B0..Bk (B1.. when there is no intercept)
    std::vector<double> certified_se; // their certified standard deviations
    double residual_sd = 0, r_squared = 0, f_statistic = 0; // F: inf for an exact fit
};

std::string data_path(const std::string& file) {
    return std::string(PRIORREG_TEST_DATA_DIR) + "/nist-strd/" + file;
}

NistCase load(const std::string& name) {
    NistCase c;
    std::ifstream cert(data_path(name + ".certified.txt"));
    REQUIRE(cert.good());
    std::string line;
    while (std::getline(cert, line)) {
        if (line.rfind("intercept:", 0) == 0)
            c.intercept = line.find("yes") != std::string::npos;
        if (line.rfind("# ----", 0) == 0)
            break; // verbatim block follows
        if (line.size() > 1 && line[0] == 'B' &&
            std::isdigit(static_cast<unsigned char>(line[1]))) {
            std::istringstream fields(line);
            std::string label;
            double estimate = 0;
            double se = 0;
            fields >> label >> estimate >> se;
            c.certified.push_back(estimate);
            c.certified_se.push_back(se);
        }
        std::istringstream fields(line);
        std::string key;
        fields >> key;
        if (key == "residual_standard_deviation")
            fields >> c.residual_sd;
        else if (key == "r_squared")
            fields >> c.r_squared;
        else if (key == "Regression") {
            std::string df, sum, mean, f;
            fields >> df >> sum >> mean >> f;
            c.f_statistic = f == "Infinity" ? std::numeric_limits<double>::infinity()
                                            : std::strtod(f.c_str(), nullptr);
        }
    }
    const auto rows = test_csv::read_numeric_rows(data_path(name + ".csv"));
    REQUIRE(!rows.empty());
    const auto columns = rows.front().size();
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto slopes = static_cast<Eigen::Index>(c.certified.size()) - (c.intercept ? 1 : 0);
    c.y.resize(n);
    c.X.resize(n, slopes);
    for (Eigen::Index i = 0; i < n; ++i) {
        c.y(i) = rows[i][0];
        for (Eigen::Index j = 0; j < slopes; ++j) {
            // One predictor: a polynomial in x. Several (Longley): the columns as given.
            c.X(i, j) = columns == 2 ? std::pow(rows[i][1], static_cast<double>(j + 1))
                                     : rows[i][static_cast<std::size_t>(j + 1)];
        }
    }
    return c;
}

double log_relative_error(double estimate, double certified) {
    const double error = std::abs(estimate - certified) / std::abs(certified);
    return error == 0 ? 15.0 : std::min(15.0, -std::log10(error));
}

double worst_lre(const std::string& name) {
    const NistCase c = load(name);
    priorreg::LinearRegression ols;
    ols.set_fit_intercept(c.intercept).fit(c.X, c.y);
    REQUIRE(ols.info() == priorreg::Status::Success);
    CHECK(ols.rank() == static_cast<Eigen::Index>(c.certified.size()));
    double worst = 15.0;
    std::size_t k = 0;
    if (c.intercept)
        worst = std::min(worst, log_relative_error(ols.intercept(), c.certified[k++]));
    for (Eigen::Index j = 0; j < ols.coef().size(); ++j)
        worst = std::min(worst, log_relative_error(ols.coef()(j), c.certified[k++]));
    return worst;
}

} // namespace

TEST_CASE("OLS reaches LRE >= 9 on every coefficient of the NIST StRD datasets", "[ols][nist]") {
    const char* names[] = {"Norris",   "Pontius",  "NoInt1",   "NoInt2",   "Longley",
                           "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"};
    for (const char* name : names) {
        const double lre = worst_lre(name);
        INFO(name << ": worst LRE " << lre);
        CHECK(lre >= 9.0);
    }
}

TEST_CASE("OLS reaches LRE >= 7.5 on Filip (the ceiling of the double-rounded design is 7.61)",
          "[ols][nist]") {
    const double lre = worst_lre("Filip");
    INFO("Filip: worst LRE " << lre);
    CHECK(lre >= 7.5);
}

namespace {

/// Digits of agreement with a certified value, absolute where it is 0 (an exact fit's
/// standard errors): 15 for exact.
double agreement(double value, double certified) {
    const double error =
        certified == 0 ? std::abs(value) : std::abs(value - certified) / std::abs(certified);
    return error == 0 ? 15.0 : std::min(15.0, -std::log10(error));
}

} // namespace

TEST_CASE("summary() reproduces NIST's certified standard errors, residual SD, R^2 and F",
          "[ols][nist][inference]") {
    // Digits required of the estimates (as the coefficient tests above: Filip's design itself,
    // rounded to double, fixes its certified values to about 7.6 digits) and of the standard
    // errors, residual SD, R^2 and F.
    struct Required {
        const char* name;
        double estimates, statistics;
    };
    const Required cases[] = {{"Norris", 9, 10},   {"Pontius", 9, 10},  {"NoInt1", 9, 10},
                              {"NoInt2", 9, 10},   {"Longley", 9, 10},  {"Wampler1", 9, 10},
                              {"Wampler2", 9, 10}, {"Wampler3", 9, 10}, {"Wampler4", 9, 10},
                              {"Wampler5", 9, 10}, {"Filip", 7.5, 7}};
    for (const Required& required : cases) {
        INFO(required.name);
        const NistCase c = load(required.name);
        priorreg::LinearRegression ols;
        ols.set_fit_intercept(c.intercept).fit(c.X, c.y);
        const auto s = ols.summary(c.X, c.y);
        std::vector<priorreg::CoefficientInference<double>> rows;
        std::vector<double> column_scale; // root mean square of each term's column
        if (c.intercept) {
            rows.push_back(s.intercept);
            column_scale.push_back(1);
        }
        rows.insert(rows.end(), s.coefficients.begin(), s.coefficients.end());
        for (Eigen::Index j = 0; j < c.X.cols(); ++j)
            column_scale.push_back(c.X.col(j).norm() / std::sqrt(double(c.X.rows())));
        REQUIRE(rows.size() == c.certified.size());
        // An exact fit (Wampler 1 and 2) has standard errors and residual SD of rounding size,
        // certified as 0: bounded relative to the response's size instead.
        const double response = c.y.cwiseAbs().maxCoeff();
        const auto digits = [&](double value, double certified, double scale) {
            if (certified != 0)
                return agreement(value, certified);
            return value * scale <= 1e-10 * response ? 15.0 : 0.0;
        };
        double estimates = 15, statistics = 15;
        for (std::size_t k = 0; k < rows.size(); ++k) {
            CHECK(rows[k].estimable);
            estimates = std::min(estimates, agreement(rows[k].estimate, c.certified[k]));
            statistics =
                std::min(statistics, digits(rows[k].std_error, c.certified_se[k], column_scale[k]));
        }
        statistics = std::min(
            {statistics, digits(s.sigma, c.residual_sd, 1), agreement(s.r_squared, c.r_squared)});
        if (std::isfinite(c.f_statistic))
            statistics = std::min(statistics, agreement(s.f_statistic, c.f_statistic));
        else
            CHECK(s.f_statistic > 1e20);
        INFO("digits: estimates " << estimates << ", statistics " << statistics);
        CHECK(estimates >= required.estimates);
        CHECK(statistics >= required.statistics);
        CHECK(s.df_residual == c.y.size() - static_cast<Eigen::Index>(c.certified.size()));
    }
}
