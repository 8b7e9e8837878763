#ifndef PRIORREG_BAYES_SCALE_MIXTURES_HPP
#define PRIORREG_BAYES_SCALE_MIXTURES_HPP

/// \file scale_mixtures.hpp
/// \brief Shrinkage priors written as scale mixtures of normals, the form a Gibbs sampler
/// (`BasicGibbsRegression`) takes: the Laplace prior (the Bayesian lasso), the Laplace times a
/// Gaussian (the Bayesian elastic net) and the horseshoe.
///
/// **The contract.** A scale mixture makes each coefficient, given latent variables and the
/// noise variance \f$\sigma^2\f$, normal: \f$\beta_j \mid \sigma^2, \text{latent} \sim
/// N(0, \sigma^2/d_j)\f$, the \f$d_j > 0\f$ (prior precisions in units of \f$1/\sigma^2\f$)
/// functions of the latent variables alone. A type `M` provides
/// - `M::State`, the latent variables of one chain;
/// - `State start(Eigen::Index p, RandomStream& random) const`: a starting state for p
///   coefficients (a draw from the prior spreads the chains apart, which \f$\hat R\f$ needs);
/// - `void precisions(const State& state, Eigen::VectorXd& d) const`: writes the p values
///   \f$d_j \ge 0\f$ (the sampler keeps them in [1e-150, 1e150]; a NaN or negative value stops
///   the chain, and the samples report `Status::NumericalIssue`);
/// - `void update(State& state, const Eigen::VectorXd& beta, double noise_variance,
///   RandomStream& random) const`: draws the latent variables from their conditional
///   distribution given the coefficients and \f$\sigma^2\f$ (and the data only through them).
/// The methods are const and keep no state outside `State`: chains run on separate threads.
/// Scaling the prior with \f$\sigma\f$ is what makes the noise variance's conditional an
/// inverse Gamma and, for the Laplace prior, the posterior unimodal (Park and Casella 2008).

#include <Eigen/Core>
#include <cmath>
#include <limits>

#include "../detail/validate.hpp"
#include "../status.hpp"
#include "random_stream.hpp"

namespace priorreg {

/// The Laplace prior \f$\beta_j \mid \sigma \sim \mathrm{Laplace}(0, \sigma/\lambda)\f$,
/// density \f$\frac{\lambda}{2\sigma}e^{-\lambda|\beta_j|/\sigma}\f$ (Park and Casella 2008):
/// \f$\beta_j \mid \tau_j^2 \sim N(0, \sigma^2\tau_j^2)\f$ with \f$\tau_j^2 \sim
/// \mathrm{Exp}(\lambda^2/2)\f$, so \f$d_j = 1/\tau_j^2\f$, whose conditional is inverse Gaussian
/// with mean \f$\lambda\sigma/|\beta_j|\f$ and shape \f$\lambda^2\f$. \f$\lambda\f$ is fixed, or
/// has a Gamma(shape, rate) hyperprior on \f$\lambda^2\f$ (conditional Gamma(p + shape, rate +
/// \f$\sum_j\tau_j^2/2\f$)).
///
/// At a fixed \f$\sigma\f$ the posterior mode is the lasso: with n observations and the
/// library's objective \f$\frac{1}{2n}\|y - X\beta\|^2 + \lambda_{\text{lasso}}\|\beta\|_1\f$,
/// \f$\lambda_{\text{lasso}} = \lambda\sigma/n\f$ (`from_penalty` inverts that).
class LaplaceMixture {
public:
    struct State {
        Eigen::VectorXd inverse_scales; ///< \f$1/\tau_j^2\f$
        double rate_squared;            ///< \f$\lambda^2\f$
    };

    /// Fixed \f$\lambda > 0\f$.
    explicit LaplaceMixture(double lambda) {
        detail::require_positive_finite(lambda, "LaplaceMixture: lambda");
        rate_squared_ = lambda * lambda;
    }
    /// \f$\lambda^2 \sim\f$ Gamma(shape, rate), both positive (Park and Casella use a shape near
    /// 1 and a small rate).
    static LaplaceMixture with_gamma_hyperprior(double shape, double rate) {
        detail::require_positive_finite(shape, "LaplaceMixture: hyperprior shape");
        detail::require_positive_finite(rate, "LaplaceMixture: hyperprior rate");
        LaplaceMixture mixture(std::sqrt(shape / rate));
        mixture.hyper_shape_ = shape;
        mixture.hyper_rate_ = rate;
        return mixture;
    }
    /// The prior whose mode at noise level `sigma` with `n` observations is the lasso at
    /// `lambda_lasso`: \f$\lambda = n\lambda_{\text{lasso}}/\sigma\f$.
    static LaplaceMixture from_penalty(double lambda_lasso, double sigma, double n) {
        detail::require_positive_finite(lambda_lasso, "LaplaceMixture: lasso lambda");
        detail::require_positive_finite(sigma, "LaplaceMixture: sigma");
        detail::require_positive_finite(n, "LaplaceMixture: n");
        return LaplaceMixture(n * lambda_lasso / sigma);
    }

    /// \f$\lambda\f$ when fixed; with the hyperprior, its starting value.
    double lambda() const { return std::sqrt(rate_squared_); }
    bool has_hyperprior() const { return hyper_shape_ > 0; }

    State start(Eigen::Index p, RandomStream& random) const {
        State state{Eigen::VectorXd(p), rate_squared_};
        if (has_hyperprior())
            state.rate_squared = random.gamma(hyper_shape_, hyper_rate_);
        for (Eigen::Index j = 0; j < p; ++j)
            state.inverse_scales(j) = state.rate_squared / (2 * random.exponential());
        return state;
    }
    void precisions(const State& state, Eigen::VectorXd& d) const { d = state.inverse_scales; }
    void update(State& state, const Eigen::VectorXd& beta, double noise_variance,
                RandomStream& random) const {
        update_inverse_scales(state, beta, noise_variance, random);
        if (has_hyperprior()) {
            const double scales = state.inverse_scales.cwiseInverse().sum();
            state.rate_squared =
                random.gamma(double(beta.size()) + hyper_shape_, hyper_rate_ + scales / 2);
        }
    }

    /// The inverse-Gaussian draws of \f$1/\tau_j^2\f$ (also the elastic net's).
    static void update_inverse_scales(State& state, const Eigen::VectorXd& beta,
                                      double noise_variance, RandomStream& random) {
        const double lambda_sigma = std::sqrt(state.rate_squared * noise_variance);
        for (Eigen::Index j = 0; j < beta.size(); ++j)
            state.inverse_scales(j) =
                random.inverse_gaussian(lambda_sigma / std::abs(beta(j)), state.rate_squared);
    }

private:
    double rate_squared_ = 1;
    double hyper_shape_ = 0, hyper_rate_ = 0;
};

/// The elastic-net prior \f$p(\beta_j \mid \sigma) \propto \sigma^{-1}\exp(-\lambda_1|\beta_j|/
/// \sigma - \lambda_2\beta_j^2/(2\sigma^2))\f$ in the hierarchy of Kyung, Gill, Ghosh and
/// Casella (2010): the Laplace mixture's \f$\tau_j^2\f$, with \f$d_j = 1/\tau_j^2 +
/// \lambda_2\f$. At a fixed \f$\sigma\f$ its mode is the elastic net of
/// \f$\frac{1}{2}\|y - X\beta\|^2 + \lambda_1\sigma\|\beta\|_1 + \frac{\lambda_2}{2}\|\beta\|^2\f$:
/// with the library's \f$\frac{1}{2n}\f$ scaling, \f$\lambda\alpha = \lambda_1\sigma/n\f$ and
/// \f$\lambda(1-\alpha) = \lambda_2/n\f$. (Li and Lin's 2010 prior divides the L1 term by
/// \f$\sigma^2\f$ instead; its mode is the same elastic net at a different \f$\lambda_1\f$.)
class ElasticNetMixture {
public:
    using State = LaplaceMixture::State;

    /// \f$\lambda_1 > 0\f$ (L1) and \f$\lambda_2 \ge 0\f$ (L2; 0 is the Bayesian lasso).
    ElasticNetMixture(double lambda1, double lambda2) : laplace_(lambda1) {
        detail::require_nonnegative_finite(lambda2, "ElasticNetMixture: lambda2");
        lambda2_ = lambda2;
    }
    double lambda1() const { return laplace_.lambda(); }
    double lambda2() const { return lambda2_; }

    State start(Eigen::Index p, RandomStream& random) const { return laplace_.start(p, random); }
    void precisions(const State& state, Eigen::VectorXd& d) const {
        d = state.inverse_scales.array() + lambda2_;
    }
    void update(State& state, const Eigen::VectorXd& beta, double noise_variance,
                RandomStream& random) const {
        LaplaceMixture::update_inverse_scales(state, beta, noise_variance, random);
    }

private:
    LaplaceMixture laplace_;
    double lambda2_ = 0;
};

/// The horseshoe (Carvalho, Polson and Scott 2010): \f$\beta_j \mid \lambda_j, \tau, \sigma
/// \sim N(0, \lambda_j^2\tau^2\sigma^2)\f$ with half-Cauchy local scales \f$\lambda_j \sim
/// C^+(0, 1)\f$ and global scale \f$\tau \sim C^+(0, \tau_0)\f$, sampled by the auxiliary
/// variables of Makalic and Schmidt (2016): \f$\lambda_j^2 \mid \nu_j \sim IG(1/2, 1/\nu_j)\f$,
/// \f$\nu_j \sim IG(1/2, 1)\f$, \f$\tau^2 \mid \xi \sim IG(1/2, 1/\xi)\f$, \f$\xi \sim IG(1/2,
/// 1/\tau_0^2)\f$, every conditional an inverse Gamma. \f$d_j = 1/(\lambda_j^2\tau^2)\f$. Its
/// density is infinite at 0 and its tails are Cauchy: large effects are left alone while noise
/// is shrunk hard, and there is no mode to compute.
class HorseshoeMixture {
public:
    struct State {
        Eigen::VectorXd local;     ///< \f$\lambda_j^2\f$
        Eigen::VectorXd local_aux; ///< \f$\nu_j\f$
        double global = 1;         ///< \f$\tau^2\f$
        double global_aux = 1;     ///< \f$\xi\f$
    };

    /// `global_scale` \f$\tau_0 > 0\f$ (default 1, the original horseshoe).
    explicit HorseshoeMixture(double global_scale = 1) {
        detail::require_positive_finite(global_scale, "HorseshoeMixture: global scale");
        global_scale_squared_ = global_scale * global_scale;
    }
    double global_scale() const { return std::sqrt(global_scale_squared_); }

    State start(Eigen::Index p, RandomStream& random) const {
        State state{Eigen::VectorXd(p), Eigen::VectorXd(p), 1, 1};
        for (Eigen::Index j = 0; j < p; ++j) {
            state.local_aux(j) = random.inverse_gamma(0.5, 1);
            state.local(j) = random.inverse_gamma(0.5, 1 / state.local_aux(j));
        }
        state.global_aux = random.inverse_gamma(0.5, 1 / global_scale_squared_);
        state.global = random.inverse_gamma(0.5, 1 / state.global_aux);
        return state;
    }
    void precisions(const State& state, Eigen::VectorXd& d) const {
        d = (state.local.array() * state.global).inverse();
    }
    void update(State& state, const Eigen::VectorXd& beta, double noise_variance,
                RandomStream& random) const {
        const Eigen::Index p = beta.size();
        double weighted_squares = 0; // sum beta_j^2 / lambda_j^2
        for (Eigen::Index j = 0; j < p; ++j) {
            const double square = beta(j) * beta(j) / noise_variance;
            state.local(j) =
                random.inverse_gamma(1, 1 / state.local_aux(j) + square / (2 * state.global));
            state.local_aux(j) = random.inverse_gamma(1, 1 + 1 / state.local(j));
            weighted_squares += square / state.local(j);
        }
        state.global =
            random.inverse_gamma((double(p) + 1) / 2, 1 / state.global_aux + weighted_squares / 2);
        state.global_aux = random.inverse_gamma(1, 1 / global_scale_squared_ + 1 / state.global);
    }

private:
    double global_scale_squared_ = 1;
};

} // namespace priorreg

#endif // PRIORREG_BAYES_SCALE_MIXTURES_HPP
