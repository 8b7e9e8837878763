// Where the fitted weights land: OLS, Ridge and Lasso on the same data with many features, most
// of them irrelevant. The OLS weights scatter widely (noise fitted as signal). Ridge pulls them
// into a narrow bell; the Lasso puts most of them exactly at zero and leaves a few in the
// tails. Each histogram is overlaid with the prior whose MAP estimate it is: N(0, tau^2) with
// tau = sigma / sqrt(n lambda) for Ridge, Laplace(0, b) with b = sigma^2 / (n lambda) for the
// Lasso (lambda by 10-fold CV, sigma estimated from the OLS residuals).
//
//   weight_histograms [--small] [--out DIR]
//
// Writes DIR/weight_histograms_*.dat and DIR/weight_histograms.png; exits non-zero when the
// story (Lasso many exact zeros, Ridge and OLS none, Ridge shrunk and bell-shaped, Lasso
// heavy-tailed) does not hold on this seeded data.
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>

#include <priorreg/priorreg.hpp>

#include "plot_support.hpp"

namespace {

// Excess kurtosis about zero: 0 for a Gaussian, 3 for a Laplace, large for a spike with tails.
double kurtosis_about_zero(const Eigen::VectorXd& w) {
    const double m2 = w.array().square().mean(), m4 = w.array().square().square().mean();
    return m4 / (m2 * m2) - 3.0;
}

long exact_zeros(const Eigen::VectorXd& w) {
    return static_cast<long>((w.array() == 0).count());
}

// The prior density at each grid point, from the library's prior type.
template <class Prior> Eigen::VectorXd density(const Prior& prior, const Eigen::VectorXd& grid) {
    return grid.unaryExpr(
        [&](double b) { return std::exp(prior.log_density(Eigen::Matrix<double, 1, 1>(b))); });
}

} // namespace

int main(int argc, char** argv) {
    const auto args = plot_support::parse_arguments(
        argc, argv, "weight_histograms: fitted weights under OLS, Ridge and Lasso with the priors");
    const Eigen::Index n = args.small ? 150 : 300, p = args.small ? 100 : 200;
    const Eigen::Index relevant = p / 10;
    const double noise_sigma = 2.0;

    // Unit-variance features and no standardization: the prior applies to the weights as
    // reported, so the histograms and the densities share an axis.
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal;
    const Eigen::MatrixXd X = Eigen::MatrixXd::NullaryExpr(n, p, [&]() { return normal(rng); });
    Eigen::VectorXd truth = Eigen::VectorXd::Zero(p);
    for (Eigen::Index j = 0; j < relevant; ++j)
        truth(j * 10) = (j % 2 ? -1.0 : 1.0) * (0.3 + 0.05 * static_cast<double>(j));
    Eigen::VectorXd y = X * truth;
    for (Eigen::Index i = 0; i < n; ++i)
        y(i) += noise_sigma * normal(rng);

    priorreg::LinearRegression ols;
    ols.set_standardize(false).fit(X, y);
    const double rss = (ols.predict(X) - y).squaredNorm();
    const double sigma = std::sqrt(rss / static_cast<double>(n - p - 1)); // OLS noise estimate

    priorreg::CrossValidationOptions cv_options;
    cv_options.path.n_lambda = args.small ? 40 : 80;
    priorreg::CrossValidation<priorreg::GaussianPrior<>> ridge_cv(
        priorreg::Ridge(1.0).set_standardize(false), cv_options);
    ridge_cv.fit(X, y);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> lasso_cv(
        priorreg::Lasso(1.0).set_standardize(false), cv_options);
    lasso_cv.fit(X, y);
    const Eigen::VectorXd w_ols = ols.coef(), w_ridge = ridge_cv.model().coef(),
                          w_lasso = lasso_cv.model().coef();

    // The MAP reading of the two lambdas.
    const double n_obs = static_cast<double>(n);
    const auto gaussian =
        priorreg::GaussianPrior<>::from_penalty(ridge_cv.lambda_min(), sigma, n_obs);
    const auto laplace =
        priorreg::LaplacePrior<>::from_penalty(lasso_cv.lambda_min(), sigma, n_obs);

    std::printf("%ld rows, %ld features (%ld relevant), sigma estimated from OLS: %.3f (true "
                "%.1f)\n\n",
                static_cast<long>(n), static_cast<long>(p), static_cast<long>(relevant), sigma,
                noise_sigma);
    std::printf("%-6s %10s %10s %12s %12s   %s\n", "model", "lambda", "sd(w)", "exact zeros",
                "kurtosis", "prior (MAP reading)");
    std::printf("%-6s %10s %10.4f %12ld %12.2f   flat\n", "OLS", "0",
                std::sqrt(w_ols.array().square().mean()), exact_zeros(w_ols),
                kurtosis_about_zero(w_ols));
    std::printf("%-6s %10.4g %10.4f %12ld %12.2f   Gaussian, tau = %.4f\n", "Ridge",
                ridge_cv.lambda_min(), std::sqrt(w_ridge.array().square().mean()),
                exact_zeros(w_ridge), kurtosis_about_zero(w_ridge), gaussian.tau());
    std::printf("%-6s %10.4g %10.4f %12ld %12.2f   Laplace, b = %.4f\n", "Lasso",
                lasso_cv.lambda_min(), std::sqrt(w_lasso.array().square().mean()),
                exact_zeros(w_lasso), kurtosis_about_zero(w_lasso), laplace.b());

    const bool lasso_sparse = 2 * exact_zeros(w_lasso) >= p;
    const bool others_dense = exact_zeros(w_ridge) == 0 && exact_zeros(w_ols) == 0;
    const bool ridge_shrinks = w_ridge.norm() < 0.8 * w_ols.norm();
    const bool shapes = kurtosis_about_zero(w_lasso) > kurtosis_about_zero(w_ridge) + 3.0;
    std::printf("\nLasso: at least half of the weights exactly zero:   %s\n",
                lasso_sparse ? "yes" : "NO");
    std::printf("Ridge and OLS: no weight exactly zero:              %s\n",
                others_dense ? "yes" : "NO");
    std::printf("Ridge weights shrunk below 0.8 x the OLS norm:     %s\n",
                ridge_shrinks ? "yes" : "NO");
    std::printf("Lasso tails heavier than Ridge's (kurtosis + 3):    %s\n", shapes ? "yes" : "NO");
    const bool story = lasso_sparse && others_dense && ridge_shrinks && shapes;

    // Histograms on a common range, as densities; the Lasso's exact zeros as their own bar.
    namespace ps = plot_support;
    const double edge = 1.05 * w_ols.cwiseAbs().maxCoeff();
    const int bins = args.small ? 30 : 40;
    const double width = 2 * edge / bins;
    Eigen::VectorXd nonzero_lasso(p - exact_zeros(w_lasso));
    for (Eigen::Index j = 0, k = 0; j < p; ++j)
        if (w_lasso(j) != 0)
            nonzero_lasso(k++) = w_lasso(j);
    Eigen::MatrixXd lasso_hist = ps::histogram(nonzero_lasso, -edge, edge, bins);
    lasso_hist.col(1) *= static_cast<double>(nonzero_lasso.size()) / static_cast<double>(p);
    ps::write_table(args.out_dir / "weight_histograms_ols.dat", {"centre", "density"},
                    ps::histogram(w_ols, -edge, edge, bins));
    ps::write_table(args.out_dir / "weight_histograms_ridge.dat", {"centre", "density"},
                    ps::histogram(w_ridge, -edge, edge, bins));
    ps::write_table(args.out_dir / "weight_histograms_lasso.dat", {"centre", "density"},
                    lasso_hist);
    const Eigen::VectorXd grid = Eigen::VectorXd::LinSpaced(801, -edge, edge);
    ps::write_table(args.out_dir / "weight_histograms_priors.dat", {"w", "gaussian", "laplace"},
                    ps::columns({grid, density(gaussian, grid), density(laplace, grid)}));
    const double zero_share = static_cast<double>(exact_zeros(w_lasso)) / static_cast<double>(p);

    std::ostringstream gp;
    gp << "set multiplot layout 1,3 title 'Fitted weights of " << p << " features (" << relevant
       << " relevant): histograms (density) and the prior each estimator is the MAP of'\n"
       << "set xrange [" << -edge << ':' << edge << "]\nset xlabel 'weight'\n"
       << "set key top right font ',9'\nset boxwidth " << width << "\nset yrange [0:*]\n"
       << "set ylabel 'density'\n"
       << "set title 'OLS (flat prior)'\n"
       << "plot 'weight_histograms_ols.dat' using 1:2 with boxes lc rgb '#d62728' title "
          "'weights'\n"
       << "set title 'Ridge: Gaussian prior, tau = " << gaussian.tau() << "'\n"
       << "plot 'weight_histograms_ridge.dat' using 1:2 with boxes lc rgb '#1f77b4' title "
          "'weights', \\\n"
       << "  'weight_histograms_priors.dat' using 1:2 with lines lw 2 lc rgb 'black' title "
          "'N(0, tau^2)'\n"
       << "set title 'Lasso: Laplace prior, b = " << laplace.b() << "'\n"
       << "set logscale y\nset yrange [0.01:*]\nset ylabel 'density (log scale)'\n"
       << "plot 'weight_histograms_lasso.dat' using 1:($2 > 0 ? $2 : 1/0) with boxes lc rgb "
          "'#2ca02c' title 'nonzero weights', \\\n"
       << "  '+' every ::0::0 using (0):(" << zero_share / width << "):(" << width
       << ") with boxes lc rgb '#006400' title '" << exact_zeros(w_lasso) << " exact zeros', \\\n"
       << "  'weight_histograms_priors.dat' using 1:3 with lines lw 2 lc rgb 'black' title "
          "'Laplace(0, b)'\n"
       << "unset multiplot\n";
    const auto plot = ps::render_png(args.out_dir, "weight_histograms", gp.str(), 1200, 450);
    return ps::finish(story, plot);
}
