// Multi-task paths on correlated designs without near-copies: AR(1) columns with correlation
// rho between neighbours, 4 responses on 30 features plus noise, alpha 1 and 0.5. Prints the
// best of 3 times and the total sweeps of each path (docs/algorithms.md, "Several responses").
// From the repository's root:
//
//   flags="-std=c++17 -O2 -DNDEBUG -I include -isystem /usr/include/eigen3"
//   g++ $flags bench/compare/multi_task_correlated.cpp -o multi_task_correlated
//   ./multi_task_correlated 1000 500 0.5   # n p rho
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <priorreg/priorreg.hpp>
#include <random>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s n p rho\n", argv[0]);
        return 2;
    }
    const int n = std::atoi(argv[1]), p = std::atoi(argv[2]), k = 4;
    const double rho = std::atof(argv[3]);
    std::mt19937 rng(3);
    std::normal_distribution<double> normal(0, 1);
    Eigen::MatrixXd X(n, p), Y(n, k);
    for (int i = 0; i < n; ++i) {
        double previous = normal(rng);
        for (int j = 0; j < p; ++j) {
            previous = rho * previous + std::sqrt(1 - rho * rho) * normal(rng);
            X(i, j) = previous;
        }
    }
    Eigen::MatrixXd B = Eigen::MatrixXd::Zero(p, k);
    for (int j = 0; j < 30; ++j)
        for (int c = 0; c < k; ++c)
            B(j * (p / 30), c) = normal(rng);
    Y = X * B;
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < k; ++c)
            Y(i, c) += 2 * normal(rng);
    for (double alpha : {1.0, 0.5}) {
        double best = 1e300;
        int sweeps = 0;
        for (int run = 0; run < 3; ++run) {
            priorreg::MultiTaskElasticNet model(1.0, alpha);
            const auto start = std::chrono::steady_clock::now();
            const auto path = model.fit_path(X, Y);
            best = std::min(
                best,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            sweeps = 0;
            for (int s : path.iterations)
                sweeps += s;
            if (path.status != priorreg::Status::Success)
                std::printf("status %d\n", int(path.status));
        }
        std::printf("n %d p %d rho %.2f alpha %.1f: %.4f s, %d sweeps\n", n, p, rho, alpha, best,
                    sweeps);
    }
}
