// Bad input gets a typed exception naming the problem; inputs are never modified.
#include <catch2/catch.hpp>

#include <limits>
#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

using Catch::Matchers::Contains;

namespace {
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinity = std::numeric_limits<double>::infinity();
} // namespace

TEST_CASE("Shape mismatches and empty data throw invalid_argument", "[errors]") {
    const auto d = test_support::make_dataset(10, 3, 2, 1);
    priorreg::Lasso model(0.1);
    CHECK_THROWS_AS(model.fit(d.X, d.y.head(9)), std::invalid_argument);
    CHECK_THROWS_WITH(model.fit(d.X, d.y.head(9)), Contains("rows") && Contains("y"));
    CHECK_THROWS_WITH(model.fit(d.X, d.y, Eigen::VectorXd::Ones(8)), Contains("weights"));
    CHECK_THROWS_WITH(model.fit(Eigen::MatrixXd(0, 3), Eigen::VectorXd(0)), Contains("empty"));
    CHECK_THROWS_WITH(model.fit(Eigen::MatrixXd(10, 0), d.y), Contains("empty"));
}

TEST_CASE("Non-finite data throws, naming where", "[errors]") {
    const auto d = test_support::make_dataset(10, 3, 2, 1);
    for (const double bad : {not_a_number, infinity, -infinity}) {
        Eigen::MatrixXd X = d.X;
        X(4, 2) = bad;
        CHECK_THROWS_WITH(priorreg::Ridge(0.1).fit(X, d.y), Contains("X") && Contains("row 4"));
        Eigen::VectorXd y = d.y;
        y(7) = bad;
        CHECK_THROWS_WITH(priorreg::LinearRegression().fit(d.X, y), Contains("y"));
        Eigen::VectorXd w = Eigen::VectorXd::Ones(10);
        w(2) = bad;
        CHECK_THROWS_WITH(priorreg::Lasso(0.1).fit(d.X, d.y, w), Contains("weights"));
    }
}

TEST_CASE("Negative or all-zero weights throw", "[errors]") {
    const auto d = test_support::make_dataset(10, 3, 2, 1);
    Eigen::VectorXd w = Eigen::VectorXd::Ones(10);
    w(3) = -1;
    CHECK_THROWS_WITH(priorreg::Lasso(0.1).fit(d.X, d.y, w), Contains("non-negative"));
    CHECK_THROWS_WITH(priorreg::Lasso(0.1).fit(d.X, d.y, Eigen::VectorXd::Zero(10)),
                      Contains("all zero"));
}

TEST_CASE("Out-of-range parameters throw", "[errors]") {
    CHECK_THROWS_AS(priorreg::Lasso(-0.1), std::invalid_argument);
    CHECK_THROWS_WITH(priorreg::Lasso(not_a_number), Contains("lambda"));
    CHECK_THROWS_WITH(priorreg::Ridge(infinity), Contains("lambda"));
    CHECK_THROWS_WITH(priorreg::ElasticNet(0.1, 1.5), Contains("alpha"));
    CHECK_THROWS_WITH(priorreg::ElasticNet(0.1, -0.1), Contains("alpha"));
    CHECK_THROWS_WITH(priorreg::ElasticNet(0.1, not_a_number), Contains("alpha"));
    CHECK_THROWS_WITH(priorreg::GaussianPrior<>(0.0), Contains("tau"));
    CHECK_THROWS_WITH(priorreg::GaussianPrior<>(-1.0), Contains("tau"));
    CHECK_THROWS_WITH(priorreg::LaplacePrior<>(not_a_number), Contains("b"));
    CHECK_THROWS_WITH(priorreg::ElasticNetPrior<>(1.0, 0.0), Contains("b"));
    CHECK_THROWS_WITH(priorreg::ElasticNetPrior<>(infinity, 1.0), Contains("tau"));
    CHECK_THROWS_WITH(priorreg::Ridge(priorreg::GaussianPrior<>(1.0), 0.0), Contains("sigma"));
    CHECK_THROWS_WITH(priorreg::Lasso(priorreg::LaplacePrior<>(1.0), -2.0), Contains("sigma"));
    CHECK_THROWS_WITH(priorreg::Lasso(priorreg::LaplacePrior<>(1.0), infinity), Contains("sigma"));
    priorreg::Lasso model(0.1);
    CHECK_THROWS_WITH(model.set_tolerance(0.0), Contains("tolerance"));
    CHECK_THROWS_WITH(model.set_max_iterations(0), Contains("max_iterations"));
}

TEST_CASE("Penalty factors of the wrong size or sign throw", "[errors]") {
    const auto d = test_support::make_dataset(10, 3, 2, 1);
    priorreg::Lasso model(0.1);
    CHECK_THROWS_WITH(model.set_penalty_factors(Eigen::Vector3d(1, -1, 1)), Contains("penalty"));
    CHECK_THROWS_WITH(model.set_penalty_factors(Eigen::Vector3d(1, not_a_number, 1)),
                      Contains("penalty"));
    model.set_penalty_factors(Eigen::Vector2d(1, 1));
    CHECK_THROWS_WITH(model.fit(d.X, d.y), Contains("penalty factors have 2"));
}

TEST_CASE("predict before fit is a logic error; wrong column count is invalid", "[errors]") {
    const auto d = test_support::make_dataset(10, 3, 2, 1);
    priorreg::Ridge model(0.1);
    CHECK_THROWS_AS(model.predict(d.X), std::logic_error);
    CHECK_THROWS_AS(model.coef(), std::logic_error);
    model.fit(d.X, d.y);
    CHECK_THROWS_AS(model.predict(Eigen::MatrixXd::Ones(4, 2)), std::invalid_argument);
    CHECK_THROWS_WITH(model.predict(Eigen::MatrixXd::Ones(4, 2)), Contains("2 columns"));
    CHECK(model.predict(Eigen::MatrixXd::Ones(4, 3)).size() == 4);
    CHECK_THROWS_AS(model.log_posterior(d.X, d.y, 0.0, model.coef()), std::logic_error);
}

TEST_CASE("Inputs are not modified and a failed fit keeps no stale state", "[errors]") {
    const auto d = test_support::make_dataset(25, 6, 3, 2);
    const Eigen::MatrixXd X = d.X;
    const Eigen::VectorXd y = d.y;
    Eigen::VectorXd w = Eigen::VectorXd::LinSpaced(25, 0.5, 2.0);
    const Eigen::VectorXd w_copy = w;
    priorreg::ElasticNet model(0.05, 0.5);
    model.fit(d.X, d.y, w);
    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y, w);
    CHECK(d.X == X);
    CHECK(d.y == y);
    CHECK(w == w_copy);
}

TEST_CASE("A column refused on a helper thread is reported as on one thread", "[errors][threads]") {
    // 1000 x 600 is large enough for the columns to be standardized on two threads, in the
    // chunks [0, 304) and [304, 600). A column whose spread is below the smallest normal number
    // is refused; the error must reach the caller (not end the program from the helper thread)
    // and name the lowest such column, whichever thread met it.
    const auto d = test_support::make_dataset(1000, 600, 5, 11);
    for (const int threads : {1, 2}) {
        Eigen::MatrixXd X = d.X;
        X.col(500) *= 1e-310;
        priorreg::Lasso lasso(0.1);
        lasso.set_threads(threads);
        CHECK_THROWS_AS(lasso.fit(X, d.y), priorreg::InvalidInput);
        CHECK_THROWS_WITH(lasso.fit(X, d.y), Contains("X column 500 is too small"));
        X.col(100) *= 1e-310;
        CHECK_THROWS_WITH(lasso.fit_path(X, d.y), Contains("X column 100 is too small"));
    }
}
