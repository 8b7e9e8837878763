// The overfitting story, run and drawn: a polynomial of degree 15 fitted to 30 noisy points of a
// smooth curve. Maximum likelihood (OLS, a flat prior) bends through the noise: the smallest
// training error, a large test error and huge coefficients. A Gaussian prior (Ridge) and a
// Laplace prior (Lasso), their strength chosen by 10-fold cross-validation, follow the curve;
// the Laplace prior also drops most of the powers of x.
//
//   overfitting [--small] [--out DIR]
//
// Writes DIR/overfitting_{points,curves,errors}.dat and DIR/overfitting.png; exits non-zero
// when the story does not hold on this seeded data.
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>

#include <priorreg/priorreg.hpp>

#include "plot_support.hpp"

namespace {

constexpr int degree = 15;
constexpr double noise_sigma = 0.3;

double truth(double x) {
    return std::sin(3.0 * x) + 0.5 * x;
}

// Columns x, x^2, ..., x^degree (the intercept is the model's).
Eigen::MatrixXd powers(const Eigen::VectorXd& x) {
    Eigen::MatrixXd X(x.size(), degree);
    X.col(0) = x;
    for (int k = 1; k < degree; ++k)
        X.col(k) = X.col(k - 1).cwiseProduct(x);
    return X;
}

struct Sample {
    Eigen::VectorXd x, y;
};

Sample draw(Eigen::Index n, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    std::normal_distribution<double> normal;
    Sample s{Eigen::VectorXd(n), Eigen::VectorXd(n)};
    for (Eigen::Index i = 0; i < n; ++i) {
        s.x(i) = uniform(rng);
        s.y(i) = truth(s.x(i)) + noise_sigma * normal(rng);
    }
    return s;
}

template <class Model> double mse(const Model& model, const Sample& s) {
    return (model.predict(powers(s.x)) - s.y).squaredNorm() / static_cast<double>(s.y.size());
}

} // namespace

int main(int argc, char** argv) {
    const auto args = plot_support::parse_arguments(
        argc, argv,
        "overfitting: a degree-15 polynomial on 30 noisy points, MLE vs Ridge vs Lasso");
    std::mt19937_64 rng(20260601);
    const Sample train = draw(30, rng);
    const Sample test = draw(args.small ? 500 : 5000, rng);
    const Eigen::MatrixXd X = powers(train.x);

    priorreg::LinearRegression mle;
    mle.fit(X, train.y);

    // The prior's strength by 10-fold CV on the 30 training points; refit on all of them.
    priorreg::CrossValidationOptions cv_options;
    cv_options.path.n_lambda = args.small ? 40 : 100;
    priorreg::CrossValidation<priorreg::GaussianPrior<>> ridge_cv(priorreg::Ridge(1.0), cv_options);
    ridge_cv.fit(X, train.y);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> lasso_cv(priorreg::Lasso(1.0), cv_options);
    lasso_cv.fit(X, train.y);
    const priorreg::Ridge& ridge = ridge_cv.model();
    const priorreg::Lasso& lasso = lasso_cv.model();

    struct Row {
        const char* name;
        double train, test, largest;
        long nonzero;
    };
    const Row rows[3] = {
        {"OLS (flat prior: MLE)", mse(mle, train), mse(mle, test), mle.coef().cwiseAbs().maxCoeff(),
         static_cast<long>((mle.coef().array() != 0).count())},
        {"Ridge (Gaussian prior)", mse(ridge, train), mse(ridge, test),
         ridge.coef().cwiseAbs().maxCoeff(),
         static_cast<long>((ridge.coef().array() != 0).count())},
        {"Lasso (Laplace prior)", mse(lasso, train), mse(lasso, test),
         lasso.coef().cwiseAbs().maxCoeff(),
         static_cast<long>((lasso.coef().array() != 0).count())},
    };
    std::printf("degree-%d polynomial, %ld training points, noise sigma = %.1f (test MSE floor "
                "%.3f)\n\n",
                degree, static_cast<long>(train.x.size()), noise_sigma, noise_sigma * noise_sigma);
    std::printf("%-24s %10s %10s %14s %8s\n", "model", "train MSE", "test MSE", "largest |coef|",
                "terms");
    for (const Row& r : rows)
        std::printf("%-24s %10.4f %10.4f %14.4g %5ld/%d\n", r.name, r.train, r.test, r.largest,
                    r.nonzero, degree);
    const double n = static_cast<double>(train.x.size());
    std::printf("\nCV picks lambda = %.4g for Ridge (a Gaussian prior with tau = %.3g on the "
                "standardized powers, given sigma = %.1f)\n",
                ridge.lambda(),
                priorreg::GaussianPrior<>::from_penalty(ridge.lambda(), noise_sigma, n).tau(),
                noise_sigma);
    std::printf("CV picks lambda = %.4g for Lasso (a Laplace prior with b = %.3g)\n",
                lasso.lambda(),
                priorreg::LaplacePrior<>::from_penalty(lasso.lambda(), noise_sigma, n).b());

    // The claims the picture makes.
    const Row &o = rows[0], &r = rows[1], &l = rows[2];
    const bool mle_fits_best = o.train < r.train && o.train < l.train;
    const bool mle_generalizes_worst = o.test > 1.5 * r.test && o.test > 1.5 * l.test;
    const bool weights_explode = o.largest > 100.0 * r.largest;
    const bool lasso_sparse = 3 * l.nonzero <= 2 * degree;
    std::printf("\nMLE has the smallest training error:        %s\n", mle_fits_best ? "yes" : "NO");
    std::printf("MLE test error > 1.5x both priors':         %s\n",
                mle_generalizes_worst ? "yes" : "NO");
    std::printf("MLE weights > 100x the Ridge weights:        %s\n",
                weights_explode ? "yes" : "NO");
    std::printf("Lasso drops at least a third of the powers: %s\n", lasso_sparse ? "yes" : "NO");
    const bool story = mle_fits_best && mle_generalizes_worst && weights_explode && lasso_sparse;

    // Data for the picture: the points, the curves on a fine grid, the errors.
    namespace ps = plot_support;
    const Eigen::VectorXd grid = Eigen::VectorXd::LinSpaced(400, -1.0, 1.0);
    const Eigen::MatrixXd G = powers(grid);
    ps::write_table(args.out_dir / "overfitting_points.dat", {"x", "y"},
                    ps::columns({train.x, train.y}));
    ps::write_table(args.out_dir / "overfitting_curves.dat",
                    {"x", "truth", "ols", "ridge", "lasso"},
                    ps::columns({grid, grid.unaryExpr(&truth), mle.predict(G), ridge.predict(G),
                                 lasso.predict(G)}));
    Eigen::MatrixXd errors(3, 3);
    for (int k = 0; k < 3; ++k)
        errors.row(k) << k, rows[k].train, rows[k].test;
    ps::write_table(args.out_dir / "overfitting_errors.dat", {"model", "train_mse", "test_mse"},
                    errors);

    const double low = train.y.minCoeff(), high = train.y.maxCoeff(), pad = 0.3 * (high - low);
    std::ostringstream gp;
    gp << "set multiplot layout 1,2 title 'Degree-15 polynomial, 30 noisy points: the MLE chases "
          "the noise, the priors do not'\n"
       << "set xlabel 'x'\nset ylabel 'y'\nset key bottom right font ',9'\n"
       << "set yrange [" << low - pad << ':' << high + pad << "]\n"
       << "plot 'overfitting_curves.dat' using 1:2 with lines lw 2 dt 2 lc rgb 'gray40' title "
          "'truth', \\\n"
       << "  '' using 1:3 with lines lw 2 lc rgb '#d62728' title 'OLS (MLE)', \\\n"
       << "  '' using 1:4 with lines lw 2 lc rgb '#1f77b4' title 'Ridge', \\\n"
       << "  '' using 1:5 with lines lw 2 lc rgb '#2ca02c' title 'Lasso', \\\n"
       << "  'overfitting_points.dat' using 1:2 with points pt 7 ps 0.8 lc rgb 'black' title "
          "'training data'\n"
       << "unset yrange\nset logscale y\nset yrange [*:*]\n"
       << "set xrange [-0.6:2.6]\nset xtics ('OLS' 0, 'Ridge' 1, 'Lasso' 2)\nset xlabel ''\n"
       << "set ylabel 'mean squared error (log scale)'\nset key top right\n"
       << "set arrow from -0.6," << noise_sigma * noise_sigma << " to 2.6,"
       << noise_sigma * noise_sigma << " nohead dt 3 lc rgb 'gray30'\n"
       << "set label 'noise floor' at -0.5," << 1.15 * noise_sigma * noise_sigma << " font ',9'\n"
       << "plot 'overfitting_errors.dat' using ($1-0.18):2:(0.34) with boxes lc rgb '#9ecae1' "
          "title 'train', \\\n"
       << "  '' using ($1+0.18):3:(0.34) with boxes lc rgb '#fd8d3c' title 'test'\n"
       << "unset multiplot\n";
    const auto plot = ps::render_png(args.out_dir, "overfitting", gp.str(), 1000, 450);

    if (story)
        std::printf("the priors generalize where the MLE overfits\n");
    return ps::finish(story, plot);
}
