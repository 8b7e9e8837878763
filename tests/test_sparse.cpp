// Sparse X (Eigen::SparseMatrix, column-major): the same problem as on X.toDense(), solved
// without a dense or centered copy. Checked against the dense fits of the densified matrix
// (objective within 1e-10 of the null deviance, coefficients at tight tolerance) for every
// route (naive and covariance modes, weights, no intercept, no standardization, a box,
// exclusion, penalty factors, a user's prior, the flat prior, exact refits between grid points,
// cross-validation and select_alpha), against the KKT conditions of the implicitly centered
// columns, on the diabetes data stored sparse and a sparse correlated design whose columns have
// nonzero means; and for bad input.
#include <catch2/catch.hpp>

#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "numeric_csv.hpp"
#include "test_support.hpp"
#include "user_priors.hpp"

namespace {

using Sparse = Eigen::SparseMatrix<double>;

struct SparseData {
    Sparse X;
    Eigen::MatrixXd dense;
    Eigen::VectorXd y;
};

/// n x p at `density`, entries 1 + |N(0,1)| (every column has a nonzero mean, so centering
/// matters), each column after the first sharing most of its predecessor's rows and values
/// (neighbours correlated about 0.7); y from 8 features plus noise.
SparseData correlated_sparse(Eigen::Index n, Eigen::Index p, double density, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform;
    SparseData d;
    d.dense = Eigen::MatrixXd::Zero(n, p);
    for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index i = 0; i < n; ++i) {
            const bool inherit = j > 0 && d.dense(i, j - 1) != 0.0 && uniform(rng) < 0.8;
            if (inherit)
                d.dense(i, j) = d.dense(i, j - 1) + 0.3 * normal(rng);
            else if (uniform(rng) < density)
                d.dense(i, j) = 1.0 + std::abs(normal(rng));
        }
    d.X = d.dense.sparseView();
    d.y = Eigen::VectorXd::Constant(n, 3.0);
    for (Eigen::Index j = 0; j < 8; ++j)
        d.y += (j % 2 == 0 ? 1.5 : -1.0) * d.dense.col(j * (p / 8));
    for (Eigen::Index i = 0; i < n; ++i)
        d.y(i) += normal(rng);
    return d;
}

/// The diabetes data, every entry stored, and a sparser copy: entries below the column's
/// median in magnitude dropped (a real design with a real response, half its entries zero).
SparseData diabetes(bool thin) {
    const auto design =
        test_csv::read_design(std::string(PRIORREG_TEST_DATA_DIR) + "/diabetes/diabetes.csv");
    SparseData d;
    d.dense = design.X;
    d.y = design.y;
    if (thin)
        for (Eigen::Index j = 0; j < d.dense.cols(); ++j) {
            Eigen::VectorXd magnitudes = d.dense.col(j).cwiseAbs();
            std::nth_element(magnitudes.data(), magnitudes.data() + magnitudes.size() / 2,
                             magnitudes.data() + magnitudes.size());
            const double median = magnitudes(magnitudes.size() / 2);
            for (Eigen::Index i = 0; i < d.dense.rows(); ++i)
                if (std::abs(d.dense(i, j)) < median)
                    d.dense(i, j) = 0.0;
        }
    d.X = d.dense.sparseView(0.0, 0.0);
    return d;
}

double null_deviance(const Eigen::VectorXd& y, const Eigen::VectorXd& w, bool intercept) {
    const Eigen::VectorXd v = w / w.sum();
    const double center = intercept ? v.dot(y) : 0.0;
    return v.dot((y.array() - center).square().matrix());
}

/// The elastic-net objective of the fit (penalty factors pf) on the dense matrix.
template <class Model>
double objective_of(const Model& model, const SparseData& d, const Eigen::VectorXd& w,
                    double lambda, double alpha, const Eigen::VectorXd& pf) {
    return test_support::objective(d.dense, d.y, w, lambda, alpha, pf, model.standardize(),
                                   model.intercept(), model.coef());
}

} // namespace

TEST_CASE("Sparse fits solve the dense problem of the densified matrix", "[sparse]") {
    const SparseData data[] = {correlated_sparse(300, 120, 0.05, 11), diabetes(false),
                               diabetes(true)};
    for (const SparseData& d : data) {
        const Eigen::Index n = d.X.rows(), p = d.X.cols();
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> uniform(0.2, 2.0);
        Eigen::VectorXd weights(n);
        for (Eigen::Index i = 0; i < n; ++i)
            weights(i) = i % 7 == 0 ? 0.0 : uniform(rng); // rows of weight 0 take no part
        for (const bool weighted : {false, true})
            for (const bool intercept : {true, false})
                for (const bool standardize : {true, false})
                    for (const double alpha : {1.0, 0.5, 0.0}) {
                        const Eigen::VectorXd w = weighted ? weights : Eigen::VectorXd::Ones(n);
                        priorreg::ElasticNet grid(1.0, alpha);
                        grid.set_fit_intercept(intercept).set_standardize(standardize);
                        // A lambda a quarter down the default path.
                        const auto path = grid.fit_path(d.dense, d.y, w);
                        const double lambda = path.lambdas()(path.size() / 4);
                        priorreg::ElasticNet on_sparse(lambda, alpha), on_dense(lambda, alpha);
                        for (auto* model : {&on_sparse, &on_dense})
                            model->set_fit_intercept(intercept)
                                .set_standardize(standardize)
                                .set_tolerance(1e-13);
                        on_sparse.fit(d.X, d.y, w);
                        on_dense.fit(d.dense, d.y, w);
                        CAPTURE(n, p, weighted, intercept, standardize, alpha);
                        REQUIRE(on_sparse.info() == priorreg::Status::Success);
                        const Eigen::VectorXd pf = Eigen::VectorXd::Ones(p);
                        const double scale = null_deviance(d.y, w, intercept);
                        const double f_sparse = objective_of(on_sparse, d, w, lambda, alpha, pf);
                        const double f_dense = objective_of(on_dense, d, w, lambda, alpha, pf);
                        CHECK(std::abs(f_sparse - f_dense) <= 1e-10 * scale);
                        CHECK(on_sparse.duality_gap() <= 1e-13 * scale * 1.0001);
                        const double size = 1.0 + on_dense.coef().lpNorm<Eigen::Infinity>();
                        CHECK((on_sparse.coef() - on_dense.coef()).lpNorm<Eigen::Infinity>() <=
                              1e-5 * size);
                        CHECK(on_sparse.predict(d.X).isApprox(on_dense.predict(d.dense), 1e-6));
                    }
    }
}

TEST_CASE("Sparse Lasso solutions meet the KKT conditions of the centered, scaled columns",
          "[sparse][kkt]") {
    const SparseData d = correlated_sparse(400, 200, 0.03, 21);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    priorreg::Lasso lasso(1.0);
    lasso.set_tolerance(1e-14);
    const auto path = lasso.fit_path(d.X, d.y);
    REQUIRE(path.info() == priorreg::Status::Success);
    for (const Eigen::Index k : {Eigen::Index(5), Eigen::Index(30), Eigen::Index(60)}) {
        const double lambda = path.lambdas()(k);
        const Eigen::VectorXd coef = path.coefs().col(k);
        // The gradient of the data term in the standardized coefficients, from the dense X.
        const Eigen::VectorXd g =
            test_support::standardized_gradient(d.dense, d.y, w, true, path.intercepts()(k), coef);
        const double slack = 1e-6 * lambda;
        for (Eigen::Index j = 0; j < coef.size(); ++j) {
            CAPTURE(k, j, coef(j), g(j), lambda);
            if (coef(j) == 0.0)
                CHECK(std::abs(g(j)) <= lambda + slack);
            else
                CHECK(std::abs(g(j) - lambda * (coef(j) > 0 ? 1.0 : -1.0)) <= slack);
        }
        // At the optimal intercept the weighted residuals sum to 0.
        const Eigen::VectorXd r = (d.y - d.dense * coef).array() - path.intercepts()(k);
        CHECK(std::abs(r.mean()) <= 1e-10 * d.y.cwiseAbs().maxCoeff());
    }
}

TEST_CASE("Sparse paths match dense paths on the same grid, in both solver modes",
          "[sparse][path]") {
    // n >> p: covariance mode pays (the sparse Gram); p > n: naive mode on X's storage.
    for (const auto& [n, p, density] :
         {std::tuple<Eigen::Index, Eigen::Index, double>{2000, 30, 0.3},
          std::tuple<Eigen::Index, Eigen::Index, double>{150, 400, 0.04}}) {
        const SparseData d = correlated_sparse(n, p, density, 31);
        for (const auto mode : {priorreg::SolverMode::automatic, priorreg::SolverMode::naive,
                                priorreg::SolverMode::covariance}) {
            for (const double alpha : {1.0, 0.3}) {
                priorreg::ElasticNet on_sparse(1.0, alpha), on_dense(1.0, alpha);
                on_sparse.set_tolerance(1e-12).set_solver_mode(mode);
                on_dense.set_tolerance(1e-12);
                const auto dense_path = on_dense.fit_path(d.dense, d.y);
                priorreg::PathOptions same_grid;
                same_grid.lambdas.assign(dense_path.lambdas().begin(),
                                         dense_path.lambdas().begin() + dense_path.size());
                const auto sparse_path = on_sparse.fit_path(d.X, d.y, same_grid);
                CAPTURE(n, p, static_cast<int>(mode), alpha);
                REQUIRE(sparse_path.info() == priorreg::Status::Success);
                REQUIRE(sparse_path.size() == dense_path.size());
                const double scale = null_deviance(d.y, Eigen::VectorXd::Ones(n), true);
                const Eigen::VectorXd w = Eigen::VectorXd::Ones(n), pf = Eigen::VectorXd::Ones(p);
                for (Eigen::Index k = 0; k < sparse_path.size(); k += 9) {
                    const double lambda = sparse_path.lambdas()(k);
                    const double f_sparse = test_support::objective(
                        d.dense, d.y, w, lambda, alpha, pf, true, sparse_path.intercepts()(k),
                        sparse_path.coefs().col(k));
                    const double f_dense = test_support::objective(
                        d.dense, d.y, w, lambda, alpha, pf, true, dense_path.intercepts()(k),
                        dense_path.coefs().col(k));
                    CHECK(std::abs(f_sparse - f_dense) <= 1e-10 * scale);
                }
                CHECK(sparse_path.dev_ratio().isApprox(dense_path.dev_ratio(), 1e-8));
                // Exact solutions between grid points: a refit on the copy the path kept.
                const double between =
                    std::sqrt(sparse_path.lambdas()(20) * sparse_path.lambdas()(21));
                const Eigen::VectorXd at_sparse = sparse_path.coef_at(between);
                const Eigen::VectorXd at_dense = dense_path.coef_at(between);
                CHECK((at_sparse - at_dense).lpNorm<Eigen::Infinity>() <=
                      1e-5 * (1.0 + at_dense.lpNorm<Eigen::Infinity>()));
                CHECK(sparse_path.predict_at(d.X, between)
                          .isApprox(dense_path.predict_at(d.dense, between), 1e-6));
            }
        }
    }
}

TEST_CASE("Sparse fits carry boxes, exclusions, penalty factors and user priors", "[sparse][box]") {
    const SparseData d = diabetes(true);
    const Eigen::Index p = d.X.cols();
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(p);
    pf(1) = 0.0; // unpenalized
    pf(2) = 3.0;
    priorreg::ElasticNet on_sparse(0.5, 0.8), on_dense(0.5, 0.8);
    for (auto* model : {&on_sparse, &on_dense})
        model->set_tolerance(1e-13)
            .set_penalty_factors(pf)
            .set_excluded_features({4})
            .set_coefficient_bounds(Eigen::VectorXd::Constant(p, -0.5),
                                    Eigen::VectorXd::Constant(p, 600.0));
    on_sparse.fit(d.X, d.y);
    on_dense.fit(d.dense, d.y);
    REQUIRE(on_sparse.info() == priorreg::Status::Success);
    CHECK(on_sparse.coef()(4) == 0.0);
    CHECK(on_sparse.coef().minCoeff() >= -0.5);
    CHECK(on_sparse.coef().maxCoeff() <= 600.0);
    const double scale = null_deviance(d.y, w, true);
    const double f_sparse = objective_of(on_sparse, d, w, 0.5, 0.8, pf);
    const double f_dense = objective_of(on_dense, d, w, 0.5, 0.8, pf);
    CHECK(std::abs(f_sparse - f_dense) <= 1e-10 * scale);

    priorreg::MapRegression<test_support::UserLaplacePrior> user_sparse(0.8), user_dense(0.8);
    user_sparse.set_tolerance(1e-13).set_nonnegative();
    user_dense.set_tolerance(1e-13).set_nonnegative();
    user_sparse.fit(d.X, d.y);
    user_dense.fit(d.dense, d.y);
    REQUIRE(user_sparse.info() == priorreg::Status::Success);
    CHECK(user_sparse.coef().minCoeff() >= 0.0);
    CHECK((user_sparse.coef() - user_dense.coef()).lpNorm<Eigen::Infinity>() <=
          1e-6 * (1.0 + user_dense.coef().lpNorm<Eigen::Infinity>()));

    // The flat prior: least squares by coordinate descent, certified as the others.
    priorreg::MapRegression<priorreg::FlatPrior<double>> flat_sparse;
    priorreg::LinearRegression flat_dense;
    flat_sparse.set_tolerance(1e-14).fit(d.X, d.y);
    flat_dense.fit(d.dense, d.y);
    REQUIRE(flat_sparse.info() == priorreg::Status::Success);
    CHECK((flat_sparse.coef() - flat_dense.coef()).lpNorm<Eigen::Infinity>() <=
          1e-6 * flat_dense.coef().lpNorm<Eigen::Infinity>());
}

TEST_CASE("Sparse cross-validation and select_alpha agree with the dense ones", "[sparse][cv]") {
    const SparseData d = correlated_sparse(240, 60, 0.08, 41);
    priorreg::CrossValidationOptions options;
    options.folds = 5;
    options.seed = 9;
    priorreg::Lasso lasso(1.0);
    lasso.set_tolerance(1e-12);
    priorreg::CrossValidation<priorreg::LaplacePrior<double>> on_sparse(lasso, options),
        on_dense(lasso, options);
    on_sparse.fit(d.X, d.y);
    on_dense.fit(d.dense, d.y);
    REQUIRE(on_sparse.info() == priorreg::Status::Success);
    CHECK(on_sparse.lambdas().isApprox(on_dense.lambdas(), 1e-12));
    CHECK(on_sparse.mean_errors().isApprox(on_dense.mean_errors(), 1e-8));
    CHECK(on_sparse.index_min() == on_dense.index_min());
    CHECK(on_sparse.model().coef().isApprox(on_dense.model().coef(), 1e-6));

    const auto sparse_choice = priorreg::select_alpha(d.X, d.y, options, {0.0, 0.5, 1.0});
    const auto dense_choice = priorreg::select_alpha(d.dense, d.y, options, {0.0, 0.5, 1.0});
    CHECK(sparse_choice.alpha == dense_choice.alpha);
    CHECK(sparse_choice.error == Approx(dense_choice.error).epsilon(1e-6));
}

TEST_CASE("Sparse fits in float, uncompressed storage, constant and empty columns",
          "[sparse][float]") {
    SparseData d = correlated_sparse(200, 40, 0.1, 51);
    // An empty column and a constant one (every entry stored, all equal): both held at 0.
    for (Eigen::Index i = 0; i < d.dense.rows(); ++i) {
        d.dense(i, 3) = 0.0;
        d.dense(i, 7) = 2.5;
    }
    d.X = d.dense.sparseView();
    Sparse uncompressed = d.X;
    uncompressed.uncompress();
    const Sparse before = uncompressed;
    priorreg::Lasso compressed_fit(0.05), uncompressed_fit(0.05), dense_fit(0.05);
    compressed_fit.set_tolerance(1e-12).fit(d.X, d.y);
    uncompressed_fit.set_tolerance(1e-12).fit(uncompressed, d.y);
    dense_fit.set_tolerance(1e-12).fit(d.dense, d.y);
    CHECK(compressed_fit.coef()(3) == 0.0);
    CHECK(compressed_fit.coef()(7) == 0.0);
    CHECK(uncompressed_fit.coef() == compressed_fit.coef());
    CHECK(compressed_fit.coef().isApprox(dense_fit.coef(), 1e-7));
    CHECK(!uncompressed.isCompressed()); // the input is not modified
    CHECK((Eigen::MatrixXd(uncompressed) - Eigen::MatrixXd(before)).norm() == 0.0);

    const Eigen::SparseMatrix<float> X32 = d.X.cast<float>();
    const Eigen::VectorXf y32 = d.y.cast<float>();
    priorreg::MapRegression<priorreg::LaplacePrior<float>> single(0.05f);
    single.fit(X32, y32);
    REQUIRE(single.info() == priorreg::Status::Success);
    CHECK((single.coef().cast<double>() - dense_fit.coef()).lpNorm<Eigen::Infinity>() <=
          1e-4 * (1.0 + dense_fit.coef().lpNorm<Eigen::Infinity>()));
    const auto path = single.fit_path(X32, y32);
    CHECK(path.info() == priorreg::Status::Success);
}

TEST_CASE("A sparse column of 1e-200 is scaled as the dense one, or refused as the dense one",
          "[sparse][scale]") {
    // The sparse spread summed squares of x itself, which underflow below 1e-154: a column of
    // 1e-200 read as constant and was dropped (coefficient 0, Success) where the dense fit
    // scales it, and where the dense fit without standardization refuses it.
    SparseData d = correlated_sparse(120, 8, 0.3, 67);
    d.dense.col(2) *= 1e-200;
    d.dense.col(5) *= 1e-160;
    d.X = d.dense.sparseView();
    for (const bool intercept : {true, false}) {
        INFO("intercept " << intercept);
        priorreg::Lasso sparse_fit(0.02), dense_fit(0.02);
        sparse_fit.set_fit_intercept(intercept).set_tolerance(1e-12).fit(d.X, d.y);
        dense_fit.set_fit_intercept(intercept).set_tolerance(1e-12).fit(d.dense, d.y);
        REQUIRE(sparse_fit.info() == priorreg::Status::Success);
        REQUIRE(dense_fit.info() == priorreg::Status::Success);
        CHECK(dense_fit.coef()(2) != 0.0);
        for (Eigen::Index j = 0; j < 8; ++j) {
            const double unit = j == 2 ? 1e-200 : (j == 5 ? 1e-160 : 1.0);
            CHECK(sparse_fit.coef()(j) * unit ==
                  Approx(dense_fit.coef()(j) * unit).epsilon(1e-7).margin(1e-9));
        }
        using Catch::Matchers::Contains;
        CHECK_THROWS_WITH(
            priorreg::Lasso(0.02).set_fit_intercept(intercept).set_standardize(false).fit(d.X, d.y),
            Contains("X column 2 is too small"));
    }
}

TEST_CASE("Sparse X: bad input gets typed errors", "[sparse][validation]") {
    SparseData d = correlated_sparse(50, 10, 0.2, 61);
    priorreg::Lasso lasso(0.1);
    CHECK_THROWS_AS(lasso.fit(d.X, Eigen::VectorXd(d.y.head(40))), priorreg::InvalidInput);
    CHECK_THROWS_AS(lasso.fit(Sparse(0, 3), Eigen::VectorXd()), priorreg::InvalidInput);
    Sparse with_nan = d.X;
    with_nan.coeffRef(3, 2) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(lasso.fit(with_nan, d.y), Catch::Contains("row 3, column 2"));
    CHECK_THROWS_AS(lasso.fit(d.X, d.y, Eigen::VectorXd::Constant(50, -1.0)),
                    priorreg::InvalidInput);
    lasso.fit(d.X, d.y);
    CHECK_THROWS_AS(lasso.predict(Sparse(5, 9)), priorreg::InvalidInput);
}
