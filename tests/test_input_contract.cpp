// The input contract of docs/input-contract.md, row by row, for every model kind (OLS, Ridge,
// Lasso, Elastic Net; double and float) and every entry point (fit, fit_path,
// CrossValidation). Test names start with "contract:" and match the rows of the table.
#include <catch2/catch.hpp>

#include <limits>
#include <priorreg/priorreg.hpp>
#include <type_traits>

#include "test_support.hpp"

using Catch::Matchers::Contains;

// A named namespace: the unity build puts several test files in one translation unit.
namespace contract_support {

using OlsF = priorreg::MapRegression<priorreg::FlatPrior<float>>;
using RidgeF = priorreg::MapRegression<priorreg::GaussianPrior<float>>;
using LassoF = priorreg::MapRegression<priorreg::LaplacePrior<float>>;
using ElasticNetF = priorreg::MapRegression<priorreg::ElasticNetPrior<float>>;

template <class Model>
constexpr bool is_flat_v =
    std::is_same_v<typename Model::PriorType, priorreg::FlatPrior<typename Model::Scalar>>;

/// A model of the kind in penalty form: lambda 0.1 (alpha 0.5 for the elastic net).
template <class Model> Model make_model() {
    using S = typename Model::Scalar;
    using Prior = typename Model::PriorType;
    if constexpr (is_flat_v<Model>)
        return Model();
    else if constexpr (std::is_same_v<Prior, priorreg::ElasticNetPrior<S>>)
        return Model(S(0.1), S(0.5));
    else
        return Model(S(0.1));
}

template <class S> struct Data {
    Eigen::Matrix<S, -1, -1> X;
    Eigen::Matrix<S, -1, 1> y;
};

template <class S> Data<S> make_data(Eigen::Index n, Eigen::Index p, unsigned seed) {
    const auto d = test_support::make_dataset(n, p, 2, seed);
    return {d.X.cast<S>(), d.y.cast<S>()};
}

template <class Model>
priorreg::CrossValidation<typename Model::PriorType> cv_of(const Model& model, int folds = 3) {
    priorreg::CrossValidationOptions options;
    options.folds = folds;
    options.threads = 1;
    options.path.n_lambda = 5;
    return priorreg::CrossValidation<typename Model::PriorType>(model, options);
}

const double nan_value = std::numeric_limits<double>::quiet_NaN();
const double inf_value = std::numeric_limits<double>::infinity();

} // namespace contract_support

using namespace contract_support;

#define PRIORREG_ALL_MODELS                                                                        \
    priorreg::LinearRegression, priorreg::Ridge, priorreg::Lasso, priorreg::ElasticNet, OlsF,      \
        RidgeF, LassoF, ElasticNetF

TEMPLATE_TEST_CASE("contract: shape mismatch", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Vector = Eigen::Matrix<S, -1, 1>;
    using Matrix = Eigen::Matrix<S, -1, -1>;
    const auto d = make_data<S>(12, 3, 1);
    TestType model = make_model<TestType>();
    const Vector short_y = d.y.head(11);
    CHECK_THROWS_AS(model.fit(d.X, short_y), priorreg::InvalidInput);
    CHECK_THROWS_WITH(model.fit(d.X, short_y), Contains("X has 12 rows but y has 11 entries"));
    const Vector short_w = Vector::Ones(10);
    CHECK_THROWS_WITH(model.fit(d.X, d.y, short_w),
                      Contains("X has 12 rows but the weights have 10 entries"));
    const Matrix two_columns = Matrix::Ones(12, 2);
    CHECK_THROWS_WITH(model.fit(d.X, two_columns), Contains("y must be a column vector"));
    if constexpr (!is_flat_v<TestType>) {
        CHECK_THROWS_WITH(model.fit_path(d.X, short_y), Contains("rows but y has"));
        CHECK_THROWS_WITH(model.fit_path(d.X, d.y, short_w), Contains("weights have 10"));
        auto cv = cv_of(model);
        CHECK_THROWS_WITH(cv.fit(d.X, short_y), Contains("rows but y has"));
        CHECK_THROWS_WITH(cv.fit(d.X, d.y, short_w), Contains("weights have 10"));
    }
}

TEMPLATE_TEST_CASE("contract: empty data", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Vector = Eigen::Matrix<S, -1, 1>;
    using Matrix = Eigen::Matrix<S, -1, -1>;
    TestType model = make_model<TestType>();
    CHECK_THROWS_AS(model.fit(Matrix(0, 3), Vector(0)), priorreg::InvalidInput);
    CHECK_THROWS_WITH(model.fit(Matrix(0, 3), Vector(0)), Contains("X is empty (0 x 3)"));
    if constexpr (!is_flat_v<TestType>) {
        CHECK_THROWS_WITH(model.fit_path(Matrix(0, 3), Vector(0)), Contains("X is empty"));
        auto cv = cv_of(model);
        CHECK_THROWS_WITH(cv.fit(Matrix(0, 3), Vector(0)), Contains("X is empty"));
    }
}

TEMPLATE_TEST_CASE("contract: p = 0", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Vector = Eigen::Matrix<S, -1, 1>;
    using Matrix = Eigen::Matrix<S, -1, -1>;
    TestType model = make_model<TestType>();
    CHECK_THROWS_WITH(model.fit(Matrix(5, 0), Vector::Ones(5)), Contains("X is empty (5 x 0)"));
    if constexpr (!is_flat_v<TestType>) {
        CHECK_THROWS_WITH(model.fit_path(Matrix(5, 0), Vector::Ones(5)), Contains("X is empty"));
        auto cv = cv_of(model);
        CHECK_THROWS_WITH(cv.fit(Matrix(5, 0), Vector::Ones(5)), Contains("X is empty"));
    }
}

TEMPLATE_TEST_CASE("contract: n = 1", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Vector = Eigen::Matrix<S, -1, 1>;
    using Matrix = Eigen::Matrix<S, -1, -1>;
    Matrix X(1, 3);
    X << S(2), S(-1), S(0.5);
    const Vector y = Vector::Constant(1, S(3));
    // With an intercept every column is constant: coefficients 0, intercept = y.
    TestType model = make_model<TestType>();
    model.fit(X, y);
    CHECK(model.info() == priorreg::Status::Success);
    CHECK(model.coef().isZero(0));
    CHECK(model.intercept() == S(3));
    CHECK(model.predict(Matrix::Random(4, 3)).isApprox(Vector::Constant(4, S(3))));
    // Without an intercept (one column, no standardization) the closed forms hold:
    // OLS beta = y/x; elastic net beta = S(x y, l1) / (x^2 + l2).
    TestType origin = make_model<TestType>();
    origin.set_fit_intercept(false).set_standardize(false).set_tolerance(S(1e-12));
    origin.fit(X.leftCols(1), y);
    const double l1 = double(origin.lambda()) * double(origin.alpha());
    const double l2 = double(origin.lambda()) * (1 - double(origin.alpha()));
    const double expected = (2.0 * 3.0 - l1) / (4.0 + l2);
    CHECK(double(origin.coef()(0)) == Approx(expected).epsilon(1e-5));
    if constexpr (!is_flat_v<TestType>) {
        // The path: lambda_max is 0 and the solution is the intercept alone.
        const auto path = model.fit_path(X, y);
        CHECK(path.info() == priorreg::Status::Success);
        CHECK(path.lambdas()(0) == S(0));
        CHECK(path.coefs().isZero(0));
        // Cross-validation needs at least 2 rows.
        auto cv = cv_of(model, 2);
        CHECK_THROWS_WITH(cv.fit(X, y), Contains("folds must lie in [2, n]"));
    }
}

TEMPLATE_TEST_CASE("contract: NaN or Inf in X, y or weights", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Vector = Eigen::Matrix<S, -1, 1>;
    const auto d = make_data<S>(12, 3, 2);
    TestType model = make_model<TestType>();
    for (const double bad : {nan_value, inf_value, -inf_value}) {
        auto X = d.X;
        X(4, 2) = S(bad);
        CHECK_THROWS_AS(model.fit(X, d.y), priorreg::InvalidInput);
        CHECK_THROWS_WITH(model.fit(X, d.y),
                          Contains("X contains a non-finite value") && Contains("row 4, column 2"));
        auto y = d.y;
        y(7) = S(bad);
        CHECK_THROWS_WITH(model.fit(d.X, y),
                          Contains("y contains a non-finite value") && Contains("row 7"));
        Vector w = Vector::Ones(12);
        w(2) = S(bad);
        CHECK_THROWS_WITH(model.fit(d.X, d.y, w), Contains("weights contains a non-finite value"));
        if constexpr (!is_flat_v<TestType>) {
            CHECK_THROWS_WITH(model.fit_path(X, d.y), Contains("X contains"));
            CHECK_THROWS_WITH(model.fit_path(d.X, y), Contains("y contains"));
            CHECK_THROWS_WITH(model.fit_path(d.X, d.y, w), Contains("weights contains"));
            auto cv = cv_of(model);
            CHECK_THROWS_WITH(cv.fit(X, d.y), Contains("X contains"));
            CHECK_THROWS_WITH(cv.fit(d.X, d.y, w), Contains("weights contains"));
        }
    }
}

TEMPLATE_TEST_CASE("contract: negative, zero and all-zero weights", "[contract]",
                   PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Vector = Eigen::Matrix<S, -1, 1>;
    using Matrix = Eigen::Matrix<S, -1, -1>;
    const auto d = make_data<S>(20, 4, 3);
    TestType model = make_model<TestType>();
    Vector w = Vector::Ones(20);
    w(3) = S(-0.5);
    CHECK_THROWS_WITH(model.fit(d.X, d.y, w),
                      Contains("weights must be non-negative, got -0.5 at row 3"));
    CHECK_THROWS_WITH(model.fit(d.X, d.y, Vector::Zero(20)), Contains("weights are all zero"));
    if constexpr (!is_flat_v<TestType>) {
        CHECK_THROWS_WITH(model.fit_path(d.X, d.y, w), Contains("non-negative"));
        CHECK_THROWS_WITH(model.fit_path(d.X, d.y, Vector::Zero(20)), Contains("all zero"));
        auto cv = cv_of(model);
        CHECK_THROWS_WITH(cv.fit(d.X, d.y, Vector::Zero(20)), Contains("all zero"));
    }
    // Zero weights drop their rows: the fit equals the fit without them.
    w.setOnes();
    w(3) = w(11) = w(12) = S(0);
    Matrix kept_X(17, 4);
    Vector kept_y(17);
    for (Eigen::Index i = 0, r = 0; i < 20; ++i)
        if (w(i) != S(0)) {
            kept_X.row(r) = d.X.row(i);
            kept_y(r++) = d.y(i);
        }
    const double tolerance = std::is_same_v<S, float> ? 1e-4 : 1e-9;
    TestType weighted = make_model<TestType>(), dropped = make_model<TestType>();
    weighted.set_tolerance(S(1e-12)).fit(d.X, d.y, w);
    dropped.set_tolerance(S(1e-12)).fit(kept_X, kept_y);
    CHECK((weighted.coef() - dropped.coef()).cwiseAbs().maxCoeff() <= S(tolerance));
    CHECK(double(weighted.intercept()) == Approx(double(dropped.intercept())).margin(tolerance));
    // Only relative weights matter, even at the ends of the range: all weights equal to
    // 1e30 (float) / 1e300 (double) or to the smallest subnormal fit as unit weights.
    const S huge = std::is_same_v<S, float> ? S(1e30) : S(1e300);
    for (const S value : {huge, std::numeric_limits<S>::denorm_min()}) {
        TestType scaled = make_model<TestType>(), unit = make_model<TestType>();
        scaled.fit(d.X, d.y, Vector::Constant(20, value));
        unit.fit(d.X, d.y);
        CHECK(scaled.info() == priorreg::Status::Success);
        CHECK((scaled.coef() - unit.coef()).cwiseAbs().maxCoeff() <= S(tolerance));
        if constexpr (!is_flat_v<TestType>) {
            const auto path = model.fit_path(d.X, d.y, Vector::Constant(20, value));
            const auto reference = model.fit_path(d.X, d.y);
            CHECK((path.coefs() - reference.coefs()).cwiseAbs().maxCoeff() <= S(tolerance));
        }
    }
}

TEST_CASE("contract: lambda < 0", "[contract]") {
    for (const double bad : {-0.1, -inf_value, nan_value, inf_value}) {
        CHECK_THROWS_AS(priorreg::Lasso(bad), priorreg::InvalidInput);
        CHECK_THROWS_WITH(priorreg::Ridge(bad), Contains("lambda must be non-negative and finite"));
        CHECK_THROWS_WITH(priorreg::ElasticNet(bad, 0.5), Contains("lambda"));
        CHECK_THROWS_WITH(LassoF(float(bad)), Contains("lambda"));
    }
    const auto d = make_data<double>(12, 3, 4);
    priorreg::PathOptions options;
    options.lambdas = {0.5, -0.1};
    CHECK_THROWS_WITH(priorreg::Lasso().fit_path(d.X, d.y, options),
                      Contains("PathOptions::lambdas must be non-negative and finite, got -0.1"));
}

TEST_CASE("contract: alpha outside [0, 1]", "[contract]") {
    for (const double bad : {-0.1, 1.5, nan_value, inf_value}) {
        CHECK_THROWS_AS(priorreg::ElasticNet(0.1, bad), priorreg::InvalidInput);
        CHECK_THROWS_WITH(priorreg::ElasticNet(0.1, bad), Contains("alpha must lie in [0, 1]"));
        CHECK_THROWS_WITH(ElasticNetF(0.1f, float(bad)), Contains("alpha"));
    }
    const auto d = make_data<double>(12, 3, 5);
    CHECK_THROWS_WITH(priorreg::select_alpha(d.X, d.y, {}, {0.5, 1.2}), Contains("alpha"));
    // The ends are valid: alpha = 0 is ridge, alpha = 1 the lasso.
    CHECK_NOTHROW(priorreg::ElasticNet(0.1, 0.0));
    CHECK_NOTHROW(priorreg::ElasticNet(0.1, 1.0));
}

TEST_CASE("contract: non-positive prior scale or sigma", "[contract]") {
    for (const double bad : {0.0, -1.0, nan_value, inf_value}) {
        CHECK_THROWS_WITH(priorreg::GaussianPrior<>(bad), Contains("GaussianPrior: tau"));
        CHECK_THROWS_WITH(priorreg::LaplacePrior<>(bad), Contains("LaplacePrior: b"));
        CHECK_THROWS_WITH(priorreg::ElasticNetPrior<>(bad, 1.0), Contains("tau"));
        CHECK_THROWS_WITH(priorreg::ElasticNetPrior<>(1.0, bad), Contains("b must be positive"));
        CHECK_THROWS_WITH(priorreg::Ridge(priorreg::GaussianPrior<>(1.0), bad),
                          Contains("sigma must be positive and finite"));
        CHECK_THROWS_WITH(priorreg::Lasso(priorreg::LaplacePrior<>(1.0), bad), Contains("sigma"));
        CHECK_THROWS_WITH(LassoF(priorreg::LaplacePrior<float>(1.0f), float(bad)),
                          Contains("sigma"));
        CHECK_THROWS_AS(priorreg::LaplacePrior<float>(float(bad)), priorreg::InvalidInput);
    }
}

TEMPLATE_TEST_CASE("contract: wrong-size penalty factors", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Vector = Eigen::Matrix<S, -1, 1>;
    const auto d = make_data<S>(12, 3, 6);
    TestType model = make_model<TestType>();
    // Size is checked against X at fit time (the setter does not know p yet) ...
    model.set_penalty_factors(Vector::Ones(2));
    CHECK_THROWS_WITH(model.fit(d.X, d.y),
                      Contains("penalty factors have 2 entries but X has 3 columns"));
    if constexpr (!is_flat_v<TestType>) {
        CHECK_THROWS_WITH(model.fit_path(d.X, d.y), Contains("penalty factors have 2"));
        auto cv = cv_of(model);
        CHECK_THROWS_WITH(cv.fit(d.X, d.y), Contains("penalty factors have 2"));
    }
    // ... values when they are set; an empty vector restores the default of ones.
    Vector bad = Vector::Ones(3);
    bad(1) = S(-1);
    CHECK_THROWS_WITH(
        model.set_penalty_factors(bad),
        Contains("penalty factors must be non-negative and finite, got -1 at column 1"));
    bad(1) = S(nan_value);
    CHECK_THROWS_AS(model.set_penalty_factors(bad), priorreg::InvalidInput);
    model.set_penalty_factors(Vector());
    CHECK_NOTHROW(model.fit(d.X, d.y));
}

TEMPLATE_TEST_CASE("contract: predict before fit", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    const auto d = make_data<S>(12, 3, 7);
    const TestType model = make_model<TestType>();
    CHECK_THROWS_AS(model.predict(d.X), priorreg::NotFitted);
    CHECK_THROWS_AS(model.predict(d.X), std::logic_error);
    CHECK_THROWS_WITH(model.predict(d.X), Contains("predict called before fit"));
    CHECK_THROWS_WITH(model.coef(), Contains("coef called before fit"));
    CHECK_THROWS_AS(model.intercept(), priorreg::NotFitted);
    CHECK_THROWS_AS(model.info(), priorreg::NotFitted);
    CHECK_THROWS_AS(model.iterations(), priorreg::NotFitted);
    CHECK_THROWS_AS(model.duality_gap(), priorreg::NotFitted);
    if constexpr (!is_flat_v<TestType>) {
        const auto cv = cv_of(model);
        CHECK_THROWS_AS(cv.lambda_min(), priorreg::NotFitted);
        CHECK_THROWS_AS(cv.model(), priorreg::NotFitted);
        CHECK_THROWS_WITH(cv.mean_errors(), Contains("before a completed fit"));
    }
}

TEMPLATE_TEST_CASE("contract: predict with the wrong column count", "[contract]",
                   PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    using Matrix = Eigen::Matrix<S, -1, -1>;
    const auto d = make_data<S>(12, 3, 8);
    TestType model = make_model<TestType>();
    model.fit(d.X, d.y);
    CHECK_THROWS_AS(model.predict(Matrix::Ones(4, 2)), priorreg::InvalidInput);
    CHECK_THROWS_WITH(model.predict(Matrix::Ones(4, 4)),
                      Contains("predict: X has 4 columns but the model was fitted on 3"));
    CHECK(model.predict(Matrix::Ones(0, 3)).size() == 0); // no rows: an empty prediction
    if constexpr (!is_flat_v<TestType>) {
        const auto path = model.fit_path(d.X, d.y);
        CHECK_THROWS_WITH(path.predict(Matrix::Ones(4, 2)),
                          Contains("Path::predict: X has 2 columns but the path was fitted on 3"));
        CHECK_THROWS_WITH(path.model(path.size()), Contains("Path::model: index"));
        CHECK_THROWS_AS(path.model(-1), priorreg::InvalidInput);
    }
}

TEMPLATE_TEST_CASE("contract: predict with non-finite rows", "[contract]", PRIORREG_ALL_MODELS) {
    using S = typename TestType::Scalar;
    const auto d = make_data<S>(12, 3, 9);
    TestType model = make_model<TestType>();
    model.fit(d.X, d.y);
    const auto reference = model.predict(d.X);
    auto X = d.X;
    X(5, 1) = S(nan_value);
    X(8, 0) = S(inf_value);
    const auto predictions = model.predict(X); // not validated: no exception
    for (Eigen::Index i = 0; i < 12; ++i) {
        if (i == 5 || i == 8)
            CHECK_FALSE(std::isfinite(predictions(i)));
        else
            CHECK(predictions(i) == reference(i));
    }
}

TEMPLATE_TEST_CASE("contract: lambda grid not decreasing", "[contract]", priorreg::Ridge,
                   priorreg::Lasso, priorreg::ElasticNet, LassoF) {
    using S = typename TestType::Scalar;
    const auto d = make_data<S>(12, 3, 10);
    TestType model = make_model<TestType>();
    for (const std::vector<double>& grid :
         {std::vector<double>{0.1, 0.2}, std::vector<double>{0.3, 0.1, 0.1},
          std::vector<double>{0.1, nan_value}}) {
        priorreg::PathOptions options;
        options.lambdas = grid;
        CHECK_THROWS_AS(model.fit_path(d.X, d.y, options), priorreg::InvalidInput);
        CHECK_THROWS_WITH(model.fit_path(d.X, d.y, options), Contains("PathOptions::lambdas"));
        priorreg::CrossValidationOptions cv_options;
        cv_options.folds = 3;
        cv_options.path = options;
        priorreg::CrossValidation<typename TestType::PriorType> cv(model, cv_options);
        CHECK_THROWS_WITH(cv.fit(d.X, d.y), Contains("PathOptions::lambdas"));
    }
    priorreg::PathOptions options;
    options.lambdas = {0.3, 0.1, 0.1};
    CHECK_THROWS_WITH(model.fit_path(d.X, d.y, options), Contains("strictly decreasing (entry 2)"));
    options.lambdas = {0.3, 0.1, 0.0}; // 0 is a valid last value
    CHECK(model.fit_path(d.X, d.y, options).size() == 3);
}

TEST_CASE("contract: path and cross-validation options", "[contract]") {
    const auto d = make_data<double>(12, 3, 11);
    priorreg::Lasso lasso(0.1);
    priorreg::PathOptions options;
    options.n_lambda = 0;
    CHECK_THROWS_WITH(lasso.fit_path(d.X, d.y, options), Contains("n_lambda must be at least 1"));
    options.n_lambda = 10;
    for (const double ratio : {0.0, 1.0, 2.0, nan_value}) {
        options.lambda_min_ratio = ratio;
        CHECK_THROWS_WITH(lasso.fit_path(d.X, d.y, options),
                          Contains("lambda_min_ratio must lie in (0, 1)"));
    }
    priorreg::CrossValidationOptions cv_options;
    for (const int folds : {1, 13}) {
        cv_options.folds = folds;
        priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso, cv_options);
        CHECK_THROWS_WITH(cv.fit(d.X, d.y), Contains("folds must lie in [2, n]"));
    }
    cv_options.fold_ids = {0, 1, 0};
    priorreg::CrossValidation<priorreg::LaplacePrior<>> wrong_size(lasso, cv_options);
    CHECK_THROWS_WITH(wrong_size.fit(d.X, d.y), Contains("fold_ids has 3 entries for 12 rows"));
    cv_options.fold_ids.assign(12, 0);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> one_fold(lasso, cv_options);
    CHECK_THROWS_WITH(one_fold.fit(d.X, d.y), Contains("fewer than 2 folds"));
    cv_options.fold_ids[4] = -1;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> negative(lasso, cv_options);
    CHECK_THROWS_WITH(negative.fit(d.X, d.y), Contains("fold ids must be >= 0"));
    // No fold can be scored: every held-out row has weight 0.
    cv_options.fold_ids.assign(12, 0);
    for (Eigen::Index i = 6; i < 12; ++i)
        cv_options.fold_ids[static_cast<std::size_t>(i)] = 1;
    Eigen::VectorXd w = Eigen::VectorXd::Ones(12);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> unscorable(lasso, cv_options);
    w.head(6).setZero(); // fold 0: held-out weight 0; fold 1: training weight 0
    CHECK_THROWS_WITH(unscorable.fit(d.X, d.y, w), Contains("no fold can be scored"));
    CHECK_THROWS_AS(unscorable.lambda_min(), priorreg::NotFitted);
}

TEST_CASE("contract: solver options", "[contract]") {
    priorreg::Lasso lasso(0.1);
    for (const double bad : {0.0, -1e-7, nan_value, inf_value})
        CHECK_THROWS_WITH(lasso.set_tolerance(bad), Contains("tolerance must be positive"));
    CHECK_THROWS_WITH(lasso.set_max_iterations(0), Contains("max_iterations must be at least 1"));
    CHECK_THROWS_WITH(lasso.set_threads(-1), Contains("threads must be non-negative"));
}

TEMPLATE_TEST_CASE("contract: data too large for a penalized fit", "[contract]", priorreg::Ridge,
                   priorreg::Lasso, priorreg::ElasticNet) {
    const auto d = make_data<double>(20, 3, 12);
    TestType model = make_model<TestType>();
    // y whose mean squared deviation overflows double: a clear error, never NaN.
    const Eigen::VectorXd huge_y = d.y * 1e160;
    CHECK_THROWS_AS(model.fit(d.X, huge_y), priorreg::InvalidInput);
    CHECK_THROWS_WITH(model.fit(d.X, huge_y), Contains("y is too large for a penalized fit"));
    CHECK_THROWS_WITH(model.fit_path(d.X, huge_y), Contains("y is too large"));
    auto cv = cv_of(model);
    CHECK_THROWS_WITH(cv.fit(d.X, huge_y), Contains("y is too large"));
    // Least squares has no such limit.
    priorreg::LinearRegression ols, reference;
    ols.fit(d.X, huge_y);
    reference.fit(d.X, d.y);
    CHECK(ols.info() == priorreg::Status::Success);
    CHECK(ols.coef().allFinite());
    CHECK(((ols.coef() / 1e160) - reference.coef()).cwiseAbs().maxCoeff() < 1e-10);
    // ... until the range of y itself overflows (centering would make NaN).
    Eigen::VectorXd extreme_y = d.y;
    extreme_y(0) = std::numeric_limits<double>::max();
    extreme_y(1) = -std::numeric_limits<double>::max();
    CHECK_THROWS_WITH(ols.fit(d.X, extreme_y), Contains("y is too large: the range"));
    // A column whose square overflows, without standardization.
    Eigen::MatrixXd X = d.X;
    X.col(1) *= 1e300;
    model.set_standardize(false);
    CHECK_THROWS_WITH(model.fit(X, d.y), Contains("X column 1 is too large for a penalized fit"));
    CHECK_THROWS_WITH(model.fit_path(X, d.y), Contains("X column 1 is too large"));
    // With standardization (the default) the same column is fine.
    model.set_standardize(true).fit(X, d.y);
    CHECK(model.coef().allFinite());
}

#undef PRIORREG_ALL_MODELS
