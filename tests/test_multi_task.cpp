// MultiTaskElasticNet: several responses with a group penalty on each feature's row. Checked
// against scikit-learn's MultiTaskLasso / MultiTaskElasticNet (tol 1e-12) and glmnet's
// mgaussian (thresh 1e-14) on the Linnerud data and a correlated design, against the group KKT
// conditions, by the certificate, and by reductions: one response is the elastic net, rows are
// zero or nonzero as a whole.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
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

/// The objective on the original scale: (1/2) sum_i v_i ||y_i - b0 - B'x_i||^2 / sum_i v_i +
/// lambda sum_j pf_j [alpha ||s_j B_j|| + (1 - alpha)/2 ||s_j B_j||^2], s_j the column's
/// weighted standard deviation or 1. Empty `weights` are all ones, empty `factors` all ones.
double objective(const MultiData& d, double lambda, double alpha, bool standardize,
                 const Eigen::VectorXd& intercept, const Eigen::MatrixXd& coef,
                 const Eigen::VectorXd& weights = Eigen::VectorXd(),
                 const Eigen::VectorXd& factors = Eigen::VectorXd()) {
    const Eigen::VectorXd v = weights.size()
                                  ? Eigen::VectorXd(weights / weights.sum())
                                  : Eigen::VectorXd::Constant(d.X.rows(), 1.0 / double(d.X.rows()));
    Eigen::MatrixXd residual = d.Y - d.X * coef;
    residual.rowwise() -= intercept.transpose();
    double value = 0.5 * v.dot(residual.rowwise().squaredNorm());
    for (Eigen::Index j = 0; j < coef.rows(); ++j) {
        double s = 1;
        if (standardize)
            s = std::sqrt(v.dot((d.X.col(j).array() - v.dot(d.X.col(j))).square().matrix()));
        const double row = s * coef.row(j).norm();
        const double pf = factors.size() ? factors(j) : 1.0;
        value += lambda * pf * (alpha * row + 0.5 * (1 - alpha) * row * row);
    }
    return value;
}

double null_deviance(const MultiData& d, const Eigen::VectorXd& weights = Eigen::VectorXd()) {
    const Eigen::VectorXd v = weights.size()
                                  ? Eigen::VectorXd(weights / weights.sum())
                                  : Eigen::VectorXd::Constant(d.X.rows(), 1.0 / double(d.X.rows()));
    const Eigen::RowVectorXd mean = v.transpose() * d.Y;
    return v.dot((d.Y.rowwise() - mean).rowwise().squaredNorm());
}

/// The weights and penalty factors of tests/reference/glmnet_mgaussian.R: row i (0-based)
/// weighs i mod 5; the factors repeat (0.5, 1, 1.5) on the Linnerud data and (0, 0.5, 1.5, 2)
/// on the correlated design.
Eigen::VectorXd glmnet_weights(Eigen::Index n) {
    Eigen::VectorXd w(n);
    for (Eigen::Index i = 0; i < n; ++i)
        w(i) = double(i % 5);
    return w;
}
Eigen::VectorXd glmnet_factors(const std::string& name, Eigen::Index p) {
    const std::vector<double> pattern =
        name == "linnerud" ? std::vector<double>{0.5, 1, 1.5} : std::vector<double>{0, 0.5, 1.5, 2};
    Eigen::VectorXd pf(p);
    for (Eigen::Index j = 0; j < p; ++j)
        pf(j) = pattern[std::size_t(j) % pattern.size()];
    return pf;
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

/// The references of one path (`name` at `alpha`), their lambdas in `lambdas`.
std::vector<const Reference*> path_references(const std::vector<Reference>& refs,
                                              const std::string& name, double alpha,
                                              std::vector<double>& lambdas) {
    std::vector<const Reference*> fits;
    for (const auto& ref : refs)
        if (ref.data == name && ref.alpha == alpha) {
            lambdas.push_back(ref.lambda);
            fits.push_back(&ref);
        }
    REQUIRE(lambdas.size() > 5);
    return fits;
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

TEST_CASE("Weighted multi-task paths with penalty factors match glmnet's mgaussian",
          "[multitask][glmnet][weights]") {
    const auto refs = references("glmnet_mgaussian_weighted.csv", true);
    for (const std::string name : {"linnerud", "correlated"})
        for (const double alpha : {1.0, 0.6}) {
            INFO(name << " alpha " << alpha);
            std::vector<double> lambdas;
            const auto fits = path_references(refs, name, alpha, lambdas);
            const MultiData d = read_multi(name, fits.front()->intercept.size());
            const Eigen::VectorXd w = glmnet_weights(d.X.rows());
            const Eigen::VectorXd pf = glmnet_factors(name, d.X.cols());
            priorreg::MultiTaskElasticNet model(1.0, alpha);
            model.set_tolerance(1e-13).set_penalty_factors(pf);
            priorreg::PathOptions options;
            options.lambdas = lambdas;
            const auto path = model.fit_path(d.X, d.Y, w, options);
            REQUIRE(path.status == priorreg::Status::Success);
            const double scale = null_deviance(d, w);
            for (std::size_t l = 0; l < lambdas.size(); ++l) {
                INFO("lambda " << lambdas[l]);
                const auto li = static_cast<Eigen::Index>(l);
                const double ours = objective(d, lambdas[l], alpha, true, path.intercepts.col(li),
                                              path.coefs[l], w, pf);
                const double theirs =
                    objective(d, lambdas[l], alpha, true, fits[l]->intercept, fits[l]->coef, w, pf);
                CHECK(ours <= theirs + 1e-9 * scale);
                CHECK(std::abs(ours - theirs) <= 1e-7 * scale);
                CHECK((path.coefs[l] - fits[l]->coef).cwiseAbs().maxCoeff() <=
                      1e-5 * (fits[l]->coef.cwiseAbs().maxCoeff() + 1));
            }
            // lambda_max: the unpenalized rows at their weighted least-squares values, every
            // other row zero, and the largest gradient norm over pf_j equal to lambda alpha.
            // glmnet fits the unpenalized rows iteratively: its lambda_max is 1e-8 off.
            const auto own = model.fit_path(d.X, d.Y, w);
            CHECK(std::abs(own.lambdas(0) - lambdas.front()) <= 1e-7 * lambdas.front());
            const Eigen::VectorXd v = w / w.sum();
            Eigen::MatrixXd residual = d.Y - d.X * own.coefs.front();
            residual.rowwise() -= own.intercepts.col(0).transpose();
            double largest = 0;
            for (Eigen::Index j = 0; j < d.X.cols(); ++j) {
                const Eigen::VectorXd x = d.X.col(j);
                const double s = std::sqrt(v.dot((x.array() - v.dot(x)).square().matrix()));
                const double g = ((x.cwiseProduct(v)).transpose() * residual).norm() / s;
                const double row = own.coefs.front().row(j).norm();
                if (pf(j) == 0) {
                    CHECK(g <= 1e-10 * lambdas.front());
                    CHECK(row > 0);
                } else {
                    CHECK(row <= 1e-12 * own.coefs.back().cwiseAbs().maxCoeff());
                    largest = std::max(largest, g / pf(j));
                }
            }
            CHECK(std::abs(largest - std::max(alpha, 1e-3) * own.lambdas(0)) <=
                  1e-10 * own.lambdas(0));
        }
}

TEST_CASE("Multi-task paths under sign bounds match glmnet's mgaussian with limits 0",
          "[multitask][glmnet][bounds]") {
    const auto refs = references("glmnet_mgaussian_bounded.csv", true);
    const double inf = std::numeric_limits<double>::infinity();
    for (const std::string name : {"linnerud", "correlated"})
        for (const double alpha : {1.0, 0.5}) {
            INFO(name << " alpha " << alpha);
            std::vector<double> lambdas;
            const auto fits = path_references(refs, name, alpha, lambdas);
            const MultiData d = read_multi(name, fits.front()->intercept.size());
            const Eigen::Index p = d.X.cols();
            priorreg::MultiTaskElasticNet model(1.0, alpha);
            model.set_tolerance(1e-13);
            Eigen::VectorXd lower = Eigen::VectorXd::Zero(p),
                            upper = Eigen::VectorXd::Constant(p, inf);
            if (name == "linnerud") {
                lower << 0, -inf, -inf;
                upper << inf, 0, inf;
                model.set_coefficient_bounds(lower, upper);
            } else {
                model.set_nonnegative();
            }
            priorreg::PathOptions options;
            options.lambdas = lambdas;
            const auto path = model.fit_path(d.X, d.Y, options);
            REQUIRE(path.status == priorreg::Status::Success);
            const double scale = null_deviance(d);
            bool clipped = false; // some entry held at 0 by a bound in a nonzero row
            for (std::size_t l = 0; l < lambdas.size(); ++l) {
                INFO("lambda " << lambdas[l]);
                const auto li = static_cast<Eigen::Index>(l);
                const double ours =
                    objective(d, lambdas[l], alpha, true, path.intercepts.col(li), path.coefs[l]);
                const double theirs =
                    objective(d, lambdas[l], alpha, true, fits[l]->intercept, fits[l]->coef);
                CHECK(ours <= theirs + 1e-9 * scale);
                CHECK(std::abs(ours - theirs) <= 1e-7 * scale);
                for (Eigen::Index j = 0; j < p; ++j) {
                    CHECK(path.coefs[l].row(j).minCoeff() >= lower(j));
                    CHECK(path.coefs[l].row(j).maxCoeff() <= upper(j));
                    clipped = clipped || (path.coefs[l].row(j).norm() > 0 &&
                                          (path.coefs[l].row(j).array() == 0).any());
                }
            }
            CHECK(clipped); // the bounds bind: without them every row enters whole
            // lambda_max under the bounds: the largest norm of a row's gradient projected on its
            // cone (glmnet starts its grid at the unprojected one, higher).
            const auto own = model.fit_path(d.X, d.Y);
            CHECK(own.coefs.front().cwiseAbs().maxCoeff() == 0.0);
            double largest = 0;
            const Eigen::MatrixXd centered = d.Y.rowwise() - d.Y.colwise().mean();
            for (Eigen::Index j = 0; j < p; ++j) {
                const Eigen::VectorXd x = d.X.col(j);
                const double sd = std::sqrt((x.array() - x.mean()).square().mean());
                Eigen::RowVectorXd g = x.transpose() * centered / (double(d.X.rows()) * sd);
                for (Eigen::Index c = 0; c < g.size(); ++c)
                    if ((g(c) < 0 && lower(j) == 0) || (g(c) > 0 && upper(j) == 0))
                        g(c) = 0;
                largest = std::max(largest, g.norm());
            }
            CHECK(std::abs(largest - alpha * own.lambdas(0)) <= 1e-10 * largest);
            CHECK(own.lambdas(0) <= lambdas.front());
        }
    priorreg::MultiTaskElasticNet model(1.0, 1.0);
    CHECK_THROWS_AS(model.set_coefficient_bounds(Eigen::VectorXd::Constant(3, -1.0),
                                                 Eigen::VectorXd::Constant(3, inf)),
                    priorreg::InvalidInput);
    CHECK_THROWS_AS(
        model.set_coefficient_bounds(Eigen::VectorXd::Zero(3), Eigen::VectorXd::Zero(2)),
        priorreg::InvalidInput);
    const MultiData d = read_multi("linnerud", 3);
    model.set_coefficient_bounds(Eigen::VectorXd::Zero(2), Eigen::VectorXd::Constant(2, inf));
    CHECK_THROWS_AS(model.fit(d.X, d.Y), priorreg::InvalidInput); // length 2, p = 3
    model.set_nonnegative().set_penalty_factors(Eigen::Vector3d(0, 1, 1));
    CHECK_THROWS_AS(model.fit(d.X, d.Y), priorreg::InvalidInput); // bounded and unpenalized
}

TEST_CASE("Multi-task weights are replicated rows; zero weight is a dropped row",
          "[multitask][weights]") {
    const MultiData d = read_multi("correlated", 4);
    const Eigen::Index n = d.X.rows();
    Eigen::VectorXd w(n);
    std::vector<Eigen::Index> copies;
    for (Eigen::Index i = 0; i < n; ++i) {
        w(i) = double((3 * i) % 4); // 0, 3, 2, 1, ...
        for (int c = 0; c < int(w(i)); ++c)
            copies.push_back(i);
    }
    const MultiData replicated{d.X(copies, Eigen::all), d.Y(copies, Eigen::all)};
    for (const double alpha : {1.0, 0.3}) {
        INFO("alpha " << alpha);
        priorreg::MultiTaskElasticNet weighted(0.08, alpha), repeated(0.08, alpha);
        weighted.set_tolerance(1e-14).fit(d.X, d.Y, w);
        repeated.set_tolerance(1e-14).fit(replicated.X, replicated.Y);
        REQUIRE(weighted.info() == priorreg::Status::Success);
        CHECK((weighted.coef() - repeated.coef()).cwiseAbs().maxCoeff() <=
              1e-7 * (repeated.coef().cwiseAbs().maxCoeff() + 1));
        CHECK((weighted.intercept() - repeated.intercept()).cwiseAbs().maxCoeff() <= 1e-7);
        // Scaling every weight changes nothing.
        priorreg::MultiTaskElasticNet scaled(0.08, alpha);
        scaled.set_tolerance(1e-14).fit(d.X, d.Y, Eigen::VectorXd(1e6 * w));
        CHECK((scaled.coef() - weighted.coef()).cwiseAbs().maxCoeff() <=
              1e-9 * (weighted.coef().cwiseAbs().maxCoeff() + 1));
    }
}

TEST_CASE("Multi-task penalty factors scale lambda row by row; unpenalized rows meet zero "
          "gradient; excluded features are dropped columns",
          "[multitask][penalty]") {
    const MultiData d = read_multi("correlated", 4);
    const Eigen::Index p = d.X.cols();
    const double n = double(d.X.rows());
    // Factors all c at lambda are all ones at c lambda.
    priorreg::MultiTaskElasticNet doubled(0.1, 0.7), plain(0.2, 0.7);
    doubled.set_tolerance(1e-14).set_penalty_factors(Eigen::VectorXd::Constant(p, 2.0));
    doubled.fit(d.X, d.Y);
    plain.set_tolerance(1e-14).fit(d.X, d.Y);
    CHECK((doubled.coef() - plain.coef()).cwiseAbs().maxCoeff() <=
          1e-7 * (plain.coef().cwiseAbs().maxCoeff() + 1));
    // Unpenalized rows (including two collinear copies) have zero gradient; the others meet
    // their own KKT bound lambda alpha pf_j.
    MultiData copied = d;
    copied.X.col(1) = (2.0 * d.X.col(0)).array() + 1.0; // collinear with column 0
    Eigen::VectorXd pf = glmnet_factors("correlated", p);
    pf(1) = 0;
    const double lambda = 0.15, alpha = 1.0;
    priorreg::MultiTaskElasticNet model(lambda, alpha);
    model.set_tolerance(1e-14).set_penalty_factors(pf).fit(copied.X, copied.Y);
    REQUIRE(model.info() == priorreg::Status::Success);
    Eigen::MatrixXd residual = copied.Y - copied.X * model.coef();
    residual.rowwise() -= model.intercept().transpose();
    for (Eigen::Index j = 0; j < p; ++j) {
        INFO("feature " << j << " pf " << pf(j));
        const Eigen::VectorXd x = copied.X.col(j);
        const double s = std::sqrt((x.array() - x.mean()).square().mean());
        const Eigen::RowVectorXd g = (x.transpose() * residual) / (n * s);
        const Eigen::RowVectorXd row = s * model.coef().row(j);
        if (pf(j) == 0)
            CHECK(g.norm() <= 1e-6 * lambda);
        else if (row.norm() == 0)
            CHECK(g.norm() <= lambda * alpha * pf(j) * (1 + 1e-6));
        else
            CHECK((g - lambda * alpha * pf(j) * row / row.norm()).norm() <= 1e-6 * lambda);
    }
    // Excluding features is fitting without their columns.
    const std::vector<Eigen::Index> excluded{3, 17, 18};
    std::vector<Eigen::Index> kept;
    for (Eigen::Index j = 0; j < p; ++j)
        if (!std::binary_search(excluded.begin(), excluded.end(), j))
            kept.push_back(j);
    priorreg::MultiTaskElasticNet without(0.1, 0.8), dropped(0.1, 0.8);
    without.set_tolerance(1e-14).set_excluded_features({18, 3, 17, 3}).fit(d.X, d.Y);
    dropped.set_tolerance(1e-14).fit(d.X(Eigen::all, kept), d.Y);
    CHECK((without.coef()(kept, Eigen::all) - dropped.coef()).cwiseAbs().maxCoeff() <= 1e-8);
    CHECK(without.coef()(excluded, Eigen::all).cwiseAbs().maxCoeff() == 0.0);
    const auto path = without.fit_path(d.X, d.Y);
    const auto path_dropped = dropped.fit_path(d.X(Eigen::all, kept), d.Y);
    CHECK(std::abs(path.lambdas(0) - path_dropped.lambdas(0)) <= 1e-12 * path.lambdas(0));
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

TEST_CASE("Multi-task fits take any dense double expression: a block, a map and a vector give "
          "the fit of their copies",
          "[multitask][input]") {
    const MultiData d = read_multi("correlated", 4);
    Eigen::MatrixXd wide(d.X.rows(), d.X.cols() + 2); // X sits in a block with an outer stride
    wide.setRandom();
    wide.rightCols(d.X.cols()) = d.X;
    const Eigen::Map<const Eigen::MatrixXd> Y_map(d.Y.data(), d.Y.rows(), d.Y.cols());
    priorreg::MultiTaskElasticNet copies(0.05, 0.7), views(0.05, 0.7);
    copies.set_tolerance(1e-12).fit(d.X, d.Y);
    views.set_tolerance(1e-12).fit(wide.rightCols(d.X.cols()), Y_map);
    const double scale = copies.coef().cwiseAbs().maxCoeff();
    CHECK((views.coef() - copies.coef()).cwiseAbs().maxCoeff() <= 1e-12 * scale);
    CHECK((views.intercept() - copies.intercept()).cwiseAbs().maxCoeff() <= 1e-12 * scale);
    // One response as a vector: the matrix of one column.
    const Eigen::VectorXd y = d.Y.col(0);
    priorreg::MultiTaskElasticNet vector_fit(0.05, 0.7), matrix_fit(0.05, 0.7);
    vector_fit.fit(d.X, y);
    matrix_fit.fit(d.X, Eigen::MatrixXd(y));
    CHECK(vector_fit.coef().rows() == d.X.cols());
    CHECK(vector_fit.coef().cols() == 1);
    CHECK((vector_fit.coef() - matrix_fit.coef()).cwiseAbs().maxCoeff() <=
          1e-12 * matrix_fit.coef().cwiseAbs().maxCoeff());
    const priorreg::MultiTaskPath path = views.fit_path(wide.rightCols(d.X.cols()), Y_map);
    const priorreg::MultiTaskPath copied = copies.fit_path(d.X, d.Y);
    REQUIRE(path.size() == copied.size());
    CHECK((path.lambdas - copied.lambdas).cwiseAbs().maxCoeff() <=
          1e-14 * copied.lambdas.maxCoeff());
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
    const Eigen::Index n = d.X.rows();
    CHECK_THROWS_AS(model.fit(d.X, d.Y, Eigen::VectorXd::Ones(n - 1)), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.fit(d.X, d.Y, Eigen::VectorXd::Zero(n)), priorreg::InvalidInput);
    Eigen::VectorXd negative = Eigen::VectorXd::Ones(n);
    negative(2) = -1;
    CHECK_THROWS_AS(model.fit(d.X, d.Y, negative), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.set_penalty_factors(Eigen::VectorXd::Constant(3, -1.0)),
                    priorreg::InvalidInput);
    priorreg::MultiTaskElasticNet wrong(1.0, 1.0);
    wrong.set_penalty_factors(Eigen::VectorXd::Ones(5));
    CHECK_THROWS_AS(wrong.fit(d.X, d.Y), priorreg::InvalidInput);
    priorreg::MultiTaskElasticNet outside(1.0, 1.0);
    outside.set_excluded_features({3});
    CHECK_THROWS_AS(outside.fit(d.X, d.Y), priorreg::InvalidInput);
    CHECK_THROWS_AS(outside.set_excluded_features({-1}), priorreg::InvalidInput);
    // Inputs are not modified by a weighted fit.
    const Eigen::MatrixXd X0 = d.X, Y0 = d.Y;
    const Eigen::VectorXd w0 = Eigen::VectorXd::LinSpaced(n, 1.0, 2.0);
    Eigen::VectorXd w = w0;
    model.fit(d.X, d.Y, w);
    CHECK((d.X == X0));
    CHECK((d.Y == Y0));
    CHECK((w == w0));
}

namespace {

/// With one response, multi-task CV (weighted when `w` is not empty) has the elastic net's
/// path, fold errors and choice.
void check_one_response_cv(double alpha, const Eigen::VectorXd& w, unsigned seed) {
    auto data = test_support::make_dataset(120, 15, 5, seed, 0.6);
    priorreg::CrossValidationOptions options;
    options.fold_ids = priorreg::make_folds(120, 5, seed);
    options.path.n_lambda = 25;
    priorreg::MultiTaskElasticNet multi(1.0, alpha);
    multi.set_tolerance(1e-12);
    priorreg::MultiTaskCrossValidation cv(multi, options);
    priorreg::MapRegression<priorreg::ElasticNetPrior<>> single(1.0, alpha);
    single.set_tolerance(1e-12);
    if (w.size())
        cv.fit(data.X, Eigen::MatrixXd(data.y), w);
    else
        cv.fit(data.X, Eigen::MatrixXd(data.y));
    REQUIRE(cv.info() == priorreg::Status::Success);
    priorreg::CrossValidationOptions on_grid = options;
    on_grid.path.lambdas.assign(cv.path().lambdas.begin(),
                                cv.path().lambdas.begin() + cv.path().size());
    priorreg::CrossValidation<priorreg::ElasticNetPrior<>> reference(single, on_grid);
    const auto path =
        w.size() ? single.fit_path(data.X, data.y, w) : single.fit_path(data.X, data.y);
    if (w.size())
        reference.fit(data.X, data.y, w);
    else
        reference.fit(data.X, data.y);
    CHECK((cv.mean_errors() - reference.mean_errors()).cwiseAbs().maxCoeff() <=
          1e-6 * reference.mean_errors().maxCoeff());
    CHECK((cv.standard_errors() - reference.standard_errors()).cwiseAbs().maxCoeff() <=
          1e-5 * reference.standard_errors().maxCoeff());
    CHECK(cv.lambda_min() == reference.lambda_min());
    // The path's first lambda is the (weighted) lambda_max of the elastic net.
    CHECK(std::abs(cv.path().lambdas(0) - path.lambdas()(0)) <= 1e-10 * path.lambdas()(0));
}

} // namespace

TEST_CASE("Multi-task CV scores the path fold by fold; one response is the elastic net's CV, "
          "weighted or not",
          "[multitask][cv][weights]") {
    check_one_response_cv(1.0, Eigen::VectorXd(), 31);
    Eigen::VectorXd w(120);
    for (Eigen::Index i = 0; i < 120; ++i)
        w(i) = 0.5 + double((7 * i) % 5); // 0.5 .. 4.5
    check_one_response_cv(0.5, w, 37);
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

namespace {

/// 120 rows, 80 features in 20 groups of 4 near-copies (noise 1e-3), 3 responses on 6 of them:
/// block coordinate descent moves weight between copies at a rate of about 1 - 1e-6 a sweep.
MultiData near_duplicates() {
    const Eigen::Index n = 120, p = 80, k = 3;
    std::mt19937 rng(7);
    std::normal_distribution<double> normal(0, 1);
    MultiData d{Eigen::MatrixXd(n, p), Eigen::MatrixXd(n, k)};
    for (Eigen::Index i = 0; i < n; ++i) {
        double shared = normal(rng);
        for (Eigen::Index j = 0; j < p; ++j) {
            if (j % 4 == 0)
                shared = 0.3 * shared + normal(rng);
            d.X(i, j) = shared + 1e-3 * normal(rng);
        }
    }
    Eigen::MatrixXd B = Eigen::MatrixXd::Zero(p, k);
    for (Eigen::Index j = 0; j < 6; ++j)
        B.row(13 * j) << 1, -0.5, 2;
    d.Y = d.X * B;
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index c = 0; c < k; ++c)
            d.Y(i, c) += normal(rng);
    return d;
}

/// The weighted group KKT conditions of a fit on the original scale, each row restricted to
/// its cone of signs: g_j, the negative gradient of the loss in the standardized row
/// w_j = s_j B_j, is lambda pf_j (alpha w_j/||w_j|| + (1 - alpha) w_j) on the entries free to
/// move, projects to norm at most lambda alpha pf_j on a zero row, is 0 on an unpenalized row,
/// and points out of the cone on an entry held at 0 by its bound.
void check_cone_kkt(const MultiData& d, const Eigen::VectorXd& weights, double lambda, double alpha,
                    const Eigen::VectorXd& pf, const Eigen::VectorXd& lower,
                    const Eigen::VectorXd& upper, const Eigen::VectorXd& intercept,
                    const Eigen::MatrixXd& coef, double tolerance) {
    const Eigen::VectorXd v = weights / weights.sum();
    Eigen::MatrixXd residual = d.Y - d.X * coef;
    residual.rowwise() -= intercept.transpose();
    const auto forbidden = [&](Eigen::Index j, double g) {
        return (g < 0 && lower(j) == 0) || (g > 0 && upper(j) == 0);
    };
    for (Eigen::Index j = 0; j < d.X.cols(); ++j) {
        INFO("feature " << j << " pf " << pf(j));
        const Eigen::VectorXd x = d.X.col(j).array() - v.dot(d.X.col(j));
        const double s = std::sqrt(v.dot(x.cwiseAbs2()));
        const Eigen::RowVectorXd g = (x.cwiseProduct(v)).transpose() * residual / s;
        const Eigen::RowVectorXd w = s * coef.row(j);
        if (pf(j) == 0) {
            CHECK(g.norm() <= tolerance);
            continue;
        }
        for (Eigen::Index c = 0; c < w.size(); ++c)
            CHECK(!forbidden(j, w(c)));
        if (w.norm() == 0) {
            Eigen::RowVectorXd projected = g;
            for (Eigen::Index c = 0; c < g.size(); ++c)
                if (forbidden(j, g(c)))
                    projected(c) = 0;
            CHECK(projected.norm() <= lambda * alpha * pf(j) + tolerance);
            continue;
        }
        const Eigen::RowVectorXd expected =
            lambda * pf(j) * (alpha * w / w.norm() + (1 - alpha) * w);
        for (Eigen::Index c = 0; c < w.size(); ++c) {
            if (w(c) == 0 && (forbidden(j, 1.0) || forbidden(j, -1.0)))
                CHECK((forbidden(j, g(c)) || std::abs(g(c)) <= tolerance));
            else
                CHECK(std::abs(g(c) - expected(c)) <= tolerance);
        }
    }
}

} // namespace

TEST_CASE("Multi-task paths certify on near-duplicate columns within a sweep budget",
          "[multitask][kkt][duplicates]") {
    // Coordinate descent alone leaves duality gaps near 0.1 of the null deviance after 500
    // sweeps per lambda at alpha 1 here; the Newton steps on the nonzero rows
    // (solvers/group_newton.hpp) certify each lambda in well under 100.
    const MultiData d = near_duplicates();
    const Eigen::Index n = d.X.rows(), p = d.X.cols();
    const double inf = std::numeric_limits<double>::infinity();
    Eigen::VectorXd weights(n);
    for (Eigen::Index i = 0; i < n; ++i)
        weights(i) = 0.5 + double(i % 3);
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(p);
    pf(1) = pf(2) = 0; // two unpenalized near-copies of feature 0 (and of each other)
    for (const double alpha : {1.0, 0.3})
        for (const bool bounded : {false, true}) {
            INFO("alpha " << alpha << (bounded ? " nonnegative" : ""));
            Eigen::VectorXd lower = Eigen::VectorXd::Constant(p, -inf),
                            upper = Eigen::VectorXd::Constant(p, inf);
            if (bounded) {
                lower.setZero();
                lower(1) = lower(2) = -inf;
            }
            priorreg::MultiTaskElasticNet model(1.0, alpha);
            model.set_penalty_factors(pf).set_max_iterations(300);
            if (bounded)
                model.set_coefficient_bounds(lower, upper);
            const auto path = model.fit_path(d.X, d.Y, weights);
            REQUIRE(path.status == priorreg::Status::Success);
            const double target = 1e-7 * null_deviance(d, weights);
            CHECK(path.duality_gaps.maxCoeff() <= target);
            CHECK(*std::max_element(path.iterations.begin(), path.iterations.end()) < 300);
            // Tight single fits at the end of the path and in its middle meet the KKT
            // conditions.
            for (const Eigen::Index at : {path.size() - 1, path.size() / 2}) {
                const double lambda = path.lambdas(at);
                INFO("lambda " << lambda);
                priorreg::MultiTaskElasticNet tight(lambda, alpha);
                tight.set_penalty_factors(pf).set_tolerance(1e-13).set_max_iterations(2000);
                if (bounded)
                    tight.set_coefficient_bounds(lower, upper);
                tight.fit(d.X, d.Y, weights);
                REQUIRE(tight.info() == priorreg::Status::Success);
                check_cone_kkt(d, weights, lambda, alpha, pf, lower, upper, tight.intercept(),
                               tight.coef(), 1e-5 * lambda);
            }
        }
}
