// AIC and BIC along a path against a direct computation, including the p >= n behaviour.
#include <catch2/catch.hpp>

#include <Eigen/Cholesky>
#include <cmath>
#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

TEST_CASE("Degrees of freedom and criteria equal their direct computation", "[ic]") {
    const auto d = test_support::make_dataset(50, 8, 3, 801, 0.4);
    const double n = 50, alpha = 0.5, sigma2 = 1.3;
    priorreg::ElasticNet enet(1.0, alpha);
    priorreg::PathOptions options;
    options.n_lambda = 12;
    const auto path = enet.fit_path(d.X, d.y, options);
    const auto ic = priorreg::information_criteria(path, d.X, d.y, sigma2);
    // Standardized, centered columns (1/n standard deviations).
    const auto s = test_support::column_scaling(d.X, Eigen::VectorXd::Ones(50), true);
    Eigen::MatrixXd Z = d.X.rowwise() - s.mean.transpose();
    Z = Z * s.scale.cwiseInverse().asDiagonal();
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        std::vector<Eigen::Index> active;
        for (Eigen::Index j = 0; j < 8; ++j)
            if (path.coefs()(j, k) != 0)
                active.push_back(j);
        double trace = 1; // intercept
        if (!active.empty()) {
            Eigen::MatrixXd ZS(50, static_cast<Eigen::Index>(active.size()));
            for (std::size_t a = 0; a < active.size(); ++a)
                ZS.col(static_cast<Eigen::Index>(a)) = Z.col(active[a]);
            Eigen::MatrixXd system = ZS.transpose() * ZS;
            system.diagonal().array() += n * path.lambdas()(k) * (1 - alpha);
            trace += (ZS * system.ldlt().solve(ZS.transpose())).trace();
        }
        const Eigen::VectorXd r = d.y - path.predict(d.X).col(k);
        CHECK(ic.degrees_of_freedom(k) == Approx(trace).epsilon(1e-9));
        CHECK(ic.rss(k) == Approx(r.squaredNorm()).epsilon(1e-12));
        const double fit = n * std::log(2 * M_PI * sigma2) + r.squaredNorm() / sigma2;
        CHECK(ic.aic(k) == Approx(fit + 2 * trace).epsilon(1e-12));
        CHECK(ic.bic(k) == Approx(fit + std::log(n) * trace).epsilon(1e-12));
    }
    CHECK(ic.aic(ic.best_aic) == ic.aic.minCoeff());
}

TEST_CASE("Lasso degrees of freedom count nonzeros; the noise variance comes from OLS", "[ic]") {
    const auto d = test_support::make_dataset(60, 10, 3, 803, 0.2);
    priorreg::Lasso lasso(1.0);
    const auto path = lasso.fit_path(d.X, d.y);
    const auto ic = priorreg::information_criteria(path, d.X, d.y);
    for (Eigen::Index k = 0; k < path.size(); ++k)
        CHECK(ic.degrees_of_freedom(k) == static_cast<double>(path.df()(k) + 1));
    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y);
    const double rss = (d.y - ols.predict(d.X)).squaredNorm();
    CHECK(ic.noise_variance == Approx(rss / (60 - 11)).epsilon(1e-10));
    // BIC penalizes size more than AIC: its choice is no larger.
    CHECK(path.df()(ic.best_bic) <= path.df()(ic.best_aic));
}

TEST_CASE("With p >= n the variance is profiled and saturated models are excluded", "[ic]") {
    const auto d = test_support::make_dataset(20, 40, 3, 805);
    priorreg::Lasso lasso(1.0);
    priorreg::PathOptions options;
    options.lambda_min_ratio = 1e-3;
    const auto path = lasso.fit_path(d.X, d.y, options);
    const auto ic = priorreg::information_criteria(path, d.X, d.y);
    CHECK(ic.noise_variance < 0);
    bool saw_saturated = false;
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        if (ic.degrees_of_freedom(k) >= 19) {
            saw_saturated = true;
            CHECK(std::isinf(ic.aic(k)));
        } else {
            const double rss = ic.rss(k);
            CHECK(ic.aic(k) ==
                  Approx(20 * std::log(2 * M_PI * rss / 20) + 20 + 2 * ic.degrees_of_freedom(k))
                      .epsilon(1e-12));
        }
    }
    CHECK(saw_saturated);
    CHECK(std::isfinite(ic.aic(ic.best_aic)));
}
