// priorreg-fit's posterior models (--model bayes-ridge, bayes-lasso, horseshoe): the summary
// table of each term's posterior (mean, standard deviation, credible interval, median and, for
// the samplers, the effective sample size and split-R-hat), and the model's own statistics.
#ifndef PRIORREG_FIT_POSTERIOR_TABLE_HPP
#define PRIORREG_FIT_POSTERIOR_TABLE_HPP

#include <Eigen/Core>
#include <priorreg/priorreg.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace priorreg_fit {

/// One term's posterior summary; NaN where a statistic does not apply.
struct PosteriorRow {
    std::string term;
    double mean = 0, sd = 0, low = 0, median = 0, high = 0;
    double ess = std::numeric_limits<double>::quiet_NaN();
    double rhat = std::numeric_limits<double>::quiet_NaN();
};

/// The table of a posterior model: its rows (the intercept first, when fitted) and its
/// statistics, in order.
struct PosteriorTable {
    double level = 0.95;
    std::vector<PosteriorRow> rows;
    std::vector<std::pair<std::string, double>> statistics;
};

/// The standard normal quantile: Newton's method on the tail that has the digits.
inline double normal_quantile(double p) {
    const double tail = std::min(p, 1 - p);
    double z = -std::sqrt(-2 * std::log(tail)); // a start on the lower side
    for (int k = 0; k < 50; ++k) {
        const double probability = 0.5 * std::erfc(-z / std::sqrt(2.0));
        const double density = std::exp(-z * z / 2) / std::sqrt(2 * 3.14159265358979323846);
        const double step = (probability - tail) / density;
        z -= step;
        if (std::abs(step) < 1e-14 * std::max(1.0, std::abs(z)))
            break;
    }
    return p < 0.5 ? z : -z;
}

/// The summary of a sampler's draws, `terms` naming the coefficients.
inline PosteriorTable summarize_samples(const priorreg::PosteriorSamples& samples,
                                        const std::vector<std::string>& terms, double level,
                                        bool fit_intercept) {
    PosteriorTable table;
    table.level = level;
    const double lower = (1 - level) / 2, upper = 1 - lower;
    const auto row = [&](const std::string& term, const Eigen::VectorXd& draws) {
        PosteriorRow r;
        r.term = term;
        r.mean = draws.mean();
        r.sd = std::sqrt((draws.array() - r.mean).square().sum() / double(draws.size() - 1));
        std::vector<double> values(draws.begin(), draws.end());
        r.low = priorreg::sample_quantile(values, lower);
        r.median = priorreg::sample_quantile(values, 0.5);
        r.high = priorreg::sample_quantile(values, upper);
        r.ess = priorreg::effective_sample_size(draws, samples.chains());
        r.rhat = priorreg::split_rhat(draws, samples.chains());
        table.rows.push_back(r);
    };
    if (fit_intercept)
        row("(intercept)", samples.intercept_draws());
    for (std::size_t j = 0; j < terms.size(); ++j)
        row(terms[j], samples.draws().row(Eigen::Index(j)).transpose());
    const Eigen::VectorXd& noise = samples.noise_variance_draws();
    std::vector<double> values(noise.begin(), noise.end());
    table.statistics = {
        {"noise_variance_mean", noise.mean()},
        {"noise_variance_median", priorreg::sample_quantile(values, 0.5)},
        {"noise_variance_ess", priorreg::effective_sample_size(noise, samples.chains())},
        {"noise_variance_rhat", priorreg::split_rhat(noise, samples.chains())},
        {"chains", double(samples.chains())},
        {"draws_per_chain", double(samples.draws_per_chain())}};
    return table;
}

/// The summary of a fitted BayesianRidge: a Gaussian posterior, so the median is the mean and
/// the interval mean -/+ z sd. The intercept's variance is 1/(a W) + xbar' Sigma xbar (W the
/// total weight, xbar the weighted column means), its mean the model's intercept.
inline PosteriorTable summarize_bayesian_ridge(const priorreg::BayesianRidge& model,
                                               const Eigen::MatrixXd& X, const Eigen::VectorXd& w,
                                               const std::vector<std::string>& terms, double level,
                                               bool fit_intercept) {
    PosteriorTable table;
    table.level = level;
    const double z = normal_quantile(1 - (1 - level) / 2);
    const Eigen::MatrixXd covariance = model.posterior_covariance();
    const auto row = [&](const std::string& term, double mean, double variance) {
        PosteriorRow r;
        r.term = term;
        r.mean = r.median = mean;
        r.sd = std::sqrt(std::max(variance, 0.0));
        r.low = mean - z * r.sd;
        r.high = mean + z * r.sd;
        table.rows.push_back(r);
    };
    if (fit_intercept) {
        const double total = w.sum();
        const Eigen::VectorXd center = X.transpose() * w / total;
        row("(intercept)", model.intercept(),
            1 / (model.noise_precision() * total) + center.dot(covariance * center));
    }
    for (std::size_t j = 0; j < terms.size(); ++j)
        row(terms[j], model.coef()(Eigen::Index(j)), covariance(Eigen::Index(j), Eigen::Index(j)));
    table.statistics = {{"noise_precision", model.noise_precision()},
                        {"weight_precision", model.weight_precision()},
                        {"log_evidence", model.log_evidence()},
                        {"iterations", double(model.iterations())}};
    return table;
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_POSTERIOR_TABLE_HPP
