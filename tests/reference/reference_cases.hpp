// A fixed set of fits, paths and selections of the shipped priors, each reduced to named
// vectors of numbers. `record_reference` writes them to tests/data/reference_fits.txt;
// `test_reference.cpp` recomputes them and compares. A refactoring must leave every value
// unchanged (to 1e-12 of the largest entry of its record); a change of algorithm that moves
// them on purpose regenerates the file (see tests/reference/README.md) and says so in its
// commit. Public API only, so that the same cases compile before and after a change.
#ifndef PRIORREG_TESTS_REFERENCE_CASES_HPP
#define PRIORREG_TESTS_REFERENCE_CASES_HPP

#include <Eigen/Core>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "../numeric_csv.hpp"

namespace reference {

using Record = std::vector<double>;
using Records = std::vector<std::pair<std::string, Record>>;

struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

/// Seeded Gaussian design, AR(1) across columns with `rho`, columns on different scales.
inline Data generated(Eigen::Index n, Eigen::Index p, Eigen::Index signal, unsigned seed,
                      double rho) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    Data d;
    d.X.resize(n, p);
    for (Eigen::Index i = 0; i < n; ++i) {
        double previous = normal(rng);
        for (Eigen::Index j = 0; j < p; ++j) {
            const double value =
                j == 0 ? previous : rho * previous + std::sqrt(1 - rho * rho) * normal(rng);
            previous = value;
            d.X(i, j) = value * (1.0 + 0.5 * static_cast<double>(j % 4)) + 0.1 * double(j % 3);
        }
    }
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
    for (Eigen::Index j = 0; j < std::min(signal, p); ++j)
        beta(j) = (j % 2 == 0 ? 1.0 : -1.0) * (1.0 + 0.25 * static_cast<double>(j));
    d.y = d.X * beta;
    for (Eigen::Index i = 0; i < n; ++i)
        d.y(i) += 2.0 + normal(rng);
    return d;
}

/// The diabetes data (442 x 10) of `tests/data/diabetes`.
inline Data diabetes(const std::string& data_dir) {
    const auto rows = test_csv::read_numeric_rows(data_dir + "/diabetes/diabetes.csv");
    Data d;
    d.X.resize(static_cast<Eigen::Index>(rows.size()), 10);
    d.y.resize(d.X.rows());
    for (Eigen::Index i = 0; i < d.X.rows(); ++i) {
        for (Eigen::Index j = 0; j < 10; ++j)
            d.X(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
        d.y(i) = rows[static_cast<std::size_t>(i)][10];
    }
    return d;
}

inline Record concat(std::initializer_list<Eigen::VectorXd> parts) {
    Record out;
    for (const auto& part : parts)
        out.insert(out.end(), part.data(), part.data() + part.size());
    return out;
}

inline Eigen::VectorXd scalar(double v) {
    return Eigen::VectorXd::Constant(1, v);
}

template <class Model> Record fitted(const Model& m) {
    return concat({m.coef().template cast<double>(), scalar(double(m.intercept())),
                   scalar(double(m.duality_gap())), scalar(double(m.iterations())),
                   scalar(double(static_cast<int>(m.info()))), scalar(double(m.lambda()))});
}

template <class Path> Record path_record(const Path& path) {
    Record out;
    const Eigen::MatrixXd coefs = path.coefs().template cast<double>();
    out.insert(out.end(), coefs.data(), coefs.data() + coefs.size());
    const Eigen::VectorXd lambdas = path.lambdas().template cast<double>();
    const Eigen::VectorXd intercepts = path.intercepts().template cast<double>();
    const Eigen::VectorXd gaps = path.duality_gaps().template cast<double>();
    const Eigen::VectorXd dev = path.dev_ratio().template cast<double>();
    for (const auto* v : {&lambdas, &intercepts, &gaps, &dev})
        out.insert(out.end(), v->data(), v->data() + v->size());
    for (const int k : path.iterations())
        out.push_back(k);
    out.push_back(double(path.strong_rule_violations()));
    out.push_back(double(path.gradient_evaluations()));
    out.push_back(double(static_cast<int>(path.info())));
    return out;
}

/// Every case, in a fixed order.
inline Records compute(const std::string& data_dir) {
    Records records;
    auto add = [&](const std::string& name, Record r) { records.emplace_back(name, std::move(r)); };

    const Data dia = diabetes(data_dir);
    const Data tall = generated(400, 30, 8, 11, 0.0);
    const Data corr = generated(300, 40, 10, 12, 0.9);
    const Data wide = generated(80, 300, 6, 13, 0.5);
    const Data wide_big = generated(650, 900, 10, 14, 0.3);
    Eigen::VectorXd w(tall.X.rows());
    for (Eigen::Index i = 0; i < w.size(); ++i)
        w(i) = 0.25 + double((i * 7) % 5);
    Eigen::VectorXd pf_tall = Eigen::VectorXd::Ones(30);
    pf_tall(0) = 0;
    pf_tall(3) = 0;
    pf_tall(7) = 2.5;
    Eigen::VectorXd pf_wide = Eigen::VectorXd::Ones(300);
    pf_wide(1) = 0;
    pf_wide(10) = 0.3;
    pf_wide(20) = 4;

    // Least squares.
    add("ols.diabetes", fitted(priorreg::LinearRegression().fit(dia.X, dia.y)));
    add("ols.weighted", fitted(priorreg::LinearRegression().fit(tall.X, tall.y, w)));
    add("ols.no_intercept",
        fitted(priorreg::LinearRegression().set_fit_intercept(false).fit(corr.X, corr.y)));
    add("ridge.lambda0", fitted(priorreg::Ridge(0.0).fit(tall.X, tall.y)));

    // Ridge: Gram form, design form, kernel form, dual on the design, unequal penalties.
    add("ridge.diabetes", fitted(priorreg::Ridge(0.1).fit(dia.X, dia.y)));
    add("ridge.weighted_pf",
        fitted(priorreg::Ridge(0.3).set_penalty_factors(pf_tall).fit(tall.X, tall.y, w)));
    add("ridge.kernel", fitted(priorreg::Ridge(0.05).fit(wide.X, wide.y)));
    Eigen::VectorXd pf_positive = pf_wide;
    pf_positive(1) = 0.5;
    add("ridge.kernel_pf",
        fitted(priorreg::Ridge(0.05).set_penalty_factors(pf_positive).fit(wide.X, wide.y)));
    add("ridge.wide_pf0",
        fitted(priorreg::Ridge(0.05).set_penalty_factors(pf_wide).fit(wide.X, wide.y)));
    add("ridge.dual_design",
        fitted(priorreg::Ridge(0.02).set_threads(2).fit(wide_big.X, wide_big.y)));
    add("ridge.primal_design",
        fitted(priorreg::Ridge(0.02).fit(wide_big.X.leftCols(640).topRows(650),
                                         wide_big.y.topRows(650))));
    add("ridge.no_standardize",
        fitted(priorreg::Ridge(0.2).set_standardize(false).fit(corr.X, corr.y)));
    add("ridge.float", fitted(priorreg::MapRegression<priorreg::GaussianPrior<float>>(0.1f).fit(
                           corr.X.cast<float>(), corr.y.cast<float>())));

    // Lasso and elastic net, single fits.
    add("lasso.diabetes", fitted(priorreg::Lasso(0.5).fit(dia.X, dia.y)));
    add("lasso.corr", fitted(priorreg::Lasso(0.02).set_tolerance(1e-10).fit(corr.X, corr.y)));
    add("lasso.pf_weighted",
        fitted(priorreg::Lasso(0.05).set_penalty_factors(pf_tall).fit(tall.X, tall.y, w)));
    add("lasso.wide_naive", fitted(priorreg::Lasso(0.05).fit(wide.X, wide.y)));
    add("lasso.wide_pf",
        fitted(priorreg::Lasso(0.05).set_penalty_factors(pf_wide).fit(wide.X, wide.y)));
    add("lasso.covariance_forced", fitted(priorreg::Lasso(0.05)
                                              .set_solver_mode(priorreg::SolverMode::covariance)
                                              .fit(wide.X, wide.y)));
    add("lasso.naive_forced", fitted(priorreg::Lasso(0.01)
                                         .set_solver_mode(priorreg::SolverMode::naive)
                                         .fit(corr.X, corr.y)));
    add("lasso.no_intercept",
        fitted(priorreg::Lasso(0.01).set_fit_intercept(false).set_standardize(false).fit(corr.X,
                                                                                         corr.y)));
    add("lasso.float", fitted(priorreg::MapRegression<priorreg::LaplacePrior<float>>(0.02f).fit(
                           corr.X.cast<float>(), corr.y.cast<float>())));
    add("enet.half", fitted(priorreg::ElasticNet(0.03, 0.5).fit(corr.X, corr.y)));
    add("enet.tenth",
        fitted(priorreg::ElasticNet(0.1, 0.1).set_penalty_factors(pf_wide).fit(wide.X, wide.y)));

    // MAP form.
    add("map.gaussian",
        fitted(priorreg::Ridge(priorreg::GaussianPrior<>(0.5), 1.5).fit(tall.X, tall.y)));
    add("map.laplace",
        fitted(priorreg::Lasso(priorreg::LaplacePrior<>(0.05), 1.0).fit(tall.X, tall.y, w)));
    add("map.elastic_net",
        fitted(
            priorreg::ElasticNet(priorreg::ElasticNetPrior<>(0.7, 0.2), 1.2).fit(corr.X, corr.y)));
    {
        priorreg::Lasso lasso(priorreg::LaplacePrior<>(0.05), 1.0);
        lasso.fit(tall.X, tall.y);
        Eigen::VectorXd moved = lasso.coef();
        moved(2) += 0.01;
        add("map.log_posterior",
            {lasso.log_posterior(tall.X, tall.y, lasso.intercept(), lasso.coef()),
             lasso.log_posterior(tall.X, tall.y, w, lasso.intercept() + 0.1, moved)});
        priorreg::Ridge ridge(priorreg::GaussianPrior<>(0.5), 1.5);
        ridge.set_standardize(false).fit(corr.X, corr.y);
        add("map.log_posterior_ridge",
            {ridge.log_posterior(corr.X, corr.y, ridge.intercept(), ridge.coef())});
    }

    // Paths.
    add("path.lasso_diabetes", path_record(priorreg::Lasso().fit_path(dia.X, dia.y)));
    add("path.lasso_corr", path_record(priorreg::Lasso().fit_path(corr.X, corr.y)));
    priorreg::PathOptions short_grid;
    short_grid.n_lambda = 30;
    add("path.lasso_wide", path_record(priorreg::Lasso().fit_path(wide.X, wide.y, short_grid)));
    add("path.lasso_wide_pf", path_record(priorreg::Lasso().set_penalty_factors(pf_wide).fit_path(
                                  wide.X, wide.y, short_grid)));
    add("path.lasso_pf_weighted",
        path_record(priorreg::Lasso().set_penalty_factors(pf_tall).fit_path(tall.X, tall.y, w)));
    {
        priorreg::PathOptions options;
        options.n_lambda = 30;
        options.lambda_min_ratio = 1e-3;
        add("path.enet_naive", path_record(priorreg::ElasticNet(1.0, 0.3)
                                               .set_solver_mode(priorreg::SolverMode::naive)
                                               .fit_path(corr.X, corr.y, options)));
        add("path.ridge", path_record(priorreg::Ridge().fit_path(tall.X, tall.y, options)));
        priorreg::PathOptions explicit_grid;
        explicit_grid.lambdas = {0.5, 0.2, 0.1, 0.05, 0.01};
        add("path.enet_explicit",
            path_record(priorreg::ElasticNet(1.0, 0.7).fit_path(wide.X, wide.y, explicit_grid)));
        add("path.float",
            path_record(priorreg::MapRegression<priorreg::LaplacePrior<float>>().fit_path(
                corr.X.cast<float>(), corr.y.cast<float>(), options)));
        const auto path = priorreg::Lasso().fit_path(corr.X, corr.y, options);
        add("path.model_12", fitted(path.model(12)));
        const auto ic = priorreg::information_criteria(
            priorreg::ElasticNet(1.0, 0.5).fit_path(corr.X, corr.y, options), corr.X, corr.y);
        add("ic.enet",
            concat({ic.degrees_of_freedom, ic.rss, ic.aic, ic.bic, scalar(ic.noise_variance),
                    scalar(double(ic.best_aic)), scalar(double(ic.best_bic))}));
        const auto curve =
            priorreg::validation_curve(priorreg::Lasso(), corr.X.topRows(200), corr.y.topRows(200),
                                       corr.X.bottomRows(100), corr.y.bottomRows(100), options);
        add("validation_curve", concat({curve.training_errors, curve.validation_errors,
                                        scalar(double(curve.divergence_index))}));
    }

    // Cross-validation: downdated folds (covariance), refitted folds (naive), weights.
    auto cv_record = [](const auto& cv) {
        return concat({cv.lambdas(), cv.mean_errors(), cv.standard_errors(),
                       scalar(double(cv.index_min())), scalar(double(cv.index_1se())),
                       cv.model().coef(), scalar(cv.model().intercept())});
    };
    {
        priorreg::CrossValidationOptions options;
        options.folds = 5;
        options.path.n_lambda = 40;
        options.threads = 2;
        priorreg::CrossValidation<priorreg::LaplacePrior<>> downdated(priorreg::Lasso(), options);
        downdated.fit(corr.X, corr.y);
        add("cv.lasso_downdated", cv_record(downdated));
        priorreg::CrossValidation<priorreg::ElasticNetPrior<>> wide_cv(
            priorreg::ElasticNet(1.0, 0.5), options);
        wide_cv.fit(wide.X, wide.y);
        add("cv.enet_wide", cv_record(wide_cv));
        options.choice = priorreg::LambdaChoice::one_se;
        options.measure = priorreg::ErrorMeasure::mae;
        priorreg::CrossValidation<priorreg::LaplacePrior<>> weighted(
            priorreg::Lasso().set_penalty_factors(pf_tall), options);
        weighted.fit(tall.X, tall.y, w);
        add("cv.lasso_weighted_mae", cv_record(weighted));
        priorreg::CrossValidation<priorreg::GaussianPrior<>> ridge_cv(priorreg::Ridge(), options);
        ridge_cv.fit(dia.X, dia.y);
        add("cv.ridge_diabetes", cv_record(ridge_cv));
    }
    {
        priorreg::CrossValidationOptions options;
        options.folds = 5;
        options.path.n_lambda = 30;
        const auto selection = priorreg::select_alpha(dia.X, dia.y, options, {0.0, 0.5, 1.0});
        Record r(selection.best_errors.begin(), selection.best_errors.end());
        r.insert(r.end(), selection.best_lambdas.begin(), selection.best_lambdas.end());
        r.push_back(selection.alpha);
        r.push_back(selection.lambda);
        r.push_back(double(selection.nonzeros));
        const Record coef = concat({selection.model.coef()});
        r.insert(r.end(), coef.begin(), coef.end());
        add("select_alpha.diabetes", r);
    }
    {
        Eigen::VectorXd grid(6);
        grid << 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0;
        priorreg::RidgeLeaveOneOut<> loo;
        loo.fit(dia.X, dia.y, grid);
        add("ridge_loo.diabetes", concat({loo.loo_errors(), loo.gcv_scores(), loo.effective_df(),
                                          loo.coef(0.05), scalar(loo.intercept(0.05))}));
        priorreg::RidgeLeaveOneOut<> wide_loo;
        wide_loo.fit(wide.X, wide.y, grid);
        add("ridge_loo.wide",
            concat({wide_loo.loo_errors(), wide_loo.gcv_scores(), wide_loo.coef(0.1)}));
    }
    return records;
}

/// `name count v0 v1 ...` per line, 17 significant digits.
inline std::string format(const Records& records) {
    std::ostringstream out;
    out.precision(17);
    for (const auto& [name, values] : records) {
        out << name << ' ' << values.size();
        for (const double v : values)
            out << ' ' << v;
        out << '\n';
    }
    return out.str();
}

inline std::map<std::string, Record> parse(std::istream& in) {
    std::map<std::string, Record> records;
    std::string name;
    std::size_t count = 0;
    while (in >> name >> count) {
        Record values(count);
        for (auto& v : values) {
            std::string token;
            in >> token;
            v = std::stod(token);
        }
        records[name] = values;
    }
    return records;
}

} // namespace reference

#endif
