// Google Benchmark cases for a sparse X (issue 18, point 1): Lasso paths on column-major
// Eigen::SparseMatrix, naive mode on X's own storage (p > n and n > p at low density) and
// covariance mode from the sparse Gram (n >> p, dense enough), against the same path on the
// densified matrix where that fits in memory. 100 lambdas down to 1e-2 of lambda_max.
//
//   build/bench/bench_sparse --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// The side-by-side comparison with glmnet (dgCMatrix) and scikit-learn (scipy.sparse) is
// bench/compare/sparse/run.sh.
#include <benchmark/benchmark.h>

#include <Eigen/SparseCore>
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

namespace {

struct SparseCase {
    Eigen::SparseMatrix<double> X;
    Eigen::VectorXd y;
};

/// n x p with about `density` n entries per column at uniform rows, N(0,1) values; y = 1 +
/// X beta + N(0,1) with 30 coefficients 1..2 of alternating sign spread over the columns.
SparseCase generate(Eigen::Index n, Eigen::Index p, double density, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_int_distribution<Eigen::Index> row(0, n - 1);
    const auto per_column = std::max<Eigen::Index>(1, static_cast<Eigen::Index>(density * n));
    SparseCase c;
    c.X.resize(n, p);
    c.X.reserve(Eigen::VectorXi::Constant(p, static_cast<int>(per_column)));
    std::vector<Eigen::Index> rows;
    for (Eigen::Index j = 0; j < p; ++j) {
        rows.clear();
        for (Eigen::Index k = 0; k < per_column; ++k)
            rows.push_back(row(rng));
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        for (const Eigen::Index i : rows)
            c.X.insert(i, j) = normal(rng);
    }
    c.X.makeCompressed();
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
    for (Eigen::Index k = 0; k < 30; ++k)
        beta(k * (p / 30)) = (k % 2 ? -1.0 : 1.0) * (1.0 + static_cast<double>(k) / 30.0);
    c.y = c.X * beta;
    for (Eigen::Index i = 0; i < n; ++i)
        c.y(i) += 1.0 + normal(rng);
    return c;
}

const SparseCase& data(const std::string& name) {
    static std::map<std::string, SparseCase> cache;
    auto found = cache.find(name);
    if (found != cache.end())
        return found->second;
    SparseCase c;
    if (name == "wide")
        c = generate(3000, 10000, 0.01, 1); // p > n: naive mode
    else if (name == "tall")
        c = generate(50000, 5000, 0.002, 2); // n > p, sparse: naive mode
    else
        c = generate(50000, 100, 0.05, 3); // n >> p, 2500 entries a column: covariance mode
    return cache.emplace(name, std::move(c)).first->second;
}

void sparse_path(benchmark::State& state, const std::string& name, bool densified) {
    const SparseCase& c = data(name);
    const Eigen::MatrixXd dense = densified ? Eigen::MatrixXd(c.X) : Eigen::MatrixXd();
    priorreg::Lasso lasso(1.0);
    lasso.set_threads(1);
    priorreg::PathOptions options;
    options.lambda_min_ratio = 1e-2;
    options.keep_data = false;
    for (auto _ : state) {
        const auto path =
            densified ? lasso.fit_path(dense, c.y, options) : lasso.fit_path(c.X, c.y, options);
        benchmark::DoNotOptimize(path.coefs().data());
        state.counters["nonzeros_at_end"] = static_cast<double>(path.df()(path.size() - 1));
    }
    state.counters["stored_entries"] = static_cast<double>(c.X.nonZeros());
}

} // namespace

BENCHMARK_CAPTURE(sparse_path, wide_sparse, std::string("wide"), false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sparse_path, wide_densified, std::string("wide"), true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sparse_path, tall_sparse, std::string("tall"), false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sparse_path, narrow_sparse, std::string("narrow"), false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sparse_path, narrow_densified, std::string("narrow"), true)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
