// Regularization paths: agreement with single fits, KKT at every lambda, caught strong-rule
// misses, covariance = naive, thread-count invariance, float paths.
#include <catch2/catch.hpp>

#include <random>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

using test_support::make_dataset;

namespace {

/// Largest violation of the elastic-net KKT conditions at one lambda, in gradient units.
double path_kkt_violation(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double lambda,
                          double alpha, double intercept, const Eigen::VectorXd& coef) {
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(X.rows());
    const auto g = test_support::standardized_gradient(X, y, w, true, intercept, coef);
    const auto s = test_support::column_scaling(X, w, true);
    double worst = 0;
    for (Eigen::Index j = 0; j < coef.size(); ++j) {
        const double b = coef(j) * s.scale(j);
        const double l1 = lambda * alpha, l2 = lambda * (1 - alpha);
        worst = std::max(worst, b != 0 ? std::abs(g(j) - l2 * b - l1 * (b > 0 ? 1 : -1))
                                       : std::max(std::abs(g(j)) - l1, 0.0));
    }
    return worst;
}

template <class PathType>
void check_kkt_along(const PathType& path, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                     double alpha, double relative) {
    REQUIRE(path.info() == priorreg::Status::Success);
    const double scale = std::sqrt((y.array() - y.mean()).square().mean());
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        INFO("lambda index " << k << " of " << path.size());
        CHECK(path_kkt_violation(X, y, path.lambdas()(k), alpha, path.intercepts()(k),
                                 path.coefs().col(k)) < relative * scale);
    }
}

} // namespace

TEST_CASE("The path starts at lambda_max with all zeros and is decreasing", "[path]") {
    const auto d = make_dataset(100, 30, 5, 201, 0.3);
    priorreg::Lasso lasso(1.0);
    const auto path = lasso.fit_path(d.X, d.y);
    REQUIRE(path.size() == 100);
    CHECK(path.coefs().col(0).isZero(0.0));
    CHECK(path.df()(0) == 0);
    CHECK(path.df()(1) >= 1);
    CHECK(path.intercepts()(0) == Approx(d.y.mean()).epsilon(1e-12));
    for (Eigen::Index k = 1; k < path.size(); ++k) {
        CHECK(path.lambdas()(k) < path.lambdas()(k - 1));
        CHECK(path.dev_ratio()(k) >= path.dev_ratio()(k - 1) - 1e-9);
    }
    // n > p: the smallest lambda is 1e-4 of the largest.
    CHECK(path.lambdas()(99) == Approx(1e-4 * path.lambdas()(0)).epsilon(1e-10));
    const auto wide = make_dataset(20, 50, 5, 203);
    CHECK(lasso.fit_path(wide.X, wide.y).lambdas()(99) ==
          Approx(1e-2 * lasso.fit_path(wide.X, wide.y).lambdas()(0)).epsilon(1e-10));
}

TEST_CASE("Path solutions equal single fits at the same lambda", "[path]") {
    const auto d = make_dataset(120, 40, 6, 207, 0.5);
    for (const double alpha : {1.0, 0.5}) {
        priorreg::ElasticNet model(1.0, alpha);
        model.set_tolerance(1e-12);
        priorreg::PathOptions options;
        options.n_lambda = 30;
        const auto path = model.fit_path(d.X, d.y, options);
        for (const Eigen::Index k : {Eigen::Index(3), Eigen::Index(12), Eigen::Index(29)}) {
            priorreg::ElasticNet single(path.lambdas()(k), alpha);
            single.set_tolerance(1e-12).fit(d.X, d.y);
            CHECK((single.coef() - path.coefs().col(k)).cwiseAbs().maxCoeff() < 1e-5);
            CHECK(std::abs(single.intercept() - path.intercepts()(k)) < 1e-5);
            // model(k) is that solution as a fitted estimator.
            const auto at_k = path.model(k);
            CHECK(at_k.lambda() == path.lambdas()(k));
            CHECK((at_k.predict(d.X) - path.predict(d.X).col(k)).cwiseAbs().maxCoeff() < 1e-12);
        }
    }
}

TEST_CASE("KKT holds at every lambda, n > p, p >> n and strongly correlated", "[path][kkt]") {
    SECTION("n > p (covariance mode)") {
        const auto d = make_dataset(300, 50, 8, 211, 0.2);
        priorreg::Lasso lasso(1.0);
        check_kkt_along(lasso.set_tolerance(1e-10).fit_path(d.X, d.y), d.X, d.y, 1.0, 1e-4);
    }
    SECTION("p >> n (naive mode)") {
        const auto d = make_dataset(40, 400, 10, 213, 0.0);
        priorreg::ElasticNet enet(1.0, 0.7);
        check_kkt_along(enet.set_tolerance(1e-10).fit_path(d.X, d.y), d.X, d.y, 0.7, 1e-4);
    }
    SECTION("Toeplitz 0.95") {
        const auto d = make_dataset(100, 150, 20, 217, 0.95);
        priorreg::Lasso lasso(1.0);
        check_kkt_along(lasso.set_tolerance(1e-10).fit_path(d.X, d.y), d.X, d.y, 1.0, 1e-4);
    }
}

TEST_CASE("A feature the strong rule discards but that must enter is caught", "[path][kkt]") {
    // Found by search: on this correlated design with a coarse grid, the sequential strong
    // rule screens out a feature whose KKT condition then fails; the check must add it.
    const auto d = make_dataset(60, 40, 20, 29, 0.9);
    priorreg::Lasso lasso(1.0);
    priorreg::PathOptions options;
    options.n_lambda = 20;
    options.lambda_min_ratio = 0.01;
    const auto path = lasso.set_tolerance(1e-10).fit_path(d.X, d.y, options);
    CHECK(path.strong_rule_violations() >= 1);
    check_kkt_along(path, d.X, d.y, 1.0, 1e-4);
}

TEST_CASE("Covariance and naive modes give the same path", "[path]") {
    const auto d = make_dataset(200, 30, 6, 219, 0.6);
    priorreg::ElasticNet model(1.0, 0.8);
    model.set_tolerance(1e-12);
    const auto gram = model.set_solver_mode(priorreg::SolverMode::covariance).fit_path(d.X, d.y);
    const auto naive = model.set_solver_mode(priorreg::SolverMode::naive).fit_path(d.X, d.y);
    REQUIRE(gram.size() == naive.size());
    CHECK((gram.lambdas() - naive.lambdas()).cwiseAbs().maxCoeff() < 1e-14);
    CHECK((gram.coefs() - naive.coefs()).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("A deep path that forms its whole Gram first gives the naive path", "[path]") {
    // 1500 x 300 is past the 5e7 multiply-adds from which covariance mode forms the whole Gram
    // before a grid three decades deep (the default for n > p); a grid of two decades builds it
    // a block at a time. Both must give the path that naive mode (no Gram) gives.
    const auto d = make_dataset(1500, 300, 20, 233, 0.9);
    priorreg::ElasticNet model(1.0, 0.5);
    model.set_tolerance(1e-12);
    for (const double ratio : {1e-4, 1e-2}) {
        priorreg::PathOptions options;
        options.n_lambda = 40;
        options.lambda_min_ratio = ratio;
        const auto [gram, naive] = test_support::paths_in_both_modes(model, d.X, d.y, options);
        REQUIRE(gram.size() == naive.size());
        CHECK(gram.info() == priorreg::Status::Success);
        CHECK((gram.lambdas() - naive.lambdas()).cwiseAbs().maxCoeff() < 1e-14);
        CHECK((gram.coefs() - naive.coefs()).cwiseAbs().maxCoeff() < 1e-5);
        check_kkt_along(gram, d.X, d.y, 0.5, 1e-4);
    }
    const auto one =
        model.set_solver_mode(priorreg::SolverMode::covariance).set_threads(1).fit_path(d.X, d.y);
    const auto two = model.set_threads(2).fit_path(d.X, d.y);
    CHECK((one.coefs() - two.coefs()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("The thread count does not change the path", "[path][threads]") {
    const auto d = make_dataset(80, 3000, 15, 223, 0.3); // large enough to split the gradient
    priorreg::Lasso lasso(1.0);
    priorreg::PathOptions options;
    options.n_lambda = 20;
    const auto one = lasso.set_threads(1).fit_path(d.X, d.y, options);
    const auto two = lasso.set_threads(2).fit_path(d.X, d.y, options);
    CHECK((one.coefs() - two.coefs()).cwiseAbs().maxCoeff() < 1e-12);
    const auto tall = make_dataset(3000, 60, 10, 227, 0.3); // splits the Gram blocks
    const auto g1 = lasso.set_threads(1).fit_path(tall.X, tall.y, options);
    const auto g2 = lasso.set_threads(2).fit_path(tall.X, tall.y, options);
    CHECK((g1.coefs() - g2.coefs()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("Weighted paths and penalty factors", "[path]") {
    const auto d = make_dataset(90, 20, 5, 229, 0.4);
    Eigen::VectorXd w = Eigen::VectorXd::Ones(90);
    w.head(30).setConstant(3.0);
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(20);
    pf(10) = 0.0; // always in the model
    priorreg::Lasso lasso(1.0);
    lasso.set_penalty_factors(pf).set_tolerance(1e-12);
    priorreg::PathOptions options;
    options.n_lambda = 10;
    const auto path = lasso.fit_path(d.X, d.y, w, options);
    CHECK(path.coefs()(10, 0) != 0.0);
    for (Eigen::Index j = 0; j < 20; ++j)
        if (j != 10)
            CHECK(path.coefs()(j, 0) == 0.0);
    priorreg::Lasso single(path.lambdas()(6));
    single.set_penalty_factors(pf).set_tolerance(1e-12).fit(d.X, d.y, w);
    CHECK((single.coef() - path.coefs().col(6)).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("A float path matches the double path", "[path][float]") {
    const auto d = make_dataset(150, 25, 5, 233, 0.3);
    priorreg::MapRegression<priorreg::LaplacePrior<float>> lasso_f(1.0f);
    priorreg::PathOptions options;
    options.n_lambda = 15;
    const auto pf = lasso_f.fit_path(d.X.cast<float>().eval(), d.y.cast<float>().eval(), options);
    priorreg::Lasso lasso_d(1.0);
    const auto pd = lasso_d.fit_path(d.X.cast<float>().cast<double>().eval(),
                                     d.y.cast<float>().cast<double>().eval(), options);
    REQUIRE(pf.info() == priorreg::Status::Success);
    CHECK((pf.coefs().cast<double>() - pd.coefs()).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("Path options are validated", "[path][errors]") {
    const auto d = make_dataset(30, 5, 2, 239);
    priorreg::Lasso lasso(1.0);
    priorreg::PathOptions options;
    options.lambdas = {0.5, 0.2, 0.3};
    CHECK_THROWS_AS(lasso.fit_path(d.X, d.y, options), std::invalid_argument);
    options.lambdas = {0.5, -0.1};
    CHECK_THROWS_AS(lasso.fit_path(d.X, d.y, options), std::invalid_argument);
    options.lambdas.clear();
    options.n_lambda = 0;
    CHECK_THROWS_AS(lasso.fit_path(d.X, d.y, options), std::invalid_argument);
    options.n_lambda = 10;
    options.lambda_min_ratio = 1.5;
    CHECK_THROWS_AS(lasso.fit_path(d.X, d.y, options), std::invalid_argument);
}

TEST_CASE("A ridge path starts where alpha = 0.001 would be all zero", "[path]") {
    const auto d = make_dataset(50, 10, 3, 241);
    priorreg::ElasticNet ridge_like(1.0, 0.0);
    priorreg::ElasticNet nearly(1.0, 0.001);
    const auto a = ridge_like.fit_path(d.X, d.y);
    const auto b = nearly.fit_path(d.X, d.y);
    CHECK(a.lambdas()(0) == Approx(b.lambdas()(0)).epsilon(1e-12));
    // The ridge solution at lambda_max shrinks but does not zero.
    CHECK(a.df()(0) == 10);
}

TEST_CASE("The path progress callback reports each lambda and can stop the path", "[path]") {
    const auto d = make_dataset(60, 12, 3, 251);
    priorreg::Lasso lasso(1.0);
    priorreg::PathOptions options;
    options.n_lambda = 20;
    std::vector<Eigen::Index> seen;
    options.progress = [&](Eigen::Index k) {
        seen.push_back(k);
        return k < 4;
    };
    const auto path = lasso.fit_path(d.X, d.y, options);
    CHECK(path.size() == 5);
    CHECK(seen == std::vector<Eigen::Index>{0, 1, 2, 3, 4});
    priorreg::PathOptions uninterrupted;
    uninterrupted.n_lambda = 20;
    const auto full = lasso.fit_path(d.X, d.y, uninterrupted);
    CHECK((path.lambdas() - full.lambdas().head(5)).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("Naive mode screens the KKT check and its gaps still certify", "[path][kkt]") {
    // p >> n: outside the working set the gradient of the last full pass, with the
    // Cauchy-Schwarz bound on how far the residual has moved since, settles most KKT checks;
    // a full pass over the data is the exception, and every reported gap (an upper bound
    // built from those intervals) still bounds the true suboptimality.
    const auto d = make_dataset(60, 3000, 12, 229, 0.0);
    priorreg::Lasso lasso(1.0);
    lasso.set_solver_mode(priorreg::SolverMode::naive);
    const auto path = lasso.fit_path(d.X, d.y);
    REQUIRE(path.info() == priorreg::Status::Success);
    CHECK(path.gradient_evaluations() < path.size() / 2);
    check_kkt_along(path, d.X, d.y, 1.0, 1e-3);

    priorreg::Lasso tight(1.0);
    tight.set_tolerance(1e-13);
    priorreg::PathOptions options;
    options.lambdas.assign(path.lambdas().begin(), path.lambdas().begin() + path.size());
    const auto best = tight.fit_path(d.X, d.y, options);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    const Eigen::VectorXd pf = Eigen::VectorXd::Ones(d.X.cols());
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        INFO("lambda index " << k);
        const double lambda = path.lambdas()(k);
        const double value = test_support::objective(d.X, d.y, w, lambda, 1.0, pf, true,
                                                     path.intercepts()(k), path.coefs().col(k));
        const double optimum = test_support::objective(d.X, d.y, w, lambda, 1.0, pf, true,
                                                       best.intercepts()(k), best.coefs().col(k));
        CHECK(value - optimum <= path.duality_gaps()(k) + 1e-13 * std::abs(optimum));
    }
}

TEST_CASE("The working-set Gram gives way to the residual when the working set outgrows it",
          "[path]") {
    // alpha = 0.05 on 25 rows and 300 columns: far more than 2n features become nonzero, past
    // the size where naive mode keeps a Gram of its working set. Both regimes must agree with
    // the covariance mode.
    const auto d = make_dataset(25, 300, 10, 231, 0.3);
    priorreg::ElasticNet model(1.0, 0.05);
    model.set_tolerance(1e-12);
    priorreg::PathOptions options;
    options.n_lambda = 30;
    const auto naive =
        model.set_solver_mode(priorreg::SolverMode::naive).fit_path(d.X, d.y, options);
    const auto gram =
        model.set_solver_mode(priorreg::SolverMode::covariance).fit_path(d.X, d.y, options);
    REQUIRE(naive.size() == gram.size());
    CHECK(naive.df()(naive.size() - 1) > 2 * d.X.rows());
    // Weakly convex at small lambda: compare objectives (certified to 1e-12 of the null
    // deviance), not coefficients.
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    const Eigen::VectorXd pf = Eigen::VectorXd::Ones(d.X.cols());
    const double null_deviance = (d.y.array() - d.y.mean()).square().mean();
    for (Eigen::Index k = 0; k < naive.size(); ++k) {
        const double lambda = naive.lambdas()(k);
        const double a = test_support::objective(d.X, d.y, w, lambda, 0.05, pf, true,
                                                 naive.intercepts()(k), naive.coefs().col(k));
        const double b = test_support::objective(d.X, d.y, w, lambda, 0.05, pf, true,
                                                 gram.intercepts()(k), gram.coefs().col(k));
        CHECK(std::abs(a - b) < 1e-10 * null_deviance);
    }
    check_kkt_along(naive, d.X, d.y, 0.05, 1e-4);
}

TEST_CASE("A duality gap from gradient intervals bounds the gap of every gradient inside",
          "[path][gap]") {
    // duality_gap_from_statistics with uncertainties u_j: the certificate when g_j is only
    // known to within -+ u_j. It must be no smaller than the gap at any gradient in the box,
    // and equal to the exact gap when u = 0.
    std::mt19937 rng(233);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    const Eigen::Index p = 40;
    Eigen::VectorXd g(p), beta = Eigen::VectorXd::Zero(p), u(p);
    for (Eigen::Index j = 0; j < p; ++j) {
        g(j) = 0.3 * normal(rng);
        u(j) = 0.05 * std::abs(normal(rng));
        if (j % 5 == 0)
            beta(j) = normal(rng);
    }
    const Eigen::VectorXd curvature = Eigen::VectorXd::Ones(p);
    const Eigen::VectorXd factors = Eigen::VectorXd::Ones(p);
    for (const double alpha : {1.0, 0.5}) {
        const auto weights = priorreg::detail::PenaltyWeights<double>::from(0.4, alpha, factors);
        const priorreg::ElasticNetPrior<double> prior;
        const double rss = 2.0, correlation = 1.7;
        const double exact = priorreg::detail::duality_gap_from_statistics(
            prior, rss, correlation, g, beta, curvature, weights);
        const Eigen::VectorXd none = Eigen::VectorXd::Zero(p);
        CHECK(priorreg::detail::duality_gap_from_statistics(prior, rss, correlation, g, beta,
                                                            curvature, weights, none) == exact);
        const double boxed = priorreg::detail::duality_gap_from_statistics(
            prior, rss, correlation, g, beta, curvature, weights, u);
        for (int trial = 0; trial < 200; ++trial) {
            Eigen::VectorXd inside(p);
            for (Eigen::Index j = 0; j < p; ++j)
                inside(j) = g(j) + u(j) * unit(rng);
            CHECK(priorreg::detail::duality_gap_from_statistics(prior, rss, correlation, inside,
                                                                beta, curvature, weights) <= boxed);
        }
    }
}

TEST_CASE("Where support and signs hold, the secant start is the next Lasso solution",
          "[path][work]") {
    // With the support S and its signs s fixed, the Lasso's solution is affine in lambda,
    // beta_S = (Xc_S^T Xc_S)^-1 (Xc_S^T yc - n lambda D s) (D: the column scales), so the secant
    // through two exact solutions is exact at the third: one sweep confirms it.
    const auto d = make_dataset(300, 8, 8, 4242, 0.3);
    const Eigen::Index n = d.X.rows();
    priorreg::Lasso lasso(1.0);
    const double lambda_max = lasso.fit_path(d.X, d.y).lambdas()(0);
    priorreg::PathOptions options;
    for (int k = 0; k < 12; ++k)
        options.lambdas.push_back(0.02 * lambda_max * std::pow(0.9, k));
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(n);
    const auto s = test_support::column_scaling(d.X, w, true);
    const Eigen::MatrixXd Xc = d.X.rowwise() - s.mean.transpose();
    const Eigen::VectorXd yc = d.y.array() - d.y.mean();
    const Eigen::LLT<Eigen::MatrixXd> gram(Xc.transpose() * Xc);
    for (const auto mode : {priorreg::SolverMode::covariance, priorreg::SolverMode::naive}) {
        const auto path = lasso.set_solver_mode(mode).fit_path(d.X, d.y, options);
        REQUIRE(path.info() == priorreg::Status::Success);
        for (Eigen::Index k = 0; k < path.size(); ++k) {
            INFO("mode " << static_cast<int>(mode) << ", lambda index " << k);
            const Eigen::VectorXd coef = path.coefs().col(k);
            // The premise: every feature active with the sign of its true coefficient.
            REQUIRE((coef.array() * d.beta.array() > 0).all());
            const Eigen::VectorXd signs = d.beta.array().sign();
            const Eigen::VectorXd exact =
                gram.solve(Xc.transpose() * yc - static_cast<double>(n) * path.lambdas()(k) *
                                                     s.scale.cwiseProduct(signs));
            CHECK((coef - exact).cwiseAbs().maxCoeff() < 1e-9 * exact.cwiseAbs().maxCoeff());
            if (k >= 2)
                CHECK(path.iterations()[static_cast<std::size_t>(k)] == 1);
        }
    }
}
