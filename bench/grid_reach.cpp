// How far the default lambda grid reaches: K-fold CV error at the minimum of the default grid
// and of glmnet's rule (lambda_min_ratio 1e-4, 1e-2 when p > n, given explicitly) against a
// grid of 300 values down to 1e-8 of lambda_max, on R's datasets and the diabetes data (also
// its quadratic model on 60 and 40 rows, p > n). 10 folds (n when fewer rows), seed 7.
//
//   build-bench/bench/bench_grid_reach
//
// Prints one row per data set and alpha: the excess of each grid's CV minimum over the wide
// grid's, in percent, and where the default grid ends (lambda / lambda_max).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "r_datasets.hpp"

namespace {

struct Data {
    std::string name;
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

/// The diabetes data of the LARS paper: 10 measurements, and its quadratic model (45 pairwise
/// products, 9 squares: the binary sex column's square is itself).
std::vector<Data> diabetes() {
    const auto rows =
        test_csv::read_numeric_rows(std::string(PRIORREG_TEST_DATA_DIR) + "/diabetes/diabetes.csv");
    const auto n = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd X(n, 10), Q(n, 64);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& row = rows[static_cast<std::size_t>(i)];
        for (Eigen::Index j = 0; j < 10; ++j)
            X(i, j) = row[static_cast<std::size_t>(j)];
        y(i) = row[10];
        Eigen::Index c = 0;
        for (Eigen::Index a = 0; a < 10; ++a)
            Q(i, c++) = X(i, a);
        for (Eigen::Index a = 0; a < 10; ++a)
            for (Eigen::Index b = a; b < 10; ++b)
                if (b != a || a != 1)
                    Q(i, c++) = X(i, a) * X(i, b);
    }
    return {{"diabetes", X, y},
            {"diabetes quadratic, 60 rows", Q.topRows(60), y.head(60)},
            {"diabetes quadratic, 40 rows", Q.middleRows(100, 40), y.segment(100, 40)}};
}

/// The least mean CV error over the grid `path` asks for, and where that grid ends.
std::pair<double, double> cv_minimum(const Data& d, double alpha,
                                     const priorreg::PathOptions& path) {
    priorreg::CrossValidationOptions options;
    options.seed = 7;
    options.folds = static_cast<int>(std::min<Eigen::Index>(10, d.X.rows()));
    options.path = path;
    priorreg::CrossValidation<priorreg::ElasticNetPrior<>> cv(priorreg::ElasticNet(1.0, alpha),
                                                              options);
    cv.fit(d.X, d.y);
    const auto& lambdas = cv.lambdas();
    return {cv.mean_errors().minCoeff(), lambdas(lambdas.size() - 1) / lambdas(0)};
}

} // namespace

int main() {
    std::vector<Data> data;
    for (const char* name : {"longley", "swiss", "mtcars"}) {
        const auto frame = r_datasets::read_frame(name);
        data.push_back({name, frame.X, frame.y});
    }
    for (auto& d : diabetes())
        data.push_back(std::move(d));
    data.push_back({"mtcars, 8 rows", data[2].X.topRows(8), data[2].y.head(8)});
    std::printf("%-28s %5s %14s %14s %12s\n", "data", "alpha", "glmnet's rule", "default grid",
                "default end");
    for (const Data& d : data)
        for (const double alpha : {0.0, 0.01, 0.1, 0.5}) {
            priorreg::PathOptions glmnet, by_default, wide;
            glmnet.lambda_min_ratio = d.X.rows() > d.X.cols() ? 1e-4 : 1e-2;
            wide.lambda_min_ratio = 1e-8;
            wide.n_lambda = 300;
            const double best = cv_minimum(d, alpha, wide).first;
            const double rule = cv_minimum(d, alpha, glmnet).first;
            const auto [reached, end] = cv_minimum(d, alpha, by_default);
            std::printf("%-28s %5.2f %+13.2f%% %+13.2f%% %12.1e\n", d.name.c_str(), alpha,
                        100 * (rule / best - 1), 100 * (reached / best - 1), end);
        }
}
