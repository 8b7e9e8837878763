// A user-defined separable prior plugs into the same solver without touching library code:
// a non-negative Laplace prior (exponential on beta >= 0), whose MAP estimate is the
// non-negative Lasso; user priors that mimic the shipped ones are solved by their own maths and
// certified; `check_prior` catches inconsistent maths and says which identity fails.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <priorreg/priorreg.hpp>
#include <type_traits>

#include "../examples/non_negative_laplace_prior.hpp"
#include "test_support.hpp"
#include "user_priors.hpp"

// The prior lives with the examples, as user code would.

namespace {

using Weights = priorreg::CoordinatePenalty<double>;

using test_support::UserLaplacePrior;

/// A prior that inherits the elastic-net maths and declares what once claimed a closed form,
/// but whose penalty is l1 |beta| + l2 beta^2 (twice the ridge part): at alpha = 0 its MAP
/// estimate is Ridge at 2 lambda, which only its own maths give.
struct DoubledRidgePrior : priorreg::ElasticNetPenalty {
    using Scalar = double;
    static constexpr bool quadratic_without_l1 = true; // a claim the library does not read
    static constexpr int family = 1;                   // nor this one
    template <class T> static T penalty(T beta, const priorreg::CoordinatePenalty<T>& w) {
        return w.l1 * std::abs(beta) + w.l2 * beta * beta;
    }
    template <class T> static T proximal_step(T z, T c, const priorreg::CoordinatePenalty<T>& w) {
        const T shrunk = std::max(std::abs(z) - w.l1, T(0));
        return (z < T(0) ? -shrunk : shrunk) / (c + T(2) * w.l2);
    }
    template <class T> static T conjugate(T u, const priorreg::CoordinatePenalty<T>& w) {
        const T excess = std::max(std::abs(u) - w.l1, T(0));
        return w.l2 > T(0) ? excess * excess / (T(4) * w.l2) : T(0);
    }
    template <class D> double log_density(const Eigen::MatrixBase<D>& beta) const {
        return -beta.squaredNorm() - 0.5 * static_cast<double>(beta.size()) * std::log(EIGEN_PI);
    }
    priorreg::PenaltyParameters<double> penalty_parameters(double sigma, double n) const {
        return {sigma * sigma / n, 0.0};
    }
};

/// The largest violation of the KKT conditions of the non-negative Lasso with penalty factors
/// pf, in units of the response's spread: with g the gradient with respect to the standardized
/// coefficients, g_j = lambda pf_j where beta_j > 0 and g_j <= lambda pf_j where beta_j = 0.
double non_negative_kkt(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double lambda,
                        const Eigen::VectorXd& pf, double intercept, const Eigen::VectorXd& coef) {
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(X.rows());
    const auto g = test_support::standardized_gradient(X, y, w, true, intercept, coef);
    double worst = 0;
    for (Eigen::Index j = 0; j < coef.size(); ++j) {
        const double bound = lambda * pf(j);
        worst = std::max(worst, coef(j) > 0 ? std::abs(g(j) - bound) : std::max(g(j) - bound, 0.0));
    }
    return worst / std::sqrt((y.array() - y.mean()).square().mean());
}

} // namespace

TEST_CASE("A user-defined non-negative Laplace prior gives the non-negative Lasso", "[custom]") {
    auto d = test_support::make_dataset(150, 20, 6, 61, 0.3);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(150);
    const double lambda = 0.02;
    priorreg::MapRegression<NonNegativeLaplacePrior> model(lambda);
    model.set_tolerance(1e-13).fit(d.X, d.y);
    REQUIRE(model.info() == priorreg::Status::Success);
    CHECK((model.coef().array() >= 0).all());
    CHECK(non_negative_kkt(d.X, d.y, lambda, Eigen::VectorXd::Ones(20), model.intercept(),
                           model.coef()) < 1e-6);
    // Truly negative coefficients are held at zero, truly positive ones are found.
    CHECK(model.coef()(1) == 0.0);
    CHECK(model.coef()(0) > 0.0);
    // Where the unconstrained Lasso is already non-negative, both agree.
    priorreg::Lasso lasso(lambda);
    lasso.set_tolerance(1e-13).fit(d.X, d.y);
    if ((lasso.coef().array() >= 0).all())
        CHECK((lasso.coef() - model.coef()).cwiseAbs().maxCoeff() < 1e-8);
}

TEST_CASE("The non-negative prior with unpenalized coefficients keeps their sign and is certified",
          "[custom][kkt]") {
    // Coefficient 1 is truly negative and unpenalized: its constraint must hold anyway.
    auto d = test_support::make_dataset(200, 12, 6, 71, 0.5);
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(12);
    pf(1) = 0;
    pf(4) = 0;
    pf(7) = 0;
    for (const auto mode : {priorreg::SolverMode::covariance, priorreg::SolverMode::naive}) {
        INFO("mode " << static_cast<int>(mode));
        priorreg::MapRegression<NonNegativeLaplacePrior> model(0.05);
        model.set_penalty_factors(pf).set_solver_mode(mode).set_tolerance(1e-14);
        model.fit(d.X, d.y);
        REQUIRE(model.info() == priorreg::Status::Success);
        CHECK(model.iterations() < 10000);
        CHECK((model.coef().array() >= 0).all());
        CHECK(model.coef()(1) == 0.0);
        CHECK(model.duality_gap() <= 1e-14 * (d.y.array() - d.y.mean()).square().mean());
        CHECK(non_negative_kkt(d.X, d.y, 0.05, pf, model.intercept(), model.coef()) < 1e-9);

        priorreg::PathOptions options;
        options.n_lambda = 25;
        const auto path = model.fit_path(d.X, d.y, options);
        REQUIRE(path.info() == priorreg::Status::Success);
        CHECK((path.coefs().array() >= 0).all());
        const double null_deviance = (d.y.array() - d.y.mean()).square().mean();
        for (Eigen::Index k = 0; k < path.size(); ++k) {
            INFO("lambda index " << k);
            CHECK(path.duality_gaps()(k) <= 1e-14 * null_deviance);
            CHECK(non_negative_kkt(d.X, d.y, path.lambdas()(k), pf, path.intercepts()(k),
                                   path.coefs().col(k)) < 1e-9);
            CHECK(path.model(k).info() == priorreg::Status::Success);
        }
    }
}

TEST_CASE("The non-negative prior with every penalty factor 0 is non-negative least squares",
          "[custom][kkt]") {
    auto d = test_support::make_dataset(120, 8, 4, 73, 0.2);
    const Eigen::VectorXd pf = Eigen::VectorXd::Zero(8);
    priorreg::MapRegression<NonNegativeLaplacePrior> model(0.1);
    model.set_penalty_factors(pf).set_tolerance(1e-14).fit(d.X, d.y);
    REQUIRE(model.info() == priorreg::Status::Success);
    CHECK((model.coef().array() >= 0).all());
    CHECK(non_negative_kkt(d.X, d.y, 0.0, pf, model.intercept(), model.coef()) < 1e-9);
}

TEST_CASE("A user's Laplace prior takes the generic route to the Lasso's answer", "[custom]") {
    auto d = test_support::make_dataset(160, 25, 8, 79, 0.6);
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(25);
    pf(0) = 0;
    pf(5) = 0;
    pf(6) = 0.5;
    for (const auto mode : {priorreg::SolverMode::covariance, priorreg::SolverMode::naive}) {
        priorreg::MapRegression<UserLaplacePrior> user(0.03);
        user.set_penalty_factors(pf).set_solver_mode(mode).set_tolerance(1e-13).fit(d.X, d.y);
        priorreg::Lasso lasso(0.03);
        lasso.set_penalty_factors(pf).set_solver_mode(mode).set_tolerance(1e-13).fit(d.X, d.y);
        REQUIRE(user.info() == priorreg::Status::Success);
        CHECK((user.coef() - lasso.coef()).cwiseAbs().maxCoeff() < 1e-6);
        const auto path = user.fit_path(d.X, d.y);
        REQUIRE(path.info() == priorreg::Status::Success);
        const auto reference = lasso.fit_path(d.X, d.y);
        CHECK((path.coefs() - reference.coefs()).cwiseAbs().maxCoeff() < 1e-4);
    }
    // lambda = 0: the shipped prior is least squares; the user's prior reaches it by descent.
    priorreg::MapRegression<UserLaplacePrior> unpenalized(0.0);
    unpenalized.set_tolerance(1e-14).fit(d.X, d.y);
    REQUIRE(unpenalized.info() == priorreg::Status::Success);
    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y);
    CHECK((unpenalized.coef() - ols.coef()).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("The solvers see the shipped priors as their penalty, and a user's prior as itself",
          "[custom]") {
    using priorreg::detail::solver_prior_t;
    // Gaussian, Laplace and elastic net, of either scalar, share one copy of the solvers ...
    STATIC_REQUIRE(std::is_same_v<solver_prior_t<priorreg::GaussianPrior<float>>,
                                  priorreg::ElasticNetPenalty>);
    STATIC_REQUIRE(
        std::is_same_v<solver_prior_t<priorreg::LaplacePrior<>>, priorreg::ElasticNetPenalty>);
    STATIC_REQUIRE(
        std::is_same_v<solver_prior_t<priorreg::ElasticNetPrior<>>, priorreg::ElasticNetPenalty>);
    STATIC_REQUIRE(std::is_same_v<solver_prior_t<priorreg::FlatPrior<float>>,
                                  solver_prior_t<priorreg::FlatPrior<double>>>);
    // ... with the capabilities of the priors they stand for ...
    STATIC_REQUIRE(
        priorreg::detail::capabilities_v<priorreg::ElasticNetPenalty>.quadratic_without_l1);
    STATIC_REQUIRE(priorreg::detail::capabilities_v<solver_prior_t<priorreg::FlatPrior<>>>.flat);
    // ... while a user's prior built on the same penalty keeps its own members (the next test:
    // its proximal step, not the base's, is the one solved).
    STATIC_REQUIRE(std::is_same_v<solver_prior_t<DoubledRidgePrior>, DoubledRidgePrior>);
    STATIC_REQUIRE(std::is_same_v<solver_prior_t<test_support::UserLaplacePrior>,
                                  test_support::UserLaplacePrior>);
}

TEST_CASE("A user prior that claims a closed form it does not have is solved by its own maths",
          "[custom]") {
    auto d = test_support::make_dataset(100, 15, 5, 83, 0.4);
    priorreg::MapRegression<DoubledRidgePrior> doubled(0.2);
    doubled.set_tolerance(1e-14).fit(d.X, d.y);
    REQUIRE(doubled.info() == priorreg::Status::Success);
    CHECK(doubled.iterations() > 1); // coordinate descent, not the closed form
    priorreg::Ridge twice(0.4), once(0.2);
    twice.fit(d.X, d.y);
    once.fit(d.X, d.y);
    CHECK((doubled.coef() - twice.coef()).cwiseAbs().maxCoeff() < 1e-6);
    CHECK((doubled.coef() - once.coef()).cwiseAbs().maxCoeff() > 1e-2);
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

TEST_CASE("check_prior accepts the shipped priors and the example prior", "[custom][check]") {
    const auto report = [](const priorreg::PriorCheck& check) {
        INFO(check.report());
        CHECK(check.ok());
        CHECK(check.cases > 100);
    };
    report(priorreg::check_prior(priorreg::FlatPrior<>()));
    report(priorreg::check_prior(priorreg::GaussianPrior<>(0.7)));
    report(priorreg::check_prior(priorreg::LaplacePrior<>(2.0)));
    report(priorreg::check_prior(priorreg::ElasticNetPrior<>(0.5, 3.0)));
    report(priorreg::check_prior(priorreg::LaplacePrior<float>(0.5f)));
    report(priorreg::check_prior(NonNegativeLaplacePrior{0.3}));
    report(priorreg::check_prior(UserLaplacePrior{}));
    report(priorreg::check_prior(DoubledRidgePrior{}));
}

namespace {
/// The example prior with one member wrong at a time.
enum class Flaw { none, conjugate, proximal_step, dual_scale, zero_threshold, map_form };

template <Flaw flaw> struct FlawedPrior : NonNegativeLaplacePrior {
    template <class T> T proximal_step(T z, T c, const priorreg::CoordinatePenalty<T>& w) const {
        if constexpr (flaw == Flaw::proximal_step)
            return std::max(z - w.l1, T(0)) / c; // forgets l2
        return NonNegativeLaplacePrior::proximal_step(z, c, w);
    }
    template <class T> T conjugate(T u, const priorreg::CoordinatePenalty<T>& w) const {
        const T value = NonNegativeLaplacePrior::conjugate(u, w);
        return flaw == Flaw::conjugate ? T(2) * value : value;
    }
    template <class T> T dual_scale(T u, const priorreg::CoordinatePenalty<T>& w) const {
        if constexpr (flaw == Flaw::dual_scale)
            return T(1); // as if the conjugate were finite everywhere
        return NonNegativeLaplacePrior::dual_scale(u, w);
    }
    template <class T> T zero_threshold(T g, const priorreg::CoordinatePenalty<T>& w) const {
        if constexpr (flaw == Flaw::zero_threshold)
            return std::abs(g); // the two-sided threshold
        return NonNegativeLaplacePrior::zero_threshold(g, w);
    }
    priorreg::PenaltyParameters<double> penalty_parameters(double sigma, double n) const {
        if constexpr (flaw == Flaw::map_form)
            return {sigma / (n * b), 1.0}; // sigma where sigma^2 belongs
        return NonNegativeLaplacePrior::penalty_parameters(sigma, n);
    }
};

template <Flaw flaw> std::string first_failure() {
    const auto check = priorreg::check_prior(FlawedPrior<flaw>{});
    return check.ok() ? std::string() : check.failures.front();
}
} // namespace

TEST_CASE("check_prior says which identity an inconsistent prior breaks", "[custom][check]") {
    using Catch::Matchers::Contains;
    CHECK(priorreg::check_prior(FlawedPrior<Flaw::none>{}).ok());
    CHECK_THAT(first_failure<Flaw::conjugate>(), Contains("Fenchel-Young"));
    CHECK_THAT(first_failure<Flaw::proximal_step>(), Contains("proximal_step does not minimize"));
    CHECK_THAT(first_failure<Flaw::dual_scale>(),
               Contains("Fenchel-Young fails") && Contains("dual_scale too large"));
    CHECK_THAT(first_failure<Flaw::zero_threshold>(),
               Contains("zero_threshold disagrees with proximal_step"));
    CHECK_THAT(first_failure<Flaw::map_form>(), Contains("log_density disagrees"));
    // Each flaw is reported once, by the identity it breaks.
    CHECK(priorreg::check_prior(FlawedPrior<Flaw::zero_threshold>{}).failures.size() == 1);
}

TEST_CASE("A user prior on a deep path whose whole Gram is formed first", "[prior][custom][path]") {
    // The non-negative Lasso keeps many features at zero even at the bottom of a deep grid, so
    // the whole Gram formed first (past 5e7 multiply-adds, n >= p) holds columns that never
    // enter: the path must still be the one naive mode finds, and non-negative.
    const auto d = test_support::make_dataset(1500, 300, 20, 239, 0.9);
    priorreg::MapRegression<NonNegativeLaplacePrior> model(0.1);
    model.set_tolerance(1e-12);
    priorreg::PathOptions options;
    options.n_lambda = 30;
    options.lambda_min_ratio = 1e-4;
    const auto [gram, naive] = test_support::paths_in_both_modes(model, d.X, d.y, options);
    REQUIRE(gram.size() == naive.size());
    CHECK(gram.info() == priorreg::Status::Success);
    CHECK(gram.coefs().minCoeff() >= 0.0);
    CHECK((gram.coefs() - naive.coefs()).cwiseAbs().maxCoeff() < 1e-5);
    const Eigen::VectorXd pf = Eigen::VectorXd::Ones(d.X.cols());
    for (Eigen::Index k = 0; k < gram.size(); ++k)
        CHECK(non_negative_kkt(d.X, d.y, gram.lambdas()(k), pf, gram.intercepts()(k),
                               gram.coefs().col(k)) < 1e-5);
}
