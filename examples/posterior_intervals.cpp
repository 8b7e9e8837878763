// The mode and the posterior. The Lasso estimate is the mode of a posterior under a Laplace
// prior: one number per coefficient, many of them exactly zero. The Bayesian lasso samples the
// whole posterior under the same prior, and the horseshoe under a prior with a spike at zero
// and Cauchy tails. On the diabetes data (442 patients, 10 baseline measurements) the example
// draws both posteriors and plots, per coefficient, the Lasso estimate at the same prior and
// noise level, and each posterior's median with its central 95 % credible interval.
//
//   posterior_intervals [--small] [--out DIR] [--data diabetes.csv]
//
// Writes DIR/posterior_intervals.dat and DIR/posterior_intervals.png; exits non-zero when the
// chains have not mixed (split-R-hat above 1.01 or fewer than 400 effective draws), or when the
// pictures' claims fail: the Bayesian lasso's medians are shrunk toward zero from least
// squares, every coefficient the Lasso sets to zero has a Bayesian-lasso interval that covers
// zero, and where zero is credible the horseshoe's spike narrows the intervals (their total
// width over those coefficients is below the Bayesian lasso's).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

#include "plot_support.hpp"

#ifndef PRIORREG_DIABETES_CSV
#define PRIORREG_DIABETES_CSV "diabetes.csv"
#endif

namespace {

struct Table {
    std::vector<std::string> names;
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

/// A numeric CSV with a header row, the response last.
Table read_table(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path + " (give --data FILE)");
    Table table;
    std::string line, cell;
    std::getline(in, line);
    std::istringstream header(line);
    while (std::getline(header, cell, ','))
        table.names.push_back(cell);
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::istringstream cells(line);
        while (std::getline(cells, cell, ','))
            row.push_back(std::stod(cell));
        if (row.size() != table.names.size())
            throw std::runtime_error(path + ": a row does not match the header");
        rows.push_back(row);
    }
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto p = static_cast<Eigen::Index>(table.names.size()) - 1;
    table.X.resize(n, p);
    table.y.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < p; ++j)
            table.X(i, j) = rows[std::size_t(i)][std::size_t(j)];
        table.y(i) = rows[std::size_t(i)][std::size_t(p)];
    }
    table.names.pop_back();
    return table;
}

/// Whether every coefficient's chains mixed.
bool mixed(const priorreg::PosteriorSamples& samples, const char* name) {
    const double worst_rhat = samples.rhat().maxCoeff();
    const double fewest = samples.effective_sample_size().minCoeff();
    std::printf("%-16s split-R-hat at most %.4f, effective draws at least %.0f of %ld\n", name,
                worst_rhat, fewest, static_cast<long>(samples.draws().cols()));
    return samples.info() == priorreg::Status::Success && worst_rhat < 1.01 && fewest >= 400;
}

} // namespace

int main(int argc, char** argv) {
    // --data FILE is this example's own option; the rest are the shared ones.
    std::string data = PRIORREG_DIABETES_CSV;
    std::vector<char*> shared{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--data" && i + 1 < argc)
            data = argv[++i];
        else
            shared.push_back(argv[i]);
    }
    const auto args = plot_support::parse_arguments(
        int(shared.size()), shared.data(),
        "posterior_intervals: Lasso estimates and Bayesian 95 % intervals (--data CSV, y last)");
    Table table;
    try {
        table = read_table(data);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "posterior_intervals: %s\n", e.what());
        return 2;
    }
    const Eigen::Index n = table.X.rows(), p = table.X.cols();
    // The priors act on the standardized coefficients; so does the picture.
    const Eigen::RowVectorXd center = table.X.colwise().mean();
    const Eigen::VectorXd scale =
        ((table.X.rowwise() - center).colwise().squaredNorm() / double(n)).cwiseSqrt().transpose();

    priorreg::SamplerOptions options;
    options.draws = args.small ? 1000 : 5000;
    options.burn_in = 1000;
    options.chains = 4;
    options.seed = 19;
    const double lambda = 3; // beta_j ~ Laplace(0, sigma / 3) on the standardized scale
    const priorreg::PosteriorSamples lasso_draws =
        priorreg::BayesianLasso(lambda).sample(table.X, table.y, options);
    const priorreg::PosteriorSamples horseshoe_draws =
        priorreg::HorseshoeRegression().sample(table.X, table.y, options);
    const bool chains_mixed =
        mixed(lasso_draws, "Bayesian lasso") && mixed(horseshoe_draws, "horseshoe");

    // The Lasso at the same prior, Laplace(0, sigma / lambda), and the posterior median noise.
    std::vector<double> noise(lasso_draws.noise_variance_draws().begin(),
                              lasso_draws.noise_variance_draws().end());
    const double sigma = std::sqrt(priorreg::sample_quantile(noise, 0.5));
    priorreg::Lasso lasso(priorreg::LaplacePrior<>(sigma / lambda), sigma);
    lasso.set_tolerance(1e-12).fit(table.X, table.y);
    priorreg::LinearRegression least_squares;
    least_squares.fit(table.X, table.y);

    const auto standardized = [&](const Eigen::VectorXd& coef) {
        return Eigen::VectorXd(coef.cwiseProduct(scale));
    };
    const Eigen::VectorXd map = standardized(lasso.coef());
    const Eigen::VectorXd ols = standardized(least_squares.coef());
    const Eigen::VectorXd bl_median = standardized(lasso_draws.median());
    const Eigen::VectorXd bl_low = standardized(lasso_draws.quantile(0.025));
    const Eigen::VectorXd bl_high = standardized(lasso_draws.quantile(0.975));
    const Eigen::VectorXd hs_median = standardized(horseshoe_draws.median());
    const Eigen::VectorXd hs_low = standardized(horseshoe_draws.quantile(0.025));
    const Eigen::VectorXd hs_high = standardized(horseshoe_draws.quantile(0.975));

    std::printf("\n%ld patients, %ld measurements; Laplace prior lambda = %g, posterior median "
                "sigma = %.2f (Lasso lambda = lambda sigma / n = %.4g)\n\n",
                static_cast<long>(n), static_cast<long>(p), lambda, sigma, lasso.lambda());
    std::printf("%-6s %9s %9s   %-28s %-28s\n", "", "OLS", "Lasso", "Bayesian lasso: median [95%]",
                "horseshoe: median [95%]");
    bool zeros_covered = true;
    for (Eigen::Index j = 0; j < p; ++j) {
        std::printf("%-6s %9.2f %9.2f   %7.2f [%7.2f, %7.2f]     %7.2f [%7.2f, %7.2f]\n",
                    table.names[std::size_t(j)].c_str(), ols(j), map(j), bl_median(j), bl_low(j),
                    bl_high(j), hs_median(j), hs_low(j), hs_high(j));
        if (map(j) == 0 && !(bl_low(j) <= 0 && bl_high(j) >= 0))
            zeros_covered = false;
    }
    const bool shrunk = bl_median.lpNorm<1>() < ols.lpNorm<1>();
    // Where the data do not tell a coefficient from zero, the horseshoe's spike at zero narrows
    // its interval (summed over those coefficients, so that Monte Carlo error cannot flip it).
    double laplace_width = 0, horseshoe_width = 0;
    for (Eigen::Index j = 0; j < p; ++j)
        if (bl_low(j) <= 0 && bl_high(j) >= 0) {
            laplace_width += bl_high(j) - bl_low(j);
            horseshoe_width += hs_high(j) - hs_low(j);
        }
    const bool spike = horseshoe_width < laplace_width;
    std::printf("\nthe chains mixed:                                         %s\n",
                chains_mixed ? "yes" : "NO");
    std::printf("Bayesian-lasso medians shrunk from least squares (L1):    %s (%.1f vs %.1f)\n",
                shrunk ? "yes" : "NO", bl_median.lpNorm<1>(), ols.lpNorm<1>());
    std::printf("every Lasso zero has a Bayesian interval covering zero:   %s\n",
                zeros_covered ? "yes" : "NO");
    std::printf("where zero is credible, the horseshoe's intervals narrower: %s (total width "
                "%.1f vs %.1f)\n",
                spike ? "yes" : "NO", horseshoe_width, laplace_width);
    const bool story = chains_mixed && shrunk && zeros_covered && spike;

    namespace ps = plot_support;
    Eigen::MatrixXd rows(p, 9);
    for (Eigen::Index j = 0; j < p; ++j)
        rows.row(j) << double(j + 1), map(j), bl_median(j), bl_low(j), bl_high(j), hs_median(j),
            hs_low(j), hs_high(j), ols(j);
    ps::write_table(args.out_dir / "posterior_intervals.dat",
                    {"feature", "lasso", "bl_median", "bl_low", "bl_high", "hs_median", "hs_low",
                     "hs_high", "ols"},
                    rows);
    std::ostringstream gp;
    gp << "set title 'Diabetes: the Lasso estimate, and the posterior under two priors "
          "(medians, 95 % intervals)'\n"
       << "set ylabel 'coefficient of the standardized measurement'\n"
       << "set xtics (";
    for (Eigen::Index j = 0; j < p; ++j)
        gp << (j ? ", " : "") << "'" << table.names[std::size_t(j)] << "' " << j + 1;
    gp << ")\nset xrange [0.4:" << p + 0.6 << "]\nset key outside below horizontal font ',9'\n"
       << "set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb 'gray40'\n"
       << "plot 'posterior_intervals.dat' using ($1-0.22):3:4:5 with yerrorbars pt 7 ps 0.9 "
          "lw 2 lc rgb '#1f77b4' title 'Bayesian lasso (Laplace prior, lambda = "
       << lambda << ")', \\\n"
       << "  '' using ($1+0.22):6:7:8 with yerrorbars pt 5 ps 0.9 lw 2 lc rgb '#d62728' title "
          "'horseshoe', \\\n"
       << "  '' using 1:2 with points pt 9 ps 1.6 lc rgb '#2ca02c' title 'Lasso estimate (the "
          "mode, same prior)', \\\n"
       << "  '' using 1:9 with points pt 6 ps 1.2 lc rgb 'black' title 'least squares'\n";
    const auto plot = ps::render_png(args.out_dir, "posterior_intervals", gp.str(), 1000, 520);
    return ps::finish(story, plot);
}
