// A user-defined separable prior plugs into the same solver without touching library code:
// a non-negative Laplace prior (exponential on beta >= 0), whose MAP estimate is the
// non-negative Lasso.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <priorreg/priorreg.hpp>

#include "../examples/non_negative_laplace_prior.hpp"
#include "test_support.hpp"

// The prior lives with the examples, as user code would.

TEST_CASE("A user-defined non-negative Laplace prior gives the non-negative Lasso", "[custom]") {
    auto d = test_support::make_dataset(150, 20, 6, 61, 0.3);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(150);
    const double lambda = 0.02;
    priorreg::MapRegression<NonNegativeLaplacePrior> model(lambda);
    model.set_tolerance(1e-13).fit(d.X, d.y);
    REQUIRE(model.info() == priorreg::Status::Success);
    CHECK((model.coef().array() >= 0).all());
    // KKT of the non-negative lasso: g_j = lambda where b_j > 0, g_j <= lambda where b_j = 0.
    const auto g =
        test_support::standardized_gradient(d.X, d.y, w, true, model.intercept(), model.coef());
    const double scale = std::sqrt(d.y.squaredNorm() / 150);
    for (Eigen::Index j = 0; j < 20; ++j) {
        if (model.coef()(j) > 0)
            CHECK(std::abs(g(j) - lambda) < 1e-6 * scale);
        else
            CHECK(g(j) <= lambda + 1e-6 * scale);
    }
    // Truly negative coefficients are held at zero, truly positive ones are found.
    CHECK(model.coef()(1) == 0.0);
    CHECK(model.coef()(0) > 0.0);
    // Where the unconstrained Lasso is already non-negative, both agree.
    priorreg::Lasso lasso(lambda);
    lasso.set_tolerance(1e-13).fit(d.X, d.y);
    if ((lasso.coef().array() >= 0).all())
        CHECK((lasso.coef() - model.coef()).cwiseAbs().maxCoeff() < 1e-8);
}

TEST_CASE("A user-defined prior works in the MAP form and with log_posterior", "[custom]") {
    auto d = test_support::make_dataset(60, 8, 3, 67, 0.0);
    priorreg::MapRegression<NonNegativeLaplacePrior> model(NonNegativeLaplacePrior{0.1}, 1.0);
    model.set_tolerance(1e-13).fit(d.X, d.y);
    CHECK(model.lambda() == Approx(1.0 / (60 * 0.1)));
    const double at_map = model.log_posterior(d.X, d.y, model.intercept(), model.coef());
    for (Eigen::Index j = 0; j < 8; ++j) {
        Eigen::VectorXd moved = model.coef();
        moved(j) += 1e-3;
        CHECK(model.log_posterior(d.X, d.y, model.intercept(), moved) <= at_map);
    }
}
