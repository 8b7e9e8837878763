// Prior policies: normalized densities, the (lambda, alpha) each implies, and the inverse maps.
#include <catch2/catch.hpp>

#include <cmath>
#include <priorreg/priorreg.hpp>

namespace {

/// Integral of exp(log_density) over [-limit, limit] by the composite Simpson rule.
template <class Prior>
double integrate_density(const Prior& prior, double limit, int intervals = 200000) {
    const double h = 2 * limit / intervals;
    double sum = 0;
    Eigen::Matrix<double, 1, 1> beta;
    for (int k = 0; k <= intervals; ++k) {
        beta(0) = -limit + k * h;
        const double f = std::exp(prior.log_density(beta));
        sum += f * (k == 0 || k == intervals ? 1 : (k % 2 == 1 ? 4 : 2));
    }
    return sum * h / 3;
}

} // namespace

TEST_CASE("Prior densities integrate to one", "[priors]") {
    CHECK(integrate_density(priorreg::GaussianPrior<>(0.7), 12.0) == Approx(1.0).epsilon(1e-9));
    CHECK(integrate_density(priorreg::LaplacePrior<>(1.3), 60.0) == Approx(1.0).epsilon(1e-9));
    CHECK(integrate_density(priorreg::ElasticNetPrior<>(0.8, 0.5), 20.0) ==
          Approx(1.0).epsilon(1e-9));
    // Laplace-dominated product: tau / (b sqrt 2) = 28 uses the asymptotic normalizer.
    CHECK(integrate_density(priorreg::ElasticNetPrior<>(40.0, 1.0 / std::sqrt(2.0) * 40.0 / 28.0),
                            60.0) == Approx(1.0).epsilon(1e-9));
    CHECK(integrate_density(priorreg::ElasticNetPrior<>(0.05, 20.0), 1.0) ==
          Approx(1.0).epsilon(1e-9));
}

TEST_CASE("A vector's log density is the sum over its coordinates", "[priors]") {
    const priorreg::ElasticNetPrior<> prior(0.9, 0.4);
    Eigen::Vector3d beta(0.3, -1.2, 0.0);
    double sum = 0;
    for (int j = 0; j < 3; ++j)
        sum += prior.log_density(beta.segment<1>(j));
    CHECK(prior.log_density(beta) == Approx(sum).epsilon(1e-14));
    CHECK(priorreg::FlatPrior<>().log_density(beta) == 0.0);
}

TEST_CASE("Each prior implies the documented (lambda, alpha)", "[priors]") {
    const double sigma = 1.7, n = 250, tau = 0.6, b = 0.35;
    const auto gaussian = priorreg::GaussianPrior<>(tau).penalty_parameters(sigma, n);
    CHECK(gaussian.lambda == Approx(sigma * sigma / (n * tau * tau)));
    CHECK(gaussian.alpha == 0.0);
    const auto laplace = priorreg::LaplacePrior<>(b).penalty_parameters(sigma, n);
    CHECK(laplace.lambda == Approx(sigma * sigma / (n * b)));
    CHECK(laplace.alpha == 1.0);
    const auto both = priorreg::ElasticNetPrior<>(tau, b).penalty_parameters(sigma, n);
    // lambda (1 - alpha) and lambda alpha are the Gaussian and Laplace rates times sigma^2 / n.
    CHECK(both.lambda * (1 - both.alpha) == Approx(gaussian.lambda));
    CHECK(both.lambda * both.alpha == Approx(laplace.lambda));
    CHECK(priorreg::FlatPrior<>().penalty_parameters(sigma, n).lambda == 0.0);
}

TEST_CASE("from_penalty inverts penalty_parameters", "[priors]") {
    const double sigma = 0.8, n = 120;
    const auto g = priorreg::GaussianPrior<>::from_penalty(0.03, sigma, n);
    CHECK(g.penalty_parameters(sigma, n).lambda == Approx(0.03));
    const auto l = priorreg::LaplacePrior<>::from_penalty(0.03, sigma, n);
    CHECK(l.penalty_parameters(sigma, n).lambda == Approx(0.03));
    const auto e = priorreg::ElasticNetPrior<>::from_penalty(0.03, 0.25, sigma, n);
    CHECK(e.penalty_parameters(sigma, n).lambda == Approx(0.03));
    CHECK(e.penalty_parameters(sigma, n).alpha == Approx(0.25));
}

TEST_CASE("The elastic-net proximal step minimizes its one-coordinate problem", "[priors]") {
    const priorreg::ElasticNetPrior<> prior;
    for (const double z : {-3.0, -0.4, 0.0, 0.2, 2.5}) {
        const double c = 1.3;
        const priorreg::CoordinatePenalty<double> w{0.5, 0.7, 0};
        const double step = prior.proximal_step(z, c, w);
        auto f = [&](double beta) {
            return 0.5 * c * beta * beta - z * beta + prior.penalty(beta, w);
        };
        for (const double delta : {-1e-3, 1e-3, -0.1, 0.1})
            CHECK(f(step) <= f(step + delta));
    }
}
