// BayesianRidge: against scikit-learn's BayesianRidge (tests/reference/sklearn_bayesian_ridge.py),
// and against the definitions: the posterior covariance is the inverse of the posterior
// precision, the mean is the ridge MAP, the log evidence is the Gaussian marginal likelihood
// formed directly, and the estimated precisions are a stationary point of it.
#include <catch2/catch.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <priorreg/priorreg.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "numeric_csv.hpp"

namespace bayes_test {

const std::string bayes_data_dir = PRIORREG_TEST_DATA_DIR;

/// scikit-learn's record of one case at one tolerance: each key's numbers.
using BayesRecord = std::map<std::string, std::vector<double>>;

/// `bayesian_ridge.txt`'s records by "case label"; the first line of each names its data.
std::map<std::string, BayesRecord> read_bayes_records() {
    std::ifstream in(bayes_data_dir + "/sklearn/bayesian_ridge.txt");
    REQUIRE(in);
    std::map<std::string, BayesRecord> records;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string name, label, key, word;
        fields >> name >> label >> key;
        std::vector<double> values;
        if (key == "data") {
            fields >> word; // the data's name
            values.push_back(word == "diabetes" ? 0 : word == "bayes_tall" ? 1 : 2);
            while (fields >> word)
                if (word != "intercept" && word != "weighted")
                    values.push_back(std::stod(word));
        } else {
            while (fields >> word)
                values.push_back(std::stod(word));
        }
        records[name + " " + label][key] = values;
    }
    return records;
}

struct BayesData {
    Eigen::MatrixXd X;
    Eigen::VectorXd y, w;
};

BayesData load_bayes_data(const std::string& name) {
    const std::string csv =
        name == "diabetes" ? "/diabetes/diabetes.csv" : "/sklearn/" + name + ".csv";
    const auto design = test_csv::read_design(bayes_data_dir + csv);
    BayesData d{design.X, design.y, Eigen::VectorXd()};
    std::ifstream in(bayes_data_dir + "/sklearn/" + name + "_weights.txt");
    REQUIRE(in);
    std::vector<double> w;
    double value = 0;
    while (in >> value)
        w.push_back(value);
    REQUIRE(static_cast<Eigen::Index>(w.size()) == d.X.rows());
    d.w = Eigen::Map<Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size()));
    return d;
}

const BayesData& bayes_dataset(int index) {
    static const BayesData data[3] = {load_bayes_data("diabetes"), load_bayes_data("bayes_tall"),
                                      load_bayes_data("bayes_wide")};
    return data[index];
}

Eigen::VectorXd bayes_as_vector(const std::vector<double>& values) {
    return Eigen::Map<const Eigen::VectorXd>(values.data(),
                                             static_cast<Eigen::Index>(values.size()));
}

/// Largest difference relative to the largest entry of `reference`.
double bayes_difference(const Eigen::MatrixXd& ours, const Eigen::MatrixXd& reference) {
    REQUIRE(ours.rows() == reference.rows());
    REQUIRE(ours.cols() == reference.cols());
    return (ours - reference).cwiseAbs().maxCoeff() / reference.cwiseAbs().maxCoeff();
}

/// The weighted centering of the model: means (zero without an intercept).
struct BayesCentered {
    Eigen::MatrixXd X;
    Eigen::VectorXd y, x_mean;
    double y_mean = 0;
};
BayesCentered bayes_center(const BayesData& d, const Eigen::VectorXd& w, bool intercept) {
    BayesCentered c;
    const double total = w.sum();
    c.x_mean = intercept ? Eigen::VectorXd((d.X.transpose() * w) / total)
                         : Eigen::VectorXd::Zero(d.X.cols());
    c.y_mean = intercept ? w.dot(d.y) / total : 0.0;
    c.X = d.X.rowwise() - c.x_mean.transpose();
    c.y = d.y.array() - c.y_mean;
    return c;
}

/// Population (1/W) weighted standard deviations of the columns (about their means, also
/// without an intercept: the scale standardization divides by).
Eigen::VectorXd bayes_column_scales(const BayesData& d, const Eigen::VectorXd& w) {
    const BayesCentered c = bayes_center(d, w, true);
    return ((c.X.array().square().colwise() * w.array()).colwise().sum() / w.sum())
        .sqrt()
        .transpose();
}

/// The posterior precision of the coefficients on the original scale: a X_c^T W X_c + l S^2
/// (S the column scales the prior is placed on; 1 without standardization).
Eigen::MatrixXd bayes_posterior_precision(const BayesCentered& c, const Eigen::VectorXd& w,
                                          double a, double l, const Eigen::VectorXd& scales) {
    Eigen::MatrixXd precision = a * c.X.transpose() * w.asDiagonal() * c.X;
    precision.diagonal() += l * scales.cwiseAbs2();
    return precision;
}

/// log N(y_c | 0, C), C = diag(1/(a w)) + X_c S^-2 X_c^T / l, formed as an n x n covariance and
/// its Cholesky factor, plus the Gamma hyperpriors' log densities up to their constants (scikit-
/// learn's score, for unit weights).
double bayes_log_evidence(const BayesCentered& c, const Eigen::VectorXd& w, double a, double l,
                          const Eigen::VectorXd& scales, bool hyperpriors = true) {
    const Eigen::Index n = c.X.rows();
    const Eigen::MatrixXd Z = c.X * scales.cwiseInverse().asDiagonal();
    Eigen::MatrixXd covariance = Z * Z.transpose() / l;
    covariance.diagonal() += (a * w.array()).inverse().matrix();
    const Eigen::LLT<Eigen::MatrixXd> factor(covariance);
    REQUIRE(factor.info() == Eigen::Success);
    const Eigen::VectorXd solved = factor.matrixL().solve(c.y);
    const double log_det = 2 * factor.matrixL().toDenseMatrix().diagonal().array().log().sum();
    const double pi = 3.14159265358979323846;
    const double likelihood = -0.5 * solved.squaredNorm() - 0.5 * log_det -
                              0.5 * static_cast<double>(n) * std::log(2 * pi);
    const double hyper = hyperpriors ? 1e-6 * (std::log(a) - a) + 1e-6 * (std::log(l) - l) : 0.0;
    return likelihood + hyper;
}

} // namespace bayes_test

using namespace bayes_test;

TEST_CASE("BayesianRidge matches scikit-learn's BayesianRidge without standardization",
          "[bayes][sklearn]") {
    const auto records = read_bayes_records();
    REQUIRE(records.size() == 14);
    for (const auto& [key, record] : records) {
        INFO(key);
        const auto& about = record.at("data");
        const BayesData& d = bayes_dataset(static_cast<int>(about[0]));
        const bool intercept = about[1] != 0, weighted = about[2] != 0;
        const bool tight = key.find("tight") != std::string::npos;
        const Eigen::VectorXd w = weighted ? d.w : Eigen::VectorXd::Ones(d.X.rows());
        priorreg::BayesianRidge model;
        model.set_standardize(false).set_fit_intercept(intercept);
        if (tight)
            model.set_tolerance(1e-10).set_max_iterations(100000);
        model.fit(d.X, d.y, w);
        REQUIRE(model.info() == priorreg::Status::Success);
        CHECK(model.iterations() == static_cast<int>(record.at("n_iter")[0]));
        const double alpha = record.at("alpha")[0], lambda = record.at("lambda")[0];
        CHECK(model.noise_precision() == Approx(alpha).epsilon(1e-8));
        CHECK(model.weight_precision() == Approx(lambda).epsilon(1e-8));
        const Eigen::VectorXd coef = bayes_as_vector(record.at("coef"));
        CHECK(bayes_difference(model.coef(), coef) < 1e-8);
        CHECK(model.intercept() ==
              Approx(record.at("intercept")[0]).margin(1e-8 * coef.cwiseAbs().maxCoeff()));
        if (tight) // scikit-learn's last score is the returned mean's evidence once converged
            CHECK(model.log_evidence() == Approx(record.at("score")[0]).epsilon(1e-8));

        const Eigen::Index p = d.X.cols();
        const Eigen::MatrixXd sigma =
            Eigen::Map<const Eigen::MatrixXd>(record.at("sigma").data(), p, p);
        const Eigen::MatrixXd ours = model.posterior_covariance();
        const BayesCentered c = bayes_center(d, w, intercept);
        if (d.X.rows() > p) {
            CHECK(bayes_difference(ours, sigma) < 1e-8);
        } else {
            // scikit-learn 1.2's sigma_ is the covariance on the span of the data's rows only
            // (with an intercept, plus one direction its SVD reports at singular value ~0):
            // P Sigma P with P the projection onto the span; the prior's 1/l off it is left out.
            const Eigen::JacobiSVD<Eigen::MatrixXd> svd(w.cwiseSqrt().asDiagonal() * c.X,
                                                        Eigen::ComputeThinV);
            const Eigen::Index rank = svd.rank();
            const Eigen::MatrixXd V = svd.matrixV().leftCols(rank);
            const Eigen::MatrixXd P = V * V.transpose();
            CHECK(bayes_difference(P * ours * P, P * sigma * P) < 1e-8);
            CHECK(bayes_difference(ours, sigma) > 1e-3); // ... and the two do differ
        }
        if (!intercept && d.X.rows() > p) { // the same predictive spread without an intercept
            const Eigen::VectorXd std = bayes_as_vector(record.at("predict_std"));
            CHECK(bayes_difference(model.predict_std(d.X.topRows(5)), std) < 1e-8);
        }
    }
}

TEST_CASE("BayesianRidge's covariance inverts the posterior precision, its mean is the ridge MAP",
          "[bayes]") {
    for (int index = 0; index < 3; ++index)
        for (const bool standardize : {false, true})
            for (const bool intercept : {true, false})
                for (const bool weighted : {false, true}) {
                    const BayesData& d = bayes_dataset(index);
                    INFO("data " << index << " standardize " << standardize << " intercept "
                                 << intercept << " weighted " << weighted);
                    const Eigen::VectorXd w = weighted ? d.w : Eigen::VectorXd::Ones(d.X.rows());
                    priorreg::BayesianRidge model;
                    model.set_standardize(standardize)
                        .set_fit_intercept(intercept)
                        .fit(d.X, d.y, w);
                    REQUIRE(model.info() == priorreg::Status::Success);
                    const double a = model.noise_precision(), l = model.weight_precision();
                    const BayesCentered c = bayes_center(d, w, intercept);
                    const Eigen::VectorXd scales =
                        standardize ? bayes_column_scales(d, w) : Eigen::VectorXd::Ones(d.X.cols());
                    const Eigen::MatrixXd precision = bayes_posterior_precision(c, w, a, l, scales);
                    const Eigen::MatrixXd identity =
                        Eigen::MatrixXd::Identity(d.X.cols(), d.X.cols());
                    // Rounding in a solve with the precision grows with its condition number
                    // (1e9 where the evidence drives the noise variance to 0, p > n).
                    const Eigen::VectorXd eigenvalues =
                        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(precision).eigenvalues();
                    const double rounding =
                        64 * 2.2e-16 * eigenvalues.maxCoeff() / eigenvalues.minCoeff();
                    INFO("condition " << eigenvalues.maxCoeff() / eigenvalues.minCoeff());
                    CHECK((precision * model.posterior_covariance() - identity)
                              .cwiseAbs()
                              .maxCoeff() < std::max(1e-8, rounding));
                    // Mean = a Sigma X_c^T W y_c.
                    const Eigen::VectorXd mean =
                        precision.ldlt().solve(a * c.X.transpose() * (w.asDiagonal() * c.y));
                    CHECK(bayes_difference(model.coef(), mean) < std::max(1e-9, rounding));
                    CHECK(model.intercept() == Approx(c.y_mean - c.x_mean.dot(mean))
                                                   .margin(1e-9 * (1 + std::abs(c.y_mean))));
                    // The same mean as the MAP of priorreg's Ridge at penalty l / (a W).
                    priorreg::Ridge ridge(l / (a * w.sum()));
                    ridge.set_standardize(standardize).set_fit_intercept(intercept);
                    ridge.set_tolerance(1e-14).fit(d.X, d.y, w);
                    CHECK(bayes_difference(model.coef(), ridge.coef()) < 1e-7);
                    // Predictive spread: noise, the intercept's variance and the coefficients'.
                    const Eigen::MatrixXd rows = d.X.topRows(4) * 1.1;
                    const Eigen::MatrixXd covariance = precision.inverse();
                    for (Eigen::Index i = 0; i < rows.rows(); ++i) {
                        const Eigen::VectorXd x = rows.row(i).transpose() - c.x_mean;
                        const double variance =
                            1 / a + (intercept ? 1 / (a * w.sum()) : 0.0) + x.dot(covariance * x);
                        CHECK(model.predict_std(rows)(i) ==
                              Approx(std::sqrt(variance)).epsilon(1e-9));
                    }
                    CHECK(bayes_difference(model.predict(rows), (rows * model.coef()).array() +
                                                                    model.intercept()) < 1e-14);
                }
}

TEST_CASE("BayesianRidge's log evidence is the marginal likelihood, maximized at its precisions",
          "[bayes]") {
    for (int index = 0; index < 3; ++index)
        for (const bool standardize : {false, true}) {
            const BayesData& d = bayes_dataset(index);
            INFO("data " << index << " standardize " << standardize);
            const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
            priorreg::BayesianRidge model;
            model.set_standardize(standardize).set_tolerance(1e-12).set_max_iterations(100000);
            model.fit(d.X, d.y);
            REQUIRE(model.info() == priorreg::Status::Success);
            const double a = model.noise_precision(), l = model.weight_precision();
            const BayesCentered c = bayes_center(d, w, true);
            const Eigen::VectorXd scales =
                standardize ? bayes_column_scales(d, w) : Eigen::VectorXd::Ones(d.X.cols());
            const double at_fit = bayes_log_evidence(c, w, a, l, scales);
            CHECK(model.log_evidence() == Approx(at_fit).epsilon(1e-9));
            // MacKay's fixed point is a stationary point of the evidence (with its hyperpriors):
            // moving either precision by 1 % lowers it.
            for (const double factor : {0.99, 1.01}) {
                CHECK(bayes_log_evidence(c, w, a * factor, l, scales) < at_fit);
                CHECK(bayes_log_evidence(c, w, a, l * factor, scales) < at_fit);
            }
        }
}

TEST_CASE("BayesianRidge on standardized columns is the unstandardized fit of the scaled data",
          "[bayes]") {
    const BayesData& d = bayes_dataset(0);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    const BayesCentered c = bayes_center(d, w, true);
    const Eigen::VectorXd scales = bayes_column_scales(d, w);
    const Eigen::MatrixXd Z = d.X * scales.cwiseInverse().asDiagonal();
    priorreg::BayesianRidge standardized, scaled;
    standardized.fit(d.X, d.y);
    scaled.set_standardize(false).fit(Z, d.y);
    CHECK(standardized.weight_precision() == Approx(scaled.weight_precision()).epsilon(1e-10));
    CHECK(standardized.noise_precision() == Approx(scaled.noise_precision()).epsilon(1e-10));
    CHECK(bayes_difference(standardized.coef(), scaled.coef().cwiseQuotient(scales)) < 1e-10);
    CHECK(standardized.log_evidence() == Approx(scaled.log_evidence()).epsilon(1e-10));
    // Scaling y by c scales the noise precision by 1/c^2 and (without standardization of y)
    // leaves the shrinkage: the mean scales by c.
    priorreg::BayesianRidge tenfold;
    tenfold.fit(d.X, 10 * d.y);
    CHECK(tenfold.noise_precision() == Approx(standardized.noise_precision() / 100).epsilon(1e-6));
    CHECK(bayes_difference(tenfold.coef(), 10 * standardized.coef()) < 1e-6);
}

TEST_CASE("BayesianRidge refuses bad input and answers nothing before a fit", "[bayes]") {
    const BayesData& d = bayes_dataset(1);
    priorreg::BayesianRidge model;
    CHECK_THROWS_AS(model.coef(), priorreg::NotFitted);
    CHECK_THROWS_AS(model.predict_std(d.X), priorreg::NotFitted);
    CHECK_THROWS_AS(model.set_max_iterations(0), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.set_tolerance(-1), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.set_noise_precision_prior(-1, 1), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.set_initial_weight_precision(0), priorreg::InvalidInput);
    Eigen::MatrixXd bad = d.X;
    bad(3, 2) = std::nan("");
    CHECK_THROWS_AS(model.fit(bad, d.y), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.fit(d.X, d.y.head(5)), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.fit(d.X, d.y, -d.w), priorreg::InvalidInput);
    model.fit(d.X, d.y);
    CHECK_THROWS_AS(model.predict_std(d.X.leftCols(3)), priorreg::InvalidInput);
    CHECK_THROWS_AS(model.predict_std(bad), priorreg::InvalidInput);
    // A constant column carries no data: its coefficient is 0 and its variance the prior's.
    Eigen::MatrixXd with_constant(d.X.rows(), d.X.cols() + 1);
    with_constant << d.X, Eigen::VectorXd::Constant(d.X.rows(), 4.0);
    priorreg::BayesianRidge constant;
    constant.set_standardize(false).fit(with_constant, d.y);
    REQUIRE(constant.info() == priorreg::Status::Success);
    CHECK(constant.coef()(d.X.cols()) == 0.0);
    CHECK(constant.posterior_covariance()(d.X.cols(), d.X.cols()) ==
          Approx(1 / constant.weight_precision()).epsilon(1e-12));
    CHECK(bayes_difference(constant.coef().head(d.X.cols()),
                           model.set_standardize(false).fit(d.X, d.y).coef()) < 1e-10);
}

TEST_CASE("BayesianRidge in single precision follows the double-precision fit", "[bayes]") {
    const BayesData& d = bayes_dataset(1);
    priorreg::BayesianRidge in_double;
    in_double.fit(d.X, d.y);
    priorreg::BasicBayesianRidge<float> in_float;
    in_float.fit(Eigen::MatrixXf(d.X.cast<float>()), Eigen::VectorXf(d.y.cast<float>()));
    REQUIRE(in_float.info() == priorreg::Status::Success);
    CHECK(bayes_difference(in_float.coef().cast<double>(), in_double.coef()) < 1e-5);
    CHECK(in_float.noise_precision() == Approx(in_double.noise_precision()).epsilon(1e-5));
}

TEST_CASE("RidgePosterior: the mean is Ridge's MAP, the evidence the marginal likelihood",
          "[bayes]") {
    for (int index = 0; index < 3; ++index)
        for (const bool standardize : {false, true})
            for (const bool weighted : {false, true}) {
                const BayesData& d = bayes_dataset(index);
                INFO("data " << index << " standardize " << standardize << " weighted "
                             << weighted);
                const Eigen::VectorXd w = weighted ? d.w : Eigen::VectorXd::Ones(d.X.rows());
                const double sigma = index == 0 ? 50.0 : 1.2, tau = standardize ? 3.0 : 0.7;
                priorreg::Ridge ridge(priorreg::GaussianPrior<>(tau), sigma);
                ridge.set_standardize(standardize).set_tolerance(1e-14).fit(d.X, d.y, w);
                const priorreg::RidgePosterior posterior(ridge, d.X, d.y, w);
                CHECK(bayes_difference(posterior.mean(), ridge.coef()) < 1e-8);
                CHECK(posterior.intercept() ==
                      Approx(ridge.intercept()).margin(1e-8 * (1 + std::abs(ridge.intercept()))));
                const double a = 1 / (sigma * sigma), l = 1 / (tau * tau);
                const BayesCentered c = bayes_center(d, w, true);
                const Eigen::VectorXd scales =
                    standardize ? bayes_column_scales(d, w) : Eigen::VectorXd::Ones(d.X.cols());
                const Eigen::MatrixXd precision = bayes_posterior_precision(c, w, a, l, scales);
                CHECK((precision * posterior.covariance() -
                       Eigen::MatrixXd::Identity(d.X.cols(), d.X.cols()))
                          .cwiseAbs()
                          .maxCoeff() < 1e-8);
                if (!weighted) // the direct form has no Jacobian of the weights
                    CHECK(posterior.log_evidence() ==
                          Approx(bayes_log_evidence(c, w, a, l, scales, false)).epsilon(1e-10));
                const Eigen::VectorXd x = d.X.row(0).transpose() - c.x_mean;
                CHECK(posterior.predict_std(d.X.topRows(1))(0) ==
                      Approx(std::sqrt(1 / a + 1 / (a * w.sum()) + x.dot(precision.inverse() * x)))
                          .epsilon(1e-9));
            }
}

TEST_CASE("RidgePosterior at BayesianRidge's precisions is BayesianRidge's posterior", "[bayes]") {
    for (int index = 0; index < 3; ++index) {
        const BayesData& d = bayes_dataset(index);
        INFO("data " << index);
        priorreg::BayesianRidge bayes;
        bayes.fit(d.X, d.y, d.w);
        const double a = bayes.noise_precision(), l = bayes.weight_precision();
        const priorreg::Ridge ridge(priorreg::GaussianPrior<>(1 / std::sqrt(l)), 1 / std::sqrt(a));
        const priorreg::RidgePosterior posterior(ridge, d.X, d.y, d.w);
        CHECK(bayes_difference(posterior.mean(), bayes.coef()) < 1e-10);
        CHECK(bayes_difference(posterior.covariance(), bayes.posterior_covariance()) < 1e-10);
        CHECK(bayes_difference(posterior.predict_std(d.X), bayes.predict_std(d.X)) < 1e-10);
        // The two evidences differ by the hyperpriors' log densities alone.
        const double hyper = 1e-6 * (std::log(a) - a) + 1e-6 * (std::log(l) - l);
        CHECK(bayes.log_evidence() - posterior.log_evidence() ==
              Approx(hyper).margin(1e-9 * std::abs(bayes.log_evidence())));
    }
}

TEST_CASE("RidgePosterior refuses a model without a noise level or with a changed prior",
          "[bayes]") {
    const BayesData& d = bayes_dataset(1);
    CHECK_THROWS_AS(priorreg::RidgePosterior(priorreg::Ridge(0.1), d.X, d.y), std::logic_error);
    priorreg::Ridge factors(priorreg::GaussianPrior<>(1.0), 1.0);
    factors.set_penalty_factors(Eigen::VectorXd::LinSpaced(d.X.cols(), 0.5, 2.0));
    CHECK_THROWS_AS(priorreg::RidgePosterior(factors, d.X, d.y), std::logic_error);
    const priorreg::Ridge plain(priorreg::GaussianPrior<>(1.0), 1.0);
    CHECK_THROWS_AS(priorreg::RidgePosterior(plain, d.X, d.y.head(3)), priorreg::InvalidInput);
    const priorreg::RidgePosterior posterior(plain, d.X, d.y);
    CHECK_THROWS_AS(posterior.predict_std(d.X.leftCols(2)), priorreg::InvalidInput);
}

TEST_CASE("BayesianRidge is equivariant in the scale of y, up to y of 1e150", "[bayes]") {
    // y -> c y with every scale-bearing setting moved with it (the weight precision's start and
    // both hyperpriors' rates by 1/c^2 and c^2, the tolerance by c) gives a / c^2, l / c^2 and
    // c times the coefficients: the fixed point has no scale of its own.
    const BayesData& d = bayes_dataset(1);
    priorreg::BayesianRidge unit;
    unit.fit(d.X, d.y);
    REQUIRE(unit.info() == priorreg::Status::Success);
    for (const double c : {1e-3, 1e3, 1e150}) {
        INFO("scale " << c);
        priorreg::BayesianRidge scaled;
        scaled.set_initial_weight_precision(1 / (c * c))
            .set_noise_precision_prior(1e-6, 1e-6 * c * c)
            .set_weight_precision_prior(1e-6, 1e-6 * c * c)
            .set_tolerance(1e-3 * c)
            .fit(d.X, c * d.y);
        REQUIRE(scaled.info() == priorreg::Status::Success);
        CHECK(scaled.iterations() == unit.iterations());
        CHECK(scaled.noise_precision() * c * c == Approx(unit.noise_precision()).epsilon(1e-9));
        CHECK(scaled.weight_precision() * c * c == Approx(unit.weight_precision()).epsilon(1e-9));
        CHECK(bayes_difference(scaled.coef() / c, unit.coef()) < 1e-9);
        CHECK(bayes_difference(scaled.predict_std(d.X) / c, unit.predict_std(d.X)) < 1e-9);
    }
    // At the defaults such a y stops at once near the prior mean (documented), but finite: the
    // shrinkage kappa of 1e298 times a projection of 1e150 is not formed.
    priorreg::BayesianRidge defaults;
    defaults.fit(d.X, 1e150 * d.y);
    CHECK(defaults.info() == priorreg::Status::Success);
    CHECK(defaults.coef().allFinite());
    CHECK(std::isfinite(defaults.log_evidence()));
}
