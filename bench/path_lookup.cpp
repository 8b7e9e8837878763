// Coefficients between a path's grid points on the diabetes data (10 features, 442 rows), at the
// geometric midpoints of the default 100-lambda grid, for the Lasso and alpha = 0.5:
//
//   build-bench/bench/bench_path_lookup --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
//
// - exact_lookup: `Path::model_at` at every midpoint (a refit warm-started from the nearest grid
//   solution); counter `linear_off`: how far glmnet's linear interpolation is from it, the
//   largest |difference| over the midpoints relative to the largest coefficient on the path.
// - fresh_fit: a new fit at every midpoint, the cost the exact lookup is measured against.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "numeric_csv.hpp"

namespace {

struct Diabetes {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

const Diabetes& diabetes() {
    static const Diabetes data = [] {
        const auto rows = test_csv::read_numeric_rows(std::string(PRIORREG_TEST_DATA_DIR) +
                                                      "/diabetes/diabetes.csv");
        Diabetes d;
        const auto n = static_cast<Eigen::Index>(rows.size());
        d.X.resize(n, 10);
        d.y.resize(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            for (Eigen::Index j = 0; j < 10; ++j)
                d.X(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
            d.y(i) = rows[static_cast<std::size_t>(i)][10];
        }
        return d;
    }();
    return data;
}

double alpha_of(const benchmark::State& state) {
    return static_cast<double>(state.range(0)) / 10;
}

template <class PathType> std::vector<double> midpoints(const PathType& path) {
    std::vector<double> lambdas;
    for (Eigen::Index k = 0; k + 1 < path.size(); ++k)
        lambdas.push_back(std::sqrt(path.lambdas()(k) * path.lambdas()(k + 1)));
    return lambdas;
}

void exact_lookup(benchmark::State& state) {
    const Diabetes& d = diabetes();
    const double alpha = alpha_of(state);
    const auto path = priorreg::ElasticNet(1.0, alpha).fit_path(d.X, d.y);
    const std::vector<double> lambdas = midpoints(path);
    double linear_off = 0;
    for (auto _ : state) {
        linear_off = 0;
        for (const double lambda : lambdas) {
            const auto at = path.model_at(lambda);
            const Eigen::VectorXd linear = path.coef_at(lambda, priorreg::PathLookup::linear);
            linear_off = std::max(linear_off, (linear - at.coef()).cwiseAbs().maxCoeff());
        }
    }
    state.counters["linear_off"] = linear_off / path.coefs().cwiseAbs().maxCoeff();
    state.counters["lookups"] = static_cast<double>(lambdas.size());
}

void fresh_fit(benchmark::State& state) {
    const Diabetes& d = diabetes();
    const double alpha = alpha_of(state);
    const auto path = priorreg::ElasticNet(1.0, alpha).fit_path(d.X, d.y);
    const std::vector<double> lambdas = midpoints(path);
    for (auto _ : state)
        for (const double lambda : lambdas) {
            priorreg::ElasticNet model(lambda, alpha);
            model.fit(d.X, d.y);
            benchmark::DoNotOptimize(model.coef().data());
        }
}

} // namespace

// The argument is 10 alpha.
BENCHMARK(exact_lookup)->Arg(10)->Arg(5)->Unit(benchmark::kMillisecond);
BENCHMARK(fresh_fit)->Arg(10)->Arg(5)->Unit(benchmark::kMillisecond);
