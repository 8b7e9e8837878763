// The validation curve and the divergence point: a Lasso path fitted on training rows and scored
// on both the training rows and held-out validation rows. As lambda falls the training error
// keeps falling; the validation error falls, bottoms out and climbs again. Where it bottoms out
// is the divergence point: from there on the model fits noise.
//
//   validation_curve [--small] [--out DIR]
//
// Writes DIR/validation_curve.dat and DIR/validation_curve.png; exits non-zero when the curve
// does not have that shape on this seeded data.
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>

#include <priorreg/priorreg.hpp>

#include "plot_support.hpp"

int main(int argc, char** argv) {
    const auto args = plot_support::parse_arguments(
        argc, argv, "validation_curve: training and validation error against lambda");
    // More features than training rows, 8 of them relevant: without a prior the fit can
    // interpolate the training rows.
    const Eigen::Index n_train = args.small ? 50 : 80, n_validation = 4 * n_train;
    const Eigen::Index p = args.small ? 100 : 200, relevant = 8;
    const double sigma = 1.0;
    std::mt19937_64 rng(8);
    std::normal_distribution<double> normal;
    Eigen::VectorXd truth = Eigen::VectorXd::Zero(p);
    for (Eigen::Index j = 0; j < relevant; ++j)
        truth(j * (p / relevant)) = (j % 2 ? -1.0 : 1.0) * (1.0 + 0.25 * static_cast<double>(j));
    auto draw = [&](Eigen::Index n, Eigen::MatrixXd& X, Eigen::VectorXd& y) {
        X = Eigen::MatrixXd::NullaryExpr(n, p, [&]() { return normal(rng); });
        y = X * truth;
        for (Eigen::Index i = 0; i < n; ++i)
            y(i) += sigma * normal(rng);
    };
    Eigen::MatrixXd X_train, X_validation;
    Eigen::VectorXd y_train, y_validation;
    draw(n_train, X_train, y_train);
    draw(n_validation, X_validation, y_validation);

    priorreg::PathOptions options;
    options.n_lambda = args.small ? 60 : 100;
    options.lambda_min_ratio = 1e-3;
    const auto curve = priorreg::validation_curve(priorreg::Lasso(1.0), X_train, y_train,
                                                  X_validation, y_validation, options);
    const Eigen::Index L = curve.lambdas.size(), d = curve.divergence_index;
    std::printf("%ld training rows, %ld validation rows, %ld features (%ld relevant)\n",
                static_cast<long>(n_train), static_cast<long>(n_validation), static_cast<long>(p),
                static_cast<long>(relevant));
    std::printf("%12s %12s %12s %9s\n", "lambda", "train MSE", "valid MSE", "nonzero");
    for (Eigen::Index k = 0; k < L; k += L / 10)
        std::printf("%12.4g %12.4f %12.4f %9ld%s\n", curve.lambdas(k), curve.training_errors(k),
                    curve.validation_errors(k), static_cast<long>(curve.nonzeros(k)),
                    k == d ? "  <- divergence point" : "");
    std::printf("divergence point: lambda = %.4g (index %ld of %ld), validation MSE %.4f with %ld "
                "nonzero\n",
                curve.divergence_lambda, static_cast<long>(d), static_cast<long>(L),
                curve.validation_errors(d), static_cast<long>(curve.nonzeros(d)));

    // The claims: training error never rises as lambda falls; the validation minimum is inside
    // the grid; past it the validation error climbs at least 25% above its minimum while the
    // training error falls below half of its value there.
    bool training_falls = true;
    for (Eigen::Index k = 1; k < L; ++k)
        training_falls = training_falls && curve.training_errors(k) <=
                                               curve.training_errors(k - 1) * (1 + 1e-6) + 1e-12;
    const bool interior = d > 0 && d < L - 1;
    const double climb = curve.validation_errors(L - 1) / curve.validation_errors(d);
    const double fall = curve.training_errors(L - 1) / curve.training_errors(d);
    const bool diverges = climb > 1.25 && fall < 0.5;
    std::printf("\ntraining error never rises as lambda falls:   %s\n",
                training_falls ? "yes" : "NO");
    std::printf("validation minimum inside the grid:           %s\n", interior ? "yes" : "NO");
    std::printf("past it, validation error x%.2f, training x%.2f: %s\n", climb, fall,
                diverges ? "yes" : "NO");
    const bool story = training_falls && interior && diverges;

    namespace ps = plot_support;
    ps::write_table(args.out_dir / "validation_curve.dat",
                    {"lambda", "train_mse", "validation_mse", "nonzero"},
                    ps::columns({curve.lambdas, curve.training_errors, curve.validation_errors,
                                 curve.nonzeros.cast<double>()}));
    const double top =
        1.5 * std::max(curve.validation_errors.maxCoeff(), curve.training_errors.maxCoeff());
    const double bottom = std::max(0.5 * curve.training_errors.minCoeff(), 1e-3 * top);
    std::ostringstream gp;
    gp << "set title 'Validation curve of the Lasso: " << n_train << " training rows, " << p
       << " features'\n"
       << "set logscale x\nset xlabel 'lambda (log scale; smaller = weaker prior, more complex "
          "model)'\n"
       << "set ylabel 'mean squared error (log scale)'\nset logscale y\nset xrange [*:*] reverse\n"
       << "set yrange [" << bottom << ':' << top << "]\nset key top right\n"
       << "set arrow from " << curve.divergence_lambda << ',' << bottom << " to "
       << curve.divergence_lambda << ',' << top << " nohead dt 2 lw 2 lc rgb 'gray30'\n"
       << "set label \"divergence point\\nlambda = " << curve.divergence_lambda << "\" at "
       << curve.divergence_lambda << ',' << 0.5 * top << " offset 1,0 font ',9'\n"
       << "set arrow from graph 0, first " << sigma * sigma << " to graph 1, first "
       << sigma * sigma << " nohead dt 3 lc rgb 'gray50'\n"
       << "set label 'noise variance' at graph 0.02, first " << 1.15 * sigma * sigma
       << " font ',9'\n"
       << "plot 'validation_curve.dat' using 1:2 with lines lw 2 lc rgb '#1f77b4' title "
          "'training error', \\\n"
       << "  '' using 1:3 with lines lw 2 lc rgb '#d62728' title 'validation error', \\\n"
       << "  '+' every ::0::0 using (" << curve.divergence_lambda << "):("
       << curve.validation_errors(d)
       << ") with points pt 7 ps 1.5 lc rgb 'black' title 'validation minimum'\n";
    const auto plot = ps::render_png(args.out_dir, "validation_curve", gp.str());
    return ps::finish(story, plot);
}
