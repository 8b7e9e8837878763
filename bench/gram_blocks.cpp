// Google Benchmark cases for covariance mode's Gram: the symmetric product of the whole working
// design (`lower_gram`, what a Gram formed up front costs) against the blocks that
// `GramWorkspace::prepare` builds as a path's working set grows until every feature has entered
// (bench/RESULTS_NOTES.md, "Profiles of the misses").
//
//   build/bench/bench_gram_blocks --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <random>
#include <thread>
#include <vector>

#include <priorreg/priorreg.hpp>
#include <priorreg/solvers/gram_workspace.hpp>

namespace {

/// A standard normal n x p design and response from `seed`.
std::pair<Eigen::MatrixXd, Eigen::VectorXd> gaussian(Eigen::Index n, Eigen::Index p,
                                                     unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd X(n, p);
    for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
            X(i, j) = normal(rng);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i)
        y(i) = normal(rng);
    return {std::move(X), std::move(y)};
}

int threads() {
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

priorreg::detail::StandardizedProblem<double> working_problem(const Eigen::MatrixXd& X,
                                                              const Eigen::VectorXd& y) {
    const Eigen::VectorXd unit_weights =
        Eigen::VectorXd::Constant(X.rows(), 1.0 / static_cast<double>(X.rows()));
    return priorreg::detail::standardize<double>(X, y, unit_weights, true, true, threads());
}

/// The lower triangle of the whole Gram in one symmetric product.
void BM_LowerGram(benchmark::State& state) {
    const auto [X, y] = gaussian(state.range(0), state.range(1), 11);
    priorreg::detail::StandardizedProblem<double> problem = working_problem(X, y);
    Eigen::MatrixXd gram(X.cols(), X.cols());
    for (auto _ : state) {
        priorreg::detail::lower_gram(problem.design.transpose(), gram, threads());
        benchmark::DoNotOptimize(gram.data());
    }
}

/// The Gram's blocks as a path builds them: a working set of 8 features grown by a tenth at a
/// time until it holds every feature (the workspace widens each block with the features whose
/// gradients are largest, as on a path). The working problem is made afresh, untimed, for each
/// iteration: the workspace takes its design over.
void BM_GramWorkspaceBlocks(benchmark::State& state) {
    const auto [X, y] = gaussian(state.range(0), state.range(1), 11);
    const Eigen::Index p = X.cols();
    std::vector<Eigen::Index> sizes;
    for (Eigen::Index size = 8; size < p; size = std::max(size + 1, size + size / 10))
        sizes.push_back(size);
    sizes.push_back(p);
    for (auto _ : state) {
        state.PauseTiming();
        priorreg::detail::StandardizedProblem<double> problem = working_problem(X, y);
        state.ResumeTiming();
        priorreg::detail::GramWorkspace<double> workspace(problem, threads());
        std::vector<Eigen::Index> working_set;
        for (const Eigen::Index size : sizes) {
            while (static_cast<Eigen::Index>(working_set.size()) < size)
                working_set.push_back(static_cast<Eigen::Index>(working_set.size()));
            workspace.prepare(working_set);
        }
        benchmark::DoNotOptimize(workspace.correlation(p - 1));
    }
}

} // namespace

BENCHMARK(BM_LowerGram)
    ->Args({5000, 800})
    ->Args({4000, 300})
    ->Args({3000, 600})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GramWorkspaceBlocks)
    ->Args({5000, 800})
    ->Args({4000, 300})
    ->Args({3000, 600})
    ->Unit(benchmark::kMillisecond);
