// One fit, two descriptions. A Ridge fit given as a Gaussian prior N(0, tau^2) and a noise level
// sigma is the same fit as the penalty form at lambda = sigma^2 / (n tau^2); a Lasso fit given
// as a Laplace prior Laplace(0, b) with sigma is the penalty form at lambda = sigma^2 / (n b);
// an Elastic Net prior (tau, b) is the penalty form at the (lambda, alpha) of its product. The
// example fits each both ways and compares the coefficients, then walks the log posterior along
// lines through the MAP estimate: every line peaks at step 0. Along a coefficient the Lasso set
// to exactly zero, the Laplace prior's kink shows: the curve is a corner, not a smooth cap.
//
//   map_view [--small] [--out DIR]
//
// Writes DIR/map_view.dat and DIR/map_view.png; exits non-zero when the two forms disagree or
// a line through the MAP estimate climbs above it.
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "plot_support.hpp"

namespace {

double relative_difference(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    return (a - b).norm() / std::max(a.norm(), 1e-300);
}

// log posterior(coef + t * direction) - log posterior(coef) for every t of `steps`.
template <class Model>
Eigen::VectorXd walk(const Model& model, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                     const Eigen::VectorXd& direction, const Eigen::VectorXd& steps) {
    const double at_map = model.log_posterior(X, y, model.intercept(), model.coef());
    return steps.unaryExpr([&](double t) {
        const Eigen::VectorXd coef = model.coef() + t * direction;
        return model.log_posterior(X, y, model.intercept(), coef) - at_map;
    });
}

} // namespace

int main(int argc, char** argv) {
    const auto args = plot_support::parse_arguments(
        argc, argv, "map_view: the same fit as prior scale and sigma, and as lambda");
    const Eigen::Index n = args.small ? 60 : 120, p = 10;
    const double sigma = 1.0;
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal;
    const Eigen::MatrixXd X = Eigen::MatrixXd::NullaryExpr(n, p, [&]() { return normal(rng); });
    Eigen::VectorXd truth = Eigen::VectorXd::Zero(p);
    truth.head(4) << 1.5, -1.0, 0.5, 0.25;
    Eigen::VectorXd y = X * truth;
    for (Eigen::Index i = 0; i < n; ++i)
        y(i) += 3.0 + sigma * normal(rng);
    const double n_obs = static_cast<double>(n);

    // MAP form: prior scale and sigma. Penalty form: the lambda (and alpha) they imply.
    const double tau = 0.3, b = 0.08;
    priorreg::Ridge ridge_map(priorreg::GaussianPrior<>(tau), sigma);
    ridge_map.fit(X, y);
    priorreg::Ridge ridge_penalty(ridge_map.lambda());
    ridge_penalty.fit(X, y);
    priorreg::Lasso lasso_map(priorreg::LaplacePrior<>(b), sigma);
    lasso_map.set_tolerance(1e-12).fit(X, y);
    priorreg::Lasso lasso_penalty(lasso_map.lambda());
    lasso_penalty.set_tolerance(1e-12).fit(X, y);
    priorreg::ElasticNet enet_map(priorreg::ElasticNetPrior<>(tau, b), sigma);
    enet_map.set_tolerance(1e-12).fit(X, y);
    priorreg::ElasticNet enet_penalty(enet_map.lambda(), enet_map.alpha());
    enet_penalty.set_tolerance(1e-12).fit(X, y);

    const double d_ridge = relative_difference(ridge_map.coef(), ridge_penalty.coef());
    const double d_lasso = relative_difference(lasso_map.coef(), lasso_penalty.coef());
    const double d_enet = relative_difference(enet_map.coef(), enet_penalty.coef());
    // And back: the prior scale a lambda corresponds to.
    const double tau_back =
        priorreg::GaussianPrior<>::from_penalty(ridge_penalty.lambda(), sigma, n_obs).tau();
    const double b_back =
        priorreg::LaplacePrior<>::from_penalty(lasso_penalty.lambda(), sigma, n_obs).b();
    std::printf("%ld rows, %ld features, sigma = %.1f (standardized features: the priors are on "
                "the standardized coefficients)\n\n",
                static_cast<long>(n), static_cast<long>(p), sigma);
    std::printf("%-12s %-26s %-24s %14s %12s\n", "estimator", "MAP form", "penalty form",
                "coef rel diff", "scale back");
    std::printf("%-12s tau = %-20g lambda = %-15.6g %14.2e   tau = %g\n", "Ridge", tau,
                ridge_map.lambda(), d_ridge, tau_back);
    std::printf("%-12s b = %-22g lambda = %-15.6g %14.2e   b = %g\n", "Lasso", b,
                lasso_map.lambda(), d_lasso, b_back);
    std::printf("%-12s tau = %g, b = %-12g lambda = %.4g, alpha = %.3f %5.2e\n", "Elastic Net", tau,
                b, enet_map.lambda(), enet_map.alpha(), d_enet);
    const bool forms_agree = d_ridge < 1e-10 && d_lasso < 1e-6 && d_enet < 1e-6 &&
                             std::abs(tau_back - tau) < 1e-12 * tau &&
                             std::abs(b_back - b) < 1e-12 * b;

    // Lines through the MAP: along a coefficient the Lasso kept, one it set to zero, and a
    // random direction; steps up to a quarter of the largest coefficient, close enough for the
    // kink to show next to the likelihood's curvature.
    Eigen::Index kept = 0, zeroed = -1;
    for (Eigen::Index j = 0; j < p; ++j)
        if (lasso_map.coef()(j) == 0 && zeroed < 0)
            zeroed = j;
    lasso_map.coef().cwiseAbs().maxCoeff(&kept);
    const double reach = 0.25 * lasso_map.coef().cwiseAbs().maxCoeff();
    const Eigen::VectorXd steps = Eigen::VectorXd::LinSpaced(args.small ? 81 : 201, -reach, reach);
    Eigen::VectorXd random_direction =
        Eigen::VectorXd::NullaryExpr(p, [&]() { return normal(rng); });
    random_direction.normalize();
    std::vector<Eigen::VectorXd> directions{Eigen::VectorXd::Unit(p, kept), random_direction};
    std::vector<std::string> labels{"along x" + std::to_string(kept) + " (kept)",
                                    "random direction"};
    if (zeroed >= 0) {
        directions.push_back(Eigen::VectorXd::Unit(p, zeroed));
        labels.push_back("along x" + std::to_string(zeroed) + " (zero in the Lasso)");
    }

    Eigen::MatrixXd table(steps.size(), 1 + 2 * static_cast<Eigen::Index>(directions.size()));
    table.col(0) = steps;
    bool peaks_at_zero = true;
    for (std::size_t k = 0; k < directions.size(); ++k) {
        const Eigen::VectorXd r = walk(ridge_map, X, y, directions[k], steps);
        const Eigen::VectorXd l = walk(lasso_map, X, y, directions[k], steps);
        table.col(1 + static_cast<Eigen::Index>(k)) = r;
        table.col(1 + static_cast<Eigen::Index>(directions.size() + k)) = l;
        peaks_at_zero = peaks_at_zero && r.maxCoeff() <= 1e-9 && l.maxCoeff() <= 1e-9;
    }
    // The kink: along a zeroed coefficient the one-sided slopes at 0 are both negative and
    // bounded away from zero (the subgradient condition holds strictly); along a kept one the
    // curve is smooth (slopes at 0 vanish).
    bool kink = zeroed < 0;
    double slope_left = 0, slope_right = 0, smooth_left = 0, smooth_right = 0;
    const double h = 1e-6;
    const Eigen::VectorXd tiny = (Eigen::VectorXd(2) << -h, h).finished();
    const Eigen::VectorXd at_kept = walk(lasso_map, X, y, directions[0], tiny) / h;
    smooth_left = at_kept(0);
    smooth_right = at_kept(1);
    if (zeroed >= 0) {
        const Eigen::VectorXd at_zero = walk(lasso_map, X, y, directions.back(), tiny) / h;
        slope_left = at_zero(0);
        slope_right = at_zero(1);
        kink = slope_left < -1e-3 * n_obs && slope_right < -1e-3 * n_obs;
    }
    const bool smooth = std::abs(smooth_left) < 1e-2 && std::abs(smooth_right) < 1e-2;
    std::printf("\nlog posterior at the MAP: Ridge %.4f, Lasso %.4f\n",
                ridge_map.log_posterior(X, y, ridge_map.intercept(), ridge_map.coef()),
                lasso_map.log_posterior(X, y, lasso_map.intercept(), lasso_map.coef()));
    std::printf("the two forms give the same coefficients:        %s\n",
                forms_agree ? "yes" : "NO");
    std::printf("every line through the MAP peaks at step 0:      %s\n",
                peaks_at_zero ? "yes" : "NO");
    std::printf("Lasso, zeroed coefficient: a corner at 0:        %s (one-sided drops %.3g, "
                "%.3g per unit)\n",
                kink ? "yes" : "NO", -slope_left, -slope_right);
    std::printf("Lasso, kept coefficient: smooth at 0:            %s (%.2g, %.2g)\n",
                smooth ? "yes" : "NO", -smooth_left, -smooth_right);
    const bool story = forms_agree && peaks_at_zero && kink && smooth;

    namespace ps = plot_support;
    std::vector<std::string> names{"step"};
    for (const char* model : {"ridge", "lasso"})
        for (std::size_t k = 0; k < directions.size(); ++k)
            names.push_back(std::string(model) + "_" + std::to_string(k));
    ps::write_table(args.out_dir / "map_view.dat", names, table);
    const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c"};
    std::ostringstream gp;
    gp << "set multiplot layout 1,2 title 'Log posterior along lines through the MAP estimate "
          "(0 = the MAP; same data, sigma = "
       << sigma << ")'\n"
       << "set xlabel 'step t (coef = MAP + t * direction)'\n"
       << "set ylabel 'log posterior - log posterior at the MAP'\nset key bottom center font ',9'\n"
       << "set arrow 1 from 0, graph 0 to 0, graph 1 nohead dt 2 lc rgb 'gray40'\n";
    for (int m = 0; m < 2; ++m) {
        gp << "set title '"
           << (m == 0 ? "Ridge: Gaussian prior, tau = " : "Lasso: Laplace prior, b = ")
           << (m == 0 ? tau : b)
           << " (lambda = " << (m == 0 ? ridge_map.lambda() : lasso_map.lambda()) << ")'\nplot ";
        for (std::size_t k = 0; k < directions.size(); ++k)
            gp << (k ? ", \\\n  " : "") << "'map_view.dat' using 1:"
               << 2 + m * static_cast<int>(directions.size()) + static_cast<int>(k)
               << " with lines lw 2 lc rgb '" << colours[k] << "' title '" << labels[k] << "'";
        gp << '\n';
    }
    gp << "unset multiplot\n";
    const auto plot = ps::render_png(args.out_dir, "map_view", gp.str(), 1000, 450);
    return ps::finish(story, plot);
}
