// The overfitting story, run: a noisy response driven by a handful of features, hidden among
// many irrelevant ones. Maximum likelihood (OLS) fits the training set almost perfectly and
// fails on new data; a Gaussian prior (Ridge) and a Laplace prior (Lasso) generalize, and the
// Laplace prior also finds which features matter.
//
//   overfitting [--small]      exit status 0 when the story holds on this seeded data
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include <priorreg/priorreg.hpp>

namespace {

struct Split {
    Eigen::MatrixXd X_train, X_test;
    Eigen::VectorXd y_train, y_test;
    Eigen::VectorXd truth;
};

// n_train rows for fitting, 10x as many for testing; `relevant` features carry signal.
Split make_data(Eigen::Index n_train, Eigen::Index p, Eigen::Index relevant, double sigma,
                unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    Split s;
    s.truth = Eigen::VectorXd::Zero(p);
    for (Eigen::Index j = 0; j < relevant; ++j)
        s.truth(j * (p / relevant)) = j % 2 ? -2.0 : 3.0;
    auto draw = [&](Eigen::Index n, Eigen::MatrixXd& X, Eigen::VectorXd& y) {
        X = Eigen::MatrixXd::NullaryExpr(n, p, [&]() { return normal(rng); });
        y = (X * s.truth).array() + 1.0;
        for (Eigen::Index i = 0; i < n; ++i)
            y(i) += sigma * normal(rng);
    };
    draw(n_train, s.X_train, s.y_train);
    draw(10 * n_train, s.X_test, s.y_test);
    return s;
}

template <class Model>
double mse(const Model& model, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    return (model.predict(X) - y).squaredNorm() / static_cast<double>(y.size());
}

} // namespace

int main(int argc, char** argv) {
    const bool small = argc > 1 && std::strcmp(argv[1], "--small") == 0;
    const Eigen::Index n = small ? 40 : 80, p = small ? 30 : 60, relevant = 5;
    const double sigma = 1.0;
    const Split data = make_data(n, p, relevant, sigma, 2026);
    const double n_obs = static_cast<double>(n);

    std::printf("%ld training rows, %ld features (%ld relevant), noise sigma = %.1f\n\n",
                static_cast<long>(n), static_cast<long>(p), static_cast<long>(relevant), sigma);
    std::printf("%-34s %10s %10s %9s %10s\n", "model (prior)", "train MSE", "test MSE", "nonzero",
                "lambda");

    priorreg::LinearRegression mle;
    mle.fit(data.X_train, data.y_train);
    const double mle_test = mse(mle, data.X_test, data.y_test);
    std::printf("%-34s %10.3f %10.3f %9ld %10s\n", "OLS (flat prior: MLE)",
                mse(mle, data.X_train, data.y_train), mle_test,
                static_cast<long>((mle.coef().array() != 0).count()), "0");

    // MAP form: a prior scale and the noise level; lambda follows from n.
    double best_ridge = INFINITY, best_lasso = INFINITY;
    Eigen::Index lasso_nonzero = 0, lasso_found = 0;
    for (const double tau : {2.0, 0.5, 0.2}) {
        priorreg::Ridge ridge(priorreg::GaussianPrior<>(tau), sigma);
        ridge.fit(data.X_train, data.y_train);
        char label[64];
        std::snprintf(label, sizeof label, "Ridge (Gaussian, tau = %.2f)", tau);
        const double test = mse(ridge, data.X_test, data.y_test);
        best_ridge = std::fmin(best_ridge, test);
        std::printf("%-34s %10.3f %10.3f %9ld %10.4f\n", label,
                    mse(ridge, data.X_train, data.y_train), test,
                    static_cast<long>((ridge.coef().array() != 0).count()), ridge.lambda());
    }
    for (const double b : {0.2, 0.05, 0.02}) {
        priorreg::Lasso lasso(priorreg::LaplacePrior<>(b), sigma);
        lasso.fit(data.X_train, data.y_train);
        char label[64];
        std::snprintf(label, sizeof label, "Lasso (Laplace, b = %.2f)", b);
        const double test = mse(lasso, data.X_test, data.y_test);
        const Eigen::Index nonzero = (lasso.coef().array() != 0).count();
        std::printf("%-34s %10.3f %10.3f %9ld %10.4f\n", label,
                    mse(lasso, data.X_train, data.y_train), test, static_cast<long>(nonzero),
                    lasso.lambda());
        if (test < best_lasso) {
            best_lasso = test;
            lasso_nonzero = nonzero;
            lasso_found = 0;
            for (Eigen::Index j = 0; j < p; ++j)
                lasso_found += (data.truth(j) != 0 && lasso.coef()(j) != 0) ? 1 : 0;
        }
    }

    // The same map read backwards: the prior scale a chosen lambda corresponds to.
    const double lambda = 0.1;
    std::printf("\nlambda = %.2f with sigma = %.1f and n = %ld means a Gaussian prior with tau = "
                "%.3f, or a Laplace prior with b = %.4f\n",
                lambda, sigma, static_cast<long>(n),
                priorreg::GaussianPrior<>::from_penalty(lambda, sigma, n_obs).tau(),
                priorreg::LaplacePrior<>::from_penalty(lambda, sigma, n_obs).b());

    std::printf("\nbest test MSE: OLS %.3f, Ridge %.3f, Lasso %.3f (noise floor %.3f)\n", mle_test,
                best_ridge, best_lasso, sigma * sigma);
    std::printf("the best Lasso keeps %ld features and finds %ld of the %ld relevant ones\n",
                static_cast<long>(lasso_nonzero), static_cast<long>(lasso_found),
                static_cast<long>(relevant));

    const bool story_holds = best_ridge < mle_test && best_lasso < best_ridge &&
                             lasso_found == relevant && lasso_nonzero < p / 2;
    std::printf("%s\n", story_holds ? "the priors generalize where the MLE overfits"
                                    : "unexpected: the story does not hold on this data");
    return story_holds ? 0 : 1;
}
