// SufficientStatistics: statistics accumulated from row chunks (any sizes, any order, several
// accumulators merged) equal the two-pass statistics of all rows; the folds do not depend on
// the chunking; and fits, paths and cross-validation from the statistics equal the same
// computations on the rows in memory, to 1e-10 of the null deviance, including on columns whose
// means dwarf their spread (where raw sums of squares lose the digits).
#include <catch2/catch.hpp>

#include <priorreg/priorreg.hpp>

#include "../examples/non_negative_laplace_prior.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace suffstat_test {

struct ChunkRows {
    Eigen::MatrixXd X;
    Eigen::VectorXd y, w;
};

/// n rows of p correlated columns (each the previous one's 0.8 plus noise), column j offset by
/// `offset * (j + 1)`, y = 1 + X b + noise (b sparse), weights in [0.5, 2.5).
ChunkRows offset_correlated_rows(Eigen::Index n, Eigen::Index p, std::uint64_t seed,
                                 double offset) {
    priorreg::RandomStream random(seed);
    ChunkRows d{Eigen::MatrixXd(n, p), Eigen::VectorXd(n), Eigen::VectorXd(n)};
    for (Eigen::Index i = 0; i < n; ++i) {
        double previous = random.normal();
        for (Eigen::Index j = 0; j < p; ++j) {
            previous = 0.8 * previous + 0.6 * random.normal();
            d.X(i, j) = previous;
        }
    }
    Eigen::VectorXd b = Eigen::VectorXd::Zero(p);
    for (Eigen::Index j = 0; j < p; j += 3)
        b(j) = (j % 2 == 0 ? 1.0 : -0.7) / double(1 + j / 3);
    for (Eigen::Index i = 0; i < n; ++i) {
        d.y(i) = 1 + d.X.row(i).dot(b) + 0.5 * random.normal() + offset * 0.1;
        d.w(i) = 0.5 + 2 * random.uniform();
    }
    for (Eigen::Index j = 0; j < p; ++j)
        d.X.col(j).array() += offset * double(j + 1);
    return d;
}

/// The statistics of `d` added in chunks of `sizes` (cycled), the chunks visited last to first
/// when `reverse`, dealt round-robin to `accumulators` accumulators merged at the end.
priorreg::SufficientStatistics<double> accumulate_chunks(const ChunkRows& d,
                                                         std::vector<Eigen::Index> sizes, int folds,
                                                         std::uint64_t seed, bool reverse,
                                                         int accumulators) {
    struct Chunk {
        Eigen::Index first, size;
    };
    std::vector<Chunk> chunks;
    for (Eigen::Index first = 0, c = 0; first < d.X.rows(); ++c) {
        const Eigen::Index size =
            std::min(sizes[static_cast<std::size_t>(c) % sizes.size()], d.X.rows() - first);
        chunks.push_back({first, size});
        first += size;
    }
    if (reverse)
        std::reverse(chunks.begin(), chunks.end());
    std::vector<priorreg::SufficientStatistics<double>> parts(
        static_cast<std::size_t>(accumulators),
        priorreg::SufficientStatistics<double>(d.X.cols(), folds, seed));
    for (std::size_t c = 0; c < chunks.size(); ++c)
        parts[c % parts.size()].add(d.X.middleRows(chunks[c].first, chunks[c].size),
                                    d.y.segment(chunks[c].first, chunks[c].size),
                                    d.w.segment(chunks[c].first, chunks[c].size), chunks[c].first);
    for (std::size_t a = 1; a < parts.size(); ++a)
        parts[0].merge(parts[a]);
    return parts[0];
}

/// The weighted means and centered cross-products of the rows `keep` selects, two passes in
/// long double.
struct TwoPassStatistics {
    Eigen::Matrix<long double, Eigen::Dynamic, 1> mean;
    long double y_mean = 0, weight = 0, yy = 0;
    Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic> xx;
    Eigen::Matrix<long double, Eigen::Dynamic, 1> xy;
};
template <class Keep> TwoPassStatistics two_pass_statistics(const ChunkRows& d, Keep keep) {
    const Eigen::Index n = d.X.rows(), p = d.X.cols();
    TwoPassStatistics r;
    r.mean = Eigen::Matrix<long double, Eigen::Dynamic, 1>::Zero(p);
    for (Eigen::Index i = 0; i < n; ++i)
        if (keep(i)) {
            r.weight += d.w(i);
            for (Eigen::Index j = 0; j < p; ++j)
                r.mean(j) += (long double)d.w(i) * d.X(i, j);
            r.y_mean += (long double)d.w(i) * d.y(i);
        }
    r.mean /= r.weight;
    r.y_mean /= r.weight;
    r.xx = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>::Zero(p, p);
    r.xy = Eigen::Matrix<long double, Eigen::Dynamic, 1>::Zero(p);
    for (Eigen::Index i = 0; i < n; ++i)
        if (keep(i)) {
            Eigen::Matrix<long double, Eigen::Dynamic, 1> x(p);
            for (Eigen::Index j = 0; j < p; ++j)
                x(j) = d.X(i, j) - r.mean(j);
            const long double e = d.y(i) - r.y_mean;
            r.xx += (long double)d.w(i) * x * x.transpose();
            r.xy += (long double)d.w(i) * e * x;
            r.yy += (long double)d.w(i) * e * e;
        }
    return r;
}

/// The largest entry difference relative to the largest reference entry.
template <class A, class B> double largest_relative_difference(const A& ours, const B& reference) {
    const Eigen::MatrixXd ref = reference.template cast<double>();
    return (ours - ref).cwiseAbs().maxCoeff() / ref.cwiseAbs().maxCoeff();
}

/// Centered statistics in double cannot be better than the data's own rounding relative to
/// their spread: a value m + e stored in double carries an error of about eps |m|, which is
/// eps |m| / s of the spread s. The bound is 16 eps times the largest such ratio (1e-8 at
/// means of 6e6 and spreads near 1, where raw sums of squares are off by eps (m/s)^2, 1e-3).
void check_two_pass(const priorreg::CrossProducts<double>& s, const TwoPassStatistics& r) {
    double ratio = std::abs(double(r.y_mean)) / std::sqrt(double(r.yy / r.weight));
    for (Eigen::Index j = 0; j < r.mean.size(); ++j)
        ratio =
            std::max(ratio, std::abs(double(r.mean(j))) / std::sqrt(double(r.xx(j, j) / r.weight)));
    const double bound = 1e-13 + 16 * std::numeric_limits<double>::epsilon() * ratio;
    CHECK(std::abs(s.weight - double(r.weight)) <= 1e-13 * double(r.weight));
    CHECK(largest_relative_difference(s.center, r.mean) <= 1e-14);
    CHECK(std::abs(s.y_center - double(r.y_mean)) <= 1e-13 * std::abs(double(r.y_mean)) + 1e-13);
    CHECK(largest_relative_difference(s.xx, r.xx) <= bound);
    CHECK(largest_relative_difference(s.xy, r.xy) <= bound);
    CHECK(std::abs(s.yy - double(r.yy)) <= bound * double(r.yy));
    CHECK(s.x_sum.isZero(0));
}

/// Weighted residual sum of squares of (intercept, coef) on the rows.
double rows_deviance(const ChunkRows& d, double intercept, const Eigen::VectorXd& coef) {
    const Eigen::VectorXd r = d.y - d.X * coef - Eigen::VectorXd::Constant(d.y.size(), intercept);
    return (d.w.array() * r.array().square()).sum();
}
double rows_null_deviance(const ChunkRows& d) {
    const double m = d.w.dot(d.y) / d.w.sum();
    return (d.w.array() * (d.y.array() - m).square()).sum();
}

/// A model fitted from the statistics and the same model fitted on the rows reach the same
/// deviance (to 1e-10 of the null deviance) and nearly the same coefficients.
template <class Model>
void check_statistics_fit(Model model, const ChunkRows& d,
                          const priorreg::SufficientStatistics<double>& s) {
    Model from_rows = model;
    from_rows.fit(d.X, d.y, d.w);
    model.fit(s);
    REQUIRE(model.info() == priorreg::Status::Success);
    const double null = rows_null_deviance(d);
    INFO("deviance from statistics " << rows_deviance(d, model.intercept(), model.coef())
                                     << ", from rows "
                                     << rows_deviance(d, from_rows.intercept(), from_rows.coef()));
    CHECK(std::abs(rows_deviance(d, model.intercept(), model.coef()) -
                   rows_deviance(d, from_rows.intercept(), from_rows.coef())) <= 1e-10 * null);
    CHECK((model.coef() - from_rows.coef()).norm() <= 1e-6 * (1 + from_rows.coef().norm()));
    CHECK(model.lambda() == Approx(from_rows.lambda()).epsilon(1e-12));
}

} // namespace suffstat_test

TEST_CASE("SufficientStatistics: chunks and merges give the two-pass statistics",
          "[sufficient_statistics]") {
    using namespace suffstat_test;
    // Column means 1e6 to 6e6 against a spread near 1: raw sums of squares keep no digits.
    const ChunkRows d = offset_correlated_rows(500, 6, 3, 1e6);
    const TwoPassStatistics reference = two_pass_statistics(d, [](Eigen::Index) { return true; });
    SECTION("the case is hard: raw sums of squares lose the spread") {
        Eigen::MatrixXd raw = Eigen::MatrixXd::Zero(6, 6);
        Eigen::VectorXd sum = Eigen::VectorXd::Zero(6);
        for (Eigen::Index i = 0; i < d.X.rows(); ++i) {
            raw += d.w(i) * d.X.row(i).transpose() * d.X.row(i);
            sum += d.w(i) * d.X.row(i).transpose();
        }
        const Eigen::MatrixXd naive = raw - sum * sum.transpose() / d.w.sum();
        CHECK(largest_relative_difference(naive, reference.xx) > 1e-5);
    }
    SECTION("one chunk, chunks of 1 to 5 rows, chunks in reverse, three accumulators") {
        check_two_pass(accumulate_chunks(d, {500}, 1, 0, false, 1).cross_products(), reference);
        check_two_pass(accumulate_chunks(d, {1, 2, 3, 4, 5}, 1, 0, false, 1).cross_products(),
                       reference);
        check_two_pass(accumulate_chunks(d, {37}, 1, 0, true, 1).cross_products(), reference);
        const auto merged = accumulate_chunks(d, {13, 1, 64}, 1, 0, true, 3);
        check_two_pass(merged.cross_products(), reference);
        CHECK(merged.rows() == 500);
        const Eigen::VectorXd magnitude = d.X.cwiseAbs().colwise().maxCoeff().transpose();
        CHECK(merged.cross_products().magnitude == magnitude);
    }
    SECTION("rows of weight 0 count as rows and add nothing") {
        ChunkRows zero = d;
        zero.w.head(40).setZero();
        const TwoPassStatistics kept =
            two_pass_statistics(zero, [](Eigen::Index i) { return i >= 40; });
        const auto s = accumulate_chunks(zero, {7, 40}, 1, 0, false, 2);
        check_two_pass(s.cross_products(), kept);
        CHECK(s.rows() == 500);
    }
}

TEST_CASE("SufficientStatistics: folds follow the global row index, not the chunking",
          "[sufficient_statistics]") {
    using namespace suffstat_test;
    const ChunkRows d = offset_correlated_rows(400, 5, 5, 1e4);
    const int K = 5;
    const std::uint64_t seed = 17;
    const auto a = accumulate_chunks(d, {400}, K, seed, false, 1);
    const auto b = accumulate_chunks(d, {3, 50, 11}, K, seed, true, 4);
    std::vector<int> counts(K, 0);
    for (Eigen::Index i = 0; i < d.X.rows(); ++i)
        ++counts[static_cast<std::size_t>(
            priorreg::SufficientStatistics<double>::fold_of(i, K, seed))];
    for (int k = 0; k < K; ++k) {
        INFO("fold " << k);
        const auto in_fold = [&](Eigen::Index i) {
            return priorreg::SufficientStatistics<double>::fold_of(i, K, seed) == k;
        };
        const TwoPassStatistics fold = two_pass_statistics(d, in_fold);
        const TwoPassStatistics rest =
            two_pass_statistics(d, [&](Eigen::Index i) { return !in_fold(i); });
        check_two_pass(a.fold_cross_products(k), fold);
        check_two_pass(b.fold_cross_products(k), fold);
        check_two_pass(b.training_cross_products(k), rest);
        CHECK(b.fold_cross_products(k).rows == counts[static_cast<std::size_t>(k)]);
        CHECK(counts[static_cast<std::size_t>(k)] > 40); // 80 expected: the hash spreads rows
    }
    // Another seed, another assignment.
    int moved = 0;
    for (Eigen::Index i = 0; i < 400; ++i)
        moved += priorreg::SufficientStatistics<double>::fold_of(i, K, seed) !=
                 priorreg::SufficientStatistics<double>::fold_of(i, K, seed + 1);
    CHECK(moved > 200);
}

TEST_CASE("SufficientStatistics: the packed form restores the statistics exactly",
          "[sufficient_statistics]") {
    using namespace suffstat_test;
    const ChunkRows d = offset_correlated_rows(90, 4, 8, 10);
    const auto s = accumulate_chunks(d, {11, 4}, 3, 0xfedcba9876543210ULL, false, 2);
    const std::vector<double> packed = s.pack();
    REQUIRE(packed.size() == priorreg::SufficientStatistics<double>::packed_size(4, 3));
    const auto restored =
        priorreg::SufficientStatistics<double>::unpack(packed.data(), packed.size());
    CHECK(restored.seed() == s.seed());
    CHECK(restored.folds() == 3);
    CHECK(restored.rows() == 90);
    CHECK(restored.next_row() == s.next_row());
    CHECK(restored.pack() == packed);
    for (int k = 0; k < 3; ++k) {
        CHECK(restored.fold_cross_products(k).xx == s.fold_cross_products(k).xx);
        CHECK(restored.fold_cross_products(k).magnitude == s.fold_cross_products(k).magnitude);
    }
    CHECK_THROWS_AS(
        priorreg::SufficientStatistics<double>::unpack(packed.data(), packed.size() - 1),
        priorreg::InvalidInput);
    std::vector<double> corrupt = packed;
    corrupt[0] = 2.5; // not a column count
    CHECK_THROWS_AS(priorreg::SufficientStatistics<double>::unpack(corrupt.data(), corrupt.size()),
                    priorreg::InvalidInput);
}

TEST_CASE("SufficientStatistics: fits from the statistics equal fits on the rows",
          "[sufficient_statistics]") {
    using namespace suffstat_test;
    for (const double offset : {0.0, 1e6}) {
        INFO("column offset " << offset);
        const ChunkRows d = offset_correlated_rows(300, 8, 11, offset);
        const auto s = accumulate_chunks(d, {17, 5}, 1, 0, true, 3);
        SECTION("Lasso, elastic net, ridge, least squares (offset " + std::to_string(offset) +
                ")") {
            check_statistics_fit(priorreg::Lasso(0.05).set_tolerance(1e-13), d, s);
            check_statistics_fit(priorreg::ElasticNet(0.05, 0.5).set_tolerance(1e-13), d, s);
            check_statistics_fit(priorreg::Ridge(0.5).set_tolerance(1e-13), d, s);
            check_statistics_fit(priorreg::Ridge(0.5).set_standardize(false).set_tolerance(1e-13),
                                 d, s);
            check_statistics_fit(priorreg::LinearRegression(), d, s);
            // Penalty factors, an excluded feature and a box reach the statistics' fit too.
            Eigen::VectorXd factors = Eigen::VectorXd::Ones(8);
            factors(1) = 0;
            factors(4) = 2.5;
            check_statistics_fit(priorreg::ElasticNet(0.05, 0.8)
                                     .set_penalty_factors(factors)
                                     .set_excluded_features({6})
                                     .set_tolerance(1e-13),
                                 d, s);
            check_statistics_fit(priorreg::Lasso(0.02).set_nonnegative().set_tolerance(1e-13), d,
                                 s);
            check_statistics_fit(priorreg::LinearRegression().set_excluded_features({0, 3}), d, s);
            // The MAP form: lambda follows the total weight the statistics hold.
            check_statistics_fit(priorreg::MapRegression<priorreg::LaplacePrior<double>>(
                                     priorreg::LaplacePrior<double>(4.0), 0.5)
                                     .set_tolerance(1e-13),
                                 d, s);
        }
        SECTION("the path (offset " + std::to_string(offset) + ")") {
            const auto model = priorreg::ElasticNet(1.0, 0.7).set_tolerance(1e-13);
            const auto from_rows = model.fit_path(d.X, d.y, d.w);
            const auto from_statistics = model.fit_path(s);
            REQUIRE(from_statistics.size() == from_rows.size());
            const double null = rows_null_deviance(d);
            for (Eigen::Index l = 0; l < from_rows.size(); ++l) {
                INFO("lambda " << l);
                CHECK(from_statistics.lambdas()(l) ==
                      Approx(from_rows.lambdas()(l)).epsilon(1e-12 + 1e-15 * offset));
                CHECK(std::abs(rows_deviance(d, from_statistics.intercepts()(l),
                                             from_statistics.coefs().col(l)) -
                               rows_deviance(d, from_rows.intercepts()(l),
                                             from_rows.coefs().col(l))) <= 1e-10 * null);
            }
        }
    }
}

TEST_CASE("SufficientStatistics: a user-written prior fits, paths and cross-validates from them",
          "[sufficient_statistics]") {
    // The examples' one-sided Laplace prior, which nothing in the library knows, on correlated
    // columns whose means (about 1e3 j) dwarf their spread: the statistics' fits take it through
    // the prior contract as the fits on the rows do.
    using namespace suffstat_test;
    const ChunkRows d = offset_correlated_rows(260, 12, 29, 1e3);
    const auto s = accumulate_chunks(d, {37, 3, 11}, 4, 5, false, 2);
    const double null = rows_null_deviance(d);
    for (const double lambda : {0.3, 0.03, 0.003})
        check_statistics_fit(
            priorreg::MapRegression<NonNegativeLaplacePrior>(lambda).set_tolerance(1e-13), d, s);
    const auto model = priorreg::MapRegression<NonNegativeLaplacePrior>(1.0).set_tolerance(1e-13);
    const auto from_rows = model.fit_path(d.X, d.y, d.w);
    const auto from_statistics = model.fit_path(s);
    REQUIRE(from_statistics.size() == from_rows.size());
    for (Eigen::Index l = 0; l < from_rows.size(); ++l) {
        INFO("lambda " << l);
        CHECK(from_statistics.coefs().col(l).minCoeff() >= 0); // the prior's support
        CHECK(std::abs(rows_deviance(d, from_statistics.intercepts()(l),
                                     from_statistics.coefs().col(l)) -
                       rows_deviance(d, from_rows.intercepts()(l), from_rows.coefs().col(l))) <=
              1e-10 * null);
    }
    // Cross-validation: the same folds on the rows (fold_of) give the same curve.
    std::vector<int> ids(static_cast<std::size_t>(d.X.rows()));
    for (Eigen::Index i = 0; i < d.X.rows(); ++i)
        ids[static_cast<std::size_t>(i)] = priorreg::SufficientStatistics<double>::fold_of(i, 4, 5);
    priorreg::CrossValidationOptions options;
    options.fold_ids = ids;
    priorreg::CrossValidation<NonNegativeLaplacePrior> on_rows(model, options),
        on_statistics(model);
    on_rows.fit(d.X, d.y, d.w);
    on_statistics.fit(s);
    REQUIRE(on_statistics.mean_errors().size() == on_rows.mean_errors().size());
    CHECK((on_statistics.mean_errors() - on_rows.mean_errors()).cwiseAbs().maxCoeff() <=
          1e-9 * on_rows.mean_errors().maxCoeff());
    CHECK(on_statistics.index_min() == on_rows.index_min());
}

TEST_CASE("SufficientStatistics: cross-validation from the statistics equals it on the rows",
          "[sufficient_statistics]") {
    using namespace suffstat_test;
    const int K = 5;
    const std::uint64_t seed = 2027;
    for (const double offset : {0.0, 1e5}) {
        INFO("column offset " << offset);
        const ChunkRows d = offset_correlated_rows(400, 10, 23, offset);
        const auto s = accumulate_chunks(d, {29, 3}, K, seed, false, 2);
        priorreg::CrossValidationOptions options;
        for (Eigen::Index i = 0; i < d.X.rows(); ++i)
            options.fold_ids.push_back(priorreg::SufficientStatistics<double>::fold_of(i, K, seed));
        options.threads = 1;
        const auto model = priorreg::Lasso().set_tolerance(1e-13);
        priorreg::CrossValidation<priorreg::LaplacePrior<double>> from_rows(model, options),
            from_statistics(model, options);
        from_rows.fit(d.X, d.y, d.w);
        from_statistics.fit(s);
        REQUIRE(from_statistics.info() == priorreg::Status::Success);
        REQUIRE(from_statistics.lambdas().size() == from_rows.lambdas().size());
        const Eigen::VectorXd& a = from_statistics.mean_errors();
        const Eigen::VectorXd& b = from_rows.mean_errors();
        CHECK((a - b).cwiseAbs().maxCoeff() <= 1e-9 * b.maxCoeff());
        CHECK((from_statistics.standard_errors() - from_rows.standard_errors())
                  .cwiseAbs()
                  .maxCoeff() <= 1e-8 * b.maxCoeff());
        CHECK(from_statistics.index_min() == from_rows.index_min());
        CHECK(from_statistics.model().coef().isApprox(from_rows.model().coef(), 1e-6));
    }
}

TEST_CASE("SufficientStatistics: bad input is a typed error and inputs are not modified",
          "[sufficient_statistics]") {
    using namespace suffstat_test;
    const ChunkRows d = offset_correlated_rows(30, 4, 1, 0);
    const ChunkRows copy = d;
    priorreg::SufficientStatistics<double> s(4, 3, 9);
    s.add(d.X, d.y, d.w);
    CHECK(d.X == copy.X);
    CHECK(d.y == copy.y);
    CHECK(d.w == copy.w);
    CHECK(s.next_row() == 30);
    CHECK_THROWS_AS(priorreg::SufficientStatistics<double>(0), priorreg::InvalidInput);
    CHECK_THROWS_AS(priorreg::SufficientStatistics<double>(3, 0, 1), priorreg::InvalidInput);
    CHECK_THROWS_AS(s.add(Eigen::MatrixXd::Ones(2, 3), Eigen::VectorXd::Ones(2)),
                    priorreg::InvalidInput);
    CHECK_THROWS_AS(s.add(Eigen::MatrixXd::Ones(2, 4), Eigen::VectorXd::Ones(3)),
                    priorreg::InvalidInput);
    Eigen::MatrixXd bad = Eigen::MatrixXd::Ones(2, 4);
    bad(1, 2) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(s.add(bad, Eigen::VectorXd::Ones(2)), priorreg::InvalidInput);
    CHECK_THROWS_AS(s.add(Eigen::MatrixXd::Ones(2, 4), Eigen::VectorXd::Ones(2),
                          Eigen::VectorXd::Constant(2, -1.0)),
                    priorreg::InvalidInput);
    CHECK_THROWS_AS(
        s.add(Eigen::MatrixXd::Ones(2, 4), Eigen::VectorXd::Ones(2), Eigen::VectorXd::Ones(2), -1),
        priorreg::InvalidInput);
    CHECK(s.rows() == 30); // the failed adds added nothing
    CHECK_THROWS_AS(s.merge(priorreg::SufficientStatistics<double>(4, 2, 9)),
                    priorreg::InvalidInput);
    CHECK_THROWS_AS(s.merge(priorreg::SufficientStatistics<double>(4, 3, 8)),
                    priorreg::InvalidInput);
    CHECK_THROWS_AS(priorreg::Lasso(0.1).set_fit_intercept(false).fit(s), std::logic_error);
    CHECK_THROWS_AS(priorreg::Lasso(0.1).fit(priorreg::SufficientStatistics<double>(4)),
                    priorreg::InvalidInput);
    priorreg::SufficientStatistics<double> plain(4);
    plain.add(d.X, d.y);
    priorreg::CrossValidation<priorreg::LaplacePrior<double>> cv{priorreg::Lasso()};
    CHECK_THROWS_AS(cv.fit(plain), priorreg::InvalidInput);
    priorreg::CrossValidationOptions absolute;
    absolute.measure = priorreg::ErrorMeasure::mae;
    priorreg::CrossValidation<priorreg::LaplacePrior<double>> cv_mae(priorreg::Lasso(), absolute);
    CHECK_THROWS_AS(cv_mae.fit(s), priorreg::InvalidInput);
}
