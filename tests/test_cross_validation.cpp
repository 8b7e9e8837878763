// K-fold cross-validation: against a hand computation with the same folds, lambda_1se by its
// definition, thread-count invariance, cancellation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

TEST_CASE("CV equals a hand computation with the same folds", "[cv]") {
    const auto d = test_support::make_dataset(60, 15, 4, 401, 0.3);
    std::vector<int> ids(60);
    for (int i = 0; i < 60; ++i)
        ids[static_cast<std::size_t>(i)] = (i * 7) % 5;
    priorreg::Lasso lasso(1.0);
    lasso.set_tolerance(1e-12);
    priorreg::CrossValidationOptions options;
    options.fold_ids = ids;
    options.path.n_lambda = 20;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
    cv.fit(d.X, d.y);

    // By hand: the full-data grid, then per fold a path on the other rows, then the fold mean
    // squared errors, their mean and the standard error of that mean over the 5 folds.
    const auto full = lasso.fit_path(d.X, d.y, options.path);
    REQUIRE((cv.lambdas() - full.lambdas()).cwiseAbs().maxCoeff() == 0.0);
    priorreg::PathOptions grid;
    grid.lambdas.assign(full.lambdas().begin(), full.lambdas().begin() + 20);
    Eigen::MatrixXd fold_mse(5, 20);
    Eigen::VectorXd sizes(5);
    for (int k = 0; k < 5; ++k) {
        std::vector<Eigen::Index> train, test;
        for (Eigen::Index i = 0; i < 60; ++i)
            (ids[static_cast<std::size_t>(i)] == k ? test : train).push_back(i);
        Eigen::MatrixXd Xt(static_cast<Eigen::Index>(train.size()), 15),
            Xh(static_cast<Eigen::Index>(test.size()), 15);
        Eigen::VectorXd yt(Xt.rows()), yh(Xh.rows());
        for (std::size_t r = 0; r < train.size(); ++r) {
            Xt.row(static_cast<Eigen::Index>(r)) = d.X.row(train[r]);
            yt(static_cast<Eigen::Index>(r)) = d.y(train[r]);
        }
        for (std::size_t r = 0; r < test.size(); ++r) {
            Xh.row(static_cast<Eigen::Index>(r)) = d.X.row(test[r]);
            yh(static_cast<Eigen::Index>(r)) = d.y(test[r]);
        }
        const auto path = lasso.fit_path(Xt, yt, grid);
        const Eigen::MatrixXd residual = (-path.predict(Xh)).colwise() + yh;
        fold_mse.row(k) = residual.cwiseAbs2().colwise().mean();
        sizes(k) = static_cast<double>(test.size());
    }
    for (Eigen::Index l = 0; l < 20; ++l) {
        const double mean = sizes.dot(fold_mse.col(l)) / sizes.sum();
        const double variance =
            sizes.dot((fold_mse.col(l).array() - mean).square().matrix()) / sizes.sum() / 4.0;
        CHECK(cv.mean_errors()(l) == Approx(mean).epsilon(1e-6));
        CHECK(cv.standard_errors()(l) == Approx(std::sqrt(variance)).epsilon(1e-6));
    }
    // lambda_min minimizes the mean error; lambda_1se is the largest lambda within one
    // standard error of that minimum.
    Eigen::Index at = 0;
    cv.mean_errors().minCoeff(&at);
    CHECK(cv.lambda_min() == cv.lambdas()(at));
    const double bound = cv.mean_errors()(at) + cv.standard_errors()(at);
    Eigen::Index first = 0;
    while (cv.mean_errors()(first) > bound)
        ++first;
    CHECK(cv.lambda_1se() == cv.lambdas()(first));
    CHECK(cv.lambda_1se() >= cv.lambda_min());
    CHECK(cv.model().lambda() == cv.lambda_min());
    CHECK(cv.nonzeros()(0) == 0);
}

TEST_CASE("CV results do not depend on the number of threads", "[cv][threads]") {
    const auto d = test_support::make_dataset(80, 20, 5, 403, 0.5);
    priorreg::ElasticNet enet(1.0, 0.5);
    priorreg::CrossValidationOptions options;
    options.folds = 4;
    options.seed = 7;
    options.path.n_lambda = 15;
    options.threads = 1;
    priorreg::CrossValidation<priorreg::ElasticNetPrior<>> serial(enet, options);
    serial.fit(d.X, d.y);
    options.threads = 3;
    priorreg::CrossValidation<priorreg::ElasticNetPrior<>> parallel(enet, options);
    parallel.fit(d.X, d.y);
    CHECK(serial.mean_errors() == parallel.mean_errors());
    CHECK(serial.standard_errors() == parallel.standard_errors());
    CHECK(serial.lambda_min() == parallel.lambda_min());
}

TEST_CASE("The progress callback sees every fold and can cancel", "[cv]") {
    const auto d = test_support::make_dataset(50, 10, 3, 405);
    priorreg::Lasso lasso(1.0);
    priorreg::CrossValidationOptions options;
    options.folds = 5;
    options.path.n_lambda = 10;
    options.threads = 1;
    int calls = 0;
    options.progress = [&](Eigen::Index, int) { return ++calls < 7; };
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
    cv.fit(d.X, d.y);
    CHECK(cv.cancelled());
    CHECK(calls == 7);
    CHECK_THROWS_AS(cv.mean_errors(), std::logic_error);
    options.progress = [&](Eigen::Index, int) { return true; };
    priorreg::CrossValidation<priorreg::LaplacePrior<>> done(lasso, options);
    done.fit(d.X, d.y);
    CHECK(!done.cancelled());
    CHECK(done.mean_errors().allFinite());
}

TEST_CASE("CV options are validated", "[cv][errors]") {
    const auto d = test_support::make_dataset(20, 4, 2, 407);
    priorreg::Lasso lasso(1.0);
    priorreg::CrossValidationOptions options;
    options.folds = 1;
    CHECK_THROWS_AS(
        priorreg::CrossValidation<priorreg::LaplacePrior<>>(lasso, options).fit(d.X, d.y),
        std::invalid_argument);
    options.folds = 5;
    options.fold_ids = {0, 1};
    CHECK_THROWS_AS(
        priorreg::CrossValidation<priorreg::LaplacePrior<>>(lasso, options).fit(d.X, d.y),
        std::invalid_argument);
}

TEST_CASE("The alpha verdict: sparse truth picks the Lasso, dense truth picks Ridge",
          "[cv][alpha]") {
    SECTION("sparse: 5 of 100 features carry signal") {
        const auto d = test_support::make_dataset(200, 100, 5, 501, 0.0);
        const auto selection = priorreg::select_alpha(d.X, d.y);
        CHECK(selection.alpha == 1.0);
        CHECK(selection.verdict.rfind("Lasso", 0) == 0);
        CHECK(selection.nonzeros < 50);
        CHECK(selection.model.alpha() == 1.0);
        CHECK(selection.model.lambda() == selection.lambda);
    }
    SECTION("dense: every coefficient drawn from N(0, 0.25^2), p > n") {
        auto d = test_support::make_dataset(100, 200, 0, 604, 0.0);
        std::mt19937_64 rng(604);
        std::normal_distribution<double> normal;
        Eigen::VectorXd beta(200);
        for (Eigen::Index j = 0; j < 200; ++j)
            beta(j) = 0.25 * normal(rng);
        Eigen::VectorXd y = d.X * beta;
        for (Eigen::Index i = 0; i < 100; ++i)
            y(i) += normal(rng);
        const auto selection = priorreg::select_alpha(d.X, y);
        CHECK(selection.alpha == 0.0);
        // Ridge has the least error; the elastic net is within one standard error of it
        // here (21.4 +- 3.0 against 22.7), and the verdict must say so rather than name Ridge.
        INFO(selection.verdict);
        CHECK(selection.verdict.rfind(selection.decisive ? "Ridge" : "Undecided", 0) == 0);
        CHECK(selection.nonzeros == 200);
        // Each candidate was cross-validated on the same folds; the winner has the least error.
        for (const double error : selection.best_errors)
            CHECK(selection.error <= error);
    }
}

namespace {

/// One candidate of select_alpha on its own: the same folds and the grid select_alpha gives
/// that alpha (the default: each alpha's own end). On the heap: CrossValidation does not move.
std::unique_ptr<priorreg::CrossValidation<priorreg::ElasticNetPrior<>>>
candidate_cv(double alpha, const priorreg::CrossValidationOptions& options,
             const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& w) {
    priorreg::CrossValidationOptions one = options;
    one.fold_ids = priorreg::make_folds(X.rows(), options.folds, options.seed);
    auto cv = std::make_unique<priorreg::CrossValidation<priorreg::ElasticNetPrior<>>>(
        priorreg::ElasticNet(1.0, alpha), one);
    cv->fit(X, y, w);
    return cv;
}

} // namespace

TEST_CASE("select_alpha: per-alpha minima and standard errors are those of CrossValidation; "
          "the verdict follows the one-standard-error comparison",
          "[cv][alpha]") {
    SECTION("a decisive case: sparse truth, the Lasso far ahead") {
        const auto d = test_support::make_dataset(200, 100, 5, 501, 0.0);
        priorreg::CrossValidationOptions options;
        const auto s = priorreg::select_alpha(d.X, d.y, options);
        // The same folds and grids as a CrossValidation of each candidate on its own.
        for (std::size_t k = 0; k < s.alphas.size(); ++k) {
            const auto cv =
                candidate_cv(s.alphas[k], options, d.X, d.y, Eigen::VectorXd::Ones(d.X.rows()));
            CHECK(s.best_errors[k] == cv->mean_errors()(cv->index_min()));
            CHECK(s.best_standard_errors[k] == cv->standard_errors()(cv->index_min()));
            CHECK(s.best_nonzeros[k] == cv->nonzeros()(cv->index_min()));
            if (s.alphas[k] == 1.0) {
                CHECK(s.empty_error == cv->mean_errors()(0));
                CHECK(cv->nonzeros()(0) == 0);
            }
        }
        CHECK(s.decisive);
        for (std::size_t k = 0; k < s.alphas.size(); ++k)
            if (s.alphas[k] != s.alpha)
                CHECK(s.best_errors[k] > s.error + s.standard_error);
        CHECK(s.empty_error > s.error + s.standard_error);
        CHECK(s.one_se_alpha == s.alpha);
    }
    SECTION("no signal: y is noise, and the empty model is within one standard error") {
        auto d = test_support::make_dataset(120, 30, 0, 733, 0.0);
        std::mt19937_64 rng(733);
        std::normal_distribution<double> normal;
        for (Eigen::Index i = 0; i < d.y.size(); ++i)
            d.y(i) = normal(rng);
        const auto s = priorreg::select_alpha(d.X, d.y);
        INFO(s.verdict);
        CHECK(s.one_se_empty);
        CHECK_FALSE(s.decisive);
        CHECK(s.empty_error <= s.error + s.standard_error);
        CHECK(s.verdict.rfind("No clear signal", 0) == 0);
    }
    SECTION("two candidates that cannot differ much: alpha 0.95 and 1") {
        const auto d = test_support::make_dataset(200, 100, 5, 502, 0.0);
        const auto s = priorreg::select_alpha(d.X, d.y, {}, {0.95, 1.0});
        INFO(s.verdict);
        CHECK_FALSE(s.decisive);
        CHECK(s.verdict.rfind("Undecided", 0) == 0);
        const std::size_t pick = s.one_se_alpha == s.alphas[0] ? 0 : 1;
        CHECK(s.one_se_alpha == s.alphas[pick]);
        CHECK(s.best_errors[pick] <= s.error + s.standard_error);
        CHECK(s.best_nonzeros[pick] <= s.best_nonzeros[1 - pick]);
    }
}

TEST_CASE("CrossValidation says when its minimum is at an end of the grid", "[cv]") {
    const auto d = test_support::make_dataset(120, 8, 8, 915, 0.0);
    SECTION("noise-free linear data: least squares is best, the minimum at the smallest lambda") {
        Eigen::VectorXd beta = Eigen::VectorXd::LinSpaced(8, -2.0, 2.0);
        const Eigen::VectorXd y = d.X * beta;
        priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(priorreg::Lasso(1.0));
        cv.fit(d.X, y);
        CHECK(cv.index_min() == cv.lambdas().size() - 1);
        CHECK(cv.minimum_position() == priorreg::GridPosition::smallest);
    }
    SECTION("a grid above lambda_max: every fit empty, the first (largest) lambda the minimum") {
        priorreg::PathOptions probe;
        probe.n_lambda = 1;
        const double lambda_max = priorreg::Lasso(1.0).fit_path(d.X, d.y, probe).lambdas()(0);
        priorreg::CrossValidationOptions options;
        options.path.lambdas = {8 * lambda_max, 4 * lambda_max, 2 * lambda_max};
        priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(priorreg::Lasso(1.0), options);
        cv.fit(d.X, d.y);
        CHECK(cv.nonzeros().maxCoeff() == 0);
        CHECK(cv.index_min() == 0);
        CHECK(cv.minimum_position() == priorreg::GridPosition::largest);
    }
    SECTION("signal and noise: a minimum inside the grid") {
        priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(priorreg::Lasso(1.0));
        auto noisy = test_support::make_dataset(120, 40, 5, 917, 0.0);
        cv.fit(noisy.X, noisy.y);
        CHECK(cv.minimum_position() == priorreg::GridPosition::inside);
    }
}

TEST_CASE("make_folds: the folds CrossValidation uses, balanced, reproducible", "[cv]") {
    const auto d = test_support::make_dataset(103, 5, 2, 811, 0.0);
    priorreg::CrossValidationOptions by_seed;
    by_seed.folds = 7;
    by_seed.seed = 42;
    priorreg::CrossValidationOptions by_ids;
    by_ids.fold_ids = priorreg::make_folds(103, 7, 42);
    std::vector<int> sizes(7, 0);
    for (const int id : by_ids.fold_ids)
        ++sizes[static_cast<std::size_t>(id)];
    CHECK(*std::max_element(sizes.begin(), sizes.end()) -
              *std::min_element(sizes.begin(), sizes.end()) <=
          1);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> a(priorreg::Lasso(1.0), by_seed);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> b(priorreg::Lasso(1.0), by_ids);
    a.fit(d.X, d.y);
    b.fit(d.X, d.y);
    CHECK(a.mean_errors() == b.mean_errors());
    CHECK(priorreg::make_folds(103, 7, 43) != by_ids.fold_ids);
    CHECK_THROWS_AS(priorreg::make_folds(5, 6), priorreg::InvalidInput);
    CHECK_THROWS_AS(priorreg::make_folds(5, 1), priorreg::InvalidInput);
}

TEST_CASE("Gram-downdate folds equal folds recomputed from their rows", "[cv]") {
    const auto d = test_support::make_dataset(150, 30, 6, 409, 0.5);
    Eigen::VectorXd w = Eigen::VectorXd::Ones(150);
    w.head(40).setConstant(2.5);
    priorreg::Lasso downdated(1.0); // covariance mode: folds downdate the full Gram
    downdated.set_tolerance(1e-12);
    priorreg::Lasso recomputed(1.0); // naive mode: each fold standardizes its own rows
    recomputed.set_tolerance(1e-12).set_solver_mode(priorreg::SolverMode::naive);
    priorreg::CrossValidationOptions options;
    options.folds = 6;
    options.path.n_lambda = 25;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> a(downdated, options),
        b(recomputed, options);
    a.fit(d.X, d.y, w);
    b.fit(d.X, d.y, w);
    REQUIRE((a.lambdas() - b.lambdas()).cwiseAbs().maxCoeff() < 1e-12 * a.lambdas()(0));
    CHECK((a.mean_errors() - b.mean_errors()).cwiseAbs().maxCoeff() <
          1e-7 * a.mean_errors().maxCoeff());
    CHECK((a.standard_errors() - b.standard_errors()).cwiseAbs().maxCoeff() <
          1e-6 * a.standard_errors().maxCoeff());
    CHECK(a.index_min() == b.index_min());
}

TEST_CASE("Folds whose held-out rows dominate are not downdated", "[cv]") {
    // One row carries almost all the weight, and a column is constant except on a few rows:
    // the fold holding them out would lose everything to cancellation in all - held. Such
    // folds are fitted on their own rows, so the result equals naive mode's.
    auto d = test_support::make_dataset(60, 5, 3, 421, 0.5);
    Eigen::VectorXd w = Eigen::VectorXd::Ones(60);
    w(7) = 1e12;
    d.X.col(3).setConstant(2.0);
    d.X(11, 3) = 5.0;
    d.X(12, 3) = -1.0;
    priorreg::CrossValidationOptions options;
    options.folds = 5;
    options.path.n_lambda = 15;
    priorreg::Lasso downdated(1.0), recomputed(1.0);
    downdated.set_tolerance(1e-12);
    recomputed.set_tolerance(1e-12).set_solver_mode(priorreg::SolverMode::naive);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> a(downdated, options),
        b(recomputed, options);
    a.fit(d.X, d.y, w);
    b.fit(d.X, d.y, w);
    REQUIRE(a.mean_errors().allFinite());
    REQUIRE((a.lambdas() - b.lambdas()).cwiseAbs().maxCoeff() < 1e-12 * a.lambdas()(0));
    CHECK((a.mean_errors() - b.mean_errors()).cwiseAbs().maxCoeff() <
          1e-7 * a.mean_errors().maxCoeff());
}

TEST_CASE("select_alpha cancels as CrossValidation does: a flag, no exception", "[cv]") {
    const auto d = test_support::make_dataset(60, 8, 3, 409);
    priorreg::CrossValidationOptions options;
    options.folds = 4;
    options.path.n_lambda = 10;
    options.threads = 1;
    int calls = 0;
    options.progress = [&](Eigen::Index, int) { return ++calls < 5; };
    const auto selection = priorreg::select_alpha(d.X, d.y, options);
    CHECK(selection.cancelled);
    CHECK(calls == 5);
    CHECK(selection.best_errors.empty());
    options.progress = {};
    const auto finished = priorreg::select_alpha(d.X, d.y, options);
    CHECK(!finished.cancelled);
    CHECK(finished.status == priorreg::Status::Success);
    CHECK(finished.best_errors.size() == 3);
}

TEST_CASE("CrossValidation reports the worst status of its paths", "[cv]") {
    const auto d = test_support::make_dataset(80, 12, 4, 411, 0.8);
    priorreg::CrossValidationOptions options;
    options.folds = 4;
    options.path.n_lambda = 20;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> converged(priorreg::Lasso(), options);
    converged.fit(d.X, d.y);
    CHECK(converged.info() == priorreg::Status::Success);
    priorreg::Lasso starved;
    starved.set_max_iterations(1);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> capped(starved, options);
    capped.fit(d.X, d.y);
    CHECK(capped.info() == priorreg::Status::NoConvergence);
    CHECK_THROWS_AS(priorreg::CrossValidation<priorreg::LaplacePrior<>>(starved, options).info(),
                    priorreg::NotFitted);
}

TEST_CASE("A path from cross-products equals the path on the rows they summarize", "[cv][path]") {
    // The public entry cross-validation uses: statistics of a subset of rows, downdated from all.
    const auto d = test_support::make_dataset(300, 15, 5, 413, 0.6);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(300);
    Eigen::VectorXd center;
    double y_center = 0;
    priorreg::weighted_centers(d.X, d.y, w, center, y_center);
    std::vector<Eigen::Index> all(300), held;
    for (Eigen::Index i = 0; i < 300; ++i) {
        all[static_cast<std::size_t>(i)] = i;
        if (i % 3 == 0)
            held.push_back(i);
    }
    auto statistics = priorreg::cross_products<double>(d.X, d.y, w, center, y_center, all);
    const auto held_out = priorreg::cross_products<double>(d.X, d.y, w, center, y_center, held);
    const auto training = priorreg::downdate(statistics, held_out);
    CHECK(training.rows == 200);
    Eigen::MatrixXd X(200, 15);
    Eigen::VectorXd y(200);
    for (Eigen::Index i = 0, r = 0; i < 300; ++i)
        if (i % 3 != 0) {
            X.row(r) = d.X.row(i);
            y(r++) = d.y(i);
        }
    priorreg::ElasticNet model(1.0, 0.5);
    model.set_tolerance(1e-12).set_solver_mode(priorreg::SolverMode::covariance);
    const auto from_statistics = model.fit_path(training);
    const auto from_rows = model.fit_path(X, y);
    REQUIRE(from_statistics.info() == priorreg::Status::Success);
    REQUIRE(from_statistics.size() == from_rows.size());
    CHECK((from_statistics.lambdas() - from_rows.lambdas()).cwiseAbs().maxCoeff() <
          1e-10 * from_rows.lambdas()(0));
    CHECK((from_statistics.coefs() - from_rows.coefs()).cwiseAbs().maxCoeff() < 1e-7);
    CHECK((from_statistics.intercepts() - from_rows.intercepts()).cwiseAbs().maxCoeff() < 1e-7);
    // Statistics need an intercept (they are centered).
    model.set_fit_intercept(false);
    CHECK_THROWS_AS(model.fit_path(training), std::logic_error);
}

TEST_CASE("Downdated folds with unpenalized features are settled and certified", "[cv]") {
    // Covariance mode with an intercept: each fold's path runs from downdated cross-products,
    // whose working problem has no rows of its own; its unpenalized block is still settled.
    const auto d = test_support::make_dataset(300, 20, 6, 415, 0.5);
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(20);
    pf(0) = 0;
    pf(3) = 0;
    priorreg::Lasso lasso;
    lasso.set_penalty_factors(pf).set_solver_mode(priorreg::SolverMode::covariance);
    priorreg::CrossValidationOptions options;
    options.folds = 5;
    options.path.n_lambda = 30;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
    cv.fit(d.X, d.y);
    CHECK(cv.info() == priorreg::Status::Success);
}

TEST_CASE("select_alpha with weights: each candidate is the weighted CrossValidation; equal "
          "weights are the unweighted selection",
          "[cv][alpha]") {
    const auto d = test_support::make_dataset(150, 40, 4, 611, 0.3);
    Eigen::VectorXd w(d.X.rows());
    for (Eigen::Index i = 0; i < w.size(); ++i)
        w(i) = i % 4 == 0 ? 0.0 : 0.5 + static_cast<double>(i % 3);
    priorreg::CrossValidationOptions options;
    options.folds = 5;
    options.seed = 7;
    const auto weighted = priorreg::select_alpha(d.X, d.y, w, options);
    for (std::size_t k = 0; k < weighted.alphas.size(); ++k) {
        const auto cv = candidate_cv(weighted.alphas[k], options, d.X, d.y, w);
        CHECK(weighted.best_errors[k] == cv->mean_errors()(cv->index_min()));
        CHECK(weighted.best_standard_errors[k] == cv->standard_errors()(cv->index_min()));
        CHECK(weighted.best_lambdas[k] == cv->lambda_min());
    }
    // The weights reach the fits: the zero-weight rows make the answer differ from the
    // unweighted one, and equal weights give the unweighted one.
    const auto plain = priorreg::select_alpha(d.X, d.y, options);
    CHECK(plain.best_errors != weighted.best_errors);
    const auto equal =
        priorreg::select_alpha(d.X, d.y, Eigen::VectorXd::Constant(d.X.rows(), 2.5), options);
    for (std::size_t k = 0; k < plain.alphas.size(); ++k) {
        CHECK(equal.best_errors[k] == Approx(plain.best_errors[k]).epsilon(1e-9));
        CHECK(equal.best_lambdas[k] == Approx(plain.best_lambdas[k]).epsilon(1e-12));
    }
    CHECK(equal.verdict == plain.verdict);
}
