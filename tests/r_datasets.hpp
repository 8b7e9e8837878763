// R's datasets as the tests read them: CSV files written by tests/reference/ols_inference.R.
#ifndef PRIORREG_TEST_R_DATASETS_HPP
#define PRIORREG_TEST_R_DATASETS_HPP

#include <Eigen/Core>
#include <string>

#include "numeric_csv.hpp"

namespace r_datasets {

inline std::string path(const std::string& file) {
    return std::string(PRIORREG_TEST_DATA_DIR) + "/r-datasets/" + file;
}

/// A data frame written by R's write.csv: a header, then numbers; the first column is the
/// response, the others the design.
struct Frame {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

inline Frame read_frame(const std::string& name) {
    const auto rows = test_csv::read_numeric_rows(path(name + ".csv"));
    Frame frame;
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto p = static_cast<Eigen::Index>(rows.front().size()) - 1;
    frame.X.resize(n, p);
    frame.y.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        frame.y(i) = rows[static_cast<std::size_t>(i)][0];
        for (Eigen::Index j = 0; j < p; ++j)
            frame.X(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j + 1)];
    }
    return frame;
}

} // namespace r_datasets

#endif // PRIORREG_TEST_R_DATASETS_HPP
