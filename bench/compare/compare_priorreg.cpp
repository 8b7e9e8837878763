// priorreg's side of the bench/compare benchmark: time the regularization path on one case.
//
//   compare_priorreg [--tolerance T] [--max-iterations N] CASE.bin ALPHA RUNS OUT.bin TIMES.txt
//
// Reads the shared case file written by gen_data.py (little-endian: int64 n, int64 p, X as
// n*p float64 column-major, y as n float64, int64 L, L float64 lambdas), fits the path over
// exactly that grid RUNS times with the defaults (standardize, intercept, tolerance 1e-7,
// at most 100000 sweeps per lambda; --tolerance and --max-iterations override the last two,
// e.g. for a tightly converged reference path), timing only fit_path, and writes the times
// (one per line, seconds) and the last path in the shared result format (int64 p, int64 L,
// p*L float64 coefficients column-major on the original scale, L float64 intercepts).
// Alpha = 1 uses priorreg::Lasso, otherwise priorreg::ElasticNet, as a user would.
//
// OUT.bin.info records the solver's work on the last path, as "key value" fields separated
// by "; " on its first line (status, sweeps per lambda: median, max and total, full gradient
// passes, strong-rule violations) and the sweeps of each lambda on its second line.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

namespace {

struct Case {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    std::vector<double> lambdas;
};

std::int64_t read_int64(std::ifstream& in) {
    std::int64_t value = 0;
    in.read(reinterpret_cast<char*>(&value), sizeof value);
    return value;
}

void read_doubles(std::ifstream& in, double* out, std::int64_t count) {
    in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(count * sizeof(double)));
}

Case read_case(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    const std::int64_t n = read_int64(in);
    const std::int64_t p = read_int64(in);
    if (!in || n <= 0 || p <= 0)
        throw std::runtime_error(path + ": bad header");
    Case c;
    c.X.resize(n, p); // Eigen's default storage is column-major, as in the file
    read_doubles(in, c.X.data(), n * p);
    c.y.resize(n);
    read_doubles(in, c.y.data(), n);
    const std::int64_t L = read_int64(in);
    if (!in || L <= 0)
        throw std::runtime_error(path + ": bad lambda count");
    c.lambdas.resize(static_cast<std::size_t>(L));
    read_doubles(in, c.lambdas.data(), L);
    if (!in || in.peek() != std::ifstream::traits_type::eof())
        throw std::runtime_error(path + ": size mismatch");
    return c;
}

void write_result(const std::string& path, const Eigen::MatrixXd& coefs,
                  const Eigen::VectorXd& intercepts) {
    std::ofstream out(path, std::ios::binary);
    const std::int64_t shape[2] = {coefs.rows(), coefs.cols()};
    out.write(reinterpret_cast<const char*>(shape), sizeof shape);
    out.write(reinterpret_cast<const char*>(coefs.data()),
              static_cast<std::streamsize>(coefs.size() * sizeof(double)));
    out.write(reinterpret_cast<const char*>(intercepts.data()),
              static_cast<std::streamsize>(intercepts.size() * sizeof(double)));
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

// The work the solver did on a path: one "key value; ..." line, then the sweeps per lambda.
// max_gap: the largest duality gap over the path relative to the null deviance (the mean
// squared deviation of y, the scale of `tolerance`).
template <class PathType>
std::string path_statistics(const PathType& path, double tolerance, double null_deviance) {
    std::vector<int> sweeps = path.iterations();
    long total = 0;
    std::string per_lambda;
    for (int s : sweeps) {
        total += s;
        per_lambda += (per_lambda.empty() ? "" : " ") + std::to_string(s);
    }
    std::sort(sweeps.begin(), sweeps.end());
    const std::size_t L = sweeps.size();
    const double median =
        L == 0 ? 0.0 : 0.5 * (sweeps[(L - 1) / 2] + sweeps[L / 2]); // middle pair when L is even
    char line[512];
    std::snprintf(line, sizeof line,
                  "priorreg Eigen %d.%d.%d; tolerance %g; status %s; sweeps_median %g; "
                  "sweeps_max %d; sweeps_total %ld; gradient_evaluations %ld; "
                  "strong_rule_violations %ld; max_gap %.3g\n",
                  EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, tolerance,
                  priorreg::to_string(path.info()).c_str(), median, L == 0 ? 0 : sweeps.back(),
                  total, static_cast<long>(path.gradient_evaluations()),
                  static_cast<long>(path.strong_rule_violations()),
                  path.duality_gaps().size() == 0
                      ? 0.0
                      : static_cast<double>(path.duality_gaps().maxCoeff()) / null_deviance);
    return line + ("sweeps_per_lambda " + per_lambda + "\n");
}

// Fits the path `runs` times; returns the wall-clock seconds of each fit_path call and leaves
// the last path's coefficients and intercepts in `coefs` and `intercepts` and its statistics
// (see path_statistics) in `statistics`.
template <class Model>
std::vector<double> time_path(const Model& model, const Case& c, int runs, Eigen::MatrixXd& coefs,
                              Eigen::VectorXd& intercepts, std::string& statistics) {
    priorreg::PathOptions opts;
    opts.lambdas = c.lambdas;
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        auto path = model.fit_path(c.X, c.y, opts);
        const auto stop = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double>(stop - start).count());
        std::printf("    priorreg run %d/%d: %.3f s\n", r + 1, runs, times.back());
        std::fflush(stdout);
        if (r + 1 == runs) {
            if (path.lambdas().size() != static_cast<Eigen::Index>(c.lambdas.size()))
                throw std::runtime_error("fit_path returned a different number of lambdas");
            coefs = path.coefs();
            intercepts = path.intercepts();
            const double null_deviance = (c.y.array() - c.y.mean()).square().mean();
            statistics =
                path_statistics(path, static_cast<double>(model.tolerance()), null_deviance);
        }
    }
    return times;
}

/// `--cv CASE.bin FOLDS.txt RUNS`: 10-fold lasso CV on the case's grid with the given fold ids
/// (one 0-based id per line); prints "median_seconds lambda_min_index lambda_1se_index".
int cross_validate(const char* case_path, const char* folds_path, int runs) {
    const Case c = read_case(case_path);
    std::ifstream folds_in(folds_path);
    std::vector<int> ids;
    for (int id; folds_in >> id;)
        ids.push_back(id);
    priorreg::CrossValidationOptions options;
    options.fold_ids = ids;
    options.path.lambdas.assign(c.lambdas.data(), c.lambdas.data() + c.lambdas.size());
    priorreg::Lasso model(1.0);
    std::vector<double> times;
    Eigen::Index at_min = 0, at_1se = 0;
    for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(model, options);
        cv.fit(c.X, c.y);
        times.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        at_min = cv.index_min();
        at_1se = cv.index_1se();
    }
    std::sort(times.begin(), times.end());
    std::printf("%.6f %ld %ld\n", times[times.size() / 2], static_cast<long>(at_min),
                static_cast<long>(at_1se));
    return 0;
}

/// `--ridge-loo CASE.bin RUNS`: exact ridge leave-one-out over the case's grid; prints
/// "median_seconds best_index".
int ridge_leave_one_out(const char* case_path, int runs) {
    const Case c = read_case(case_path);
    std::vector<double> times;
    Eigen::Index best = 0;
    for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        priorreg::RidgeLeaveOneOut<> search;
        search.fit(c.X, c.y,
                   Eigen::Map<const Eigen::VectorXd>(c.lambdas.data(),
                                                     static_cast<Eigen::Index>(c.lambdas.size())));
        times.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        search.loo_errors().minCoeff(&best);
    }
    std::sort(times.begin(), times.end());
    std::printf("%.6f %ld\n", times[times.size() / 2], static_cast<long>(best));
    return 0;
}

// A/B runs (ab_priorreg.sh) build this driver against older headers, which have no BayesianRidge.
#if __has_include(<priorreg/bayes/bayesian_ridge.hpp>)
#define PRIORREG_COMPARE_HAS_BAYES 1
/// `--bayes-ridge CASE.bin RUNS`: BayesianRidge at scikit-learn's defaults (no
/// standardization); prints "median_seconds iterations noise_precision weight_precision
/// coefficient_norm".
int bayesian_ridge(const char* case_path, int runs) {
    const Case c = read_case(case_path);
    std::vector<double> times;
    priorreg::BayesianRidge model;
    model.set_standardize(false);
    for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        model.fit(c.X, c.y);
        times.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    std::printf("%.6f %d %.17g %.17g %.17g\n", times[times.size() / 2], model.iterations(),
                model.noise_precision(), model.weight_precision(), model.coef().norm());
    return 0;
}
#endif

#if __has_include(<priorreg/bayes/gibbs_regression.hpp>)
#define PRIORREG_COMPARE_HAS_GIBBS 1
/// `--bayes-lasso DATA.csv LAMBDA CHAINS BURN_IN DRAWS RUNS`: the Bayesian lasso's Gibbs
/// sampler on a CSV with a header row and y last (standardized columns, intercept, the
/// improper 1/sigma^2 prior: the model of bench/compare/stan_bayes_lasso.R), its chains one
/// after the other on one thread as Stan's there; prints "median_seconds min_ess median_ess"
/// (the coefficients' effective sample sizes of the last run).
int bayesian_lasso(const char* csv_path, double lambda, int chains, int burn_in, int draws,
                   int runs) {
    std::ifstream in(csv_path);
    if (!in)
        throw std::runtime_error(std::string("cannot open ") + csv_path);
    std::string line;
    std::getline(in, line);
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        std::vector<double> row;
        for (std::size_t start = 0; start <= line.size();) {
            const std::size_t comma = std::min(line.find(',', start), line.size());
            row.push_back(std::strtod(line.substr(start, comma - start).c_str(), nullptr));
            start = comma + 1;
        }
        rows.push_back(row);
    }
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto p = static_cast<Eigen::Index>(rows.front().size()) - 1;
    Eigen::MatrixXd X(n, p);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < p; ++j)
            X(i, j) = rows[std::size_t(i)][std::size_t(j)];
        y(i) = rows[std::size_t(i)][std::size_t(p)];
    }
    priorreg::SamplerOptions options;
    options.chains = chains;
    options.burn_in = burn_in;
    options.draws = draws;
    options.threads = 1;
    std::vector<double> times;
    Eigen::VectorXd ess;
    for (int run = 0; run < runs; ++run) {
        options.seed = std::uint64_t(run);
        const auto start = std::chrono::steady_clock::now();
        const priorreg::PosteriorSamples samples =
            priorreg::BayesianLasso(lambda).sample(X, y, options);
        times.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        ess = samples.effective_sample_size();
    }
    std::sort(times.begin(), times.end());
    std::vector<double> sorted(ess.begin(), ess.end());
    std::sort(sorted.begin(), sorted.end());
    std::printf("%.6f %.1f %.1f\n", times[times.size() / 2], sorted.front(),
                sorted[sorted.size() / 2]);
    return 0;
}
#endif

} // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--ridge-loo") {
        try {
            return ridge_leave_one_out(argv[2], std::stoi(argv[3]));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "compare_priorreg --ridge-loo: %s\n", e.what());
            return 1;
        }
    }
#ifdef PRIORREG_COMPARE_HAS_BAYES
    if (argc == 4 && std::string(argv[1]) == "--bayes-ridge") {
        try {
            return bayesian_ridge(argv[2], std::stoi(argv[3]));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "compare_priorreg --bayes-ridge: %s\n", e.what());
            return 1;
        }
    }
#endif
#ifdef PRIORREG_COMPARE_HAS_GIBBS
    if (argc == 8 && std::string(argv[1]) == "--bayes-lasso") {
        try {
            return bayesian_lasso(argv[2], std::stod(argv[3]), std::stoi(argv[4]),
                                  std::stoi(argv[5]), std::stoi(argv[6]), std::stoi(argv[7]));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "compare_priorreg --bayes-lasso: %s\n", e.what());
            return 1;
        }
    }
#endif
    if (argc == 5 && std::string(argv[1]) == "--cv") {
        try {
            return cross_validate(argv[2], argv[3], std::stoi(argv[4]));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "compare_priorreg --cv: %s\n", e.what());
            return 1;
        }
    }
    // Options before the positional arguments: --tolerance T, --max-iterations N.
    double tolerance = 1e-7; // the estimators' default
    int max_iterations = 100000;
    int arg = 1;
    for (; arg + 1 < argc && std::string(argv[arg]).rfind("--", 0) == 0; arg += 2) {
        const std::string option = argv[arg];
        try {
            if (option == "--tolerance")
                tolerance = std::stod(argv[arg + 1]);
            else if (option == "--max-iterations")
                max_iterations = std::stoi(argv[arg + 1]);
            else
                break;
        } catch (const std::exception&) {
            std::fprintf(stderr, "compare_priorreg: bad value for %s\n", option.c_str());
            return 2;
        }
    }
    if (argc - arg != 5) {
        std::fprintf(stderr,
                     "usage: %s [--tolerance T] [--max-iterations N] CASE.bin ALPHA RUNS OUT.bin "
                     "TIMES.txt\n",
                     argv[0]);
        return 2;
    }
    char** positional = argv + arg;
    try {
        const Case c = read_case(positional[0]);
        const double alpha = std::stod(positional[1]);
        const int runs = std::stoi(positional[2]);
        if (runs < 1)
            throw std::runtime_error("RUNS must be at least 1");
        const std::string out_path = positional[3];

        Eigen::MatrixXd coefs;
        Eigen::VectorXd intercepts;
        std::string statistics;
        std::vector<double> times;
        if (alpha == 1.0) {
            priorreg::Lasso model(1.0); // lambda is ignored by fit_path
            model.set_standardize(true).set_fit_intercept(true);
            model.set_tolerance(tolerance).set_max_iterations(max_iterations);
            times = time_path(model, c, runs, coefs, intercepts, statistics);
        } else {
            priorreg::ElasticNet model(1.0, alpha);
            model.set_standardize(true).set_fit_intercept(true);
            model.set_tolerance(tolerance).set_max_iterations(max_iterations);
            times = time_path(model, c, runs, coefs, intercepts, statistics);
        }

        write_result(out_path, coefs, intercepts);
        std::ofstream info_out(out_path + ".info");
        info_out << statistics;
        std::ofstream times_out(positional[4]);
        for (double t : times)
            times_out << t << '\n';
        if (!info_out || !times_out)
            throw std::runtime_error("cannot write " + out_path + ".info or " + positional[4]);
        std::vector<double> sorted = times;
        std::nth_element(sorted.begin(), sorted.begin() + runs / 2, sorted.end());
        std::printf("    priorreg median: %.3f s (Eigen %d.%d.%d, %d thread(s))\n",
                    sorted[static_cast<std::size_t>(runs / 2)], EIGEN_WORLD_VERSION,
                    EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, Eigen::nbThreads());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "compare_priorreg: %s\n", e.what());
        return 1;
    }
    return 0;
}
