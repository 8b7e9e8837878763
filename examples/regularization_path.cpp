// Coefficient paths, glmnet style: every coefficient against log(lambda), with the number of
// nonzero coefficients on the top axis, for the Lasso (Laplace prior) and Ridge (Gaussian
// prior) side by side on the same data. Along the Lasso path coefficients enter one at a time
// from an all-zero start, the largest true effect first; along the Ridge path all of them are
// nonzero everywhere and shrink together. Toward lambda = 0 both paths end at the least-squares
// fit.
//
//   regularization_path [--small] [--out DIR]
//
// Writes DIR/regularization_path_{lasso,ridge}.dat and DIR/regularization_path.png; exits
// non-zero when one of those claims fails on this seeded data.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "plot_support.hpp"

namespace {

// Top-axis tics: the nonzero count at a few evenly spaced points of the path.
template <class PathT> std::string nonzero_tics(const PathT& path) {
    std::ostringstream tics;
    const Eigen::Index size = path.size(), marks = 7;
    for (Eigen::Index m = 0; m < marks; ++m) {
        const Eigen::Index k = m * (size - 1) / (marks - 1);
        tics << (m ? ", " : "") << '"' << path.df()(k) << "\" " << std::log(path.lambdas()(k));
    }
    return tics.str();
}

template <class PathT> Eigen::MatrixXd path_table(const PathT& path) {
    Eigen::MatrixXd table(path.size(), 1 + path.coefs().rows());
    table.col(0) = path.lambdas().array().log();
    table.rightCols(path.coefs().rows()) = path.coefs().transpose();
    return table;
}

} // namespace

int main(int argc, char** argv) {
    const auto args = plot_support::parse_arguments(
        argc, argv, "regularization_path: Lasso and Ridge coefficient paths against log(lambda)");
    const Eigen::Index n = args.small ? 80 : 150, p = 12;
    const double sigma = 1.0;

    // Correlated features (neighbours share a common factor); five carry signal of decreasing
    // strength, the other seven none.
    std::mt19937_64 rng(42);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd X = Eigen::MatrixXd::NullaryExpr(n, p, [&]() { return normal(rng); });
    for (Eigen::Index j = 1; j < p; ++j)
        X.col(j) = 0.8 * X.col(j) + 0.6 * X.col(j - 1);
    Eigen::VectorXd truth = Eigen::VectorXd::Zero(p);
    const Eigen::Index signal[] = {0, 3, 6, 8, 10};
    const double size[] = {4.0, -3.0, 2.0, 1.2, -0.6};
    for (int k = 0; k < 5; ++k)
        truth(signal[k]) = size[k];
    Eigen::VectorXd y = X * truth;
    for (Eigen::Index i = 0; i < n; ++i)
        y(i) += 2.0 + sigma * normal(rng);

    priorreg::PathOptions options;
    options.n_lambda = args.small ? 50 : 100;
    const auto lasso = priorreg::Lasso(1.0).set_tolerance(1e-10).fit_path(X, y, options);
    // The ridge grid starts about 1000 times higher (where alpha = 0.001 would be all zero);
    // a smaller ratio makes it end at the Lasso's smallest lambda.
    priorreg::PathOptions ridge_options = options;
    ridge_options.lambda_min_ratio = 1e-7;
    const auto ridge = priorreg::Ridge(1.0).fit_path(X, y, ridge_options);
    priorreg::LinearRegression ols;
    ols.fit(X, y);

    // The order in which coefficients enter the Lasso path.
    std::vector<Eigen::Index> entry;
    for (Eigen::Index k = 0; k < lasso.size(); ++k)
        for (Eigen::Index j = 0; j < p; ++j)
            if (lasso.coefs()(j, k) != 0 && std::find(entry.begin(), entry.end(), j) == entry.end())
                entry.push_back(j);
    std::printf("%ld rows, %ld correlated features; true coefficients:", static_cast<long>(n),
                static_cast<long>(p));
    for (Eigen::Index j = 0; j < p; ++j)
        std::printf(" %g", truth(j));
    std::printf("\nLasso path: %ld lambdas from %.4g down to %.4g; order of entry:",
                static_cast<long>(lasso.size()), lasso.lambdas()(0),
                lasso.lambdas()(lasso.size() - 1));
    for (const Eigen::Index j : entry)
        std::printf(" x%ld", static_cast<long>(j));
    std::printf("\nRidge path: %ld lambdas from %.4g down to %.4g\n",
                static_cast<long>(ridge.size()), ridge.lambdas()(0),
                ridge.lambdas()(ridge.size() - 1));

    // The claims.
    const Eigen::Index last = lasso.size() - 1;
    const bool lasso_starts_empty = lasso.df()(0) == 0;
    bool lasso_grows = true;
    for (Eigen::Index k = 1; k < lasso.size(); ++k)
        lasso_grows = lasso_grows && lasso.df()(k) + 1 >= lasso.df()(k - 1);
    auto is_signal = [&](Eigen::Index j) { return truth(j) != 0; };
    const bool strongest_first = entry.size() >= 2 && entry[0] == signal[0] && is_signal(entry[1]);
    const bool ridge_dense = (ridge.df().array() == p).all();
    auto relative_gap = [&](const Eigen::VectorXd& coef) {
        return (coef - ols.coef()).norm() / ols.coef().norm();
    };
    const double lasso_end = relative_gap(lasso.coefs().col(last));
    const double ridge_end = relative_gap(ridge.coefs().col(ridge.size() - 1));
    const bool both_end_at_ols = lasso_end < 0.01 && ridge_end < 0.05;
    std::printf("\nLasso starts all zero at lambda_max:            %s\n",
                lasso_starts_empty ? "yes" : "NO");
    std::printf("Lasso nonzero count grows along the path:       %s (%ld at the end)\n",
                lasso_grows ? "yes" : "NO", static_cast<long>(lasso.df()(last)));
    std::printf("the largest enters first, a signal second:      %s\n",
                strongest_first ? "yes" : "NO");
    std::printf("Ridge keeps all %ld coefficients nonzero:        %s\n", static_cast<long>(p),
                ridge_dense ? "yes" : "NO");
    std::printf("both paths end near least squares:              %s (relative distance %.2g, "
                "%.2g)\n",
                both_end_at_ols ? "yes" : "NO", lasso_end, ridge_end);
    const bool story =
        lasso_starts_empty && lasso_grows && strongest_first && ridge_dense && both_end_at_ols;

    namespace ps = plot_support;
    std::vector<std::string> names{"log_lambda"};
    for (Eigen::Index j = 0; j < p; ++j)
        names.push_back("x" + std::to_string(j));
    ps::write_table(args.out_dir / "regularization_path_lasso.dat", names, path_table(lasso));
    ps::write_table(args.out_dir / "regularization_path_ridge.dat", names, path_table(ridge));

    std::ostringstream gp;
    auto panel = [&](const auto& path, const char* file, const char* title) {
        const double left = std::log(path.lambdas()(path.size() - 1));
        const double right = std::log(path.lambdas()(0));
        gp << "set title '" << title << "' offset 0,0.5\n"
           << "set xrange [" << left << ':' << right << "]\nset x2range [" << left << ':' << right
           << "]\n"
           << "set x2tics (" << nonzero_tics(path) << ")\n"
           << "plot for [j=2:" << p + 1 << "] '" << file
           << "' using 1:j with lines lw 2 lc j-1 notitle, 0 with lines dt 2 lc rgb 'gray50' "
              "notitle\n";
    };
    gp << "set multiplot layout 1,2 title 'Coefficient paths on the same data (top axis: "
          "nonzero coefficients)'\n"
       << "set xlabel 'log(lambda)'\nset ylabel 'coefficient'\nset xtics nomirror\n"
       << "set tmargin 6\nunset key\n";
    // Twelve distinguishable colours, the same feature in the same colour in both panels.
    const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                             "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"};
    for (Eigen::Index j = 0; j < p; ++j)
        gp << "set linetype " << j + 1 << " lc rgb '" << colours[j % 12] << "'\n";
    panel(lasso, "regularization_path_lasso.dat", "Lasso (Laplace prior)");
    panel(ridge, "regularization_path_ridge.dat", "Ridge (Gaussian prior)");
    gp << "unset multiplot\n";
    const auto plot = ps::render_png(args.out_dir, "regularization_path", gp.str(), 1000, 450);
    return ps::finish(story, plot);
}
