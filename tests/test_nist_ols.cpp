// OLS accuracy on the NIST StRD linear regression datasets against their certified values.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

namespace {

struct NistCase {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    bool intercept = true;
    std::vector<double> certified; // B0..Bk (B1.. when there is no intercept)
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
            fields >> label >> estimate;
            c.certified.push_back(estimate);
        }
    }
    std::ifstream csv(data_path(name + ".csv"));
    REQUIRE(csv.good());
    std::getline(csv, line);
    const auto columns = static_cast<int>(std::count(line.begin(), line.end(), ',')) + 1;
    std::vector<std::vector<double>> rows;
    while (std::getline(csv, line)) {
        if (line.empty())
            continue;
        std::vector<double> row;
        std::istringstream fields(line);
        std::string cell;
        while (std::getline(fields, cell, ','))
            row.push_back(std::strtod(cell.c_str(), nullptr));
        REQUIRE(static_cast<int>(row.size()) == columns);
        rows.push_back(row);
    }
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
