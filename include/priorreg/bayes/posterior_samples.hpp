#ifndef PRIORREG_BAYES_POSTERIOR_SAMPLES_HPP
#define PRIORREG_BAYES_POSTERIOR_SAMPLES_HPP

/// \file posterior_samples.hpp
/// \brief `PosteriorSamples`: a sampler's draws of the coefficients (and of the intercept and
/// the noise variance), their summaries (mean, median, quantiles) and the two diagnostics of
/// several chains: the effective sample size and the split-\f$\hat R\f$.
///
/// The diagnostics are those of Gelman et al., *Bayesian Data Analysis* (3rd ed., 11.4-11.5)
/// as Stan computes them (without rank normalization): each chain is split in halves (its
/// middle draw dropped when the count is odd), giving M chains of N draws; with
/// \f$W\f$ the mean of their variances and \f$B/N\f$ the variance of their means,
/// \f$\widehat{\mathrm{var}}^+ = \frac{N-1}{N}W + \frac{B}{N}\f$ and
/// \f$\hat R = \sqrt{\widehat{\mathrm{var}}^+/W}\f$. The autocorrelation at lag t pools the
/// chains' autocovariances \f$c_t\f$ (by FFT): \f$\hat\rho_t = 1 - (W - \bar c_t) /
/// \widehat{\mathrm{var}}^+\f$; Geyer's initial monotone sequence truncates their sum, and
/// \f$\mathrm{ESS} = MN/\hat\tau\f$, \f$\hat\tau = -1 + 2\sum_{t\le T}\hat\rho_t +
/// \max(\hat\rho_{T+1}, 0)\f$ (T the last lag kept), at most \f$MN\log_{10}(MN)\f$. A series whose
/// draws are all equal (a coefficient held at 0) has neither: both are NaN. So are they with fewer
/// than 4 draws per chain.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <utility>
#include <vector>

#include "../detail/numeric.hpp"
#include "../status.hpp"

namespace priorreg {

namespace detail {

/// In-place radix-2 FFT of a power-of-two length (forward: exponent sign -1).
inline void fast_fourier_transform(std::vector<std::complex<double>>& values, bool inverse) {
    const std::size_t n = values.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j)
            std::swap(values[i], values[j]);
    }
    const double pi = 3.14159265358979323846;
    for (std::size_t length = 2; length <= n; length <<= 1) {
        const double angle = (inverse ? 2 : -2) * pi / double(length);
        for (std::size_t start = 0; start < n; start += length)
            for (std::size_t k = 0; k < length / 2; ++k) {
                const std::complex<double> twiddle = std::polar(1.0, angle * double(k));
                const std::complex<double> even = values[start + k];
                const std::complex<double> odd = values[start + k + length / 2] * twiddle;
                values[start + k] = even + odd;
                values[start + k + length / 2] = even - odd;
            }
    }
}

/// The biased autocovariances \f$c_t = \frac1N\sum_i (x_i - \bar x)(x_{i+t} - \bar x)\f$,
/// t = 0..N-1, of one chain.
inline std::vector<double> autocovariance(const double* chain, Eigen::Index n) {
    std::size_t size = 1;
    while (size < 2 * static_cast<std::size_t>(n))
        size <<= 1;
    double mean = 0;
    for (Eigen::Index i = 0; i < n; ++i)
        mean += chain[i];
    mean /= double(n);
    std::vector<std::complex<double>> values(size);
    for (Eigen::Index i = 0; i < n; ++i)
        values[static_cast<std::size_t>(i)] = chain[i] - mean;
    fast_fourier_transform(values, false);
    for (auto& value : values)
        value = std::norm(value);
    fast_fourier_transform(values, true);
    std::vector<double> result(static_cast<std::size_t>(n));
    for (Eigen::Index t = 0; t < n; ++t)
        result[static_cast<std::size_t>(t)] =
            values[static_cast<std::size_t>(t)].real() / double(size) / double(n);
    return result;
}

/// A series cut into split chains (its M whole chains of equal length stored one after the
/// other; each contributes its first and last N = floor(length / 2) draws), with their
/// within-chain variance W and the pooled estimate var+. `defined` is false for fewer than 4
/// draws per chain or draws without spread.
struct SplitChains {
    SplitChains(const Eigen::VectorXd& series, int chains) {
        if (chains < 1 || series.size() < 4 * Eigen::Index(chains) || series.size() % chains != 0)
            return;
        const Eigen::Index length = series.size() / chains;
        draws = length / 2;
        for (int c = 0; c < chains; ++c) {
            starts.push_back(series.data() + c * length);
            starts.push_back(series.data() + c * length + (length - draws));
        }
        const double m = double(starts.size());
        std::vector<double> means;
        for (const double* start : starts) {
            const double mean = Eigen::Map<const Eigen::VectorXd>(start, draws).mean();
            double squares = 0;
            for (Eigen::Index i = 0; i < draws; ++i)
                squares += (start[i] - mean) * (start[i] - mean);
            means.push_back(mean);
            within += squares / double(draws - 1) / m;
        }
        double grand = 0;
        for (double mean : means)
            grand += mean / m;
        double between = 0; // B / N
        for (double mean : means)
            between += (mean - grand) * (mean - grand) / (m - 1);
        pooled = double(draws - 1) / double(draws) * within + between;
        defined = within > 0 && std::isfinite(pooled);
    }

    std::vector<const double*> starts;
    Eigen::Index draws = 0;
    double within = 0, pooled = 0;
    bool defined = false;
};

} // namespace detail

/// Split-\f$\hat R\f$ of one quantity's draws: `series` holds `chains` chains of equal length,
/// one after the other (file description). NaN for fewer than 4 draws per chain or constant
/// draws.
inline double split_rhat(const Eigen::VectorXd& series, int chains) {
    const detail::SplitChains split(series, chains);
    return split.defined ? std::sqrt(split.pooled / split.within)
                         : std::numeric_limits<double>::quiet_NaN();
}

/// Effective sample size of one quantity's draws (layout as `split_rhat`).
inline double effective_sample_size(const Eigen::VectorXd& series, int chains) {
    const detail::SplitChains split(series, chains);
    if (!split.defined)
        return std::numeric_limits<double>::quiet_NaN();
    const Eigen::Index n = split.draws;
    const double within = split.within, pooled = split.pooled;
    const auto& starts = split.starts;
    const double m = double(starts.size());
    std::vector<double> mean_autocovariance(static_cast<std::size_t>(n), 0.0);
    for (const double* start : starts) {
        const std::vector<double> c = detail::autocovariance(start, n);
        for (Eigen::Index t = 0; t < n; ++t)
            mean_autocovariance[static_cast<std::size_t>(t)] += c[static_cast<std::size_t>(t)] / m;
    }
    const auto rho = [&](Eigen::Index t) {
        return 1 - (within - mean_autocovariance[static_cast<std::size_t>(t)]) / pooled;
    };
    // Geyer: sums of adjacent pairs, kept while positive, made non-increasing; the even term
    // of the first pair that is not positive still counts once when it is positive itself.
    std::vector<double> autocorrelation{1.0, rho(1)};
    double tail = 0;
    for (Eigen::Index t = 1; t + 2 < n; t += 2) {
        const double even = rho(t + 1), odd = rho(t + 2);
        if (!(even + odd > 0)) {
            tail = std::max(even, 0.0);
            break;
        }
        autocorrelation.push_back(even);
        autocorrelation.push_back(odd);
    }
    for (std::size_t k = 3; k < autocorrelation.size(); k += 2) {
        const double previous = autocorrelation[k - 3] + autocorrelation[k - 2];
        if (autocorrelation[k - 1] + autocorrelation[k] > previous) {
            autocorrelation[k - 1] = previous / 2;
            autocorrelation[k] = previous / 2;
        }
    }
    double sum = 0;
    for (double value : autocorrelation)
        sum += value;
    const double tau = -1 + 2 * sum + tail;
    const double total = m * double(n);
    return std::min(total / std::max(tau, 1e-300), total * std::log10(total));
}

/// The quantile q in [0, 1] of `values` by linear interpolation between order statistics (R's
/// type 7, NumPy's default). `values` is reordered.
inline double sample_quantile(std::vector<double>& values, double q) {
    const double position = q * double(values.size() - 1);
    const std::size_t below = static_cast<std::size_t>(std::floor(position));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(below), values.end());
    const double low = values[below];
    if (below + 1 >= values.size())
        return low;
    const double high = *std::min_element(values.begin() + std::ptrdiff_t(below) + 1, values.end());
    return low + (position - double(below)) * (high - low);
}

/// Draws from a posterior: the coefficients (p x draws, on the original scale of the columns),
/// the intercept and the noise variance, from one or more chains stored one after the other.
class PosteriorSamples {
public:
    PosteriorSamples() = default;
    /// `coefficients` is p x (chains N), chain c in columns [cN, (c+1)N); `intercepts` and
    /// `noise_variances` have one entry per column.
    PosteriorSamples(Eigen::MatrixXd coefficients, Eigen::VectorXd intercepts,
                     Eigen::VectorXd noise_variances, int chains, Status status = Status::Success)
        : coefficients_(std::move(coefficients)), intercepts_(std::move(intercepts)),
          noise_variances_(std::move(noise_variances)), chains_(chains), status_(status) {
        if (chains < 1 || coefficients_.cols() % chains != 0 ||
            intercepts_.size() != coefficients_.cols() ||
            noise_variances_.size() != coefficients_.cols())
            throw InvalidInput("PosteriorSamples: the draws do not split into equal chains");
    }

    /// The coefficients' draws, p x (chains x draws per chain).
    const Eigen::MatrixXd& draws() const { return coefficients_; }
    /// The intercept's draws (0 without an intercept).
    const Eigen::VectorXd& intercept_draws() const { return intercepts_; }
    /// The noise variance's draws (\f$\sigma^2\f$).
    const Eigen::VectorXd& noise_variance_draws() const { return noise_variances_; }
    int chains() const { return chains_; }
    /// Success, or NumericalIssue when a chain stopped at a draw that was not finite (its
    /// remaining draws are NaN).
    Status info() const { return status_; }
    Eigen::Index draws_per_chain() const { return coefficients_.cols() / std::max(chains_, 1); }
    Eigen::Index features() const { return coefficients_.rows(); }

    /// Posterior means of the coefficients.
    Eigen::VectorXd mean() const {
        require_draws();
        return coefficients_.rowwise().mean();
    }
    /// Posterior standard deviations of the coefficients: the sample standard deviation of
    /// each one's draws (divided by draws - 1; NaN with a single draw).
    Eigen::VectorXd standard_deviation() const {
        require_draws();
        const Eigen::Index count = coefficients_.cols();
        if (count < 2)
            return Eigen::VectorXd::Constant(features(), std::numeric_limits<double>::quiet_NaN());
        const Eigen::VectorXd centers = mean();
        Eigen::VectorXd result(features());
        for (Eigen::Index j = 0; j < features(); ++j)
            result(j) = std::sqrt((coefficients_.row(j).array() - centers(j)).square().sum() /
                                  double(count - 1));
        return result;
    }
    /// Posterior medians of the coefficients.
    Eigen::VectorXd median() const { return quantile(0.5); }
    /// The q-quantile (q in [0, 1]) of each coefficient's draws: `quantile(0.025)` and
    /// `quantile(0.975)` bound the central 95 % credible interval.
    Eigen::VectorXd quantile(double q) const {
        if (!(q >= 0 && q <= 1))
            throw InvalidInput("PosteriorSamples: quantile q must lie in [0, 1]");
        require_draws();
        Eigen::VectorXd result(features());
        std::vector<double> values(static_cast<std::size_t>(coefficients_.cols()));
        for (Eigen::Index j = 0; j < features(); ++j) {
            for (Eigen::Index k = 0; k < coefficients_.cols(); ++k)
                values[static_cast<std::size_t>(k)] = coefficients_(j, k);
            result(j) = sample_quantile(values, q);
        }
        return result;
    }
    /// Effective sample size of each coefficient (file description).
    Eigen::VectorXd effective_sample_size() const {
        return per_coefficient([this](const Eigen::VectorXd& series) {
            return priorreg::effective_sample_size(series, chains_);
        });
    }
    /// Split-\f$\hat R\f$ of each coefficient (file description): near 1 when the chains agree.
    Eigen::VectorXd rhat() const {
        return per_coefficient(
            [this](const Eigen::VectorXd& series) { return split_rhat(series, chains_); });
    }

private:
    void require_draws() const {
        if (coefficients_.cols() == 0)
            throw NotFitted("PosteriorSamples: no draws");
    }
    template <class Statistic> Eigen::VectorXd per_coefficient(Statistic statistic) const {
        require_draws();
        Eigen::VectorXd result(features());
        for (Eigen::Index j = 0; j < features(); ++j)
            result(j) = statistic(Eigen::VectorXd(coefficients_.row(j).transpose()));
        return result;
    }

    Eigen::MatrixXd coefficients_;
    Eigen::VectorXd intercepts_, noise_variances_;
    int chains_ = 1;
    Status status_ = Status::Success;
};

} // namespace priorreg

#endif // PRIORREG_BAYES_POSTERIOR_SAMPLES_HPP
