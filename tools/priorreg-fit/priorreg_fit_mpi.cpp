// priorreg-fit-mpi: a least-squares-family fit of data sharded across MPI ranks, one CSV file
// per rank. Each rank reads its shard in chunks (never whole) and accumulates its rows' sufficient
// statistics (global row numbers from the shards' order, so the cross-validation folds do not
// depend on the sharding); priorreg::mpi::allreduce merges them; rank 0 fits and writes the
// coefficients as priorreg-fit does ("term,estimate"). The rows never leave their rank.
//
//   mpirun -np 4 priorreg-fit-mpi --model lasso --cv 10 shard0.csv shard1.csv shard2.csv shard3.csv
//   srun -n 64 priorreg-fit-mpi --model enet --alpha 0.5 --lambda 0.1 'data/part-{rank}.csv'
#include <priorreg/mpi.hpp>
#include <priorreg/priorreg.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "csv_chunks.hpp"

namespace {

struct Options {
    std::vector<std::string> shards;
    std::string model = "lasso", target;
    double lambda = -1, alpha = 0.5, tolerance = 1e-7;
    int folds = 0, nlambda = 100;
    std::uint64_t seed = 1;
    std::size_t chunk_bytes = std::size_t(16) << 20;
    bool timing = false;
};

/// Rank `rank`'s shard: the rank-th file, or the one pattern with {rank} replaced.
std::string shard_of(const Options& options, int rank, int ranks) {
    if (options.shards.size() == 1 && options.shards[0].find("{rank}") != std::string::npos) {
        std::string path = options.shards[0];
        path.replace(path.find("{rank}"), 6, std::to_string(rank));
        return path;
    }
    if (static_cast<int>(options.shards.size()) != ranks)
        throw std::invalid_argument("give one shard per rank (" + std::to_string(ranks) +
                                    "), or one pattern containing {rank}; got " +
                                    std::to_string(options.shards.size()));
    return options.shards[static_cast<std::size_t>(rank)];
}

/// The same value on every rank, or an error on every rank.
void require_agreement(std::uint64_t value, const std::string& what) {
    std::uint64_t low = 0, high = 0;
    MPI_Allreduce(&value, &low, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(&value, &high, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    if (low != high)
        throw std::invalid_argument("the shards differ in " + what);
}

template <class Model>
void fit_and_write(Model model, const priorreg::SufficientStatistics<double>& statistics,
                   const Options& options, const std::vector<std::string>& names) {
    model.set_tolerance(options.tolerance);
    constexpr bool penalized =
        !std::is_same_v<typename Model::PriorType, priorreg::FlatPrior<double>>;
    if constexpr (penalized) {
        if (options.folds >= 2) {
            priorreg::CrossValidationOptions cv_options;
            cv_options.path.n_lambda = options.nlambda;
            priorreg::CrossValidation<typename Model::PriorType> cv(model, cv_options);
            cv.fit(statistics);
            std::fprintf(stderr,
                         "priorreg-fit-mpi: %d-fold CV: lambda_min %.17g, lambda_1se %.17g\n",
                         options.folds, cv.lambda_min(), cv.lambda_1se());
            model = cv.model();
        } else {
            model.fit(statistics);
        }
    } else {
        model.fit(statistics);
    }
    if (model.info() != priorreg::Status::Success)
        std::fprintf(stderr, "priorreg-fit-mpi: warning: the fit is not certified\n");
    std::printf("term,estimate\n(intercept),%.17g\n", model.intercept());
    for (std::size_t j = 0; j < names.size(); ++j)
        std::printf("%s,%.17g\n", names[j].c_str(), model.coef()(static_cast<Eigen::Index>(j)));
}

int run(int rank, int ranks, const Options& options) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const std::string path = shard_of(options, rank, ranks);
    // Two passes over the shard, neither holding it: the rows counted (the folds need the
    // global number of each row, so every rank must know how many the earlier ranks hold),
    // then read in chunks and added.
    if (std::filesystem::exists(path) && !std::filesystem::is_regular_file(path))
        throw std::invalid_argument(path + ": a shard must be a regular file (its rows are "
                                           "counted before they are read)");
    const std::uint64_t counted = priorreg_fit::count_data_rows(path);
    priorreg_fit::CsvChunkReader reader(path, {}, options.chunk_bytes);
    const priorreg_fit::CsvTable& head = reader.header();
    const auto read = clock::now();
    std::size_t target = head.cols() - 1;
    if (!options.target.empty()) {
        const auto found = head.find(options.target);
        if (!found)
            throw std::invalid_argument(path + ": no column named " + options.target);
        target = *found;
    }
    std::vector<std::string> names;
    std::string header;
    for (std::size_t j = 0; j < head.cols(); ++j) {
        header += head.names[j] + '\n';
        if (j != target)
            names.push_back(head.names[j]);
    }
    require_agreement(std::hash<std::string>{}(header), "their header rows");
    const auto p = static_cast<Eigen::Index>(names.size());
    // The shards' rows are numbered in rank order.
    long long local = static_cast<long long>(counted), first = 0;
    MPI_Exscan(&local, &first, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0)
        first = 0;
    priorreg::SufficientStatistics<double> statistics(p, std::max(options.folds, 1), options.seed);
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    priorreg_fit::CsvTable table;
    Eigen::Index n = 0;
    while (reader.next(table)) {
        for (std::size_t i = 0; i < table.rows(); ++i)
            for (std::size_t j = 0; j < table.cols(); ++j)
                if (std::isnan(table(i, j)))
                    throw std::invalid_argument(path + ": line " +
                                                std::to_string(table.row_lines[i]) + ", column " +
                                                table.names[j] + ": not a number");
        const auto m = static_cast<Eigen::Index>(table.rows());
        X.resize(m, p);
        y.resize(m);
        for (Eigen::Index r = 0; r < m; ++r) {
            const auto i = static_cast<std::size_t>(r);
            Eigen::Index c = 0;
            for (std::size_t j = 0; j < table.cols(); ++j) {
                if (j == target)
                    y(r) = table(i, j);
                else
                    X(r, c++) = table(i, j);
            }
        }
        statistics.add(X, y, Eigen::VectorXd::Ones(m), first + n);
        n += m;
    }
    if (static_cast<std::uint64_t>(n) != counted)
        throw std::logic_error(path + ": read " + std::to_string(n) + " rows but counted " +
                               std::to_string(counted));
    const auto accumulated = clock::now();
    priorreg::mpi::allreduce(statistics, MPI_COMM_WORLD);
    const auto merged = clock::now();
    if (rank == 0) {
        if (options.model == "ols")
            fit_and_write(priorreg::LinearRegression(), statistics, options, names);
        else if (options.model == "ridge")
            fit_and_write(priorreg::Ridge(std::max(options.lambda, 0.0)), statistics, options,
                          names);
        else if (options.model == "lasso")
            fit_and_write(priorreg::Lasso(std::max(options.lambda, 0.0)), statistics, options,
                          names);
        else
            fit_and_write(priorreg::ElasticNet(std::max(options.lambda, 0.0), options.alpha),
                          statistics, options, names);
    }
    const auto fitted = clock::now();
    if (options.timing) {
        const auto seconds = [](auto a, auto b) {
            return std::chrono::duration<double>(b - a).count();
        };
        std::fprintf(stderr,
                     "priorreg-fit-mpi: rank %d of %d: %lld rows; count %.3f s, accumulate "
                     "(reading included) %.3f s, allreduce %.3f s, fit %.3f s, total %.3f s\n",
                     rank, ranks, static_cast<long long>(n), seconds(start, read),
                     seconds(read, accumulated), seconds(accumulated, merged),
                     seconds(merged, fitted), seconds(start, fitted));
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    Options options;
    CLI::App app{"Fit OLS, ridge, lasso or elastic net to rows sharded across MPI ranks (one "
                 "CSV file with a header row per rank; the same columns in each). Rank 0 "
                 "writes the coefficients."};
    app.add_option("shards", options.shards, "one CSV per rank, or one pattern with {rank}")
        ->required();
    app.add_option("--model", options.model, "ols, ridge, lasso (default) or enet")
        ->check(CLI::IsMember({"ols", "ridge", "lasso", "enet"}));
    app.add_option("--lambda", options.lambda, "penalty strength (>= 0) of one fit")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--cv", options.folds, "K-fold cross-validation over the path (K >= 2)")
        ->check(CLI::Range(2, 1000));
    app.add_option("--alpha", options.alpha, "L1 share of the elastic net (default 0.5)")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--seed", options.seed, "seed of the fold assignment (default 1)");
    app.add_option("--target", options.target, "response column (default: the last)");
    app.add_option("--tolerance", options.tolerance, "certificate tolerance (default 1e-7)")
        ->check(CLI::PositiveNumber);
    app.add_option("--nlambda", options.nlambda, "points of the CV grid (default 100)")
        ->check(CLI::Range(2, 100000));
    app.add_option("--chunk-bytes", options.chunk_bytes,
                   "bytes of CSV text read and accumulated at a time (default 16777216)")
        ->check(CLI::Range(std::size_t(1), std::size_t(1) << 40));
    app.add_flag("--timing", options.timing, "per-rank phase times on stderr");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = rank == 0 ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 2);
        MPI_Finalize();
        return code == 0 ? 0 : 2;
    }
    if (options.lambda < 0 && options.folds < 2 && options.model != "ols") {
        if (rank == 0)
            std::fprintf(stderr, "priorreg-fit-mpi: give --lambda or --cv K for %s\n",
                         options.model.c_str());
        MPI_Finalize();
        return 2;
    }
    try {
        run(rank, ranks, options);
    } catch (const std::exception& e) {
        // One rank's bad shard must not leave the others waiting in a collective call.
        std::fprintf(stderr, "priorreg-fit-mpi: rank %d: %s\n", rank, e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return 0;
}
