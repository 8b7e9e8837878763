// Run under mpirun with any number of ranks: every rank adds its own shard of a generated data
// set (contiguous blocks of unequal size, in chunks, the last rank none when there are three or
// more), priorreg::mpi::allreduce merges them, and every rank checks the result against the
// statistics of all rows accumulated in one process: the statistics to rounding, and the
// Lasso fit, path and 5-fold cross-validation from them to 1e-10 of the null deviance. Exit 0
// on every rank when all hold.
#include <priorreg/mpi.hpp>
#include <priorreg/priorreg.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace {

struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y, w;
};

Data generate(Eigen::Index n, Eigen::Index p) {
    priorreg::RandomStream random(31);
    Data d{Eigen::MatrixXd(n, p), Eigen::VectorXd(n), Eigen::VectorXd(n)};
    for (Eigen::Index i = 0; i < n; ++i) {
        double previous = random.normal();
        for (Eigen::Index j = 0; j < p; ++j) {
            previous = 0.7 * previous + 0.7 * random.normal();
            d.X(i, j) = 100.0 * double(j + 1) + previous;
        }
        d.y(i) = 3 + d.X(i, 0) - 0.5 * d.X(i, 2) + 0.25 * d.X(i, p - 1) + random.normal();
        d.w(i) = 0.5 + random.uniform();
    }
    return d;
}

int failures = 0;
void expect(bool ok, const std::string& what, int rank) {
    if (!ok) {
        ++failures;
        std::fprintf(stderr, "rank %d: FAILED: %s\n", rank, what.c_str());
    }
}

double relative(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return (a - b).cwiseAbs().maxCoeff() / std::max(b.cwiseAbs().maxCoeff(), 1e-300);
}

double deviance(const Data& d, double intercept, const Eigen::VectorXd& coef) {
    const Eigen::ArrayXd r = (d.y - d.X * coef).array() - intercept;
    return (d.w.array() * r.square()).sum();
}

} // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const Eigen::Index n = 1200, p = 7;
    const int folds = 5;
    const std::uint64_t seed = 99;
    const Data d = generate(n, p);

    // Rank r's shard: a block whose size grows with r; with 3 or more ranks the last has none.
    const int sharing = size >= 3 ? size - 1 : size;
    std::vector<Eigen::Index> bounds(static_cast<std::size_t>(size) + 1, n);
    Eigen::Index total_share = 0;
    for (int r = 0; r < sharing; ++r)
        total_share += r + 1;
    bounds[0] = 0;
    for (int r = 0; r < sharing; ++r)
        bounds[static_cast<std::size_t>(r) + 1] =
            r + 1 == sharing ? n : bounds[static_cast<std::size_t>(r)] + n * (r + 1) / total_share;
    priorreg::SufficientStatistics<double> mine(p, folds, seed);
    for (Eigen::Index first = bounds[static_cast<std::size_t>(rank)];
         first < bounds[static_cast<std::size_t>(rank) + 1]; first += 97) {
        const Eigen::Index m =
            std::min<Eigen::Index>(97, bounds[static_cast<std::size_t>(rank) + 1] - first);
        mine.add(d.X.middleRows(first, m), d.y.segment(first, m), d.w.segment(first, m), first);
    }
    priorreg::mpi::allreduce(mine, MPI_COMM_WORLD);

    priorreg::SufficientStatistics<double> all(p, folds, seed);
    all.add(d.X, d.y, d.w);
    const double bound = 1e-11; // column means of 100 to 700 against spreads near 1
    const auto a = mine.cross_products(), b = all.cross_products();
    expect(mine.rows() == n, "the merged statistics count every row", rank);
    expect(relative(a.center, b.center) < 1e-14, "means", rank);
    expect(relative(a.xx, b.xx) < bound, "cross-products", rank);
    expect(relative(a.xy, b.xy) < bound, "cross-products with y", rank);
    for (int k = 0; k < folds; ++k)
        expect(relative(mine.fold_cross_products(k).xx, all.fold_cross_products(k).xx) < bound,
               "fold " + std::to_string(k) + "'s cross-products", rank);

    const double mean = d.w.dot(d.y) / d.w.sum();
    const double null = (d.w.array() * (d.y.array() - mean).square()).sum();
    const auto model = priorreg::Lasso(0.05).set_tolerance(1e-13);
    auto from_rows = model;
    from_rows.fit(d.X, d.y, d.w);
    auto merged = model;
    merged.fit(mine);
    expect(std::abs(deviance(d, merged.intercept(), merged.coef()) -
                    deviance(d, from_rows.intercept(), from_rows.coef())) <= 1e-10 * null,
           "the Lasso fit from the merged statistics", rank);
    const auto path = model.fit_path(mine);
    const auto reference = model.fit_path(d.X, d.y, d.w);
    expect(path.size() == reference.size(), "the path's length", rank);
    for (Eigen::Index l = 0; l < std::min(path.size(), reference.size()); ++l)
        expect(std::abs(deviance(d, path.intercepts()(l), path.coefs().col(l)) -
                        deviance(d, reference.intercepts()(l), reference.coefs().col(l))) <=
                   1e-10 * null,
               "the path at lambda " + std::to_string(l), rank);
    priorreg::CrossValidationOptions options;
    options.threads = 1;
    for (Eigen::Index i = 0; i < n; ++i)
        options.fold_ids.push_back(priorreg::SufficientStatistics<double>::fold_of(i, folds, seed));
    priorreg::CrossValidation<priorreg::LaplacePrior<double>> cv_merged(model, options),
        cv_rows(model, options);
    cv_merged.fit(mine);
    cv_rows.fit(d.X, d.y, d.w);
    expect(relative(cv_merged.mean_errors(), cv_rows.mean_errors()) < 1e-9,
           "cross-validation errors", rank);
    expect(cv_merged.index_min() == cv_rows.index_min(), "the chosen lambda", rank);

    // A rank whose statistics have other folds makes every rank throw InvalidInput.
    bool refused = false;
    try {
        priorreg::SufficientStatistics<double> odd(p, rank == 0 ? 3 : folds, seed);
        priorreg::mpi::allreduce(odd, MPI_COMM_WORLD);
    } catch (const priorreg::InvalidInput&) {
        refused = true;
    }
    expect(size == 1 || refused, "mismatched folds are refused", rank);

    int any = 0;
    MPI_Allreduce(&failures, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rank == 0)
        std::printf("%s: %d ranks, %lld rows merged, %s\n", argv[0], size,
                    static_cast<long long>(mine.rows()), any ? "FAILED" : "all checks passed");
    MPI_Finalize();
    return any ? 1 : 0;
}
