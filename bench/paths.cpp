// Google Benchmark cases for the path solver and the closed-form ridge (issue: paths that
// outrun glmnet and scikit-learn). Seeded generators; 100 lambdas per path.
//
//   build/bench/bench_paths --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <thread>

#include <priorreg/priorreg.hpp>

namespace {

struct Case {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

/// n x p Gaussian design with Toeplitz correlation rho^|j-k| (AR(1) across columns), `signal`
/// nonzero coefficients spread evenly, alternating in sign, unit noise and an intercept of 1.
Case generate(Eigen::Index n, Eigen::Index p, Eigen::Index signal, double rho, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    Case c;
    c.X.resize(n, p);
    const double innovation = std::sqrt(1 - rho * rho);
    for (Eigen::Index i = 0; i < n; ++i) {
        double previous = normal(rng);
        c.X(i, 0) = previous;
        for (Eigen::Index j = 1; j < p; ++j) {
            previous = rho * previous + innovation * normal(rng);
            c.X(i, j) = previous;
        }
    }
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
    for (Eigen::Index k = 0; k < signal; ++k)
        beta(k * (p / signal)) = (k % 2 ? -1.0 : 1.0) * (1.0 + static_cast<double>(k % 3));
    c.y = c.X * beta;
    for (Eigen::Index i = 0; i < n; ++i)
        c.y(i) += 1.0 + normal(rng);
    return c;
}

/// Each case's data, generated once.
const Case& data(const std::string& name) {
    static std::map<std::string, Case> cache;
    auto found = cache.find(name);
    if (found != cache.end())
        return found->second;
    Case c;
    if (name == "D1")
        c = generate(10000, 1000, 20, 0.0, 1);
    if (name == "D2")
        c = generate(1000, 100, 10, 0.5, 2);
    if (name == "D3")
        c = generate(500, 20000, 20, 0.0, 3);
    if (name == "D5")
        c = generate(2000, 5000, 50, 0.9, 5);
    if (name == "R1")
        c = generate(20000, 500, 50, 0.0, 6);
    if (name == "R2")
        c = generate(500, 20000, 50, 0.0, 7);
    if (name == "P1")
        c = generate(5000, 400, 20, 0.95, 8);
    if (name == "G1")
        c = generate(2000, 500, 50, 0.9, 9);
    if (name == "G2")
        c = generate(300, 3000, 30, 0.9, 10);
    return cache.emplace(name, std::move(c)).first->second;
}

void path_case(benchmark::State& state, const std::string& name, double alpha, double ratio) {
    const Case& c = data(name);
    priorreg::ElasticNet model(1.0, alpha);
    model.set_threads(static_cast<int>(state.range(0)));
    priorreg::PathOptions options;
    options.lambda_min_ratio = ratio;
    Eigen::Index df = 0;
    double reach = 0;
    for (auto _ : state) {
        const auto path = model.fit_path(c.X, c.y, options);
        df = path.df()(path.size() - 1);
        reach = path.lambdas()(path.size() - 1) / path.lambdas()(0);
        benchmark::DoNotOptimize(path.coefs().data());
    }
    state.counters["n"] = static_cast<double>(c.X.rows());
    state.counters["p"] = static_cast<double>(c.X.cols());
    state.counters["df_last"] = static_cast<double>(df);
    state.counters["end_ratio"] = reach;
}

void ridge_case(benchmark::State& state, const std::string& name) {
    const Case& c = data(name);
    priorreg::Ridge ridge(0.1);
    ridge.set_threads(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        ridge.fit(c.X, c.y);
        benchmark::DoNotOptimize(ridge.coef().data());
    }
    state.counters["n"] = static_cast<double>(c.X.rows());
    state.counters["p"] = static_cast<double>(c.X.cols());
}

/// The two SYRK-class Grams measured fastest on the benchmark machine.
enum class GramMethod {
    blocked, ///< priorreg's blocked product (`detail::lower_gram`)
    panels,  ///< rank updates of 128-row panels (128-column panels for the dual Gram) in two
             ///< halves, as closed-form ridge forms it, here on X itself with no standardization
};

/// X^T X (n >= p) or X X^T (p > n) as a sum of rank updates by panels of 128 rows (columns).
Eigen::MatrixXd panel_gram(const Eigen::MatrixXd& X, int threads) {
    const bool dual = X.cols() > X.rows();
    const Eigen::Index length = dual ? X.cols() : X.rows(), m = dual ? X.rows() : X.cols();
    const Eigen::Index panel = 128;
    Eigen::MatrixXd halves[2] = {Eigen::MatrixXd::Zero(m, m), Eigen::MatrixXd::Zero(m, m)};
    const auto half = [&](int h) {
        const Eigen::Index end = (h + 1) * length / 2;
        for (Eigen::Index r = h * length / 2; r < end; r += panel) {
            const Eigen::Index width = std::min(panel, end - r);
            if (dual)
                halves[h].selfadjointView<Eigen::Lower>().rankUpdate(X.middleCols(r, width));
            else
                halves[h].selfadjointView<Eigen::Lower>().rankUpdate(
                    X.middleRows(r, width).transpose());
        }
    };
    if (threads > 1) {
        std::thread helper(half, 1);
        half(0);
        helper.join();
    } else {
        half(0);
        half(1);
    }
    return halves[0] + halves[1];
}

/// The floor for a ridge fit: one SYRK-class Gram (or dual Gram when p > n) and its Cholesky.
/// Arguments: threads for the Gram (0 = all hardware threads); 1 to factor it, 0 for the Gram
/// alone (the bound under a path that needs every feature's Gram column: D1, D4).
void gram_cholesky_floor(benchmark::State& state, const std::string& name, GramMethod method) {
    const Case& c = data(name);
    const bool dual = c.X.cols() > c.X.rows();
    const Eigen::Index m = dual ? c.X.rows() : c.X.cols();
    const int threads = state.range(0) > 0 ? static_cast<int>(state.range(0))
                                           : static_cast<int>(std::thread::hardware_concurrency());
    const bool factor = state.range(1) != 0;
    for (auto _ : state) {
        Eigen::MatrixXd gram;
        if (method == GramMethod::panels) {
            gram = panel_gram(c.X, threads);
        } else {
            gram = Eigen::MatrixXd::Zero(m, m);
            if (dual)
                priorreg::detail::lower_gram(c.X, gram, threads);
            else
                priorreg::detail::lower_gram(c.X.transpose(), gram, threads);
        }
        if (factor) {
            gram.diagonal().array() += 1.0;
            Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>, Eigen::Lower> cholesky(gram); // in place
            benchmark::DoNotOptimize(cholesky.matrixLLT().data());
        }
        benchmark::DoNotOptimize(gram.data());
    }
}

/// Eigen's own symmetric rank update (one core; with EIGEN_USE_BLAS it is the BLAS's SYRK).
void rank_update_gram(benchmark::State& state, const std::string& name) {
    const Case& c = data(name);
    const bool dual = c.X.cols() > c.X.rows();
    const Eigen::Index m = dual ? c.X.rows() : c.X.cols();
    for (auto _ : state) {
        Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(m, m);
        if (dual)
            gram.selfadjointView<Eigen::Lower>().rankUpdate(c.X);
        else
            gram.selfadjointView<Eigen::Lower>().rankUpdate(c.X.transpose());
        benchmark::DoNotOptimize(gram.data());
    }
}

/// R3: exact leave-one-out and GCV over 100 lambdas from one decomposition.
void ridge_loo_case(benchmark::State& state, const std::string& name) {
    const Case& c = data(name);
    Eigen::VectorXd lambdas(100);
    for (Eigen::Index l = 0; l < 100; ++l)
        lambdas(l) = std::pow(10.0, -4.0 + 5.0 * static_cast<double>(l) / 99.0);
    priorreg::RidgeLeaveOneOut<> search;
    for (auto _ : state) {
        search.fit(c.X, c.y, lambdas);
        benchmark::DoNotOptimize(search.loo_errors().data());
    }
    state.counters["n"] = static_cast<double>(c.X.rows());
    state.counters["p"] = static_cast<double>(c.X.cols());
}

/// CV1/CV2: 10-fold lasso cross-validation over 100 lambdas, folds in parallel; CV3 the same
/// for ridge.
template <class Model>
void cross_validation_case(benchmark::State& state, const std::string& name) {
    const Case& c = data(name);
    const Model model(1.0);
    priorreg::CrossValidationOptions options;
    options.folds = 10;
    for (auto _ : state) {
        priorreg::CrossValidation<typename Model::PriorType> cv(model, options);
        cv.fit(c.X, c.y);
        benchmark::DoNotOptimize(cv.lambda_min());
    }
    state.counters["n"] = static_cast<double>(c.X.rows());
    state.counters["p"] = static_cast<double>(c.X.cols());
}

void lasso_cross_validation(benchmark::State& state, const std::string& name) {
    cross_validation_case<priorreg::Lasso>(state, name);
}
void ridge_cross_validation(benchmark::State& state, const std::string& name) {
    cross_validation_case<priorreg::Ridge>(state, name);
}

} // namespace

// Argument: threads (0 = all hardware threads, 1 = single-threaded).
BENCHMARK_CAPTURE(path_case, D1_lasso_n10000_p1000, "D1", 1.0, 1e-4)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, D2_lasso_n1000_p100_rho05, "D2", 1.0, 1e-4)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, D3_lasso_n500_p20000, "D3", 1.0, 1e-2)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, D4_enet05_n10000_p1000, "D1", 0.5, 1e-4)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, D5_lasso_n2000_p5000_rho09, "D5", 1.0, 1e-2)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(gram_cholesky_floor, D1_floor_syrk_cholesky, "D1", GramMethod::blocked)
    ->Args({0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(gram_cholesky_floor, D1_floor_gram_only, "D1", GramMethod::blocked)
    ->Args({0, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(ridge_case, R1_ridge_n20000_p500, "R1")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(gram_cholesky_floor, R1_floor_syrk_cholesky, "R1", GramMethod::blocked)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(gram_cholesky_floor, R1_floor_panel_syrk_cholesky, "R1", GramMethod::panels)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(ridge_case, R2_ridge_n500_p20000, "R2")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(gram_cholesky_floor, R2_floor_dual_syrk_cholesky, "R2", GramMethod::blocked)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(gram_cholesky_floor, R2_floor_panel_dual_syrk_cholesky, "R2", GramMethod::panels)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(rank_update_gram, R1_eigen_rank_update, "R1")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(rank_update_gram, R2_eigen_dual_rank_update, "R2")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(ridge_loo_case, R3_ridge_loo_100_lambdas_n20000_p500, "R1")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(lasso_cross_validation, CV1_lasso_10fold_n10000_p1000, "D1")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(lasso_cross_validation, CV2_lasso_10fold_n1000_p100, "D2")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// Ridge paths (alpha = 0) and their cross-validation: 100 lambdas, lambda_min_ratio 1e-4.
BENCHMARK_CAPTURE(path_case, RP1_ridge_path_n1000_p100_rho05, "D2", 0.0, 1e-4)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, RP2_ridge_path_n5000_p400_rho095, "P1", 0.0, 1e-4)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, RP3_ridge_path_n500_p20000, "D3", 0.0, 1e-2)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(ridge_cross_validation, CV3_ridge_10fold_n5000_p400_rho095, "P1")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// What the default grid's floor for alpha < 1 costs (PathOptions::lambda_min_ratio, negative):
// each case with glmnet's ratio given explicitly (no floor) and with the default (the floor: the
// spectrum of the penalized system, and the grid reaching lower). end_ratio: where it ended.
BENCHMARK_CAPTURE(path_case, G1_enet01_glmnet_ratio_n2000_p500_rho09, "G1", 0.1, 1e-4)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, G1_enet01_default_n2000_p500_rho09, "G1", 0.1, -1.0)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, G2_enet05_glmnet_ratio_n300_p3000_rho09, "G2", 0.5, 1e-2)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, G2_enet05_default_n300_p3000_rho09, "G2", 0.5, -1.0)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, G3_enet05_glmnet_ratio_n10000_p1000, "D1", 0.5, 1e-4)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(path_case, G3_enet05_default_n10000_p1000, "D1", 0.5, -1.0)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
