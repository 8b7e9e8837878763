// The relaxed Lasso (`relax`, `RelaxedCrossValidation`): the refit on each lambda's active set is
// least squares on those columns (checked against a QR solve of its own), gamma blends linearly
// with gamma = 1 the path, the whole agrees with glmnet's `relax = TRUE` (coefficients at three
// gammas, and cv.glmnet's relaxed CV errors with the same folds), relaxed CV at gamma = 1 is
// CrossValidation, and a box carries over to the refits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "numeric_csv.hpp"
#include "test_support.hpp"

namespace {

test_csv::Design diabetes() {
    return test_csv::read_design(std::string(PRIORREG_TEST_DATA_DIR) + "/diabetes/diabetes.csv");
}

/// Least squares with an intercept on the columns `active`, by Householder QR of [1, X_S].
Eigen::VectorXd least_squares_on(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                 const std::vector<Eigen::Index>& active) {
    Eigen::MatrixXd design(X.rows(), static_cast<Eigen::Index>(active.size()) + 1);
    design.col(0).setOnes();
    for (std::size_t a = 0; a < active.size(); ++a)
        design.col(static_cast<Eigen::Index>(a) + 1) = X.col(active[a]);
    return design.colPivHouseholderQr().solve(y); // intercept, then the active coefficients
}

struct GlmnetRelaxed {
    std::vector<double> lambdas;
    std::vector<std::pair<double, Eigen::MatrixXd>> coefs; ///< gamma, (p + 1) x L
    std::vector<std::pair<double, Eigen::VectorXd>> cvm, cvsd;
};

GlmnetRelaxed glmnet_relaxed() {
    const auto rows = test_csv::read_text_rows(std::string(PRIORREG_TEST_DATA_DIR) +
                                               "/glmnet/diabetes_relaxed.csv");
    GlmnetRelaxed r;
    std::vector<std::pair<double, std::vector<Eigen::VectorXd>>> columns;
    for (std::size_t k = 1; k < rows.size(); ++k) {
        const auto& row = rows[k];
        const double gamma = std::stod(row.at(1));
        Eigen::VectorXd values(static_cast<Eigen::Index>(row.size() - 3));
        for (std::size_t c = 3; c < row.size(); ++c)
            values(static_cast<Eigen::Index>(c - 3)) = std::stod(row[c]);
        if (row[0] == "coef") {
            if (columns.empty() || columns.back().first != gamma)
                columns.push_back({gamma, {}});
            columns.back().second.push_back(values);
            if (columns.size() == 1)
                r.lambdas.push_back(std::stod(row.at(2)));
        } else {
            (row[0] == "cvm" ? r.cvm : r.cvsd).push_back({gamma, values});
        }
    }
    for (const auto& [gamma, list] : columns) {
        Eigen::MatrixXd m(list.front().size(), static_cast<Eigen::Index>(list.size()));
        for (std::size_t k = 0; k < list.size(); ++k)
            m.col(static_cast<Eigen::Index>(k)) = list[k];
        r.coefs.push_back({gamma, m});
    }
    return r;
}

priorreg::PathOptions on_grid(const std::vector<double>& lambdas) {
    priorreg::PathOptions options;
    options.lambdas = lambdas;
    return options;
}

} // namespace

TEST_CASE("The relaxed refit is least squares on each active set; gamma blends linearly",
          "[relaxed]") {
    const test_csv::Design d = diabetes();
    priorreg::Lasso lasso;
    lasso.set_tolerance(1e-12);
    priorreg::PathOptions options;
    options.n_lambda = 30;
    const auto path = lasso.fit_path(d.X, d.y, options);
    const auto relaxed = priorreg::relax(path, d.X, d.y);
    REQUIRE(relaxed.info() == priorreg::Status::Success);
    int checked = 0;
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        std::vector<Eigen::Index> active;
        for (Eigen::Index j = 0; j < 10; ++j)
            if (path.coefs()(j, k) != 0)
                active.push_back(j);
        const Eigen::VectorXd reference = least_squares_on(d.X, d.y, active);
        CHECK(std::abs(relaxed.relaxed_intercepts()(k) - reference(0)) <=
              1e-9 * std::max(1.0, std::abs(reference(0))));
        for (Eigen::Index j = 0; j < 10; ++j) {
            const auto at = std::find(active.begin(), active.end(), j);
            const double expected = at == active.end() ? 0.0 : reference(1 + (at - active.begin()));
            CHECK(std::abs(relaxed.relaxed_coefs()(j, k) - expected) <=
                  1e-9 * std::max(1.0, std::abs(expected)));
        }
        checked += static_cast<int>(active.size()) > 0;
    }
    CHECK(checked > 20);
    CHECK(relaxed.coefs(1.0) == path.coefs());
    CHECK(relaxed.coefs(0.0) == relaxed.relaxed_coefs());
    const Eigen::MatrixXd blend = 0.3 * path.coefs() + 0.7 * relaxed.relaxed_coefs();
    CHECK((relaxed.coefs(0.3) - blend).cwiseAbs().maxCoeff() <=
          1e-12 * blend.cwiseAbs().maxCoeff());
    const Eigen::MatrixXd predictions = relaxed.predict(d.X, 0.3);
    CHECK(predictions.cols() == path.size());
    CHECK_THROWS_AS(relaxed.coefs(1.5), priorreg::InvalidInput);
}

TEST_CASE("The relaxed Lasso agrees with glmnet's relax = TRUE", "[relaxed][glmnet]") {
    const test_csv::Design d = diabetes();
    const GlmnetRelaxed reference = glmnet_relaxed();
    REQUIRE(reference.coefs.size() == 3);
    priorreg::Lasso lasso;
    lasso.set_tolerance(1e-13);
    const auto path = lasso.fit_path(d.X, d.y, on_grid(reference.lambdas));
    const auto relaxed = priorreg::relax(path, d.X, d.y);
    // glmnet's own accuracy limits a direct comparison at small lambda (its paths there are
    // 1e-5 relative off, its least-squares refits by coordinate descent about as much), so
    // each part is compared by what defines it: the path (gamma = 1) by its objective, the
    // refits (gamma = 0) by their support and residual sum of squares, which ours never
    // exceeds; both to within 1e-4 relative in coefficients. glmnet's gamma = 0.5 is the same
    // linear blend of its two ends as ours, to the error of its refit's intercept (it forms a
    // blend's intercept from the blended coefficients).
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(442), pf = Eigen::VectorXd::Ones(10);
    const double deviance = (d.y.array() - d.y.mean()).square().mean();
    const auto& [gamma0, relaxed_theirs] = reference.coefs[0];
    const auto& [gamma_half, half_theirs] = reference.coefs[1];
    const auto& [gamma1, path_theirs] = reference.coefs[2];
    REQUIRE((gamma0 == 0.0 && gamma_half == 0.5 && gamma1 == 1.0));
    CHECK((half_theirs - 0.5 * (relaxed_theirs + path_theirs)).cwiseAbs().maxCoeff() <=
          1e-5 * half_theirs.cwiseAbs().maxCoeff());
    const auto rss = [&](double intercept, const Eigen::VectorXd& coef) {
        return ((d.y - d.X * coef).array() - intercept).square().sum();
    };
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        const double lambda = reference.lambdas[static_cast<std::size_t>(k)];
        INFO("lambda " << lambda);
        const Eigen::VectorXd their_path = path_theirs.col(k).tail(10);
        CHECK(test_support::objective(d.X, d.y, w, lambda, 1.0, pf, true, path.intercepts()(k),
                                      path.coefs().col(k)) <=
              test_support::objective(d.X, d.y, w, lambda, 1.0, pf, true, path_theirs(0, k),
                                      their_path) +
                  1e-9 * deviance);
        const Eigen::VectorXd their_refit = relaxed_theirs.col(k).tail(10);
        const Eigen::VectorXd our_refit = relaxed.relaxed_coefs().col(k);
        CHECK(((their_refit.array() != 0) == (our_refit.array() != 0)).all());
        CHECK(rss(relaxed.relaxed_intercepts()(k), our_refit) <=
              rss(relaxed_theirs(0, k), their_refit) * (1 + 1e-12));
        const double scale = their_refit.cwiseAbs().maxCoeff() + 1.0;
        CHECK((our_refit - their_refit).cwiseAbs().maxCoeff() <= 1e-4 * scale);
        CHECK((path.coefs().col(k) - their_path).cwiseAbs().maxCoeff() <= 1e-4 * scale);
    }
    // cv.glmnet with the same folds and grid: the relaxed CV errors per gamma.
    priorreg::CrossValidationOptions options;
    options.fold_ids = priorreg::make_folds(442, 5, 3);
    options.path = on_grid(reference.lambdas);
    priorreg::RelaxedCrossValidation<priorreg::LaplacePrior<>> cv(lasso, options, {0.0, 0.5, 1.0});
    cv.fit(d.X, d.y);
    REQUIRE(cv.info() == priorreg::Status::Success);
    for (std::size_t g = 0; g < 3; ++g) {
        INFO("gamma " << reference.cvm[g].first);
        const Eigen::VectorXd cvm = reference.cvm[g].second, cvsd = reference.cvsd[g].second;
        const auto row = static_cast<Eigen::Index>(g);
        CHECK((cv.mean_errors().row(row).transpose() - cvm).cwiseAbs().maxCoeff() <=
              1e-6 * cvm.maxCoeff());
        // The spread over five folds amplifies the folds' small differences.
        CHECK((cv.standard_errors().row(row).transpose() - cvsd).cwiseAbs().maxCoeff() <=
              1e-5 * cvsd.maxCoeff());
    }
}

TEST_CASE("Relaxed CV at gamma = 1 is the Lasso's CV; its choice is the grid's minimum",
          "[relaxed][cv]") {
    auto data = test_support::make_dataset(150, 25, 5, 41, 0.4);
    priorreg::CrossValidationOptions options;
    options.fold_ids = priorreg::make_folds(150, 5, 9);
    options.path.n_lambda = 40;
    priorreg::Lasso lasso;
    lasso.set_tolerance(1e-12);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> plain(lasso, options);
    plain.fit(data.X, data.y);
    priorreg::RelaxedCrossValidation<priorreg::LaplacePrior<>> relaxed(lasso, options);
    relaxed.fit(data.X, data.y);
    REQUIRE(relaxed.gammas().back() == 1.0);
    const Eigen::VectorXd at_one = relaxed.mean_errors().bottomRows(1).transpose();
    CHECK((at_one - plain.mean_errors()).cwiseAbs().maxCoeff() <=
          1e-7 * plain.mean_errors().maxCoeff());
    CHECK((relaxed.standard_errors().bottomRows(1).transpose() - plain.standard_errors())
              .cwiseAbs()
              .maxCoeff() <= 1e-6 * plain.standard_errors().maxCoeff());
    // The choice is the smallest error over the (gamma, lambda) grid, and the relaxed fits
    // (a sparse truth with strong signal) beat the Lasso's best.
    const double best = relaxed.mean_errors().minCoeff();
    const auto g = static_cast<Eigen::Index>(
        std::find(relaxed.gammas().begin(), relaxed.gammas().end(), relaxed.gamma_min()) -
        relaxed.gammas().begin());
    Eigen::Index l = 0;
    while (relaxed.lambdas()(l) != relaxed.lambda_min())
        ++l;
    CHECK(relaxed.mean_errors()(g, l) == best);
    CHECK(best <= plain.mean_errors().minCoeff());
    CHECK(relaxed.lambda_1se() >= relaxed.lambda_min());
    const Eigen::VectorXd coef = relaxed.coef();
    CHECK((coef - relaxed.relaxed().coefs(relaxed.gamma_min()).col(l)).norm() == 0.0);
    CHECK(relaxed.predict(data.X).size() == 150);
}

TEST_CASE("A boxed model's relaxed refits keep the box", "[relaxed][box]") {
    const test_csv::Design d = diabetes();
    priorreg::Lasso lasso;
    lasso.set_nonnegative().set_tolerance(1e-11);
    priorreg::PathOptions options;
    options.n_lambda = 20;
    const auto path = lasso.fit_path(d.X, d.y, options);
    const auto relaxed = priorreg::relax(path, d.X, d.y);
    REQUIRE(relaxed.info() == priorreg::Status::Success);
    CHECK(relaxed.relaxed_coefs().minCoeff() >= 0.0);
    // The lasso's solution is feasible for the boxed refit on its own support, so the refit's
    // residual sum of squares is no larger.
    for (Eigen::Index k = 0; k < path.size(); ++k) {
        const double lasso_rss =
            ((d.y - d.X * path.coefs().col(k)).array() - path.intercepts()(k)).square().sum();
        const double refit_rss =
            ((d.y - d.X * relaxed.relaxed_coefs().col(k)).array() - relaxed.relaxed_intercepts()(k))
                .square()
                .sum();
        CHECK(refit_rss <= lasso_rss * (1 + 1e-12));
    }
}

TEST_CASE("Relaxed CV on a grid that repeats a value", "[relaxed][cv][input]") {
    // Every correlation negative under a non-negative box: lambda_max is 0 and the grid is all
    // zero, which a fold's explicit grid cannot be; its distinct values are used instead.
    auto data = test_support::make_dataset(60, 4, 4, 17, 0.3);
    const Eigen::VectorXd y = -data.X.rowwise().sum();
    priorreg::Lasso lasso;
    lasso.set_nonnegative();
    priorreg::CrossValidationOptions options;
    options.folds = 4;
    options.path.n_lambda = 10;
    priorreg::RelaxedCrossValidation<priorreg::LaplacePrior<>> cv(lasso, options);
    REQUIRE_NOTHROW(cv.fit(data.X, y));
    CHECK(cv.mean_errors().allFinite());
    CHECK(cv.coef().cwiseAbs().maxCoeff() == 0.0);
}
