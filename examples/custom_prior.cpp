// A prior the library does not ship, plugged into the same solver: mixing proportions are
// non-negative, so a one-sided Laplace prior on them gives the non-negative Lasso. The
// unconstrained Lasso, on the same data, assigns negative weights that have no meaning.
#include <cstdio>
#include <random>

#include <priorreg/priorreg.hpp>

#include "non_negative_laplace_prior.hpp"

int main() {
    // A signal mixed from 3 of 12 non-negative sources, observed with noise.
    const Eigen::Index n = 60, p = 12;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd sources = Eigen::MatrixXd::NullaryExpr(n, p, [&]() { return normal(rng); });
    for (Eigen::Index j = 1; j < p; ++j)
        sources.col(j) += 0.9 * sources.col(j - 1); // overlap
    Eigen::VectorXd mixture = Eigen::VectorXd::Zero(p);
    mixture(2) = 0.5;
    mixture(6) = 0.3;
    mixture(9) = 0.2;
    Eigen::VectorXd y = sources * mixture;
    for (Eigen::Index i = 0; i < n; ++i)
        y(i) += 0.5 * normal(rng);

    const double sigma = 0.5;
    priorreg::MapRegression<NonNegativeLaplacePrior> constrained(NonNegativeLaplacePrior{0.5},
                                                                 sigma);
    constrained.set_fit_intercept(false).fit(sources, y);
    priorreg::Lasso unconstrained(constrained.lambda());
    unconstrained.set_fit_intercept(false).fit(sources, y);

    std::printf("lambda = %.4f (sigma = %.1f, b = 0.5, n = %ld)\n\n", constrained.lambda(), sigma,
                static_cast<long>(n));
    std::printf("%6s %8s %14s %10s\n", "source", "truth", "non-negative", "Lasso");
    for (Eigen::Index j = 0; j < p; ++j)
        std::printf("%6ld %8.3f %14.3f %10.3f\n", static_cast<long>(j), mixture(j),
                    constrained.coef()(j), unconstrained.coef()(j));
    std::printf("\nstatus %s, duality gap %.2e, %d sweeps\n",
                constrained.info() == priorreg::Status::Success ? "Success" : "not converged",
                constrained.duality_gap(), constrained.iterations());
    return (constrained.coef().array() >= 0).all() ? 0 : 1;
}
