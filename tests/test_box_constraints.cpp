// Box constraints (`set_coefficient_bounds`, `set_nonnegative`): the MAP under the prior
// truncated to the box. Checked against glmnet's lower.limits / upper.limits and scikit-learn's
// positive=True at tight tolerance on the diabetes data and a correlated design, against the
// KKT conditions of a user's asymmetric prior, against brute-force maths of the truncated
// conjugate and proximal step, by the certificate (a loose fit's gap bounds its distance to a
// tight one), and by reductions (an infinite box is no box, a zero box is an exclusion, the
// non-negative Lasso is the example's non-negative Laplace prior).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "../examples/non_negative_laplace_prior.hpp"
#include "numeric_csv.hpp"
#include "test_support.hpp"
#include "user_priors.hpp"

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

/// An asymmetric Laplace penalty, as a user writes it: l1 (kappa beta) for beta >= 0 and
/// l1 (-beta / kappa) below, plus l2 beta^2 / 2; a shape no shipped prior has.
struct AsymmetricLaplacePrior {
    using Scalar = double;
    double kappa = 2.0;
    template <class T> T slope_up(const priorreg::CoordinatePenalty<T>& w) const {
        return w.l1 * T(kappa);
    }
    template <class T> T slope_down(const priorreg::CoordinatePenalty<T>& w) const {
        return w.l1 / T(kappa);
    }
    template <class T> T penalty(T beta, const priorreg::CoordinatePenalty<T>& w) const {
        return (beta >= T(0) ? slope_up(w) * beta : -slope_down(w) * beta) +
               T(0.5) * w.l2 * beta * beta;
    }
    template <class T> T proximal_step(T z, T c, const priorreg::CoordinatePenalty<T>& w) const {
        if (z > slope_up(w))
            return (z - slope_up(w)) / (c + w.l2);
        if (z < -slope_down(w))
            return (z + slope_down(w)) / (c + w.l2);
        return T(0);
    }
    template <class T> T conjugate(T u, const priorreg::CoordinatePenalty<T>& w) const {
        const T excess = std::max({u - slope_up(w), -u - slope_down(w), T(0)});
        return w.l2 > T(0) ? excess * excess / (T(2) * w.l2) : T(0);
    }
    template <class T> T dual_scale(T u, const priorreg::CoordinatePenalty<T>& w) const {
        if (w.l2 > T(0))
            return T(1);
        if (u > slope_up(w))
            return slope_up(w) / u;
        if (u < -slope_down(w))
            return slope_down(w) / -u;
        return T(1);
    }
    template <class T> T zero_threshold(T g, const priorreg::CoordinatePenalty<T>&) const {
        return g >= T(0) ? g / T(kappa) : -g * T(kappa);
    }
    template <class D> double log_density(const Eigen::MatrixBase<D>& beta) const {
        double total = 0;
        for (Eigen::Index j = 0; j < beta.size(); ++j)
            total += beta(j) >= 0 ? -kappa * beta(j) : beta(j) / kappa;
        return total - static_cast<double>(beta.size()) * std::log(kappa + 1 / kappa);
    }
    priorreg::PenaltyParameters<double> penalty_parameters(double sigma, double n) const {
        return {sigma * sigma / n, 1.0};
    }
};

using Data = test_csv::Design;

Data read_design(const std::string& relative, Eigen::Index columns) {
    Data d = test_csv::read_design(std::string(PRIORREG_TEST_DATA_DIR) + relative);
    REQUIRE(d.X.cols() == columns);
    return d;
}

/// The weighted mean squared deviation of y (about 0 without an intercept): objective units.
double null_deviance(const Eigen::VectorXd& y, bool intercept) {
    return intercept ? (y.array() - y.mean()).square().mean() : y.array().square().mean();
}

/// The elastic-net objective (test_support::objective) plus the box's indicator.
double boxed_objective(const Data& d, double lambda, double alpha, bool standardize,
                       bool intercept_fitted, double intercept, const Eigen::VectorXd& coef,
                       const Eigen::VectorXd& lower, const Eigen::VectorXd& upper) {
    for (Eigen::Index j = 0; j < coef.size(); ++j)
        if (coef(j) < lower(j) || coef(j) > upper(j))
            return inf;
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    const Eigen::VectorXd pf = Eigen::VectorXd::Ones(d.X.cols());
    if (intercept_fitted)
        return test_support::objective(d.X, d.y, w, lambda, alpha, pf, standardize, intercept,
                                       coef);
    // Without an intercept the scales are about 0 too, as the objective defines them.
    Eigen::VectorXd scale = Eigen::VectorXd::Ones(d.X.cols());
    if (standardize)
        scale = d.X.colwise().norm().transpose() / std::sqrt(static_cast<double>(d.X.rows()));
    const Eigen::VectorXd r = d.y - d.X * coef;
    double value = r.squaredNorm() / (2.0 * static_cast<double>(d.X.rows()));
    for (Eigen::Index j = 0; j < coef.size(); ++j) {
        const double b = coef(j) * scale(j);
        value += lambda * (0.5 * (1 - alpha) * b * b + alpha * std::abs(b));
    }
    return value;
}

/// One glmnet case of tests/data/glmnet/bounds.csv.
struct GlmnetCase {
    double alpha = 1;
    double yscale = 1; ///< glmnet fitted y / yscale (alpha < 1: see glmnet_bounds.R)
    bool standardize = true, intercept = true;
    Eigen::VectorXd lower, upper;
    std::vector<double> lambdas;
    std::vector<Eigen::VectorXd> fits; ///< intercept, then the coefficients
};

std::map<std::string, GlmnetCase> glmnet_cases() {
    std::map<std::string, GlmnetCase> cases;
    const auto rows =
        test_csv::read_text_rows(std::string(PRIORREG_TEST_DATA_DIR) + "/glmnet/bounds.csv");
    REQUIRE(rows.size() > 1);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        GlmnetCase& c = cases[row.at(0)];
        c.alpha = std::stod(row.at(2));
        c.standardize = row.at(3) == "1";
        c.intercept = row.at(4) == "1";
        Eigen::VectorXd values(static_cast<Eigen::Index>(row.size() - 6));
        for (std::size_t k = 6; k < row.size(); ++k)
            values(static_cast<Eigen::Index>(k - 6)) = std::stod(row[k]);
        if (row.at(1) == "yscale")
            c.yscale = values(0);
        else if (row.at(1) == "lower")
            c.lower = values;
        else if (row.at(1) == "upper")
            c.upper = values;
        else {
            c.lambdas.push_back(std::stod(row.at(5)));
            c.fits.push_back(values);
        }
    }
    return cases;
}

template <class Model> Model& configured(Model& model, const GlmnetCase& c, double tolerance) {
    model.set_standardize(c.standardize)
        .set_fit_intercept(c.intercept)
        .set_tolerance(tolerance)
        .set_coefficient_bounds(c.lower, c.upper);
    return model;
}

} // namespace

TEST_CASE("Boxed paths match glmnet's lower.limits and upper.limits", "[box][glmnet]") {
    const Data diabetes = read_design("/diabetes/diabetes.csv", 10);
    const Data correlated = read_design("/glmnet/bounds_correlated.csv", 60);
    const auto cases = glmnet_cases();
    REQUIRE(cases.size() == 6);
    for (const auto& [name, c] : cases) {
        Data d = name.rfind("diabetes", 0) == 0 ? diabetes : correlated;
        d.y /= c.yscale;
        const double deviance = null_deviance(d.y, c.intercept);
        for (const auto mode : {priorreg::SolverMode::covariance, priorreg::SolverMode::naive}) {
            INFO(name << ", mode " << static_cast<int>(mode));
            priorreg::MapRegression<priorreg::ElasticNetPrior<>> model(1.0, c.alpha);
            configured(model, c, 1e-13).set_solver_mode(mode);
            priorreg::PathOptions options;
            options.lambdas = c.lambdas;
            const auto path = model.fit_path(d.X, d.y, options);
            REQUIRE(path.info() == priorreg::Status::Success);
            REQUIRE(path.lambdas().size() == static_cast<Eigen::Index>(c.lambdas.size()));
            double worst_coef = 0, largest = 0;
            for (std::size_t k = 0; k < c.lambdas.size(); ++k) {
                const auto ki = static_cast<Eigen::Index>(k);
                const Eigen::VectorXd ours = path.coefs().col(ki);
                // glmnet's coefficients at a bound can round one ulp past it.
                const Eigen::VectorXd theirs =
                    c.fits[k].tail(d.X.cols()).cwiseMax(c.lower).cwiseMin(c.upper);
                const double ours_objective =
                    boxed_objective(d, c.lambdas[k], c.alpha, c.standardize, c.intercept,
                                    path.intercepts()(ki), ours, c.lower, c.upper);
                const double their_objective =
                    boxed_objective(d, c.lambdas[k], c.alpha, c.standardize, c.intercept,
                                    c.fits[k](0), theirs, c.lower, c.upper);
                INFO("lambda " << c.lambdas[k]);
                REQUIRE(std::isfinite(their_objective)); // glmnet kept its box
                CHECK(ours_objective <= their_objective + 1e-9 * deviance);
                // glmnet's first ridge point is the null model (1e-38 coefficients), not the
                // fit at its lambda: only the comparison above holds there.
                if (c.alpha == 0 && k == 0)
                    continue;
                CHECK(std::abs(ours_objective - their_objective) <= 1e-9 * deviance);
                worst_coef = std::max(worst_coef, (ours - theirs).cwiseAbs().maxCoeff());
                largest = std::max(largest, theirs.cwiseAbs().maxCoeff());
            }
            CHECK(worst_coef <= 1e-4 * std::max(largest, 1.0));
        }
    }
}

TEST_CASE("Single boxed fits equal the path's and glmnet's; a user's prior takes the same box",
          "[box][glmnet]") {
    const Data d = read_design("/diabetes/diabetes.csv", 10);
    const auto cases = glmnet_cases();
    const GlmnetCase& c = cases.at("diabetes_lasso_nonnegative");
    const double deviance = null_deviance(d.y, true);
    for (const std::size_t k : {std::size_t(3), std::size_t(10), c.lambdas.size() - 1}) {
        const double lambda = c.lambdas[k];
        INFO("lambda " << lambda);
        priorreg::Lasso lasso(lambda);
        lasso.set_tolerance(1e-13).set_nonnegative().fit(d.X, d.y);
        REQUIRE(lasso.info() == priorreg::Status::Success);
        priorreg::MapRegression<test_support::UserLaplacePrior> user(lambda);
        user.set_tolerance(1e-13).set_nonnegative().fit(d.X, d.y);
        REQUIRE(user.info() == priorreg::Status::Success);
        const Eigen::VectorXd theirs = c.fits[k].tail(10).cwiseMax(c.lower).cwiseMin(c.upper);
        const double reference =
            boxed_objective(d, lambda, 1, true, true, c.fits[k](0), theirs, c.lower, c.upper);
        const auto check = [&](const Eigen::VectorXd& coef, double intercept) {
            CHECK((coef.array() >= 0).all());
            CHECK(boxed_objective(d, lambda, 1, true, true, intercept, coef, c.lower, c.upper) <=
                  reference + 1e-9 * deviance);
        };
        check(lasso.coef(), lasso.intercept());
        check(user.coef(), user.intercept());
    }
}

TEST_CASE("Non-negative fits match scikit-learn's positive=True", "[box][sklearn]") {
    const Data diabetes = read_design("/diabetes/diabetes.csv", 10);
    const Data correlated = read_design("/glmnet/bounds_correlated.csv", 60);
    const auto rows =
        test_csv::read_text_rows(std::string(PRIORREG_TEST_DATA_DIR) + "/sklearn/positive.csv");
    REQUIRE(rows.size() == 6);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const Data& d = row.at(0) == "diabetes" ? diabetes : correlated;
        const std::string kind = row.at(1);
        const double lambda = std::stod(row.at(2)), alpha = std::stod(row.at(3));
        const double their_intercept = std::stod(row.at(4));
        Eigen::VectorXd theirs(d.X.cols());
        for (Eigen::Index j = 0; j < d.X.cols(); ++j)
            theirs(j) = std::stod(row.at(static_cast<std::size_t>(5 + j)));
        INFO(row.at(0) << " " << kind);
        Eigen::VectorXd coef;
        double intercept = 0;
        if (kind == "nnls") {
            priorreg::MapRegression<priorreg::FlatPrior<>> ols;
            ols.set_nonnegative().set_tolerance(1e-13).fit(d.X, d.y);
            REQUIRE(ols.info() == priorreg::Status::Success);
            coef = ols.coef();
            intercept = ols.intercept();
        } else {
            priorreg::MapRegression<priorreg::ElasticNetPrior<>> model(lambda, alpha);
            model.set_standardize(false).set_nonnegative().set_tolerance(1e-13).fit(d.X, d.y);
            REQUIRE(model.info() == priorreg::Status::Success);
            coef = model.coef();
            intercept = model.intercept();
        }
        const Eigen::VectorXd lower = Eigen::VectorXd::Zero(d.X.cols());
        const Eigen::VectorXd upper = Eigen::VectorXd::Constant(d.X.cols(), inf);
        const double ours =
            boxed_objective(d, lambda, alpha, false, true, intercept, coef, lower, upper);
        const double reference =
            boxed_objective(d, lambda, alpha, false, true, their_intercept, theirs, lower, upper);
        REQUIRE(std::isfinite(reference));
        CHECK(ours <= reference + 1e-9 * null_deviance(d.y, true));
        CHECK((coef - theirs).cwiseAbs().maxCoeff() <=
              1e-5 * std::max(theirs.cwiseAbs().maxCoeff(), 1.0));
    }
}

TEST_CASE("The truncated conjugate and proximal step agree with brute force", "[box][maths]") {
    // sup / argmin over a fine grid of the interval, for the shipped elastic-net maths and a
    // user's asymmetric penalty, with ends at 0, finite and infinite.
    const AsymmetricLaplacePrior asymmetric;
    const priorreg::ElasticNetPenalty elastic_net;
    const Eigen::VectorXd l1 = Eigen::VectorXd::Constant(1, 0.7);
    for (const double l2 : {0.0, 0.4}) {
        auto weights =
            priorreg::detail::PenaltyWeights<double>::from(1.0, 1.0, Eigen::VectorXd::Ones(1));
        weights.l1 = l1;
        weights.l2 = Eigen::VectorXd::Constant(1, l2);
        for (const auto& box : std::vector<std::pair<double, double>>{
                 {0.0, 1.5}, {-0.8, 0.0}, {-0.5, 2.0}, {0.0, 0.0}, {-1.0, inf}, {0.0, inf}}) {
            const double a = box.first, b = box.second; // named: lambdas capture them
            const Eigen::VectorXd lower = Eigen::VectorXd::Constant(1, a);
            const Eigen::VectorXd upper = Eigen::VectorXd::Constant(1, b);
            weights.boxed_by(lower, upper);
            // A grid over the box (a long stretch stands in for an infinite end).
            // Nodes on multiples of 1e-3, so every kink (0 and the ends) is one.
            const double from = a, to = std::isinf(b) ? 200.0 : b;
            const auto steps = std::max(1, static_cast<int>(std::lround((to - from) * 1000)));
            auto check = [&](const auto& prior) {
                for (const double u : {-3.0, -0.9, -0.2, 0.0, 0.3, 0.69, 1.1, 2.5}) {
                    INFO("box [" << a << ", " << b << "], l2 " << l2 << ", u " << u);
                    double best = -inf, best_prox = 0, best_prox_value = inf;
                    for (int s = 0; s <= steps; ++s) {
                        const double beta = from + (to - from) * s / steps;
                        const double penalty = prior.penalty(beta, weights.at(0));
                        best = std::max(best, u * beta - penalty);
                        const double prox_value = 0.5 * 1.3 * beta * beta - u * beta + penalty;
                        if (prox_value < best_prox_value) {
                            best_prox_value = prox_value;
                            best_prox = beta;
                        }
                    }
                    const double prox =
                        priorreg::detail::box_proximal_step(prior, weights, 0, u, 1.3);
                    CHECK(prox >= a);
                    CHECK(prox <= b);
                    CHECK(std::abs(prox - best_prox) <= 2e-3);
                    // The sup is unbounded only towards an infinite end whose slope u
                    // exceeds: there the dual scale must be below 1, elsewhere 1.
                    const double scale = priorreg::detail::box_dual_scale(prior, weights, 0, u);
                    const bool unbounded =
                        std::isinf(b) && l2 == 0.0 && u > prior.penalty(1.0, weights.at(0));
                    CHECK(unbounded == (scale < 1.0));
                    if (unbounded)
                        continue;
                    const double conjugate = priorreg::detail::box_conjugate(prior, weights, 0, u);
                    CHECK(conjugate >= best - 1e-9);
                    CHECK(conjugate <= best + 1e-4);
                }
            };
            check(elastic_net);
            check(asymmetric);
        }
    }
}

TEST_CASE("The truncated conjugate keeps u's digits beside a large bound", "[box][maths]") {
    // sup over |beta| <= 1e6 of u beta - l1 |beta| is 0 for |u| < l1: with u + end formed at
    // unit curvature the digits of u drowned and the test took the end (-0.1 at 1e8).
    auto weights =
        priorreg::detail::PenaltyWeights<double>::from(0.7, 1.0, Eigen::VectorXd::Ones(1));
    for (const double end : {1e6, 1e8, 1e12}) {
        const Eigen::VectorXd lower = Eigen::VectorXd::Constant(1, -end);
        const Eigen::VectorXd upper = Eigen::VectorXd::Constant(1, end);
        weights.boxed_by(lower, upper);
        const priorreg::ElasticNetPenalty lasso;
        for (const double u : {0.7 - 1e-9, -0.7 + 1e-12, 0.3}) {
            INFO("end " << end << ", u " << u);
            CHECK(priorreg::detail::box_conjugate(lasso, weights, 0, u) == 0.0);
        }
        // Past the slope the sup is at the end.
        CHECK(priorreg::detail::box_conjugate(lasso, weights, 0, 0.8) == Approx(0.1 * end));
    }
}

TEST_CASE("A user's asymmetric prior in a box meets its KKT conditions", "[box][kkt][custom]") {
    REQUIRE(priorreg::check_prior(AsymmetricLaplacePrior{}).ok());
    // A correlated design with both signs of signal.
    const Data d = read_design("/glmnet/bounds_correlated.csv", 60);
    const Data small{d.X.leftCols(20), d.y};
    const Eigen::Index p = 20;
    Eigen::VectorXd lower = Eigen::VectorXd::Constant(p, -0.4);
    Eigen::VectorXd upper = Eigen::VectorXd::Constant(p, 1.2);
    lower(3) = -inf;
    upper(0) = inf;
    lower(5) = 0;
    const double lambda = 0.02;
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    for (const auto mode : {priorreg::SolverMode::covariance, priorreg::SolverMode::naive}) {
        INFO("mode " << static_cast<int>(mode));
        priorreg::MapRegression<AsymmetricLaplacePrior> model(lambda);
        model.set_coefficient_bounds(lower, upper).set_tolerance(1e-14).set_solver_mode(mode);
        model.fit(small.X, small.y);
        REQUIRE(model.info() == priorreg::Status::Success);
        const Eigen::VectorXd& b = model.coef();
        const Eigen::VectorXd g =
            test_support::standardized_gradient(small.X, small.y, w, true, model.intercept(), b);
        // g_j in d psi(beta_j) + the normal cone of the box at beta_j (standardized scale).
        const AsymmetricLaplacePrior prior;
        const priorreg::CoordinatePenalty<double> weights{lambda, 0.0, 0};
        const double up = prior.slope_up(weights), down = prior.slope_down(weights);
        double worst = 0;
        int at_bound = 0;
        for (Eigen::Index j = 0; j < p; ++j) {
            CHECK(b(j) >= lower(j));
            CHECK(b(j) <= upper(j));
            // The subdifferential of the penalty at b_j, widened by the normal cone of the box.
            double low = b(j) > 0 ? up : -down;
            double high = b(j) < 0 ? -down : up;
            if (b(j) == upper(j)) {
                high = inf;
                at_bound += upper(j) != 0;
            }
            if (b(j) == lower(j)) {
                low = -inf;
                at_bound += lower(j) != 0;
            }
            worst = std::max(worst, std::max(low - g(j), g(j) - high));
        }
        CHECK(at_bound >= 2); // the box binds
        CHECK(worst <= 1e-7);
    }
}

TEST_CASE("A boxed fit's duality gap bounds its suboptimality", "[box][gap]") {
    // An unconverged fit's objective minus a tight fit's is at most its reported gap: a
    // conjugate too small would certify points that are not that close.
    const Data d = read_design("/glmnet/bounds_correlated.csv", 60);
    const Eigen::VectorXd lower = Eigen::VectorXd::Constant(60, -0.3);
    const Eigen::VectorXd upper = Eigen::VectorXd::Constant(60, 0.9);
    auto suboptimality = [&](auto make, double alpha, double lambda) {
        auto loose = make();
        // Two sweeps: not converged, so not polished to the optimum by a sign-pattern step.
        loose.set_coefficient_bounds(lower, upper).set_max_iterations(2).fit(d.X, d.y);
        auto tight = make();
        tight.set_coefficient_bounds(lower, upper).set_tolerance(1e-14).fit(d.X, d.y);
        REQUIRE(tight.info() == priorreg::Status::Success);
        const double excess = boxed_objective(d, lambda, alpha, true, true, loose.intercept(),
                                              loose.coef(), lower, upper) -
                              boxed_objective(d, lambda, alpha, true, true, tight.intercept(),
                                              tight.coef(), lower, upper);
        CHECK(excess <= static_cast<double>(loose.duality_gap()) + 1e-12);
        CHECK(tight.duality_gap() <= 1e-14 * null_deviance(d.y, true));
        return excess;
    };
    double largest = 0;
    largest = std::max(largest, suboptimality([] { return priorreg::Lasso(0.01); }, 1.0, 0.01));
    largest = std::max(largest, suboptimality([] { return priorreg::Ridge(0.05); }, 0.0, 0.05));
    largest = std::max(
        largest, suboptimality(
                     [] { return priorreg::MapRegression<priorreg::ElasticNetPrior<>>(0.02, 0.4); },
                     0.4, 0.02));
    CHECK(largest > 0); // the loose fits were not already optimal: the check had teeth
}

TEST_CASE("Box reductions: no box, a zero box, the non-negative Laplace prior, column units",
          "[box][invariance]") {
    auto d = test_support::make_dataset(120, 15, 8, 97, 0.5);
    const Eigen::VectorXd none_low = Eigen::VectorXd::Constant(15, -inf);
    const Eigen::VectorXd none_high = Eigen::VectorXd::Constant(15, inf);
    SECTION("an infinite box is no box") {
        priorreg::MapRegression<priorreg::ElasticNetPrior<>> plain(0.05, 0.5), boxed(0.05, 0.5);
        plain.set_tolerance(1e-13).fit(d.X, d.y);
        boxed.set_tolerance(1e-13).set_coefficient_bounds(none_low, none_high).fit(d.X, d.y);
        // Both certified to 1e-13 of the null deviance: equal objectives, and coefficients as
        // close as a gap that size allows with curvature lambda (1 - alpha).
        const Eigen::VectorXd w = Eigen::VectorXd::Ones(120), pf = Eigen::VectorXd::Ones(15);
        const double deviance = null_deviance(d.y, true);
        CHECK(std::abs(test_support::objective(d.X, d.y, w, 0.05, 0.5, pf, true, plain.intercept(),
                                               plain.coef()) -
                       test_support::objective(d.X, d.y, w, 0.05, 0.5, pf, true, boxed.intercept(),
                                               boxed.coef())) <= 2e-13 * deviance);
        CHECK((plain.coef() - boxed.coef()).cwiseAbs().maxCoeff() <= 1e-5);
        priorreg::MapRegression<priorreg::FlatPrior<>> ols, boxed_ols;
        ols.fit(d.X, d.y);
        boxed_ols.set_tolerance(1e-14).set_coefficient_bounds(none_low, none_high).fit(d.X, d.y);
        CHECK((ols.coef() - boxed_ols.coef()).cwiseAbs().maxCoeff() <= 1e-6);
    }
    SECTION("a zero box holds a feature at 0 as excluding it does, at a fixed lambda") {
        Eigen::VectorXd lower = none_low, upper = none_high;
        lower(2) = upper(2) = 0;
        lower(7) = upper(7) = 0;
        priorreg::Lasso boxed(0.03), excluded(0.03);
        boxed.set_tolerance(1e-13).set_coefficient_bounds(lower, upper).fit(d.X, d.y);
        excluded.set_tolerance(1e-13).set_excluded_features({2, 7}).fit(d.X, d.y);
        CHECK(boxed.coef()(2) == 0.0);
        CHECK(boxed.coef()(7) == 0.0);
        CHECK((boxed.coef() - excluded.coef()).cwiseAbs().maxCoeff() <= 1e-8);
    }
    SECTION("the non-negative Lasso is the MAP under the example's non-negative Laplace prior") {
        for (const double lambda : {0.3, 0.05, 0.005}) {
            priorreg::Lasso lasso(lambda);
            lasso.set_nonnegative().set_tolerance(1e-13).fit(d.X, d.y);
            priorreg::MapRegression<NonNegativeLaplacePrior> prior(lambda);
            prior.set_tolerance(1e-13).fit(d.X, d.y);
            CHECK((lasso.coef() - prior.coef()).cwiseAbs().maxCoeff() <= 1e-8);
            CHECK(std::abs(lasso.intercept() - prior.intercept()) <= 1e-8);
        }
    }
    SECTION("bounds are in the column's units: rescaling a column rescales its bound") {
        Eigen::VectorXd lower = Eigen::VectorXd::Constant(15, -0.5);
        Eigen::VectorXd upper = Eigen::VectorXd::Constant(15, 0.8);
        priorreg::MapRegression<priorreg::ElasticNetPrior<>> model(0.02, 0.7);
        model.set_tolerance(1e-13).set_coefficient_bounds(lower, upper).fit(d.X, d.y);
        Eigen::MatrixXd scaled = d.X;
        scaled.col(0) *= 10;
        scaled.col(1) *= 0.1;
        lower(0) /= 10;
        upper(0) /= 10;
        lower(1) *= 10;
        upper(1) *= 10;
        priorreg::MapRegression<priorreg::ElasticNetPrior<>> rescaled(0.02, 0.7);
        rescaled.set_tolerance(1e-13).set_coefficient_bounds(lower, upper).fit(scaled, d.y);
        Eigen::VectorXd back = rescaled.coef();
        back(0) *= 10;
        back(1) /= 10;
        CHECK((back - model.coef()).cwiseAbs().maxCoeff() <= 1e-7);
        CHECK(((model.coef().array() == 0.8) || (model.coef().array() == -0.5)).count() >= 2);
    }
}

TEST_CASE("Boxed paths, lookups, cross-validation and select_alpha keep the box",
          "[box][path][cv]") {
    const Data d = read_design("/glmnet/bounds_correlated.csv", 60);
    const Eigen::VectorXd lower = Eigen::VectorXd::Zero(60);
    const Eigen::VectorXd upper = Eigen::VectorXd::Constant(60, 1.0);
    priorreg::MapRegression<priorreg::ElasticNetPrior<>> model(1.0, 0.8);
    model.set_coefficient_bounds(lower, upper).set_tolerance(1e-10);
    const auto path = model.fit_path(d.X, d.y);
    REQUIRE(path.info() == priorreg::Status::Success);
    CHECK(path.coefs().minCoeff() >= 0.0);
    CHECK(path.coefs().maxCoeff() == 1.0); // the strong signal is held at its bound
    const double between = std::sqrt(path.lambdas()(30) * path.lambdas()(31));
    const Eigen::VectorXd exact = path.coef_at(between);
    CHECK(exact.minCoeff() >= 0.0);
    CHECK(exact.maxCoeff() <= 1.0);
    priorreg::MapRegression<priorreg::ElasticNetPrior<>> at(between, 0.8);
    at.set_coefficient_bounds(lower, upper).set_tolerance(1e-13).fit(d.X, d.y);
    CHECK((exact - at.coef()).cwiseAbs().maxCoeff() <= 1e-4);

    priorreg::CrossValidationOptions options;
    options.folds = 5;
    priorreg::CrossValidation<priorreg::ElasticNetPrior<>> cv(model, options);
    cv.fit(d.X, d.y);
    REQUIRE(cv.info() == priorreg::Status::Success);
    CHECK(cv.model().coef().minCoeff() >= 0.0);
    CHECK(cv.model().coef().maxCoeff() <= 1.0);

    priorreg::MapRegression<priorreg::ElasticNetPrior<>> base;
    base.set_nonnegative();
    const auto selection = priorreg::select_alpha(d.X, d.y, options, {0.2, 1.0}, base);
    CHECK(selection.model.coef().minCoeff() >= 0.0);
    CHECK(selection.model.coefficient_bounds().lower.size() == 1);
}

TEST_CASE("Boxed elastic-net paths are as accurate as unboxed ones at the default tolerance",
          "[box][path][accuracy]") {
    // The sign-pattern step (and the polish at a certified point) works on the free members of
    // the support and stops at the ends of the box; without it a correlated design's boxed path
    // at the default tolerance was 1 % off the tight solution (and took 30 times the sweeps).
    const Data d = read_design("/glmnet/bounds_correlated.csv", 60);
    for (const double alpha : {0.2, 0.5}) {
        INFO("alpha " << alpha);
        priorreg::MapRegression<priorreg::ElasticNetPrior<>> model(1.0, alpha), tight(1.0, alpha);
        model.set_coefficient_bounds(-0.7, 1.0);
        tight.set_coefficient_bounds(-0.7, 1.0).set_tolerance(1e-14);
        const auto path = model.fit_path(d.X, d.y);
        priorreg::PathOptions on_grid;
        on_grid.lambdas.assign(path.lambdas().begin(), path.lambdas().begin() + path.size());
        const auto reference = tight.fit_path(d.X, d.y, on_grid);
        double worst = 0;
        for (Eigen::Index k = 0; k < path.size(); ++k) {
            const double scale = reference.coefs().col(k).cwiseAbs().maxCoeff();
            if (scale > 0)
                worst = std::max(
                    worst,
                    (path.coefs().col(k) - reference.coefs().col(k)).cwiseAbs().maxCoeff() / scale);
        }
        CHECK(worst <= 1e-5);
        CHECK(path.coefs().maxCoeff() == 1.0);
        CHECK(path.coefs().minCoeff() == -0.7);
    }
}

TEST_CASE("Bad bounds are refused with a clear error", "[box][input]") {
    auto d = test_support::make_dataset(40, 5, 3, 5, 0.5);
    priorreg::Lasso lasso(0.1);
    CHECK_THROWS_AS(lasso.set_coefficient_bounds(0.5, 1.0), priorreg::InvalidInput);
    CHECK_THROWS_AS(lasso.set_coefficient_bounds(-1.0, -0.5), priorreg::InvalidInput);
    CHECK_THROWS_AS(lasso.set_coefficient_bounds(std::nan(""), 1.0), priorreg::InvalidInput);
    CHECK_THROWS_AS(
        lasso.set_coefficient_bounds(Eigen::VectorXd::Zero(3), Eigen::VectorXd::Ones(4)),
        priorreg::InvalidInput);
    lasso.set_coefficient_bounds(Eigen::VectorXd::Zero(4), Eigen::VectorXd::Ones(4));
    CHECK_THROWS_AS(lasso.fit(d.X, d.y), priorreg::InvalidInput); // 4 bounds, 5 columns
    CHECK_THROWS_AS(lasso.fit_path(d.X, d.y), priorreg::InvalidInput);
    lasso.set_coefficient_bounds(Eigen::VectorXd(), Eigen::VectorXd()); // no box again
    CHECK_NOTHROW(lasso.fit(d.X, d.y));
    priorreg::MapRegression<priorreg::FlatPrior<>> ols;
    ols.set_nonnegative().fit(d.X, d.y);
    CHECK_THROWS_AS(ols.summary(d.X, d.y), std::logic_error);
    CHECK_THROWS_AS(ols.rank(), std::logic_error);
    priorreg::Lasso boxed(0.1);
    boxed.set_nonnegative();
    CHECK_THROWS_AS(priorreg::information_criteria(boxed.fit_path(d.X, d.y), d.X, d.y),
                    std::logic_error);
    const Eigen::MatrixXd X = d.X;
    CHECK((ols.coef().array() >= 0).all());
    CHECK(X == d.X); // inputs are not modified
}

TEST_CASE("A float model takes a box", "[box][float]") {
    auto d = test_support::make_dataset(100, 8, 4, 13, 0.5);
    const Eigen::MatrixXf X = d.X.cast<float>();
    const Eigen::VectorXf y = d.y.cast<float>();
    priorreg::MapRegression<priorreg::LaplacePrior<float>> lasso(0.02f);
    lasso.set_nonnegative().fit(X, y);
    REQUIRE(lasso.info() == priorreg::Status::Success);
    CHECK(lasso.coef().minCoeff() >= 0.0f);
    priorreg::Lasso reference(0.02);
    reference.set_nonnegative().set_tolerance(1e-12).fit(d.X, d.y);
    CHECK((lasso.coef().cast<double>() - reference.coef()).cwiseAbs().maxCoeff() <= 1e-3);
}
