// Ridge against an independently computed closed form: the minimizer of the augmented least
// squares problem [sqrt(V) Z; sqrt(lambda P)] b = [sqrt(V)(y - ybar); 0], solved by
// column-pivoted QR (test_support.hpp).
#include <catch2/catch.hpp>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

namespace {

void check_against_reference(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                             const Eigen::VectorXd& w, double lambda, const Eigen::VectorXd& pf,
                             bool standardize) {
    priorreg::Ridge ridge(lambda);
    ridge.set_standardize(standardize).set_penalty_factors(pf).fit(X, y, w);
    REQUIRE(ridge.info() == priorreg::Status::Success);
    const test_support::RidgeReference r =
        test_support::ridge_by_augmented_qr(X, y, w, lambda, pf, standardize);
    const double size = 1 + r.coef.cwiseAbs().maxCoeff();
    CHECK((ridge.coef() - r.coef).cwiseAbs().maxCoeff() < 1e-10 * size);
    CHECK(std::abs(ridge.intercept() - r.intercept) < 1e-10 * (1 + std::abs(r.intercept)));
    // The closed form is optimal: its duality gap is at rounding level.
    CHECK(ridge.duality_gap() < 1e-12 * (1 + y.squaredNorm()));
}

/// Data for comparing the working forms: a constant column 3, a column `slow` that varies in its
/// 12th digit, and weights with zeros beside uniform ones.
struct FormCase {
    test_support::Dataset d;
    Eigen::VectorXd weighted, uniform;
};

FormCase form_case(Eigen::Index n, Eigen::Index p, Eigen::Index slow, unsigned seed) {
    FormCase c{test_support::make_dataset(n, p, 4, seed), {}, {}};
    c.d.X.col(3).setConstant(-2.5);
    for (Eigen::Index i = 0; i < n; ++i)
        c.d.X(i, slow) = 1e12 + static_cast<double>(i % 17);
    Eigen::VectorXd w(n);
    for (Eigen::Index i = 0; i < n; ++i)
        w(i) = i % 7 == 0 ? 0.0 : 0.5 + static_cast<double>(i % 3);
    c.weighted = w / w.sum();
    c.uniform = Eigen::VectorXd::Constant(n, 1.0 / double(n));
    return c;
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

TEST_CASE("The kernel form of the working problem is the kernel of the working design", "[ridge]") {
    // Closed-form ridge with p > n builds A diag(f)^2 A^T from panels of columns of X, without
    // the working design A, and forms A^T u from X through the same column maps. Weights with
    // zeros, a constant column, a column that varies in its 12th digit, with and without an
    // intercept, equal (f = 1) and unequal factors, on 1 and 2 threads; 700 columns make two
    // halves of five full panels and one partial.
    using priorreg::detail::WorkingForm;
    const auto [d, weighted, uniform] = form_case(90, 700, 600, 4343);
    Eigen::VectorXd unequal(700);
    for (Eigen::Index j = 0; j < 700; ++j)
        unequal(j) = 0.5 + static_cast<double>(j % 5);
    const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(90, -1.0, 2.0);
    for (const bool intercept : {true, false})
        for (const Eigen::VectorXd* weights : {&weighted, &uniform})
            for (const Eigen::VectorXd& factors : {Eigen::VectorXd(), unequal}) {
                INFO("intercept " << intercept << ", factors " << factors.size());
                const auto design = priorreg::detail::standardize<double>(
                    d.X, d.y, *weights, intercept, true, 1, WorkingForm::design);
                const auto kernel = priorreg::detail::standardize<double>(
                    d.X, d.y, *weights, intercept, true, 1, WorkingForm::kernel, factors);
                const auto threaded = priorreg::detail::standardize<double>(
                    d.X, d.y, *weights, intercept, true, 2, WorkingForm::kernel, factors);
                CHECK(kernel.design.size() == 0);
                CHECK(kernel.x_center == design.x_center);
                CHECK(kernel.x_scale == design.x_scale);
                CHECK(kernel.response == design.response);
                CHECK(((kernel.curvature - design.curvature).cwiseAbs().array() <=
                       1e-15 * design.curvature.array())
                          .all());
                if (intercept)
                    CHECK(kernel.curvature(3) == 0.0); // constant: held at 0
                // The sums do not depend on the thread count.
                CHECK(threaded.kernel == kernel.kernel);
                // Each sum to rounding of its size (Cauchy-Schwarz: sqrt(K_ii K_kk)).
                const Eigen::MatrixXd scaled =
                    factors.size() > 0 ? Eigen::MatrixXd(design.design * factors.asDiagonal())
                                       : design.design;
                const Eigen::MatrixXd expected = scaled * scaled.transpose();
                const Eigen::VectorXd root_diagonal = expected.diagonal().cwiseSqrt();
                const Eigen::MatrixXd size = root_diagonal * root_diagonal.transpose();
                const Eigen::MatrixXd error = (kernel.kernel - expected).cwiseAbs();
                CHECK((error.triangularView<Eigen::Lower>().toDenseMatrix().array() <=
                       1e-13 * size.array())
                          .all());
                // A^T v from X through the maps, to rounding of ||A_j|| ||v||.
                Eigen::VectorXd product;
                priorreg::detail::working_transpose_product(d.X, kernel, v, product, 2);
                const Eigen::VectorXd reference = design.design.transpose() * v;
                CHECK(((product - reference).cwiseAbs().array() <=
                       1e-13 * design.curvature.cwiseSqrt().array() * v.norm())
                          .all());
            }
}

TEST_CASE("Closed-form ridge from the kernel alone: the design's solution, or sent back",
          "[ridge]") {
    // From the kernel form the dual solution must equal the design form's; a kernel whose
    // Cholesky keeps too few digits (a penalty of 1e-30 on a centered, rank-deficient kernel)
    // has no design to fall back on and must be sent back, not returned.
    using priorreg::detail::WorkingForm;
    const auto d = test_support::make_dataset(40, 300, 5, 4747, 0.3);
    const Eigen::VectorXd uniform = Eigen::VectorXd::Constant(40, 1.0 / 40.0);
    Eigen::VectorXd l2(300);
    for (Eigen::Index j = 0; j < 300; ++j)
        l2(j) = 0.05 * (1.0 + static_cast<double>(j % 3));
    const auto certify_always = [](const auto&, const auto&) { return true; };
    for (const Eigen::VectorXd& penalties :
         {Eigen::VectorXd(Eigen::VectorXd::Constant(300, 0.2)), l2,
          Eigen::VectorXd(Eigen::VectorXd::Constant(300, 1e-30))}) {
        const bool tiny = penalties(0) < 1e-20;
        INFO("penalty " << penalties(0) << ", equal " << (penalties(1) == penalties(0)));
        auto design = priorreg::detail::standardize<double>(d.X, d.y, uniform, true, true, 1);
        auto kernel = priorreg::detail::standardize<double>(
            d.X, d.y, uniform, true, true, 2, WorkingForm::kernel,
            priorreg::detail::dual_kernel_factors(penalties));
        Eigen::VectorXd from_design, from_kernel;
        int products = 0;
        const auto from_x = [&](const Eigen::VectorXd& u, Eigen::VectorXd& out) {
            ++products;
            priorreg::detail::working_transpose_product(d.X, kernel, u, out, 2);
        };
        const auto never = [](const Eigen::VectorXd&, Eigen::VectorXd&) { FAIL("not wanted"); };
        const auto by_design = priorreg::detail::ridge_closed_form(design, penalties, from_design,
                                                                   1, certify_always, never);
        const auto by_kernel = priorreg::detail::ridge_closed_form(kernel, penalties, from_kernel,
                                                                   2, certify_always, from_x);
        if (tiny) {
            CHECK(by_kernel.needs_design);
            CHECK_FALSE(by_kernel.certified);
            continue;
        }
        REQUIRE_FALSE(by_kernel.needs_design);
        CHECK(products == 1);
        CHECK(by_kernel.certified);
        const double size = from_design.cwiseAbs().maxCoeff();
        CHECK((from_kernel - from_design).cwiseAbs().maxCoeff() < 1e-12 * size);
        CHECK((by_kernel.gradient - by_design.gradient).cwiseAbs().maxCoeff() <
              1e-12 * by_design.gradient.cwiseAbs().maxCoeff());
        // Stationarity of the working problem: A^T (b - A beta) = l2 beta (the design above
        // was consumed: scaled in place for unequal penalties).
        const auto fresh = priorreg::detail::standardize<double>(d.X, d.y, uniform, true, true);
        const Eigen::VectorXd residual = fresh.response - fresh.design * from_kernel;
        CHECK((fresh.design.transpose() * residual - penalties.cwiseProduct(from_kernel))
                  .cwiseAbs()
                  .maxCoeff() < 1e-10 * size);
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
    const auto [d, weighted, uniform] = form_case(700, 9, 5, 4242);
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
