#ifndef PRIORREG_BAYES_GIBBS_REGRESSION_HPP
#define PRIORREG_BAYES_GIBBS_REGRESSION_HPP

/// \file gibbs_regression.hpp
/// \brief `BasicGibbsRegression<Mixture>`: the posterior of linear regression under a scale-
/// mixture prior (scale_mixtures.hpp) by Gibbs sampling; `BayesianLasso`,
/// `BayesianElasticNet` and `HorseshoeRegression` are its three shipped priors.
///
/// The model, on the working scale of the other estimators (columns centered and, by default,
/// scaled to unit standard deviation; precision weights \f$w_i\f$):
/// \f$y_i = \beta_0 + x_i^T\beta + \varepsilon_i\f$, \f$\varepsilon_i \sim N(0,
/// \sigma^2/w_i)\f$, a flat prior on \f$\beta_0\f$, \f$\beta_j \mid \sigma^2, \text{latent} \sim
/// N(0, \sigma^2/d_j)\f$ (the mixture), and \f$\sigma^2 \sim IG(a_0, b_0)\f$ (by default the
/// improper \f$1/\sigma^2\f$, \f$a_0 = b_0 = 0\f$). With \f$\Phi\f$ the working design (rows
/// times \f$\sqrt{w_i}\f$), \f$z\f$ the working response and \f$D = \mathrm{diag}(d)\f$, one
/// sweep draws \f$(\sigma^2, \beta)\f$ as one block given the latent variables, and then the
/// latent variables (the two-block sampler of Rajaratnam, Sparks, Khare and Zhang (2019), which
/// mixes faster than drawing \f$\sigma^2\f$ given \f$\beta\f$, most of all when p is large):
/// 1. \f$\sigma^2 \sim IG(a_0 + n_1/2,\; b_0 + z^T(I + \Phi D^{-1}\Phi^T)^{-1}z/2)\f$, its
///    conditional with \f$\beta\f$ integrated out, \f$n_1\f$ the rows of positive weight, less
///    one with an intercept (itself integrated out);
/// 2. \f$\beta \sim N(M^{-1}\Phi^Tz, \sigma^2M^{-1})\f$, \f$M = \Phi^T\Phi + D\f$: for
///    \f$p \le n\f$ by the Cholesky factor of M (p x p, from the Gram formed once); for
///    \f$p > n\f$ by the algorithm of Bhattacharya, Chakraborty and Mallick (2016), whose only
///    factorization is of \f$I_n + \Phi D^{-1}\Phi^T\f$ (n x n), the factor step 1 used;
/// 3. the mixture's latent variables given \f$\beta\f$ and \f$\sigma^2\f$;
/// and, for the kept sweeps, \f$\beta_0 \sim N(\bar y - \bar x^T\beta, \sigma^2/\sum_i w_i)\f$.
/// Columns without variance are held at 0. Every chain has its own `RandomStream` (the seed
/// and the chain's number): the draws depend on the seed alone, not on the threads.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/standardize.hpp"
#include "../detail/validate.hpp"
#include "../status.hpp"
#include "posterior_samples.hpp"
#include "random_stream.hpp"
#include "scale_mixtures.hpp"

namespace priorreg {

/// How long and how many chains a sampler runs.
struct SamplerOptions {
    int draws = 1000;       ///< draws kept per chain
    int burn_in = 1000;     ///< sweeps discarded at the start of each chain
    int chains = 4;         ///< independent chains (diagnostics compare them)
    int thin = 1;           ///< keep every thin-th sweep after the burn-in
    std::uint64_t seed = 0; ///< the draws are a function of the seed
    int threads = 0;        ///< chains run in parallel on up to this many threads (0: all)
};

namespace detail {

/// The prior precisions' admissible range: a mixture's latent scale may underflow or
/// overflow (the horseshoe's local scales reach \f$10^{-300}\f$), which would make the
/// systems singular; the clamp changes a draw only where the prior is numerically a point
/// mass or flat.
inline constexpr double smallest_precision = 1e-150, largest_precision = 1e150;

/// The working problem a chain samples, shared read-only by the chains.
struct GibbsProblem {
    Eigen::MatrixXd design;            ///< Phi, n x q (the columns with variance)
    Eigen::VectorXd response;          ///< z
    Eigen::MatrixXd gram;              ///< Phi^T Phi when q <= n
    Eigen::VectorXd correlation;       ///< Phi^T z
    std::vector<Eigen::Index> columns; ///< the original index of each working column
    Eigen::VectorXd x_center, x_scale;
    double y_center = 0;
    double total_weight = 1;
    double residual_rows = 0; ///< n_1
    bool fit_intercept = true;
    bool wide = false;
};

/// One chain's sweeps.
template <class Mixture> class GibbsChain {
public:
    GibbsChain(const GibbsProblem& problem, const Mixture& mixture, double prior_shape,
               double prior_scale)
        : problem_(problem), mixture_(mixture), prior_shape_(prior_shape),
          prior_scale_(prior_scale) {}

    /// Runs chain `chain` and writes its kept draws into columns [first, first + draws) of
    /// the outputs; returns the draws kept, fewer than `options.draws` when a draw was not
    /// finite (a factorization failed or the noise variance left the doubles) or the mixture
    /// gave a precision that is NaN or negative.
    Eigen::Index run(const SamplerOptions& options, int chain, Eigen::Index first,
                     Eigen::MatrixXd& coefficients, Eigen::VectorXd& intercepts,
                     Eigen::VectorXd& noise_variances) {
        RandomStream random(options.seed, static_cast<std::uint64_t>(chain));
        const Eigen::Index q = problem_.design.cols();
        auto state = mixture_.start(q, random);
        Eigen::VectorXd beta = Eigen::VectorXd::Zero(q), d(q);
        const double shape = prior_shape_ + problem_.residual_rows / 2;
        const long long sweeps =
            options.burn_in + static_cast<long long>(options.draws) * options.thin;
        Eigen::Index kept = 0;
        for (long long sweep = 0; sweep < sweeps; ++sweep) {
            mixture_.precisions(state, d);
            if (d.size() != q)
                throw std::logic_error("priorreg: a mixture's precisions() wrote the wrong size");
            // A precision that is NaN or negative is a broken mixture, not a draw to round:
            // the chain stops there and the samples report NumericalIssue.
            for (Eigen::Index j = 0; j < q; ++j) {
                if (!(d(j) >= 0))
                    return kept;
                d(j) = std::clamp(d(j), smallest_precision, largest_precision);
            }
            if (!factorize(d))
                return kept;
            const double noise_variance =
                random.inverse_gamma(shape, prior_scale_ + marginal_quadratic_form(d) / 2);
            if (!std::isfinite(noise_variance) || !(noise_variance > 0))
                return kept;
            if (!draw_coefficients(std::sqrt(noise_variance), random, beta))
                return kept;
            mixture_.update(state, beta, noise_variance, random);
            if (sweep >= options.burn_in && (sweep - options.burn_in) % options.thin == 0) {
                store(beta, noise_variance, random, first + kept, coefficients, intercepts,
                      noise_variances);
                ++kept;
            }
        }
        return kept;
    }

private:
    /// Factors the system of step 2 for the precisions d: M (p <= n) or
    /// \f$I + \Phi D^{-1}\Phi^T\f$ (p > n).
    bool factorize(const Eigen::VectorXd& d) {
        const Eigen::Index q = d.size();
        if (q == 0)
            return true;
        if (!problem_.wide) {
            system_ = problem_.gram;
            system_.diagonal() += d;
        } else {
            root_variance_ = d.cwiseInverse().cwiseSqrt();
            scaled_.noalias() = problem_.design * root_variance_.asDiagonal();
            system_.setIdentity(problem_.design.rows(), problem_.design.rows());
            system_.selfadjointView<Eigen::Lower>().rankUpdate(scaled_);
        }
        factor_.compute(system_);
        return factor_.info() == Eigen::Success;
    }

    /// \f$z^T(I + \Phi D^{-1}\Phi^T)^{-1}z = \min_\beta \|z - \Phi\beta\|^2 + \beta^TD\beta\f$,
    /// twice the scale that \f$\sigma^2\f$'s inverse Gamma gains with \f$\beta\f$ integrated
    /// out (step 1). For p <= n it is evaluated at the minimizer, the conditional mean that
    /// draw_coefficients reuses, rather than as \f$z^Tz - c^TM^{-1}c\f$, which cancels when the
    /// fit is nearly exact.
    double marginal_quadratic_form(const Eigen::VectorXd& d) {
        if (d.size() == 0)
            return problem_.response.squaredNorm();
        if (problem_.wide) {
            whitened_ = factor_.matrixL().solve(problem_.response);
            return whitened_.squaredNorm();
        }
        mean_ = factor_.solve(problem_.correlation);
        residual_ = problem_.response;
        residual_.noalias() -= problem_.design * mean_;
        return residual_.squaredNorm() + (d.array() * mean_.array().square()).sum();
    }

    /// Step 2 given \f$\sigma\f$, in place of `beta`, from the factor and (p <= n) the mean
    /// that marginal_quadratic_form left.
    bool draw_coefficients(double sigma, RandomStream& random, Eigen::VectorXd& beta) {
        const Eigen::Index q = problem_.design.cols();
        if (q == 0)
            return true;
        if (!problem_.wide) {
            normals_.resize(q);
            for (Eigen::Index j = 0; j < q; ++j)
                normals_(j) = random.normal();
            beta = mean_;
            beta.noalias() += sigma * factor_.matrixU().solve(normals_);
            return beta.allFinite();
        }
        // Bhattacharya et al.: with u ~ N(0, D^{-1}) and e ~ N(0, I_n), theta = u +
        // D^{-1} Phi^T (I + Phi D^{-1} Phi^T)^{-1} (z / sigma - Phi u - e) ~ N(M^{-1} Phi^T z /
        // sigma, M^{-1}), and beta = sigma theta.
        const Eigen::Index n = problem_.design.rows();
        normals_.resize(q);
        for (Eigen::Index j = 0; j < q; ++j)
            normals_(j) = random.normal() * root_variance_(j);
        residual_.resize(n);
        for (Eigen::Index i = 0; i < n; ++i)
            residual_(i) = problem_.response(i) / sigma - random.normal();
        residual_.noalias() -= problem_.design * normals_;
        factor_.solveInPlace(residual_);
        beta.noalias() = problem_.design.transpose() * residual_;
        beta = sigma * (normals_ + root_variance_.cwiseAbs2().cwiseProduct(beta));
        return beta.allFinite();
    }

    void store(const Eigen::VectorXd& beta, double noise_variance, RandomStream& random,
               Eigen::Index column, Eigen::MatrixXd& coefficients, Eigen::VectorXd& intercepts,
               Eigen::VectorXd& noise_variances) const {
        double fitted_center = 0;
        for (std::size_t k = 0; k < problem_.columns.size(); ++k) {
            const Eigen::Index j = problem_.columns[k];
            const double coefficient = beta(Eigen::Index(k)) / problem_.x_scale(j);
            coefficients(j, column) = coefficient;
            fitted_center += problem_.x_center(j) * coefficient;
        }
        intercepts(column) =
            problem_.fit_intercept
                ? problem_.y_center - fitted_center +
                      std::sqrt(noise_variance / problem_.total_weight) * random.normal()
                : 0.0;
        noise_variances(column) = noise_variance;
    }

    const GibbsProblem& problem_;
    const Mixture& mixture_;
    double prior_shape_, prior_scale_;
    Eigen::MatrixXd system_, scaled_;
    Eigen::LLT<Eigen::MatrixXd> factor_;
    Eigen::VectorXd root_variance_, mean_, residual_, whitened_, normals_;
};

} // namespace detail

/// Linear regression's posterior under the scale-mixture prior `Mixture` (the contract in
/// scale_mixtures.hpp; a user-written mixture works as the shipped ones), by Gibbs sampling
/// (file description). The estimator keeps no fit: `sample` returns the draws.
/// \code
/// priorreg::BayesianLasso model(3.0); // lambda: beta_j ~ Laplace(0, sigma / 3)
/// priorreg::SamplerOptions options;
/// options.draws = 2000;
/// const priorreg::PosteriorSamples samples = model.sample(X, y, options);
/// Eigen::VectorXd low = samples.quantile(0.025), high = samples.quantile(0.975);
/// \endcode
template <class Mixture> class BasicGibbsRegression {
public:
    /// From a mixture.
    explicit BasicGibbsRegression(Mixture mixture) : mixture_(std::move(mixture)) {}
    /// From the mixture's constructor arguments: `BayesianLasso(3.0)`.
    template <class First, class... Rest,
              class = std::enable_if_t<std::is_constructible_v<Mixture, First, Rest...> &&
                                       !std::is_same_v<std::decay_t<First>, Mixture> &&
                                       !std::is_same_v<std::decay_t<First>, BasicGibbsRegression>>>
    explicit BasicGibbsRegression(First&& first, Rest&&... rest)
        : mixture_(std::forward<First>(first), std::forward<Rest>(rest)...) {}
    /// With the mixture's default (when it has one: the horseshoe's).
    template <class M = Mixture, class = std::enable_if_t<std::is_default_constructible_v<M>>>
    BasicGibbsRegression() : mixture_() {}

    /// Fit an intercept with a flat prior (default true).
    BasicGibbsRegression& set_fit_intercept(bool fit_intercept) {
        fit_intercept_ = fit_intercept;
        return *this;
    }
    /// Put the prior on the coefficients of the columns scaled to unit weighted standard
    /// deviation (default true, as the other estimators); draws are reported on the original
    /// scale either way.
    BasicGibbsRegression& set_standardize(bool standardize) {
        standardize_ = standardize;
        return *this;
    }
    /// The inverse-Gamma prior of the noise variance, density proportional to
    /// \f$\sigma^{-2(\text{shape}+1)}e^{-\text{scale}/\sigma^2}\f$; the default, shape = scale =
    /// 0, is the improper \f$1/\sigma^2\f$.
    BasicGibbsRegression& set_noise_variance_prior(double shape, double scale) {
        detail::require_nonnegative_finite(shape, "noise variance prior shape");
        detail::require_nonnegative_finite(scale, "noise variance prior scale");
        prior_shape_ = shape;
        prior_scale_ = scale;
        return *this;
    }

    bool fit_intercept() const { return fit_intercept_; }
    bool standardize() const { return standardize_; }
    const Mixture& mixture() const { return mixture_; }

    /// Draws from the posterior given the rows of `X` (n x p) and `y` (n).
    template <class DX, class DY>
    PosteriorSamples sample(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                            const SamplerOptions& options = SamplerOptions()) const {
        return sample(X, y, Eigen::VectorXd::Ones(X.rows()), options);
    }

    /// With precision weights `w` (non-negative, not all zero): row i's noise variance is
    /// \f$\sigma^2/w_i\f$.
    template <class DX, class DY, class DW>
    PosteriorSamples sample(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                            const Eigen::MatrixBase<DW>& w,
                            const SamplerOptions& options = SamplerOptions()) const {
        static_assert(detail::holds_scalar_v<double, DX, DY>,
                      "priorreg: the samplers take double data (Eigen::MatrixXd, VectorXd)");
        require_options(options);
        const detail::GibbsProblem problem = prepare(X, y, w);
        const Eigen::Index draws = options.draws,
                           total = Eigen::Index(options.chains) * options.draws;
        Eigen::MatrixXd coefficients = Eigen::MatrixXd::Zero(X.cols(), total);
        Eigen::VectorXd intercepts(total), noise_variances(total);
        std::vector<char> complete(static_cast<std::size_t>(options.chains), 0);
        const int threads = std::min(detail::resolve_threads(options.threads), options.chains);
        detail::parallel_tasks(options.chains, threads, [&](Eigen::Index chain) {
            detail::GibbsChain<Mixture> sampler(problem, mixture_, prior_shape_, prior_scale_);
            const Eigen::Index first = chain * draws;
            const Eigen::Index kept =
                sampler.run(options, int(chain), first, coefficients, intercepts, noise_variances);
            const double missing = std::numeric_limits<double>::quiet_NaN();
            for (Eigen::Index k = first + kept; k < first + draws; ++k) {
                coefficients.col(k).setConstant(missing);
                intercepts(k) = noise_variances(k) = missing;
            }
            complete[static_cast<std::size_t>(chain)] = kept == draws;
        });
        const bool all_complete =
            std::all_of(complete.begin(), complete.end(), [](char done) { return done != 0; });
        return PosteriorSamples(std::move(coefficients), std::move(intercepts),
                                std::move(noise_variances), options.chains,
                                all_complete ? Status::Success : Status::NumericalIssue);
    }

private:
    static void require_options(const SamplerOptions& options) {
        if (options.draws < 1 || options.burn_in < 0 || options.chains < 1 || options.thin < 1 ||
            options.threads < 0)
            throw InvalidInput("SamplerOptions: draws, chains and thin must be at least 1, "
                               "burn_in and threads at least 0");
    }

    template <class DX, class DY, class DW>
    detail::GibbsProblem prepare(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                                 const Eigen::MatrixBase<DW>& w) const {
        detail::require_training_data(X, y);
        detail::require_weights(w, X.rows());
        double total = 0;
        const detail::Vector<double> v = detail::unit_weights<double>(w, total);
        const detail::StandardizedProblem<double> working =
            detail::standardize<double>(X, y, v, fit_intercept_, standardize_);
        detail::require_representable(working);
        detail::GibbsProblem problem;
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            if (working.curvature(j) > 0)
                problem.columns.push_back(j);
        const double root_total = std::sqrt(total);
        problem.design = root_total * working.design(Eigen::all, problem.columns);
        problem.response = root_total * working.response;
        problem.correlation.noalias() = problem.design.transpose() * problem.response;
        const double counted = double((v.array() > 0).count());
        problem.wide = double(problem.columns.size()) > counted;
        if (!problem.wide)
            problem.gram.noalias() = problem.design.transpose() * problem.design;
        problem.x_center = working.x_center;
        problem.x_scale = working.x_scale;
        problem.y_center = working.y_center;
        problem.total_weight = total;
        problem.fit_intercept = fit_intercept_;
        problem.residual_rows = counted - (fit_intercept_ ? 1 : 0);
        if (!(prior_shape_ + (problem.residual_rows + double(problem.columns.size())) / 2 > 0))
            throw InvalidInput("sample: the noise variance's posterior is improper (no rows "
                               "beyond the intercept, no varying column, improper prior)");
        return problem;
    }

    Mixture mixture_;
    bool fit_intercept_ = true;
    bool standardize_ = true;
    double prior_shape_ = 0, prior_scale_ = 0;
};

/// The Bayesian lasso (Park and Casella 2008): `BayesianLasso model(lambda)`, or with a
/// Gamma hyperprior on \f$\lambda^2\f$,
/// `BayesianLasso model(LaplaceMixture::with_gamma_hyperprior(shape, rate))`.
using BayesianLasso = BasicGibbsRegression<LaplaceMixture>;
/// The Bayesian elastic net: `BayesianElasticNet model(lambda1, lambda2)`.
using BayesianElasticNet = BasicGibbsRegression<ElasticNetMixture>;
/// Horseshoe regression: `HorseshoeRegression model;` (or with a global scale).
using HorseshoeRegression = BasicGibbsRegression<HorseshoeMixture>;

} // namespace priorreg

#endif // PRIORREG_BAYES_GIBBS_REGRESSION_HPP
