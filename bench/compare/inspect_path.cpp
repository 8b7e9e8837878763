// The work of one elastic-net path on a hard design of hard_designs.py: its time, its sweeps
// (in all, and weighted by the support's size) and its full gradient passes, and with a third
// argument the support and sweeps of each lambda. For a quick look at a solver change on one
// case; the timed comparisons are ab_priorreg.sh and run_hard.sh.
//
//   cmake --build <build dir> --target inspect_path
// or, from the repository's root, as one command:
//   g++ -std=c++17 -O3 -march=native -DNDEBUG -I include -isystem /usr/include/eigen3
//       bench/compare/inspect_path.cpp -o inspect_path
// then
//   ./inspect_path CASE.bin ALPHA [per-lambda]
//
// CASE.bin as hard_designs.py writes it: int64 n, p; X column-major; y; int64 L; the lambdas.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: inspect_path CASE.bin ALPHA [per-lambda]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    const auto read_count = [&]() {
        std::int64_t value = 0;
        in.read(reinterpret_cast<char*>(&value), sizeof value);
        return static_cast<Eigen::Index>(value);
    };
    const Eigen::Index n = read_count(), p = read_count();
    if (!in || n <= 0 || p <= 0) {
        std::fprintf(stderr, "inspect_path: cannot read %s\n", argv[1]);
        return 1;
    }
    Eigen::MatrixXd X(n, p);
    Eigen::VectorXd y(n);
    in.read(reinterpret_cast<char*>(X.data()), static_cast<std::streamsize>(n * p * 8));
    in.read(reinterpret_cast<char*>(y.data()), static_cast<std::streamsize>(n * 8));
    const Eigen::Index L = read_count();
    std::vector<double> lambdas(static_cast<std::size_t>(L > 0 ? L : 0));
    in.read(reinterpret_cast<char*>(lambdas.data()), static_cast<std::streamsize>(L * 8));
    if (!in || L <= 0 || in.peek() != std::char_traits<char>::eof()) {
        std::fprintf(stderr, "inspect_path: %s is not a case file (truncated or too long)\n",
                     argv[1]);
        return 1;
    }
    char* end = nullptr;
    const double alpha = std::strtod(argv[2], &end);
    if (end == argv[2] || *end != '\0' || !(alpha >= 0.0 && alpha <= 1.0)) {
        std::fprintf(stderr, "inspect_path: ALPHA must be a number in [0, 1]\n");
        return 2;
    }
    // At alpha = 1 this is the Lasso's problem (compare_priorreg fits that one as `Lasso`).
    priorreg::ElasticNet model(1.0, alpha);
    priorreg::PathOptions options;
    options.lambdas = lambdas;
    const auto start = std::chrono::steady_clock::now();
    const auto path = model.fit_path(X, y, options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    long sweeps = 0, weighted = 0;
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        const int at = path.iterations()[static_cast<std::size_t>(k)];
        sweeps += at;
        weighted += static_cast<long>(at) * static_cast<long>(path.df()(k));
    }
    std::printf("n=%ld p=%ld time %.3f s, sweeps %ld, sweeps x support %ld, gradient passes %ld, "
                "status %d\n",
                static_cast<long>(n), static_cast<long>(p), seconds, sweeps, weighted,
                static_cast<long>(path.gradient_evaluations()), static_cast<int>(path.info()));
    if (argc > 3)
        for (Eigen::Index k = 0; k < path.size(); ++k)
            std::printf("%ld: support %ld, sweeps %d\n", static_cast<long>(k),
                        static_cast<long>(path.df()(k)),
                        path.iterations()[static_cast<std::size_t>(k)]);
    return 0;
}
