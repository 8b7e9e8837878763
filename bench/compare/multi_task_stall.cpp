// The multi-task path on near-duplicate columns, where block coordinate descent alone stalls
// and the solver's Newton steps on the nonzero rows take over (docs/algorithms.md, "Several
// responses"): 300 rows, 400 features in groups of four copies (noise 1e-3), 3 responses,
// weights, two unpenalized features; alpha 1 and 0.3, with and without sign bounds. Prints
// each path's status, time, sweeps and worst duality gap. From the repository's root:
//
//   flags="-std=c++17 -O2 -DNDEBUG -I include -isystem /usr/include/eigen3"
//   g++ $flags bench/compare/multi_task_stall.cpp -o multi_task_stall
//   ./multi_task_stall
#include <chrono>
#include <cstdio>
#include <priorreg/priorreg.hpp>
#include <random>
int main() {
    const int n = 300, p = 400, k = 3;
    std::mt19937 rng(7);
    std::normal_distribution<double> N(0, 1);
    Eigen::MatrixXd X(n, p), Y(n, k);
    for (int i = 0; i < n; ++i) {
        double f = N(rng);
        for (int j = 0; j < p; ++j) {
            if (j % 4 == 0)
                f = 0.3 * f + N(rng);
            X(i, j) = f + 1e-3 * N(rng); // groups of 4 near-duplicates
        }
    }
    Eigen::MatrixXd B = Eigen::MatrixXd::Zero(p, k);
    for (int j = 0; j < 20; ++j)
        B.row(j * 7) << 1, -0.5, 2;
    Y = X * B;
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < k; ++c)
            Y(i, c) += N(rng);
    Eigen::VectorXd w(n);
    for (int i = 0; i < n; ++i)
        w(i) = 0.5 + (i % 3);
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(p);
    pf(1) = 0;
    pf(2) = 0;
    for (double alpha : {1.0, 0.3})
        for (int bounded : {0, 1}) {
            priorreg::MultiTaskElasticNet m(1.0, alpha);
            m.set_penalty_factors(pf).set_max_iterations(3000); // sweeps per lambda
            if (bounded) {
                Eigen::VectorXd lo = Eigen::VectorXd::Zero(p),
                                hi = Eigen::VectorXd::Constant(p, INFINITY);
                lo(1) = lo(2) = -INFINITY;
                m.set_coefficient_bounds(lo, hi);
            }
            auto t0 = std::chrono::steady_clock::now();
            auto path = m.fit_path(X, Y, w);
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            int total = 0, mx = 0;
            for (int it : path.iterations) {
                total += it;
                mx = std::max(mx, it);
            }
            std::printf("alpha %.1f bounded %d: status %d, %.3f s, sweeps total %d max %d, worst "
                        "gap %.2e\n",
                        alpha, bounded, int(path.status), s, total, mx,
                        path.duality_gaps.maxCoeff());
        }
}
