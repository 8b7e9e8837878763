// priorreg's side of the sparse comparison (bench/compare/sparse/run.sh): reads a case written
// by gen_sparse.py straight into Eigen::SparseMatrix storage (no triplets, so loading does not
// double the memory) and times the Lasso path on its grid.
//
//   sparse_priorreg DIR RUNS [OUT]    the path RUNS times (prints each run's seconds); OUT: the
//                                     last path's coefficients (p x L, column-major f64) then
//                                     its intercepts, duality gaps and statuses in OUT.meta
//   sparse_priorreg DIR --load        load only (the memory baseline)
//   sparse_priorreg DIR --single K    one fit at the K-th grid value (memory of a fit)
//   sparse_priorreg DIR --path        one path, keep_data = false (memory of a path)
#include <Eigen/SparseCore>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

namespace {

template <class T> void read_into(const std::string& path, T* out, std::size_t count) {
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(count * sizeof(T)));
    if (!in)
        throw std::runtime_error("cannot read " + path);
}

struct Case {
    Eigen::SparseMatrix<double> X;
    Eigen::VectorXd y;
    std::vector<double> lambdas;
};

Case load(const std::string& dir) {
    long n = 0, p = 0, nnz = 0;
    std::ifstream meta(dir + "/meta.txt");
    meta >> n >> p >> nnz;
    Case c;
    c.X.resize(n, p);
    c.X.resizeNonZeros(nnz);
    read_into(dir + "/indptr.i32", c.X.outerIndexPtr(), static_cast<std::size_t>(p + 1));
    read_into(dir + "/indices.i32", c.X.innerIndexPtr(), static_cast<std::size_t>(nnz));
    read_into(dir + "/data.f64", c.X.valuePtr(), static_cast<std::size_t>(nnz));
    if (!c.X.isCompressed())
        throw std::runtime_error("not compressed");
    c.y.resize(n);
    read_into(dir + "/y.f64", c.y.data(), static_cast<std::size_t>(n));
    c.lambdas.resize(100);
    read_into(dir + "/lambdas.f64", c.lambdas.data(), 100);
    return c;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: sparse_priorreg DIR RUNS [OUT] | --load | --single K | --path\n");
        return 2;
    }
    const Case c = load(argv[1]);
    const std::string mode = argv[2];
    priorreg::Lasso lasso(1.0);
    // PRIORREG_TOLERANCE: the duality-gap tolerance (relative to the null deviance), default 1e-7.
    const char* tolerance = std::getenv("PRIORREG_TOLERANCE");
    if (tolerance != nullptr)
        lasso.set_tolerance(std::atof(tolerance));
    priorreg::PathOptions options;
    options.lambdas = c.lambdas;
    options.keep_data = false;
    if (mode == "--load") {
        std::printf("loaded %ld x %ld, %ld entries\n", static_cast<long>(c.X.rows()),
                    static_cast<long>(c.X.cols()), static_cast<long>(c.X.nonZeros()));
        return 0;
    }
    if (mode == "--single") {
        const double lambda = c.lambdas[static_cast<std::size_t>(std::atoi(argv[3]))];
        priorreg::Lasso single(lambda);
        single.set_tolerance(lasso.tolerance());
        single.fit(c.X, c.y);
        std::printf("single fit at %g: status %d, %ld nonzeros, gap %g\n", lambda,
                    static_cast<int>(single.info()),
                    static_cast<long>((single.coef().array() != 0).count()), single.duality_gap());
        return 0;
    }
    if (mode == "--path") {
        const auto path = lasso.fit_path(c.X, c.y, options);
        std::printf("path: status %d, %ld lambdas\n", static_cast<int>(path.info()),
                    static_cast<long>(path.size()));
        return 0;
    }
    const int runs = std::atoi(argv[2]);
    for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const auto path = lasso.fit_path(c.X, c.y, options);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%.6f\n", seconds);
        std::fflush(stdout);
        if (run + 1 == runs && argc > 3) {
            std::ofstream out(argv[3], std::ios::binary);
            out.write(reinterpret_cast<const char*>(path.coefs().data()),
                      static_cast<std::streamsize>(path.coefs().size() * sizeof(double)));
            out.write(reinterpret_cast<const char*>(path.intercepts().data()),
                      static_cast<std::streamsize>(path.intercepts().size() * sizeof(double)));
            std::ofstream meta(std::string(argv[3]) + ".meta");
            long sweeps = 0;
            for (const int k : path.iterations())
                sweeps += k;
            meta << "status " << static_cast<int>(path.info()) << " lambdas " << path.size()
                 << " sweeps " << sweeps << " gradients " << path.gradient_evaluations()
                 << " worst_gap_relative "
                 << path.duality_gaps().maxCoeff() / ((c.y.array() - c.y.mean()).square().mean())
                 << "\n";
        }
    }
    return 0;
}
