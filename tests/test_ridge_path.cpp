// Ridge paths (alpha = 0) from one tridiagonal reduction: every lambda against the independent
// closed form (QR of the augmented least-squares problem), for both forms (Gram when n >= p,
// kernel when p > n), weights, penalty factors (unequal, zero), cross-validation folds from
// cross-products, and the fallback to coordinate descent where the route does not apply.
#include <catch2/catch.hpp>

#include <vector>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

namespace {

/// Largest difference over the path between its solutions and the closed form, relative to
/// the size of the closed-form coefficients (and intercept).
template <class PathType>
double worst_against_closed_form(const PathType& path, const Eigen::MatrixXd& X,
                                 const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                                 const Eigen::VectorXd& pf, bool standardize) {
    double worst = 0;
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        const auto r =
            test_support::ridge_by_augmented_qr(X, y, w, path.lambdas()(k), pf, standardize);
        const double size = 1 + r.coef.cwiseAbs().maxCoeff();
        worst = std::max(worst, (path.coefs().col(k) - r.coef).cwiseAbs().maxCoeff() / size);
        worst = std::max(worst, std::abs(path.intercepts()(k) - r.intercept) /
                                    (1 + std::abs(r.intercept)));
    }
    return worst;
}

Eigen::VectorXd uneven_weights(Eigen::Index n) {
    Eigen::VectorXd w(n);
    for (Eigen::Index i = 0; i < n; ++i)
        w(i) = i % 5 == 0 ? 0.0 : 0.5 + static_cast<double>(i % 3);
    return w;
}

/// Penalty factors 0.5, 1.5, 2.5, 3.5, ... with `unpenalized` features at 0.
Eigen::VectorXd uneven_factors(Eigen::Index p, std::vector<Eigen::Index> unpenalized) {
    Eigen::VectorXd pf(p);
    for (Eigen::Index j = 0; j < p; ++j)
        pf(j) = 0.5 + static_cast<double>(j % 4);
    for (const Eigen::Index j : unpenalized)
        pf(j) = 0.0;
    return pf;
}

struct Shape {
    Eigen::Index n, p;
    double correlation;
};

} // namespace

TEST_CASE("A ridge path equals the closed form at every lambda, in both forms", "[ridge][path]") {
    // n >= p takes the Gram form, p > n the kernel form. AR(1) correlation 0.99 is where
    // coordinate descent needs thousands of sweeps per lambda.
    for (const Shape shape :
         {Shape{150, 20, 0.6}, Shape{200, 40, 0.99}, Shape{30, 90, 0.3}, Shape{40, 120, 0.99}}) {
        const auto d = test_support::make_dataset(shape.n, shape.p, 5, 611, shape.correlation);
        const Eigen::VectorXd ones = Eigen::VectorXd::Ones(shape.n);
        const Eigen::VectorXd w = uneven_weights(shape.n);
        const Eigen::VectorXd flat_factors = Eigen::VectorXd::Ones(shape.p);
        const Eigen::VectorXd factors = uneven_factors(shape.p, {});
        const Eigen::VectorXd free_factors = uneven_factors(shape.p, {1, 4});
        for (const bool standardize : {true, false}) {
            for (const auto* pf : {&flat_factors, &factors, &free_factors}) {
                for (const auto* weights : {&ones, &w}) {
                    INFO("n " << shape.n << ", p " << shape.p << ", rho " << shape.correlation
                              << ", standardize " << standardize << ", factors "
                              << (pf == &flat_factors ? "ones"
                                  : pf == &factors    ? "uneven"
                                                      : "uneven with zeros")
                              << ", weights " << (weights == &ones ? "ones" : "uneven"));
                    priorreg::Ridge ridge;
                    ridge.set_standardize(standardize).set_penalty_factors(*pf);
                    priorreg::PathOptions options;
                    options.n_lambda = 30;
                    options.lambda_min_ratio = 1e-6;
                    const auto path = ridge.fit_path(d.X, d.y, *weights, options);
                    REQUIRE(path.info() == priorreg::Status::Success);
                    REQUIRE(path.size() == 30);
                    CHECK(worst_against_closed_form(path, d.X, d.y, *weights, *pf, standardize) <
                          1e-10);
                    // One solve per lambda, no coordinate-descent sweeps.
                    for (const int sweeps : path.iterations())
                        CHECK(sweeps == 1);
                    // Certified: each gap within the tolerance times the null deviance (the
                    // weighted variance of y).
                    const Eigen::VectorXd v = *weights / weights->sum();
                    const double null_deviance =
                        v.dot((d.y.array() - v.dot(d.y)).square().matrix());
                    CHECK(path.duality_gaps().minCoeff() >= 0.0);
                    CHECK(path.duality_gaps().maxCoeff() <= ridge.tolerance() * null_deviance);
                }
            }
        }
    }
}

TEST_CASE("Every alpha = 0 estimator takes the same ridge path", "[ridge][path]") {
    // Ridge, ElasticNet at alpha 0 and the MAP form of the Gaussian prior solve one problem.
    const auto d = test_support::make_dataset(80, 25, 4, 613, 0.9);
    priorreg::PathOptions options;
    options.n_lambda = 15;
    const auto ridge = priorreg::Ridge().fit_path(d.X, d.y, options);
    const auto mixed = priorreg::ElasticNet(1.0, 0.0).fit_path(d.X, d.y, options);
    REQUIRE(ridge.size() == mixed.size());
    CHECK((ridge.lambdas() - mixed.lambdas()).cwiseAbs().maxCoeff() == 0.0);
    CHECK((ridge.coefs() - mixed.coefs()).cwiseAbs().maxCoeff() == 0.0);
    priorreg::PathOptions explicit_grid;
    explicit_grid.lambdas.assign(ridge.lambdas().begin(), ridge.lambdas().begin() + 15);
    const priorreg::Ridge map_form(priorreg::GaussianPrior<>(0.5), 2.0);
    const auto from_map = map_form.fit_path(d.X, d.y, explicit_grid);
    CHECK((ridge.coefs() - from_map.coefs()).cwiseAbs().maxCoeff() <
          1e-12 * (1 + ridge.coefs().cwiseAbs().maxCoeff()));
    // The first lambda is lambda_max of alpha = 0.001, as glmnet's ridge grid.
    const auto nearly = priorreg::ElasticNet(1.0, 0.001).fit_path(d.X, d.y, options);
    CHECK(ridge.lambdas()(0) == Approx(nearly.lambdas()(0)).epsilon(1e-12));
}

TEST_CASE("Ridge cross-validation equals the closed form on each fold", "[ridge][cv]") {
    // The folds are fitted from downdated cross-products (no rows): the Gram form.
    for (const Shape shape : {Shape{90, 12, 0.95}, Shape{60, 80, 0.5}}) {
        const auto d = test_support::make_dataset(shape.n, shape.p, 4, 617, shape.correlation);
        const Eigen::Index n = shape.n, p = shape.p;
        std::vector<int> ids(static_cast<std::size_t>(n));
        for (Eigen::Index i = 0; i < n; ++i)
            ids[static_cast<std::size_t>(i)] = static_cast<int>((i * 7) % 4);
        const Eigen::VectorXd pf = uneven_factors(p, {2});
        priorreg::Ridge ridge;
        ridge.set_penalty_factors(pf);
        priorreg::CrossValidationOptions options;
        options.fold_ids = ids;
        options.path.n_lambda = 12;
        options.path.lambda_min_ratio = 1e-5;
        priorreg::CrossValidation<priorreg::GaussianPrior<>> cv(ridge, options);
        cv.fit(d.X, d.y);
        REQUIRE(cv.info() == priorreg::Status::Success);
        const Eigen::Index L = cv.lambdas().size();
        Eigen::MatrixXd fold_mse(4, L);
        Eigen::VectorXd sizes(4);
        for (int k = 0; k < 4; ++k) {
            std::vector<Eigen::Index> train, test;
            for (Eigen::Index i = 0; i < n; ++i)
                (ids[static_cast<std::size_t>(i)] == k ? test : train).push_back(i);
            const Eigen::MatrixXd Xt = d.X(train, Eigen::all), Xh = d.X(test, Eigen::all);
            const Eigen::VectorXd yt = d.y(train), yh = d.y(test);
            const Eigen::VectorXd ones = Eigen::VectorXd::Ones(Xt.rows());
            for (Eigen::Index l = 0; l < L; ++l) {
                const auto r =
                    test_support::ridge_by_augmented_qr(Xt, yt, ones, cv.lambdas()(l), pf, true);
                const Eigen::VectorXd residual = yh - (Xh * r.coef).array().matrix() -
                                                 Eigen::VectorXd::Constant(Xh.rows(), r.intercept);
                fold_mse(k, l) = residual.squaredNorm() / static_cast<double>(Xh.rows());
            }
            sizes(k) = static_cast<double>(test.size());
        }
        for (Eigen::Index l = 0; l < L; ++l) {
            const double mean = sizes.dot(fold_mse.col(l)) / sizes.sum();
            INFO("n " << n << ", p " << p << ", lambda index " << l);
            CHECK(cv.mean_errors()(l) == Approx(mean).epsilon(1e-10));
        }
    }
}

TEST_CASE("Where the tridiagonal reduction does not apply, a ridge path is still certified",
          "[ridge][path]") {
    const auto d = test_support::make_dataset(60, 10, 3, 619, 0.5);
    SECTION("two identical unpenalized columns: no Cholesky of their block") {
        Eigen::MatrixXd X = d.X;
        X.col(1) = X.col(0);
        Eigen::VectorXd pf = Eigen::VectorXd::Ones(10);
        pf(0) = pf(1) = 0.0;
        priorreg::Ridge ridge;
        ridge.set_penalty_factors(pf).set_tolerance(1e-14);
        priorreg::PathOptions options;
        options.n_lambda = 10;
        const auto path = ridge.fit_path(X, d.y, options);
        CHECK(path.info() == priorreg::Status::Success);
        // Coordinate descent took over: it sweeps.
        int sweeps = 0;
        for (const int s : path.iterations())
            sweeps += s;
        CHECK(sweeps > path.size());
        // The fit is the closed form's without the copy, up to how the pair shares its weight.
        std::vector<Eigen::Index> kept{0, 2, 3, 4, 5, 6, 7, 8, 9};
        const Eigen::MatrixXd single = X(Eigen::all, kept);
        const Eigen::VectorXd single_pf = pf(kept);
        for (Eigen::Index k = 0; k < path.size(); ++k) {
            const auto r = test_support::ridge_by_augmented_qr(
                single, d.y, Eigen::VectorXd::Ones(60), path.lambdas()(k), single_pf, true);
            const Eigen::VectorXd fitted = (X * path.coefs().col(k)).array() + path.intercepts()(k);
            const Eigen::VectorXd expected = (single * r.coef).array() + r.intercept;
            CHECK((fitted - expected).cwiseAbs().maxCoeff() <
                  1e-6 * (1 + expected.cwiseAbs().maxCoeff()));
        }
    }
    SECTION("every feature unpenalized: each lambda is least squares") {
        // Nothing is shrunk, so there is nothing to reduce (an empty system; found by fuzz_fit
        // under UBSan as a triangular solve with no columns, seed
        // ols_constant_column_extended_precision).
        const Eigen::VectorXd pf = Eigen::VectorXd::Zero(10);
        const Eigen::VectorXd w = uneven_weights(60);
        priorreg::Ridge ridge;
        ridge.set_penalty_factors(pf).set_tolerance(1e-14);
        priorreg::PathOptions options;
        options.lambdas = {10.0, 1.0, 0.1};
        const auto path = ridge.fit_path(d.X, d.y, w, options);
        REQUIRE(path.size() == 3);
        CHECK(path.info() == priorreg::Status::Success);
        const auto r = test_support::ridge_by_augmented_qr(d.X, d.y, w, 0.0, pf, true);
        for (Eigen::Index k = 0; k < path.size(); ++k)
            CHECK((path.coefs().col(k) - r.coef).cwiseAbs().maxCoeff() <
                  1e-8 * (1 + r.coef.cwiseAbs().maxCoeff()));
        // Cross-validation: every lambda has the same fit on each fold, so the same error.
        priorreg::CrossValidationOptions cv_options;
        cv_options.folds = 3;
        cv_options.path.lambdas = {1.0, 0.1};
        priorreg::CrossValidation<priorreg::GaussianPrior<>> cv(ridge, cv_options);
        cv.fit(d.X, d.y);
        REQUIRE(cv.info() == priorreg::Status::Success);
        CHECK(cv.mean_errors()(0) == Approx(cv.mean_errors()(1)).epsilon(1e-9));
    }
    SECTION("lambda = 0 on a wide design: least squares has no unique solution") {
        const auto wide = test_support::make_dataset(20, 40, 3, 621, 0.2);
        priorreg::Ridge ridge;
        ridge.set_tolerance(1e-14);
        priorreg::PathOptions options;
        options.lambdas = {1.0, 0.1, 0.0};
        const auto path = ridge.fit_path(wide.X, wide.y, options);
        REQUIRE(path.size() == 3);
        CHECK(path.coefs().allFinite());
        const auto r = test_support::ridge_by_augmented_qr(
            wide.X, wide.y, Eigen::VectorXd::Ones(20), 0.1, Eigen::VectorXd::Ones(40), true);
        CHECK((path.coefs().col(1) - r.coef).cwiseAbs().maxCoeff() <
              1e-5 * (1 + r.coef.cwiseAbs().maxCoeff()));
    }
}

TEST_CASE("The progress callback stops a ridge path as it stops any other", "[ridge][path]") {
    const auto d = test_support::make_dataset(50, 8, 3, 623);
    priorreg::PathOptions options;
    options.n_lambda = 20;
    std::vector<Eigen::Index> seen;
    options.progress = [&](Eigen::Index k) {
        seen.push_back(k);
        return k < 6;
    };
    const auto path = priorreg::Ridge().fit_path(d.X, d.y, options);
    CHECK(path.size() == 7);
    CHECK(seen == std::vector<Eigen::Index>{0, 1, 2, 3, 4, 5, 6});
}
