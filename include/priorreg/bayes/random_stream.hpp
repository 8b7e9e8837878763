#ifndef PRIORREG_BAYES_RANDOM_STREAM_HPP
#define PRIORREG_BAYES_RANDOM_STREAM_HPP

/// \file random_stream.hpp
/// \brief `RandomStream`: the random numbers of priorreg's samplers, the same on every platform
/// and standard library for the same seed.
///
/// The standard library's engines are portable but its distributions are not (libstdc++ and
/// libc++ turn the same bits into different normals), so the draws a sampler reports for a
/// seed would change with the compiler. Here the bits come from xoshiro256++ (Blackman and
/// Vigna), seeded through splitmix64, and every distribution is written out:
/// - uniform on (0, 1): the top 53 bits, never 0 or 1;
/// - standard normal: Marsaglia's polar method;
/// - Gamma(shape, 1): Marsaglia and Tsang's squeeze for shape >= 1, and for shape < 1 a draw
///   at shape + 1 times \f$U^{1/\text{shape}}\f$;
/// - inverse Gaussian \f$IG(\mu, \lambda)\f$: Michael, Schucany and Haas's transformation with
///   the smaller root of its quadratic formed without cancellation (\f$\mu^2/x_+\f$), so that a
///   mean of \f$10^{300}\f$ or an infinite one (the Lévy limit, \f$\lambda/\nu^2\f$) is exact.

#include <cmath>
#include <cstdint>
#include <limits>

namespace priorreg {

/// A seeded stream of random numbers (xoshiro256++ bits; portable distributions).
class RandomStream {
public:
    /// The stream of `seed`; streams of different `stream` numbers (a sampler's chains) are
    /// seeded apart through splitmix64.
    explicit RandomStream(std::uint64_t seed = 0, std::uint64_t stream = 0) {
        std::uint64_t mix = seed ^ (stream * 0xD1B54A32D192ED03ULL + 0x8BB84B93962EACC9ULL);
        for (auto& word : state_)
            word = splitmix64(mix);
    }

    /// 64 random bits.
    std::uint64_t bits() {
        const std::uint64_t result = rotate(state_[0] + state_[3], 23) + state_[0];
        const std::uint64_t shifted = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= shifted;
        state_[3] = rotate(state_[3], 45);
        return result;
    }

    /// Uniform on the open interval (0, 1).
    double uniform() { return (double(bits() >> 11) + 0.5) * 0x1.0p-53; }

    /// Standard normal.
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u, v, s;
        do {
            u = 2 * uniform() - 1;
            v = 2 * uniform() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        const double factor = std::sqrt(-2 * std::log(s) / s);
        spare_ = v * factor;
        has_spare_ = true;
        return u * factor;
    }

    /// Exponential of rate 1.
    double exponential() { return -std::log(uniform()); }

    /// Gamma of the given shape (> 0) and rate 1: density \f$x^{a-1}e^{-x}/\Gamma(a)\f$.
    double gamma(double shape) {
        if (shape < 1) {
            // X_a = X_{a+1} U^{1/a}, in logarithms so that a tiny shape does not underflow
            // before the caller's scaling.
            const double boosted = gamma(shape + 1);
            return boosted * std::exp(std::log(uniform()) / shape);
        }
        const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
        for (;;) {
            double x, v;
            do {
                x = normal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            const double u = uniform();
            const double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2)
                return d * v;
            if (std::log(u) < 0.5 * x2 + d * (1 - v + std::log(v)))
                return d * v;
        }
    }

    /// Gamma of shape and rate: mean shape / rate.
    double gamma(double shape, double rate) { return gamma(shape) / rate; }

    /// Inverse-Gamma of shape and scale: the reciprocal of a Gamma(shape, scale) draw (density
    /// proportional to \f$x^{-\text{shape}-1}e^{-\text{scale}/x}\f$).
    double inverse_gamma(double shape, double scale) { return scale / gamma(shape); }

    /// Inverse Gaussian of mean `mean` (> 0, may be infinite) and shape `shape` (> 0).
    double inverse_gaussian(double mean, double shape) {
        const double nu = normal();
        const double y = nu * nu;
        if (!(mean < std::numeric_limits<double>::infinity()))
            return shape / y; // the Levy limit
        // The two roots of the MSH quadratic multiply to mean^2; take the larger without
        // cancellation and the smaller as mean^2 over it.
        const double my = mean * y;
        const double larger_over_mean = 1 + my * (1 + std::sqrt(1 + 4 * shape / my)) / (2 * shape);
        const double smaller = mean / larger_over_mean;
        return uniform() * (mean + smaller) <= mean ? smaller : mean * larger_over_mean;
    }

private:
    static std::uint64_t rotate(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    std::uint64_t state_[4];
    double spare_ = 0;
    bool has_spare_ = false;
};

} // namespace priorreg

#endif // PRIORREG_BAYES_RANDOM_STREAM_HPP
