// Excluded features (glmnet's `exclude`): a fit, a path and cross-validation with features
// excluded are those on the other columns alone, with zeros in the excluded places, for every
// route (least squares, closed-form ridge in its Gram, kernel and design forms, the ridge path,
// coordinate descent in both modes, a user's prior).
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"
#include "user_priors.hpp"

namespace {

const std::vector<Eigen::Index> excluded_features{1, 4, 5};

/// X without the excluded columns.
Eigen::MatrixXd kept_columns(const Eigen::MatrixXd& X) {
    Eigen::MatrixXd kept(X.rows(), X.cols() - static_cast<Eigen::Index>(excluded_features.size()));
    for (Eigen::Index j = 0, k = 0; j < X.cols(); ++j)
        if (std::find(excluded_features.begin(), excluded_features.end(), j) ==
            excluded_features.end())
            kept.col(k++) = X.col(j);
    return kept;
}

/// The excluded places are 0, and the rest equals `reduced` to `tolerance` (relative).
void check_expanded(const Eigen::VectorXd& full, const Eigen::VectorXd& reduced, double tolerance) {
    REQUIRE(full.size() == reduced.size() + static_cast<Eigen::Index>(excluded_features.size()));
    const double scale = std::max(reduced.cwiseAbs().maxCoeff(), 1e-300);
    for (Eigen::Index j = 0, k = 0; j < full.size(); ++j) {
        INFO("feature " << j);
        if (std::find(excluded_features.begin(), excluded_features.end(), j) !=
            excluded_features.end()) {
            CHECK(full(j) == 0.0);
        } else {
            CHECK(std::abs(full(j) - reduced(k)) <= tolerance * scale);
            ++k;
        }
    }
}

template <class Model>
void check_fit(Model model, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double tolerance) {
    Model reduced = model;
    model.set_excluded_features(excluded_features);
    model.fit(X, y);
    reduced.fit(kept_columns(X), y);
    REQUIRE(model.info() == priorreg::Status::Success);
    REQUIRE(reduced.info() == priorreg::Status::Success);
    check_expanded(model.coef(), reduced.coef(), tolerance);
    CHECK(model.intercept() == Approx(reduced.intercept()).epsilon(tolerance).margin(1e-12));
}

template <class Model>
void check_path(Model model, const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double tolerance) {
    Model reduced = model;
    model.set_excluded_features(excluded_features);
    priorreg::PathOptions options;
    options.n_lambda = 25;
    const auto path = model.fit_path(X, y, options);
    const auto reference = reduced.fit_path(kept_columns(X), y, options);
    REQUIRE(path.info() == priorreg::Status::Success);
    REQUIRE(path.size() == reference.size());
    // The excluded features take no part in lambda_max: the grids are the same.
    CHECK((path.lambdas() - reference.lambdas()).cwiseAbs().maxCoeff() <=
          1e-12 * reference.lambdas()(0));
    for (Eigen::Index k = 0; k < path.size(); k += 6) {
        INFO("lambda index " << k);
        check_expanded(path.coefs().col(k), reference.coefs().col(k), tolerance);
    }
    // An exact lookup between grid points keeps them out too.
    const double between = std::sqrt(path.lambdas()(10) * path.lambdas()(11));
    check_expanded(path.coef_at(between), reference.coef_at(between), tolerance);
}

} // namespace

TEST_CASE("Excluded features: single fits equal fits on the other columns", "[exclude]") {
    const auto tall = test_support::make_dataset(120, 12, 5, 901, 0.6);
    const auto wide = test_support::make_dataset(30, 60, 5, 902, 0.6);
    SECTION("least squares") {
        check_fit(priorreg::LinearRegression(), tall.X, tall.y, 1e-10);
    }
    SECTION("Lasso at lambda 0 is least squares") {
        check_fit(priorreg::Lasso(0.0), tall.X, tall.y, 1e-10);
    }
    SECTION("ridge, n > p (Gram form)") {
        check_fit(priorreg::Ridge(0.3), tall.X, tall.y, 1e-9);
    }
    SECTION("ridge, p > n (design form in place of the kernel)") {
        check_fit(priorreg::Ridge(0.3), wide.X, wide.y, 1e-9);
    }
    SECTION("Lasso and elastic net, both modes") {
        priorreg::Lasso lasso(0.05);
        lasso.set_tolerance(1e-12);
        check_fit(lasso, tall.X, tall.y, 1e-6);
        check_fit(lasso, wide.X, wide.y, 1e-6);
        priorreg::ElasticNet enet(0.05, 0.4);
        enet.set_tolerance(1e-12).set_solver_mode(priorreg::SolverMode::covariance);
        check_fit(enet, wide.X, wide.y, 1e-6);
        enet.set_solver_mode(priorreg::SolverMode::naive);
        check_fit(enet, tall.X, tall.y, 1e-6);
    }
    SECTION("a user's prior") {
        priorreg::MapRegression<test_support::UserLaplacePrior> user(0.05);
        user.set_tolerance(1e-12);
        check_fit(user, tall.X, tall.y, 1e-6);
    }
}

TEST_CASE("Excluded features: paths equal paths on the other columns", "[exclude][path]") {
    const auto tall = test_support::make_dataset(120, 12, 5, 903, 0.7);
    const auto wide = test_support::make_dataset(30, 60, 5, 904, 0.7);
    priorreg::Lasso lasso(1.0);
    lasso.set_tolerance(1e-12);
    check_path(lasso, tall.X, tall.y, 1e-6);
    check_path(lasso, wide.X, wide.y, 1e-6);
    priorreg::ElasticNet enet(1.0, 0.5);
    enet.set_tolerance(1e-12);
    check_path(enet, wide.X, wide.y, 1e-6);
    check_path(priorreg::Ridge(1.0), tall.X, tall.y, 1e-8); // the closed-form ridge path
}

TEST_CASE("Excluded features: cross-validation equals CV on the other columns", "[exclude][cv]") {
    const auto d = test_support::make_dataset(90, 15, 4, 905, 0.5);
    priorreg::CrossValidationOptions options;
    options.folds = 5;
    options.seed = 3;
    options.path.n_lambda = 30;
    priorreg::Lasso lasso(1.0);
    lasso.set_tolerance(1e-12);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> reduced(lasso, options);
    reduced.fit(kept_columns(d.X), d.y);
    lasso.set_excluded_features(excluded_features);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
    cv.fit(d.X, d.y);
    CHECK((cv.mean_errors() - reduced.mean_errors()).cwiseAbs().maxCoeff() <=
          1e-8 * reduced.mean_errors().maxCoeff());
    CHECK(cv.lambda_min() == Approx(reduced.lambda_min()).epsilon(1e-12));
    check_expanded(cv.model().coef(), reduced.model().coef(), 1e-6);
}

TEST_CASE("Excluded features: bad indices are refused", "[exclude][errors]") {
    const auto d = test_support::make_dataset(40, 6, 2, 906);
    priorreg::Lasso lasso(0.1);
    CHECK_THROWS_AS(lasso.set_excluded_features({-1}), priorreg::InvalidInput);
    lasso.set_excluded_features({2, 6});
    CHECK_THROWS_AS(lasso.fit(d.X, d.y), priorreg::InvalidInput);
    CHECK_THROWS_AS(lasso.fit_path(d.X, d.y), priorreg::InvalidInput);
    lasso.set_excluded_features({5, 2, 2});
    CHECK(lasso.excluded_features() == std::vector<Eigen::Index>{2, 5});
    lasso.fit(d.X, d.y);
    CHECK(lasso.coef()(2) == 0.0);
    CHECK(lasso.coef()(5) == 0.0);
    // Every feature excluded: the intercept-only model, by least squares too.
    priorreg::LinearRegression ols;
    ols.set_excluded_features({0, 1, 2, 3, 4, 5}).fit(d.X, d.y);
    CHECK(ols.coef().isZero(0.0));
    CHECK(ols.intercept() == Approx(d.y.mean()).epsilon(1e-12));
    CHECK(ols.rank() == 1);
}

TEST_CASE("Least-squares inference refuses a model with excluded features", "[exclude][input]") {
    const auto d = test_support::make_dataset(50, 6, 3, 906, 0.5);
    priorreg::LinearRegression ols;
    ols.set_excluded_features({2}).fit(d.X, d.y);
    CHECK(ols.coef()(2) == 0.0);
    CHECK_THROWS_AS(ols.summary(d.X, d.y), std::logic_error);
    ols.set_excluded_features({}).fit(d.X, d.y);
    CHECK_NOTHROW(ols.summary(d.X, d.y));
}

TEST_CASE("bracket_on_grid refuses a NaN lambda", "[exclude][path][input]") {
    const Eigen::VectorXd grid = (Eigen::VectorXd(3) << 1.0, 0.5, 0.1).finished();
    CHECK_THROWS_AS(priorreg::bracket_on_grid(grid, std::nan("")), priorreg::InvalidInput);
    const auto inside = priorreg::bracket_on_grid(grid, 0.3);
    CHECK(inside.upper == 1);
    CHECK(inside.share == Approx(0.5));
}
