// Numerical edge cases with defined results.
#include <catch2/catch.hpp>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

TEST_CASE("A constant column gets coefficient 0 with an intercept", "[edge]") {
    auto d = test_support::make_dataset(40, 5, 3, 71);
    d.X.col(2).setConstant(3.7);
    for (const bool standardize : {true, false}) {
        priorreg::Lasso lasso(0.01);
        lasso.set_standardize(standardize).fit(d.X, d.y);
        CHECK(lasso.coef()(2) == 0.0);
        CHECK(lasso.coef().allFinite());
        priorreg::Ridge ridge(0.1);
        ridge.set_standardize(standardize).fit(d.X, d.y);
        CHECK(ridge.coef()(2) == 0.0);
        priorreg::LinearRegression ols;
        ols.set_standardize(standardize).fit(d.X, d.y);
        CHECK(ols.coef()(2) == 0.0);
        CHECK(ols.rank() == 5); // intercept + 4 varying columns
    }
}

TEST_CASE("A constant response gives zero coefficients and intercept = mean", "[edge]") {
    const auto d = test_support::make_dataset(30, 4, 2, 73);
    const Eigen::VectorXd y = Eigen::VectorXd::Constant(30, -4.25);
    priorreg::Lasso lasso(0.1);
    lasso.fit(d.X, y);
    CHECK(lasso.coef().isZero(0.0));
    CHECK(lasso.intercept() == Approx(-4.25).epsilon(1e-14));
    CHECK(lasso.info() == priorreg::Status::Success);
    priorreg::Ridge ridge(0.1);
    ridge.fit(d.X, y);
    CHECK(ridge.coef().isZero(1e-14));
}

TEST_CASE("Lambda = 0 Lasso is OLS", "[edge]") {
    const auto d = test_support::make_dataset(50, 6, 3, 79, 0.5);
    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y);
    priorreg::Lasso lasso(0.0);
    lasso.fit(d.X, d.y);
    CHECK((lasso.coef() - ols.coef()).cwiseAbs().maxCoeff() < 1e-12);
    // ... and a tiny lambda by coordinate descent converges to it.
    priorreg::Lasso tiny(1e-10);
    tiny.set_tolerance(1e-15).fit(d.X, d.y);
    CHECK((tiny.coef() - ols.coef()).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("Collinear OLS returns the minimum-norm solution and reports the rank", "[edge]") {
    auto d = test_support::make_dataset(30, 4, 2, 83);
    Eigen::MatrixXd X(30, 5);
    X << d.X, d.X.col(1); // column 4 duplicates column 1
    priorreg::LinearRegression ols;
    ols.fit(X, d.y);
    CHECK(ols.rank() == 5); // intercept + 4 independent columns
    // The duplicated pair shares the weight equally (minimum norm), and the fit is OLS's.
    CHECK(ols.coef()(1) == Approx(ols.coef()(4)).epsilon(1e-10));
    priorreg::LinearRegression reference;
    reference.fit(d.X, d.y);
    CHECK(ols.coef()(1) + ols.coef()(4) == Approx(reference.coef()(1)).epsilon(1e-10));
    CHECK((ols.predict(X) - reference.predict(d.X)).cwiseAbs().maxCoeff() < 1e-10);
}

TEST_CASE("p >> n OLS interpolates with the minimum-norm coefficients", "[edge]") {
    const auto d = test_support::make_dataset(12, 40, 3, 89);
    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y);
    CHECK(ols.rank() == 12);
    CHECK((ols.predict(d.X) - d.y).cwiseAbs().maxCoeff() < 1e-9);
    // Minimum norm: beta lies in the row space of the centered design.
    const Eigen::MatrixXd centered = d.X.rowwise() - d.X.colwise().mean();
    const Eigen::VectorXd u = centered.transpose().colPivHouseholderQr().solve(ols.coef());
    CHECK((centered.transpose() * u - ols.coef()).norm() < 1e-9 * ols.coef().norm());
}

TEST_CASE("Duplicated columns: Ridge splits the weight equally", "[edge]") {
    auto d = test_support::make_dataset(50, 4, 2, 97);
    Eigen::MatrixXd X(50, 5);
    X << d.X, d.X.col(0);
    priorreg::Ridge ridge(0.05);
    ridge.fit(X, d.y);
    CHECK(ridge.coef()(0) == Approx(ridge.coef()(4)).epsilon(1e-10));
}

TEST_CASE("A non-converging fit reports NoConvergence and keeps a finite iterate", "[edge]") {
    const auto d = test_support::make_dataset(100, 30, 10, 101, 0.9);
    priorreg::Lasso lasso(0.001);
    lasso.set_max_iterations(1).fit(d.X, d.y);
    CHECK(lasso.info() == priorreg::Status::NoConvergence);
    CHECK(lasso.iterations() == 1);
    CHECK(lasso.coef().allFinite());
    CHECK(lasso.duality_gap() > 0);
}

TEST_CASE("Without an intercept the fit goes through the origin", "[edge]") {
    const auto d = test_support::make_dataset(60, 5, 3, 103);
    priorreg::LinearRegression ols;
    ols.set_fit_intercept(false).fit(d.X, d.y);
    CHECK(ols.intercept() == 0.0);
    // Normal equations of the uncentered problem hold: X^T r = 0.
    const Eigen::VectorXd r = d.y - d.X * ols.coef();
    CHECK((d.X.transpose() * r).cwiseAbs().maxCoeff() < 1e-9 * d.y.norm());
    priorreg::Lasso lasso(0.01);
    lasso.set_fit_intercept(false).fit(d.X, d.y);
    CHECK(lasso.intercept() == 0.0);
}
