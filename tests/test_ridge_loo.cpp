// Ridge over a lambda grid from one decomposition: LOO against brute-force refits, GCV against
// its definition, coefficients against the closed-form Ridge.
#include <catch2/catch.hpp>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <priorreg/priorreg.hpp>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace {

/// The data without row `out`.
std::pair<Eigen::MatrixXd, Eigen::VectorXd>
without_row(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Eigen::Index out) {
    std::vector<Eigen::Index> kept;
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        if (i != out)
            kept.push_back(i);
    return {X(kept, Eigen::all), y(kept)};
}

/// Leave-one-out MSE by refitting without each row. The identity behind the fast version keeps
/// the penalty n*lambda on the residual sum of squares, so the refit on n-1 rows uses
/// lambda * n / (n - 1) in priorreg's 1/(2n) scaling.
double brute_force_loo(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double lambda) {
    const Eigen::Index n = X.rows();
    double total = 0;
    for (Eigen::Index out = 0; out < n; ++out) {
        const auto [Xi, yi] = without_row(X, y, out);
        priorreg::Ridge ridge(lambda * static_cast<double>(n) / static_cast<double>(n - 1));
        ridge.set_standardize(false).fit(Xi, yi);
        const double error = y(out) - ridge.predict(X.row(out)).value();
        total += error * error;
    }
    return total / static_cast<double>(n);
}

/// Leave-one-out MSE at lambda = 0 by refitting without each row: least squares with an
/// intercept, minimum norm where the n - 1 rows do not determine the slopes (the limit of the
/// ridge refits as lambda falls to 0).
double brute_force_loo_least_squares(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    const Eigen::Index n = X.rows();
    double total = 0;
    for (Eigen::Index out = 0; out < n; ++out) {
        const auto [Xi, yi] = without_row(X, y, out);
        const Eigen::RowVectorXd x_mean = Xi.colwise().mean();
        const double y_mean = yi.mean();
        const Eigen::MatrixXd centered = Xi.rowwise() - x_mean;
        const Eigen::VectorXd slopes =
            centered.completeOrthogonalDecomposition().solve((yi.array() - y_mean).matrix());
        const double error = y(out) - y_mean - (X.row(out) - x_mean).dot(slopes);
        total += error * error;
    }
    return total / static_cast<double>(n);
}

/// GCV from its definition: hat matrix H = 11^T/n + Xc (Xc^T Xc + n lambda I)^-1 Xc^T.
double gcv_by_definition(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double lambda) {
    const auto n = static_cast<double>(X.rows());
    const Eigen::MatrixXd Xc = X.rowwise() - X.colwise().mean();
    Eigen::MatrixXd system = Xc.transpose() * Xc;
    system.diagonal().array() += n * lambda;
    const Eigen::MatrixXd hat = Eigen::MatrixXd::Constant(X.rows(), X.rows(), 1 / n) +
                                Xc * system.llt().solve(Xc.transpose());
    const Eigen::VectorXd residual = y - hat * y;
    const double denominator = 1 - hat.trace() / n;
    return residual.squaredNorm() / n / (denominator * denominator);
}

} // namespace

TEST_CASE("Ridge LOO equals brute-force refits and GCV its definition", "[ridge][loo]") {
    for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{40, 6}, {25, 60}}) {
        const auto d = test_support::make_dataset(shape.first, shape.second, 3, 301, 0.4);
        Eigen::VectorXd lambdas(4);
        lambdas << 1.0, 0.1, 0.01, 0.001;
        priorreg::RidgeLeaveOneOut<> search;
        CHECK_THROWS_AS(search.info(), priorreg::NotFitted);
        search.set_standardize(false).fit(d.X, d.y, lambdas);
        INFO("n = " << shape.first << ", p = " << shape.second);
        CHECK(search.info() == priorreg::Status::Success);
        for (Eigen::Index l = 0; l < lambdas.size(); ++l) {
            CHECK(search.loo_errors()(l) ==
                  Approx(brute_force_loo(d.X, d.y, lambdas(l))).epsilon(1e-8));
            CHECK(search.gcv_scores()(l) ==
                  Approx(gcv_by_definition(d.X, d.y, lambdas(l))).epsilon(1e-8));
        }
        const Eigen::Index best = [&] {
            Eigen::Index at = 0;
            search.loo_errors().minCoeff(&at);
            return at;
        }();
        CHECK(search.best_lambda_loo() == lambdas(best));
        // The per-row residuals at that lambda are those of the refits without each row.
        const Eigen::Index n = d.X.rows();
        REQUIRE(search.loo_residuals().size() == n);
        const double refit_lambda =
            lambdas(best) * static_cast<double>(n) / static_cast<double>(n - 1);
        for (const Eigen::Index out : {Eigen::Index(0), n / 2, n - 1}) {
            const auto [Xi, yi] = without_row(d.X, d.y, out);
            priorreg::Ridge ridge(refit_lambda);
            ridge.set_standardize(false).fit(Xi, yi);
            CHECK(search.loo_residuals()(out) ==
                  Approx(d.y(out) - ridge.predict(d.X.row(out)).value()).epsilon(1e-8));
        }
        CHECK(search.loo_residuals().squaredNorm() / static_cast<double>(n) ==
              Approx(search.loo_errors()(best)).epsilon(1e-12));
    }
}

TEST_CASE("Ridge LOO at lambda = 0 equals least-squares refits, also when rows are "
          "interpolated",
          "[ridge][loo]") {
    // n <= p + 1 with an intercept: every row has leverage 1 and e_i / (1 - H_ii) is 0/0 at
    // lambda = 0; the score is its limit, the minimum-norm refit's error.
    for (const auto& shape :
         {std::pair<Eigen::Index, Eigen::Index>{5, 5}, {7, 6}, {8, 12}, {30, 4}}) {
        const auto d = test_support::make_dataset(shape.first, shape.second, 2, 331, 0.3);
        Eigen::VectorXd lambdas(2);
        lambdas << 0.01, 0.0;
        priorreg::RidgeLeaveOneOut<> search;
        search.set_standardize(false).fit(d.X, d.y, lambdas);
        INFO("n = " << shape.first << ", p = " << shape.second);
        REQUIRE(search.info() == priorreg::Status::Success);
        CHECK(search.loo_errors().allFinite());
        CHECK(search.loo_errors()(0) ==
              Approx(brute_force_loo(d.X, d.y, lambdas(0))).epsilon(1e-8));
        CHECK(search.loo_errors()(1) ==
              Approx(brute_force_loo_least_squares(d.X, d.y)).epsilon(1e-8));
    }
}

TEST_CASE("Ridge grid coefficients equal the closed-form fit", "[ridge][loo]") {
    for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{80, 12}, {30, 90}}) {
        const auto d = test_support::make_dataset(shape.first, shape.second, 4, 307, 0.5);
        Eigen::VectorXd lambdas = Eigen::VectorXd::LinSpaced(5, -3, 0).unaryExpr(
            [](double e) { return std::pow(10.0, e); });
        priorreg::RidgeLeaveOneOut<> search;
        search.fit(d.X, d.y, lambdas);
        for (const double lambda : {0.5, 0.02}) {
            priorreg::Ridge ridge(lambda);
            ridge.fit(d.X, d.y);
            CHECK((search.coef(lambda) - ridge.coef()).cwiseAbs().maxCoeff() <
                  1e-9 * (1 + ridge.coef().cwiseAbs().maxCoeff()));
            CHECK(search.intercept(lambda) == Approx(ridge.intercept()).epsilon(1e-9));
        }
        // Effective degrees of freedom fall as lambda grows.
        for (Eigen::Index l = 1; l < lambdas.size(); ++l)
            CHECK(search.effective_df()(l) < search.effective_df()(l - 1));
    }
}

TEST_CASE("RidgeLeaveOneOut validates its input", "[ridge][loo][errors]") {
    const auto d = test_support::make_dataset(20, 3, 2, 311);
    priorreg::RidgeLeaveOneOut<> search;
    CHECK_THROWS_AS(search.loo_errors(), std::logic_error);
    CHECK_THROWS_AS(search.fit(d.X, d.y, Eigen::VectorXd(0)), std::invalid_argument);
    CHECK_THROWS_AS(search.fit(d.X, d.y, Eigen::VectorXd::Constant(2, -1.0)),
                    std::invalid_argument);
}

TEST_CASE("Weighted ridge LOO equals weighted refits without each row; unit weights change "
          "nothing",
          "[ridge][loo]") {
    for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{40, 6}, {20, 45}}) {
        const auto d = test_support::make_dataset(shape.first, shape.second, 3, 307, 0.5);
        const Eigen::Index n = d.X.rows();
        Eigen::VectorXd w(n);
        for (Eigen::Index i = 0; i < n; ++i)
            w(i) = 0.25 + static_cast<double>((i * 7) % 5); // 0.25 .. 4.25
        w(3) = 0;                                           // a row that counts for nothing
        Eigen::VectorXd lambdas(3);
        lambdas << 0.5, 0.05, 0.005;
        INFO("n = " << n << ", p = " << shape.second);

        priorreg::RidgeLeaveOneOut<> weighted;
        weighted.set_standardize(false).fit(d.X, d.y, w, lambdas);
        const double total = w.sum();
        for (Eigen::Index l = 0; l < lambdas.size(); ++l) {
            // The identity keeps the penalty sum(w) * lambda on the weighted residual sum of
            // squares: the refit without row i, of weight sum(w) - w_i, uses
            // lambda * sum(w) / (sum(w) - w_i) in priorreg's scaling.
            double loo = 0;
            Eigen::VectorXd residuals(n);
            for (Eigen::Index out = 0; out < n; ++out) {
                std::vector<Eigen::Index> kept;
                for (Eigen::Index i = 0; i < n; ++i)
                    if (i != out)
                        kept.push_back(i);
                priorreg::Ridge ridge(lambdas(l) * total / (total - w(out)));
                ridge.set_standardize(false).fit(d.X(kept, Eigen::all), d.y(kept), w(kept));
                residuals(out) = d.y(out) - ridge.predict(d.X.row(out)).value();
                loo += w(out) / total * residuals(out) * residuals(out);
            }
            CHECK(weighted.loo_errors()(l) == Approx(loo).epsilon(1e-8));
            if (lambdas(l) == weighted.best_lambda_loo())
                for (Eigen::Index i = 0; i < n; ++i)
                    CHECK(weighted.loo_residuals()(i) == Approx(residuals(i)).epsilon(1e-8));
        }
        // Coefficients are those of the weighted Ridge.
        priorreg::Ridge direct(lambdas(1));
        direct.set_standardize(false).fit(d.X, d.y, w);
        CHECK((weighted.coef(lambdas(1)) - direct.coef()).cwiseAbs().maxCoeff() < 1e-8);

        // Weights all equal (any scale) are the unweighted search, scores and residuals.
        priorreg::RidgeLeaveOneOut<> plain, scaled;
        plain.fit(d.X, d.y, lambdas);
        scaled.fit(d.X, d.y, Eigen::VectorXd::Constant(n, 3.0), lambdas);
        CHECK((plain.loo_errors() - scaled.loo_errors()).cwiseAbs().maxCoeff() <
              1e-12 * plain.loo_errors().maxCoeff());
        CHECK((plain.gcv_scores() - scaled.gcv_scores()).cwiseAbs().maxCoeff() <
              1e-12 * plain.gcv_scores().maxCoeff());
        CHECK((plain.loo_residuals() - scaled.loo_residuals()).cwiseAbs().maxCoeff() < 1e-10);
    }
}
