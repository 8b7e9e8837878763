// The tests' reader of the numeric CSV files they ship (tests/data): a header line, then rows
// of comma-separated numbers. Files written by our own scripts, so no quoting or missing
// values; anything else throws.
#ifndef PRIORREG_TEST_NUMERIC_CSV_HPP
#define PRIORREG_TEST_NUMERIC_CSV_HPP

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace test_csv {

/// The rows after the header, each as its numbers (blank lines skipped); a row whose field
/// count is not the header's throws.
inline std::vector<std::vector<double>> read_numeric_rows(const std::string& path) {
    std::ifstream csv(path);
    if (!csv)
        throw std::runtime_error("cannot read " + path);
    std::string line;
    std::getline(csv, line); // header
    const auto fields = static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
    std::vector<std::vector<double>> rows;
    while (std::getline(csv, line)) {
        if (line.empty() || line == "\r")
            continue;
        std::vector<double> row;
        std::istringstream cells(line);
        std::string cell;
        while (std::getline(cells, cell, ','))
            row.push_back(std::stod(cell));
        if (row.size() != fields)
            throw std::runtime_error(path + ": a row of " + std::to_string(row.size()) +
                                     " fields under a header of " + std::to_string(fields));
        rows.push_back(std::move(row));
    }
    return rows;
}

/// A design and its response from a numeric CSV whose last column is the response.
struct Design {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

/// `path`'s rows as X (every column but the last) and y (the last).
inline Design read_design(const std::string& path) {
    const auto rows = read_numeric_rows(path);
    if (rows.empty() || rows.front().size() < 2)
        throw std::runtime_error(path + ": no design in it");
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto p = static_cast<Eigen::Index>(rows.front().size()) - 1;
    Design d;
    d.X.resize(n, p);
    d.y.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < p; ++j)
            d.X(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
        d.y(i) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(p)];
    }
    return d;
}

/// Every row, the header first, as its fields (blank lines skipped): for files that mix names
/// and numbers (numbers read by std::stod, which takes R's Inf and -Inf).
inline std::vector<std::vector<std::string>> read_text_rows(const std::string& path) {
    std::ifstream csv(path);
    if (!csv)
        throw std::runtime_error("cannot read " + path);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(csv, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        std::vector<std::string> row;
        std::istringstream cells(line);
        std::string cell;
        while (std::getline(cells, cell, ','))
            row.push_back(cell);
        if (line.back() == ',')
            row.emplace_back();
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace test_csv

#endif // PRIORREG_TEST_NUMERIC_CSV_HPP
