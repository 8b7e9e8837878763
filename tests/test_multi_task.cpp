// MultiTaskElasticNet: several responses with a group penalty on each feature's row. Checked
// against scikit-learn's MultiTaskLasso / MultiTaskElasticNet (tol 1e-12) and glmnet's
// mgaussian (thresh 1e-14) on the Linnerud data and a correlated design, against the group KKT
// conditions, by the certificate, and by reductions: one response is the elastic net, rows are
// zero or nonzero as a whole.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "numeric_csv.hpp"
#include "test_support.hpp"

namespace {

struct MultiData {
    Eigen::MatrixXd X, Y;
};

MultiData read_multi(const std::string& name, Eigen::Index k) {
    const test_csv::Design all =
        test_csv::read_design(std::string(PRIORREG_TEST_DATA_DIR) + "/multitask/" + name + ".csv");
    // read_design splits off the last column only: put it back and split k.
    Eigen::MatrixXd joined(all.X.rows(), all.X.cols() + 1);
    joined << all.X, all.y;
    return {joined.leftCols(joined.cols() - k), joined.rightCols(k)};
}

/// The objective on the original scale: (1/2n)||Y - 1 b0' - X B||^2 + lambda sum_j [alpha
/// ||s_j B_j|| + (1 - alpha)/2 ||s_j B_j||^2], s_j the column's (1/n) standard deviation or 1.
double objective(const MultiData& d, double lambda, double alpha, bool standardize,
                 const Eigen::VectorXd& intercept, const Eigen::MatrixXd& coef) {
    const double n = static_cast<double>(d.X.rows());
    Eigen::MatrixXd residual = d.Y - d.X * coef;
    residual.rowwise() -= intercept.transpose();
    double value = residual.squaredNorm() / (2 * n);
    for (Eigen::Index j = 0; j < coef.rows(); ++j) {
        double s = 1;
        if (standardize)
            s = std::sqrt((d.X.col(j).array() - d.X.col(j).mean()).square().mean());
        const double row = s * coef.row(j).norm();
        value += lambda * (alpha * row + 0.5 * (1 - alpha) * row * row);
    }
    return value;
}

double null_deviance(const MultiData& d) {
    return (d.Y.rowwise() - d.Y.colwise().mean()).squaredNorm() / static_cast<double>(d.Y.rows());
}

struct Reference {
    std::string data;
    double lambda = 0, alpha = 1;
    Eigen::VectorXd intercept;
    Eigen::MatrixXd coef;
};

std::vector<Reference> references(const std::string& file, bool has_alpha) {
    const auto rows =
        test_csv::read_text_rows(std::string(PRIORREG_TEST_DATA_DIR) + "/multitask/" + file);
    std::vector<Reference> out;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        Reference ref;
        ref.data = row.at(0);
        ref.lambda = std::stod(row.at(1));
        std::size_t at = 2;
        if (has_alpha)
            ref.alpha = std::stod(row.at(at++));
        const Eigen::Index k = ref.data == "linnerud" ? 3 : 4;
        const Eigen::Index p = (static_cast<Eigen::Index>(row.size() - at) - k) / k;
        ref.intercept.resize(k);
        for (Eigen::Index c = 0; c < k; ++c)
            ref.intercept(c) = std::stod(row.at(at++));
        ref.coef.resize(p, k);
        for (Eigen::Index j = 0; j < p; ++j)
            for (Eigen::Index c = 0; c < k; ++c)
                ref.coef(j, c) = std::stod(row.at(at++));
        out.push_back(ref);
    }
    return out;
}

} // namespace

TEST_CASE("MultiTaskElasticNet matches scikit-learn's MultiTaskLasso and MultiTaskElasticNet",
          "[multitask][sklearn]") {
    const auto refs = references("sklearn.csv", true);
    REQUIRE(refs.size() == 4);
    for (const auto& ref : refs) {
        INFO(ref.data << " lambda " << ref.lambda << " alpha " << ref.alpha);
        const MultiData d = read_multi(ref.data, ref.intercept.size());
        priorreg::MultiTaskElasticNet model(ref.lambda, ref.alpha);
        model.set_standardize(false).set_tolerance(1e-13).fit(d.X, d.Y);
        REQUIRE(model.info() == priorreg::Status::Success);
        const double ours =
            objective(d, ref.lambda, ref.alpha, false, model.intercept(), model.coef());
        const double theirs = objective(d, ref.lambda, ref.alpha, false, ref.intercept, ref.coef);
        CHECK(ours <= theirs + 1e-9 * null_deviance(d));
        CHECK((model.coef() - ref.coef).cwiseAbs().maxCoeff() <=
              1e-5 * (ref.coef.cwiseAbs().maxCoeff() + 1));
        CHECK(model.predict(d.X).cols() == d.Y.cols());
    }
}

TEST_CASE("The multi-task Lasso path matches glmnet's mgaussian", "[multitask][glmnet]") {
    const auto refs = references("glmnet_mgaussian.csv", false);
    for (const std::string name : {"linnerud", "correlated"}) {
        INFO(name);
        std::vector<double> lambdas;
        std::vector<const Reference*> fits;
        for (const auto& ref : refs)
            if (ref.data == name) {
                lambdas.push_back(ref.lambda);
                fits.push_back(&ref);
            }
        REQUIRE(lambdas.size() > 5);
        const MultiData d = read_multi(name, fits.front()->intercept.size());
        priorreg::MultiTaskElasticNet model(1.0, 1.0);
        model.set_tolerance(1e-13);
        priorreg::PathOptions options;
        options.lambdas = lambdas;
        const auto path = model.fit_path(d.X, d.Y, options);
        REQUIRE(path.status == priorreg::Status::Success);
        REQUIRE(path.size() == static_cast<Eigen::Index>(lambdas.size()));
        for (std::size_t l = 0; l < lambdas.size(); ++l) {
            INFO("lambda " << lambdas[l]);
            const auto li = static_cast<Eigen::Index>(l);
            const double ours =
                objective(d, lambdas[l], 1.0, true, path.intercepts.col(li), path.coefs[l]);
            const double theirs =
                objective(d, lambdas[l], 1.0, true, fits[l]->intercept, fits[l]->coef);
            CHECK(ours <= theirs + 1e-9 * null_deviance(d));
            CHECK(std::abs(ours - theirs) <= 1e-7 * null_deviance(d));
        }
        // Its default grid starts where every row is zero, and the first row enters next.
        const auto own = model.fit_path(d.X, d.Y);
        CHECK(own.coefs.front().cwiseAbs().maxCoeff() <=
              1e-10 * own.coefs.back().cwiseAbs().maxCoeff()); // zero up to rounding
        CHECK(own.coefs[1].cwiseAbs().maxCoeff() > 0.0);
        CHECK(std::abs(own.lambdas(0) - lambdas.front()) <= 1e-10 * lambdas.front());
    }
}

TEST_CASE("Multi-task fits meet the group KKT conditions and rows enter whole",
          "[multitask][kkt]") {
    const MultiData d = read_multi("correlated", 4);
    const double n = static_cast<double>(d.X.rows());
    for (const double alpha : {1.0, 0.4}) {
        const double lambda = 0.3;
        priorreg::MultiTaskElasticNet model(lambda, alpha);
        model.set_tolerance(1e-14).fit(d.X, d.Y);
        REQUIRE(model.info() == priorreg::Status::Success);
        Eigen::MatrixXd residual = d.Y - d.X * model.coef();
        residual.rowwise() -= model.intercept().transpose();
        int zero_rows = 0, full_rows = 0;
        for (Eigen::Index j = 0; j < d.X.cols(); ++j) {
            const Eigen::VectorXd x = d.X.col(j);
            const double s = std::sqrt((x.array() - x.mean()).square().mean());
            // Gradient with respect to the standardized row w_j = s_j B_j.
            const Eigen::RowVectorXd g = (x.transpose() * residual) / (n * s);
            const Eigen::RowVectorXd w = s * model.coef().row(j);
            const double norm = w.norm();
            if (norm == 0) {
                ++zero_rows;
                CHECK(g.norm() <= lambda * alpha + 1e-6 * lambda);
            } else {
                ++full_rows;
                CHECK((model.coef().row(j).array() != 0).all()); // the whole row enters
                const Eigen::RowVectorXd expected =
                    lambda * alpha * w / norm + lambda * (1 - alpha) * w;
                // A gap of 1e-14 of the null deviance leaves gradients about 1e-7 off.
                CHECK((g - expected).norm() <= 1e-6 * lambda);
            }
        }
        CHECK(zero_rows > 0);
        CHECK(full_rows >= 4);
    }
}

TEST_CASE("One response is the elastic net; the gap certifies the multi-task fit",
          "[multitask][reduction][gap]") {
    auto data = test_support::make_dataset(90, 12, 5, 23, 0.5);
    for (const double alpha : {1.0, 0.5, 0.0}) {
        INFO("alpha " << alpha);
        priorreg::MultiTaskElasticNet multi(0.05, alpha);
        multi.set_tolerance(1e-13).fit(data.X, Eigen::MatrixXd(data.y));
        priorreg::MapRegression<priorreg::ElasticNetPrior<>> single(0.05, alpha);
        single.set_tolerance(1e-13).fit(data.X, data.y);
        CHECK((multi.coef().col(0) - single.coef()).cwiseAbs().maxCoeff() <= 1e-6);
        CHECK(std::abs(multi.intercept()(0) - single.intercept()) <= 1e-6);
    }
    const MultiData d = read_multi("correlated", 4);
    priorreg::MultiTaskElasticNet loose(0.05, 0.7), tight(0.05, 0.7);
    loose.set_tolerance(1e-3).fit(d.X, d.Y);
    tight.set_tolerance(1e-14).fit(d.X, d.Y);
    const double excess = objective(d, 0.05, 0.7, true, loose.intercept(), loose.coef()) -
                          objective(d, 0.05, 0.7, true, tight.intercept(), tight.coef());
    CHECK(excess <= loose.duality_gap() + 1e-12);
    CHECK(excess > 0);
}

TEST_CASE("MultiTaskElasticNet refuses bad input", "[multitask][input]") {
    const MultiData d = read_multi("linnerud", 3);
    CHECK_THROWS_AS(priorreg::MultiTaskElasticNet(-1.0, 0.5), priorreg::InvalidInput);
    CHECK_THROWS_AS(priorreg::MultiTaskElasticNet(0.0, 0.5), priorreg::InvalidInput);
    priorreg::PathOptions at_zero;
    at_zero.lambdas = {1.0, 0.0};
    CHECK_THROWS_AS(priorreg::MultiTaskElasticNet().fit_path(d.X, d.Y, at_zero),
                    priorreg::InvalidInput);
    // A constant response: lambda_max is 0; the grid repeats it and CV still scores it.
    priorreg::CrossValidationOptions folds;
    folds.folds = 4;
    priorreg::MultiTaskCrossValidation constant(priorreg::MultiTaskElasticNet(), folds);
    REQUIRE_NOTHROW(constant.fit(d.X, Eigen::MatrixXd::Ones(d.X.rows(), 2)));
    CHECK(constant.info() == priorreg::Status::Success);
    CHECK(constant.coef().cwiseAbs().maxCoeff() == 0.0);
    CHECK_THROWS_AS(priorreg::MultiTaskElasticNet(1.0, 1.5), priorreg::InvalidInput);
    priorreg::MultiTaskElasticNet model(1.0, 1.0);
    CHECK_THROWS_AS(model.fit(d.X, d.Y.topRows(5)), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.coef(), priorreg::NotFitted);
    Eigen::MatrixXd bad = d.Y;
    bad(0, 0) = std::nan("");
    CHECK_THROWS_AS(model.fit(d.X, bad), priorreg::InvalidInput);
    model.fit(d.X, d.Y);
    CHECK_THROWS_AS(model.predict(Eigen::MatrixXd::Ones(2, 5)), priorreg::InvalidInput);
}

TEST_CASE("Multi-task CV scores the path fold by fold; one response is the elastic net's CV",
          "[multitask][cv]") {
    auto data = test_support::make_dataset(120, 15, 5, 31, 0.6);
    priorreg::CrossValidationOptions options;
    options.fold_ids = priorreg::make_folds(120, 5, 4);
    options.path.n_lambda = 30;
    // One response: the same path and the same fold errors as the Lasso's CV.
    priorreg::MultiTaskElasticNet multi(1.0, 1.0);
    multi.set_tolerance(1e-12);
    priorreg::MultiTaskCrossValidation cv(multi, options);
    cv.fit(data.X, Eigen::MatrixXd(data.y));
    REQUIRE(cv.info() == priorreg::Status::Success);
    priorreg::Lasso lasso;
    lasso.set_tolerance(1e-12);
    priorreg::CrossValidationOptions on_grid = options;
    on_grid.path.lambdas.assign(cv.path().lambdas.data(),
                                cv.path().lambdas.data() + cv.path().size());
    priorreg::CrossValidation<priorreg::LaplacePrior<>> single(lasso, on_grid);
    single.fit(data.X, data.y);
    CHECK((cv.mean_errors() - single.mean_errors()).cwiseAbs().maxCoeff() <=
          1e-6 * single.mean_errors().maxCoeff());
    CHECK((cv.standard_errors() - single.standard_errors()).cwiseAbs().maxCoeff() <=
          1e-5 * single.standard_errors().maxCoeff());
    CHECK(cv.lambda_min() == single.lambda_min());
    // Several responses: the choice minimizes the CV error and predicts n x k.
    const MultiData d = read_multi("correlated", 4);
    priorreg::CrossValidationOptions four;
    four.folds = 5;
    priorreg::MultiTaskCrossValidation several(priorreg::MultiTaskElasticNet(1.0, 0.8), four);
    several.fit(d.X, d.Y);
    CHECK(several.mean_errors()(several.index_min()) == several.mean_errors().minCoeff());
    CHECK(several.lambda_1se() >= several.lambda_min());
    CHECK(several.predict(d.X).cols() == 4);
    CHECK(several.coef().rows() == 40);
}
