// The multi-task path on near-duplicate columns, where block coordinate descent alone stalls
// and the solver's Newton steps on the nonzero rows take over (docs/algorithms.md, "Several
// responses"): 300 rows, 400 features in groups of four copies (noise 1e-3), 3 responses,
// weights, two unpenalized features; alpha 1 and 0.3, with and without sign bounds. Prints
// each path's status, time, sweeps and worst duality gap. From the repository's root:
//
//   flags="-std=c++17 -O2 -DNDEBUG -I include -isystem /usr/include/eigen3"
//   g++ $flags bench/compare/multi_task_stall.cpp -o multi_task_stall
//   ./multi_task_stall
//
// With `--anchors DIR` it writes the design (unweighted) to DIR/X.csv, DIR/Y.csv and five
// lambdas (0.5 to 0.02 of lambda_max, unstandardized, alpha 1) to DIR/lambdas.txt, and prints
// priorreg's single fits there at tolerance 1e-12: the objective (1/2n)||Y - 1b0' - XB||^2 +
// lambda sum_j ||B_j||, its certified gap and time. multi_task_stall_sklearn.py and
// multi_task_stall_glmnet.R fit the same problems with scikit-learn's MultiTaskLasso and
// glmnet's mgaussian.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <priorreg/priorreg.hpp>
#include <random>
#include <string>

namespace {

void write_csv(const std::string& file, const Eigen::MatrixXd& M) {
    FILE* out = std::fopen(file.c_str(), "w");
    for (Eigen::Index i = 0; i < M.rows(); ++i)
        for (Eigen::Index j = 0; j < M.cols(); ++j)
            std::fprintf(out, "%.17g%c", M(i, j), j + 1 < M.cols() ? ',' : '\n');
    std::fclose(out);
}

int anchors(const std::string& dir, const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y) {
    write_csv(dir + "/X.csv", X);
    write_csv(dir + "/Y.csv", Y);
    priorreg::MultiTaskElasticNet probe(1.0, 1.0);
    probe.set_standardize(false);
    const double lambda_max = probe.fit_path(X, Y).lambdas(0);
    FILE* grid = std::fopen((dir + "/lambdas.txt").c_str(), "w");
    for (double share : {0.5, 0.2, 0.1, 0.05, 0.02}) {
        const double lambda = share * lambda_max;
        std::fprintf(grid, "%.17g\n", lambda);
        priorreg::MultiTaskElasticNet model(lambda, 1.0);
        model.set_standardize(false).set_tolerance(1e-12);
        const auto start = std::chrono::steady_clock::now();
        model.fit(X, Y);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        Eigen::MatrixXd residual = Y - X * model.coef();
        residual.rowwise() -= model.intercept().transpose();
        double objective = 0.5 * residual.squaredNorm() / double(X.rows());
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            objective += lambda * model.coef().row(j).norm();
        std::printf("priorreg lambda %.6g status %d objective %.15g gap %.2e time %.3f s nonzero "
                    "rows %d\n",
                    lambda, int(model.info()), objective, model.duality_gap(), seconds,
                    int((model.coef().rowwise().norm().array() > 0).count()));
    }
    std::fclose(grid);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
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
    if (argc == 3 && std::strcmp(argv[1], "--anchors") == 0)
        return anchors(argv[2], X, Y);
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
