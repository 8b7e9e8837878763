// Ridge against an independently computed closed form: the minimizer of the augmented least
// squares problem [sqrt(V) Z; sqrt(lambda P)] b = [sqrt(V)(y - ybar); 0], solved by SVD.
#include <catch2/catch.hpp>

#include <Eigen/SVD>
#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

namespace {

struct Reference {
    Eigen::VectorXd coef;
    double intercept;
};

Reference ridge_by_svd(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                       double lambda, const Eigen::VectorXd& pf, bool standardize) {
    const Eigen::Index n = X.rows(), p = X.cols();
    const auto s = test_support::column_scaling(X, w, standardize);
    const Eigen::VectorXd root_v = (w / w.sum()).cwiseSqrt();
    const double ybar = w.dot(y) / w.sum();
    Eigen::MatrixXd augmented = Eigen::MatrixXd::Zero(n + p, p);
    Eigen::VectorXd target = Eigen::VectorXd::Zero(n + p);
    for (Eigen::Index j = 0; j < p; ++j) {
        augmented.col(j).head(n) =
            root_v.cwiseProduct((X.col(j).array() - s.mean(j)).matrix()) / s.scale(j);
        augmented(n + j, j) = std::sqrt(lambda * pf(j));
    }
    target.head(n) = root_v.cwiseProduct((y.array() - ybar).matrix());
    const Eigen::VectorXd standardized =
        augmented.jacobiSvd(Eigen::ComputeThinU | Eigen::ComputeThinV).solve(target);
    Reference r;
    r.coef = standardized.cwiseQuotient(s.scale);
    r.intercept = ybar - s.mean.dot(r.coef);
    return r;
}

void check_against_reference(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                             const Eigen::VectorXd& w, double lambda, const Eigen::VectorXd& pf,
                             bool standardize) {
    priorreg::Ridge ridge(lambda);
    ridge.set_standardize(standardize).set_penalty_factors(pf).fit(X, y, w);
    REQUIRE(ridge.info() == priorreg::Status::Success);
    const Reference r = ridge_by_svd(X, y, w, lambda, pf, standardize);
    const double size = 1 + r.coef.cwiseAbs().maxCoeff();
    CHECK((ridge.coef() - r.coef).cwiseAbs().maxCoeff() < 1e-10 * size);
    CHECK(std::abs(ridge.intercept() - r.intercept) < 1e-10 * (1 + std::abs(r.intercept)));
    // The closed form is optimal: its duality gap is at rounding level.
    CHECK(ridge.duality_gap() < 1e-12 * (1 + y.squaredNorm()));
}

} // namespace

TEST_CASE("Ridge equals the closed form, n > p (primal Cholesky)", "[ridge]") {
    const auto d = test_support::make_dataset(150, 20, 5, 41, 0.6);
    Eigen::VectorXd w = Eigen::VectorXd::Ones(150);
    for (Eigen::Index i = 0; i < 150; i += 3)
        w(i) = 0.25;
    const Eigen::VectorXd ones = Eigen::VectorXd::Ones(20);
    Eigen::VectorXd pf = ones;
    pf(0) = 0.0;
    pf(5) = 3.0;
    for (const bool standardize : {true, false}) {
        check_against_reference(d.X, d.y, w, 0.7, ones, standardize);
        check_against_reference(d.X, d.y, w, 1e-3, pf, standardize);
    }
}

TEST_CASE("Ridge equals the closed form, p > n (dual Cholesky)", "[ridge]") {
    const auto d = test_support::make_dataset(30, 90, 5, 43, 0.2);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(30);
    Eigen::VectorXd pf = Eigen::VectorXd::Ones(90);
    pf(4) = 0.5;
    for (const bool standardize : {true, false}) {
        check_against_reference(d.X, d.y, w, 0.2, pf, standardize);
        // An unpenalized column with p > n takes the primal route.
        Eigen::VectorXd with_free = pf;
        with_free(1) = 0.0;
        check_against_reference(d.X, d.y, w, 0.2, with_free, standardize);
    }
}

TEST_CASE("Ridge shrinks monotonically towards zero and tends to OLS as lambda -> 0", "[ridge]") {
    const auto d = test_support::make_dataset(60, 10, 4, 47, 0.3);
    priorreg::LinearRegression ols;
    ols.fit(d.X, d.y);
    double previous = std::numeric_limits<double>::infinity();
    for (const double lambda : {1e-9, 1e-3, 1e-1, 1.0, 10.0}) {
        priorreg::Ridge ridge(lambda);
        ridge.fit(d.X, d.y);
        const auto s = test_support::column_scaling(d.X, Eigen::VectorXd::Ones(60), true);
        const double norm = ridge.coef().cwiseProduct(s.scale).norm();
        CHECK(norm < previous);
        previous = norm;
        if (lambda == 1e-9)
            CHECK((ridge.coef() - ols.coef()).norm() < 1e-6 * ols.coef().norm());
    }
}

TEST_CASE("The Gram form of the working problem is the Gram of the working design", "[ridge]") {
    // Closed-form ridge with n >= p builds A^T A and A^T b from panels of rows of X, without the
    // working design A. Both forms come from one column map: same centers and scales, bit for
    // bit, and the same sums to rounding. Weights with zeros, a constant column, a column that
    // varies in its 12th digit, with and without an intercept, on 1 and 2 threads.
    auto d = test_support::make_dataset(700, 9, 4, 4242);
    d.X.col(3).setConstant(-2.5);
    for (Eigen::Index i = 0; i < d.X.rows(); ++i)
        d.X(i, 5) = 1e12 + static_cast<double>(i % 17);
    Eigen::VectorXd w = Eigen::VectorXd::Ones(d.X.rows());
    for (Eigen::Index i = 0; i < w.size(); ++i)
        w(i) = i % 7 == 0 ? 0.0 : 0.5 + static_cast<double>(i % 3);
    const Eigen::VectorXd weighted = w / w.sum();
    const Eigen::VectorXd uniform = Eigen::VectorXd::Constant(w.size(), 1.0 / double(w.size()));
    for (const bool intercept : {true, false})
        for (const Eigen::VectorXd* weights : {&weighted, &uniform})
            for (const int threads : {1, 2}) {
                INFO("intercept " << intercept << ", threads " << threads);
                using priorreg::detail::WorkingForm;
                const auto design = priorreg::detail::standardize<double>(
                    d.X, d.y, *weights, intercept, true, threads, WorkingForm::design);
                const auto gram = priorreg::detail::standardize<double>(
                    d.X, d.y, *weights, intercept, true, threads, WorkingForm::gram);
                CHECK(gram.design.size() == 0);
                CHECK(gram.x_center == design.x_center);
                CHECK(gram.x_scale == design.x_scale);
                // Each sum to rounding of its size: sqrt(c_j c_k) (columns without an intercept
                // are not centered; the 12th-digit one then has entries of 2e11).
                const Eigen::MatrixXd expected = design.design.transpose() * design.design;
                const Eigen::VectorXd root_curvature = design.curvature.cwiseSqrt();
                const Eigen::MatrixXd size = root_curvature * root_curvature.transpose();
                CHECK(((gram.gram - expected).cwiseAbs().array() <= 1e-13 * size.array()).all());
                const Eigen::VectorXd correlation = design.design.transpose() * design.response;
                CHECK(((gram.correlation - correlation).cwiseAbs().array() <=
                       1e-13 * root_curvature.array() * design.response.norm())
                          .all());
                CHECK(((gram.curvature - design.curvature).cwiseAbs().array() <=
                       1e-13 * design.curvature.array())
                          .all());
                if (intercept)
                    CHECK(gram.curvature(3) == 0.0); // constant: held at 0
            }
}
