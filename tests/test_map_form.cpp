// The MAP form: a prior scale and sigma give the same fit as the penalty form, and the fit
// maximizes the log posterior.
#include <catch2/catch.hpp>

#include <priorreg/priorreg.hpp>
#include <random>

#include "test_support.hpp"

TEST_CASE("MAP form equals penalty form", "[map]") {
    const auto d = test_support::make_dataset(90, 15, 4, 7, 0.4);
    const double n = 90, sigma = 1.3, tau = 0.5, b = 0.2;

    priorreg::Ridge ridge_map(priorreg::GaussianPrior<>(tau), sigma);
    ridge_map.fit(d.X, d.y);
    priorreg::Ridge ridge_penalty(sigma * sigma / (n * tau * tau));
    ridge_penalty.fit(d.X, d.y);
    CHECK(ridge_map.lambda() == Approx(sigma * sigma / (n * tau * tau)).epsilon(1e-15));
    CHECK((ridge_map.coef() - ridge_penalty.coef()).cwiseAbs().maxCoeff() < 1e-10);

    priorreg::Lasso lasso_map(priorreg::LaplacePrior<>(b), sigma);
    lasso_map.set_tolerance(1e-12).fit(d.X, d.y);
    priorreg::Lasso lasso_penalty(sigma * sigma / (n * b));
    lasso_penalty.set_tolerance(1e-12).fit(d.X, d.y);
    CHECK((lasso_map.coef() - lasso_penalty.coef()).cwiseAbs().maxCoeff() < 1e-10);

    priorreg::ElasticNet enet_map(priorreg::ElasticNetPrior<>(tau, b), sigma);
    enet_map.set_tolerance(1e-12).fit(d.X, d.y);
    const double l2_rate = 1 / (tau * tau), l1_rate = 1 / b;
    priorreg::ElasticNet enet_penalty(sigma * sigma / n * (l2_rate + l1_rate),
                                      l1_rate / (l2_rate + l1_rate));
    enet_penalty.set_tolerance(1e-12).fit(d.X, d.y);
    CHECK(enet_map.alpha() == Approx(enet_penalty.alpha()).epsilon(1e-15));
    CHECK((enet_map.coef() - enet_penalty.coef()).cwiseAbs().maxCoeff() < 1e-10);
}

TEST_CASE("The MAP fit maximizes the log posterior", "[map]") {
    const auto d = test_support::make_dataset(70, 12, 4, 13, 0.5);
    std::mt19937_64 rng(99);
    std::normal_distribution<double> normal;
    auto check_maximum = [&](auto model, double step) {
        model.set_tolerance(1e-14).fit(d.X, d.y);
        const double at_map = model.log_posterior(d.X, d.y, model.intercept(), model.coef());
        for (int trial = 0; trial < 200; ++trial) {
            Eigen::VectorXd coef = model.coef();
            for (Eigen::Index j = 0; j < coef.size(); ++j)
                coef(j) += step * normal(rng);
            const double intercept = model.intercept() + step * normal(rng);
            CHECK(model.log_posterior(d.X, d.y, intercept, coef) <= at_map);
        }
        // Single-coordinate moves, including off zero for the sparse priors.
        for (Eigen::Index j = 0; j < model.coef().size(); ++j) {
            for (const double delta : {-1e-4, 1e-4}) {
                Eigen::VectorXd coef = model.coef();
                coef(j) += delta;
                CHECK(model.log_posterior(d.X, d.y, model.intercept(), coef) <= at_map + 1e-9);
            }
        }
    };
    for (const double step : {1e-3, 1e-1}) {
        check_maximum(priorreg::Ridge(priorreg::GaussianPrior<>(0.3), 1.0), step);
        check_maximum(priorreg::Lasso(priorreg::LaplacePrior<>(0.05), 1.0), step);
        check_maximum(priorreg::ElasticNet(priorreg::ElasticNetPrior<>(0.4, 0.1), 1.0), step);
        check_maximum(priorreg::LinearRegression(priorreg::FlatPrior<>(), 1.0), step);
    }
}

TEST_CASE("The weighted log posterior counts weights as observations", "[map]") {
    const auto d = test_support::make_dataset(20, 4, 2, 3, 0.0);
    priorreg::Ridge model(priorreg::GaussianPrior<>(0.5), 1.2);
    model.fit(d.X, d.y);
    const Eigen::VectorXd twos = Eigen::VectorXd::Constant(20, 2.0);
    Eigen::MatrixXd X2(40, 4);
    X2 << d.X, d.X;
    Eigen::VectorXd y2(40);
    y2 << d.y, d.y;
    CHECK(model.log_posterior(d.X, d.y, twos, model.intercept(), model.coef()) ==
          Approx(model.log_posterior(X2, y2, model.intercept(), model.coef())).epsilon(1e-12));
}
