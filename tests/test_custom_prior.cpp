// A user-defined separable prior plugs into the same solver without touching library code:
// a non-negative Laplace prior (exponential on beta >= 0), whose MAP estimate is the
// non-negative Lasso.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

namespace {

struct NonNegativeLaplacePrior {
    using Scalar = double;
    double b = 1.0;

    template <class T>
    T penalty(T beta, T l1, T l2) const {
        return beta < T(0) ? std::numeric_limits<T>::infinity() : l1 * beta + T(0.5) * l2 * beta * beta;
    }
    template <class T>
    T proximal_step(T z, T curvature, T l1, T l2) const {
        return std::max(z - l1, T(0)) / (curvature + l2);
    }
    template <class T>
    T conjugate(T u, T l1, T l2) const {
        const T excess = std::max(u - l1, T(0));
        return l2 > T(0) ? excess * excess / (T(2) * l2) : T(0);
    }
    template <class T>
    T dual_scale(T u, T l1, T l2) const {
        return (l2 > T(0) || u <= l1) ? T(1) : l1 / u;
    }
    template <class T>
    T zero_threshold(T gradient) const {
        return std::max(gradient, T(0));
    }
    template <class Derived>
    double log_density(const Eigen::MatrixBase<Derived>& beta) const {
        if ((beta.array() < 0).any()) return -std::numeric_limits<double>::infinity();
        return -beta.sum() / b - static_cast<double>(beta.size()) * std::log(b);
    }
    priorreg::PenaltyParameters<double> penalty_parameters(double sigma, double n) const {
        return {sigma * sigma / (n * b), 1.0};
    }
};

}  // namespace

TEST_CASE("A user-defined non-negative Laplace prior gives the non-negative Lasso", "[custom]") {
    auto d = test_support::make_dataset(150, 20, 6, 61, 0.3);
    const Eigen::VectorXd w = Eigen::VectorXd::Ones(150);
    const double lambda = 0.02;
    priorreg::MapRegression<NonNegativeLaplacePrior> model(lambda);
    model.set_tolerance(1e-13).fit(d.X, d.y);
    REQUIRE(model.info() == priorreg::Status::Success);
    CHECK((model.coef().array() >= 0).all());
    // KKT of the non-negative lasso: g_j = lambda where b_j > 0, g_j <= lambda where b_j = 0.
    const auto g = test_support::standardized_gradient(d.X, d.y, w, true, model.intercept(),
                                                       model.coef());
    const double scale = std::sqrt(d.y.squaredNorm() / 150);
    for (Eigen::Index j = 0; j < 20; ++j) {
        if (model.coef()(j) > 0) CHECK(std::abs(g(j) - lambda) < 1e-6 * scale);
        else CHECK(g(j) <= lambda + 1e-6 * scale);
    }
    // Truly negative coefficients are held at zero, truly positive ones are found.
    CHECK(model.coef()(1) == 0.0);
    CHECK(model.coef()(0) > 0.0);
    // Where the unconstrained Lasso is already non-negative, both agree.
    priorreg::Lasso lasso(lambda);
    lasso.set_tolerance(1e-13).fit(d.X, d.y);
    if ((lasso.coef().array() >= 0).all())
        CHECK((lasso.coef() - model.coef()).cwiseAbs().maxCoeff() < 1e-8);
}

TEST_CASE("A user-defined prior works in the MAP form and with log_posterior", "[custom]") {
    auto d = test_support::make_dataset(60, 8, 3, 67, 0.0);
    priorreg::MapRegression<NonNegativeLaplacePrior> model(NonNegativeLaplacePrior{0.1}, 1.0);
    model.set_tolerance(1e-13).fit(d.X, d.y);
    CHECK(model.lambda() == Approx(1.0 / (60 * 0.1)));
    const double at_map = model.log_posterior(d.X, d.y, model.intercept(), model.coef());
    for (Eigen::Index j = 0; j < 8; ++j) {
        Eigen::VectorXd moved = model.coef();
        moved(j) += 1e-3;
        CHECK(model.log_posterior(d.X, d.y, model.intercept(), moved) <= at_map);
    }
}
