// The adaptive lasso: gamma = 0 is the model itself; from least squares without
// standardization it does not depend on the columns' units (the weights undo any rescaling);
// its weights are 1/|b|^gamma of the first fit on the penalty's scale; a feature whose first
// coefficient is 0 is excluded; and on a correlated design it drops false positives the Lasso
// keeps.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

TEST_CASE("Adaptive lasso: gamma 0 is the model unchanged", "[adaptive]") {
    const auto d = test_support::make_dataset(80, 10, 4, 921, 0.5);
    priorreg::Lasso lasso(0.05);
    priorreg::AdaptiveOptions options;
    options.gamma = 0;
    const auto adaptive = priorreg::adaptive(lasso, d.X, d.y, options);
    CHECK(adaptive.penalty_factors() == Eigen::VectorXd::Ones(10));
    CHECK(adaptive.excluded_features().empty());
}

TEST_CASE("Adaptive lasso: the weights are 1/|b|^gamma of the first fit on the penalty's scale",
          "[adaptive]") {
    const auto d = test_support::make_dataset(100, 8, 4, 922, 0.4);
    priorreg::Lasso lasso(0.05);
    Eigen::VectorXd own = Eigen::VectorXd::Ones(8);
    own(2) = 0; // unpenalized stays unpenalized
    own(3) = 2; // the model's own factor multiplies
    lasso.set_penalty_factors(own);
    priorreg::AdaptiveOptions options;
    options.gamma = 0.5;
    options.start = priorreg::AdaptiveStart::least_squares;
    const auto adaptive = priorreg::adaptive(lasso, d.X, d.y, options);
    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y);
    const auto s = test_support::column_scaling(d.X, Eigen::VectorXd::Ones(100), true);
    for (Eigen::Index j = 0; j < 8; ++j) {
        INFO("feature " << j);
        const double expected = own(j) / std::sqrt(std::abs(ols.coef()(j) * s.scale(j)));
        CHECK(adaptive.penalty_factors()(j) == Approx(expected).epsilon(1e-10));
    }
}

TEST_CASE("Adaptive lasso from least squares does not depend on the columns' units", "[adaptive]") {
    // Without standardization the Lasso depends on the units; the adaptive weights from an
    // equivariant first fit cancel them: the fitted values are the same.
    const auto d = test_support::make_dataset(120, 8, 4, 923, 0.5);
    Eigen::VectorXd units(8);
    units << 1e-3, 5, 1, 1e4, 0.2, 30, 1, 7e-2;
    const Eigen::MatrixXd rescaled = d.X * units.asDiagonal();
    priorreg::Lasso lasso(0.02);
    lasso.set_standardize(false).set_tolerance(1e-13);
    priorreg::AdaptiveOptions options;
    options.start = priorreg::AdaptiveStart::least_squares;
    auto a = priorreg::adaptive(lasso, d.X, d.y, options);
    auto b = priorreg::adaptive(lasso, rescaled, d.y, options);
    a.fit(d.X, d.y);
    b.fit(rescaled, d.y);
    REQUIRE(a.info() == priorreg::Status::Success);
    REQUIRE(b.info() == priorreg::Status::Success);
    CHECK((a.predict(d.X) - b.predict(rescaled)).cwiseAbs().maxCoeff() <= 1e-6);
    CHECK((a.coef() - units.asDiagonal() * b.coef()).cwiseAbs().maxCoeff() <=
          1e-6 * a.coef().cwiseAbs().maxCoeff());
    // The plain Lasso does depend on them (the test would pass vacuously otherwise).
    priorreg::Lasso plain_a = lasso, plain_b = lasso;
    plain_a.fit(d.X, d.y);
    plain_b.fit(rescaled, d.y);
    CHECK((plain_a.predict(d.X) - plain_b.predict(rescaled)).cwiseAbs().maxCoeff() > 1e-2);
}

TEST_CASE("Adaptive lasso: a first coefficient of 0 excludes the feature, and errors",
          "[adaptive][errors]") {
    auto d = test_support::make_dataset(60, 6, 3, 924);
    d.X.col(4).setConstant(2.5); // held at 0 by every fit
    priorreg::Lasso lasso(0.05);
    const auto adaptive = priorreg::adaptive(lasso, d.X, d.y);
    CHECK(adaptive.excluded_features() == std::vector<Eigen::Index>{4});
    priorreg::AdaptiveOptions options;
    options.gamma = -1;
    CHECK_THROWS_AS(priorreg::adaptive(lasso, d.X, d.y, options), priorreg::InvalidInput);
    const auto wide = test_support::make_dataset(10, 20, 3, 925);
    options.gamma = 1;
    options.start = priorreg::AdaptiveStart::least_squares;
    CHECK_THROWS_AS(priorreg::adaptive(lasso, wide.X, wide.y, options), priorreg::InvalidInput);
}

TEST_CASE("Adaptive lasso drops false positives the Lasso keeps on a correlated design",
          "[adaptive]") {
    // AR(1) rho 0.8, 5 true features of 40, 200 rows: at their CV choices the Lasso keeps
    // extra features; the adaptive lasso (ridge start) keeps fewer, and both keep the true ones.
    const auto d = test_support::make_dataset(200, 40, 5, 926, 0.8);
    priorreg::CrossValidationOptions cv_options;
    cv_options.seed = 5;
    priorreg::Lasso lasso;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> plain(lasso, cv_options);
    plain.fit(d.X, d.y);
    priorreg::AdaptiveOptions options;
    options.cv = cv_options;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> adaptive(
        priorreg::adaptive(lasso, d.X, d.y, options), cv_options);
    adaptive.fit(d.X, d.y);
    const auto false_positives = [&](const Eigen::VectorXd& coef) {
        return (coef.tail(35).array() != 0).count();
    };
    INFO("lasso: " << false_positives(plain.model().coef())
                   << " false positives; adaptive: " << false_positives(adaptive.model().coef()));
    CHECK((adaptive.model().coef().head(5).array() != 0).all());
    CHECK(false_positives(adaptive.model().coef()) < false_positives(plain.model().coef()));
}
