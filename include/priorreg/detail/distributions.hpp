#ifndef PRIORREG_DETAIL_DISTRIBUTIONS_HPP
#define PRIORREG_DETAIL_DISTRIBUTIONS_HPP

/// \file distributions.hpp
/// \brief The Student-t and F distributions that least-squares inference needs: upper tails
/// (p-values) with relative accuracy far into the tail, and the t quantile (confidence
/// intervals).
///
/// Both tails are regularized incomplete beta functions:
/// \f$P(|T_\nu| > t) = I_{\nu/(\nu+t^2)}(\nu/2, 1/2)\f$ and
/// \f$P(F_{d_1,d_2} > f) = I_{d_2/(d_2+d_1 f)}(d_2/2, d_1/2)\f$. \f$I_x(a,b)\f$ is evaluated by
/// its continued fraction where that converges fast, \f$x < (a+1)/(a+b+2)\f$, and otherwise as
/// \f$1 - I_{1-x}(b,a)\f$; the caller passes \f$x\f$ and \f$1-x\f$ separately, each formed
/// without cancellation, so a tail of 1e-300 keeps its digits.

#include <cmath>
#include <limits>

namespace priorreg::detail {

/// \f$\ln\Gamma(b) - \ln\Gamma(a+b)\f$ for \f$a, b > 0\f$. For large \f$b\f$ the two
/// logarithms are huge and nearly equal; Stirling's series for both, with their leading terms
/// combined by `log1p`, keeps the difference to rounding.
inline double log_gamma_ratio(double a, double b) {
    constexpr double large = 30;
    if (b < large)
        return std::lgamma(b) - std::lgamma(a + b);
    // ln Gamma(z) = (z - 1/2) ln z - z + ln(2 pi)/2 + correction(z); to rounding for z >= 30.
    const auto correction = [](double z) {
        const double inverse = 1 / z, square = inverse * inverse;
        return inverse * (1.0 / 12 -
                          square * (1.0 / 360 -
                                    square * (1.0 / 1260 - square * (1.0 / 1680 - square / 1188))));
    };
    return -(b - 0.5) * std::log1p(a / b) - a * std::log(a + b) + a + correction(b) -
           correction(a + b);
}

/// \f$\ln B(a, b)\f$, the larger argument's part through `log_gamma_ratio`.
inline double log_beta(double a, double b) {
    return a <= b ? std::lgamma(a) + log_gamma_ratio(a, b) : std::lgamma(b) + log_gamma_ratio(b, a);
}

/// \f$I_x(a, b)\f$ by its continued fraction (modified Lentz), for \f$x < (a+1)/(a+b+2)\f$;
/// `y` is \f$1 - x\f$.
inline double incomplete_beta_fraction(double a, double b, double x, double y) {
    constexpr double tiny = 1e-300;
    constexpr double epsilon = std::numeric_limits<double>::epsilon();
    constexpr int max_terms = 10000;
    // Terms d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)), d_{2m} = m(b-m) x / ((a+2m-1)(a+2m)).
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = std::abs(d) < tiny ? tiny : d;
    d = 1 / d;
    double fraction = d;
    for (int m = 1; m <= max_terms; ++m) {
        const double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
        d = 1 + even * d;
        d = std::abs(d) < tiny ? tiny : d;
        c = 1 + even / c;
        c = std::abs(c) < tiny ? tiny : c;
        d = 1 / d;
        fraction *= d * c;
        const double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + odd * d;
        d = std::abs(d) < tiny ? tiny : d;
        c = 1 + odd / c;
        c = std::abs(c) < tiny ? tiny : c;
        d = 1 / d;
        const double factor = d * c;
        fraction *= factor;
        if (std::abs(factor - 1) <= epsilon)
            break;
    }
    const double log_front = a * std::log(x) + b * std::log(y) - log_beta(a, b) - std::log(a);
    return std::exp(log_front) * fraction;
}

/// The regularized incomplete beta function \f$I_x(a, b)\f$, given \f$x\f$ and \f$y = 1 - x\f$
/// (both in [0, 1]).
inline double incomplete_beta(double a, double b, double x, double y) {
    if (!(x > 0))
        return 0;
    if (!(y > 0))
        return 1;
    if (x < (a + 1) / (a + b + 2))
        return incomplete_beta_fraction(a, b, x, y);
    return 1 - incomplete_beta_fraction(b, a, y, x);
}

/// \f$P(|T_\nu| > |t|)\f$, the two-sided p-value of a t statistic with \f$\nu > 0\f$ degrees
/// of freedom; NaN for a NaN statistic.
inline double student_t_two_sided(double t, double nu) {
    if (std::isnan(t) || !(nu > 0))
        return std::numeric_limits<double>::quiet_NaN();
    if (std::isinf(t))
        return 0;
    const double square = t * t;
    // x = nu / (nu + t^2) and 1 - x = t^2 / (nu + t^2), each without cancellation.
    return incomplete_beta(nu / 2, 0.5, nu / (nu + square), square / (nu + square));
}

/// \f$P(T_\nu > t)\f$.
inline double student_t_upper(double t, double nu) {
    const double two_sided = student_t_two_sided(t, nu);
    return t >= 0 ? two_sided / 2 : 1 - two_sided / 2;
}

/// \f$P(F_{d_1, d_2} > f)\f$, the p-value of an F statistic.
inline double f_upper(double f, double d1, double d2) {
    if (std::isnan(f) || !(d1 > 0) || !(d2 > 0))
        return std::numeric_limits<double>::quiet_NaN();
    if (!(f > 0))
        return 1;
    if (std::isinf(f))
        return 0;
    const double scaled = d1 * f;
    return incomplete_beta(d2 / 2, d1 / 2, d2 / (d2 + scaled), scaled / (d2 + scaled));
}

/// The density of \f$T_\nu\f$ at t.
inline double student_t_density(double t, double nu) {
    return std::exp(-log_beta(0.5, nu / 2) - 0.5 * std::log(nu) -
                    (nu + 1) / 2 * std::log1p(t * t / nu));
}

/// \f$P(|T_\nu| \le t)\f$ for \f$t \ge 0\f$, without the cancellation of one minus the
/// tail near \f$t = 0\f$.
inline double student_t_central(double t, double nu) {
    const double square = t * t;
    return incomplete_beta(0.5, nu / 2, square / (nu + square), nu / (nu + square));
}

/// The quantile \f$t\f$ with \f$P(T_\nu \le t) = p\f$, \f$0 < p < 1\f$: Newton's method on
/// the probability that has the digits (the central one \f$P(|T| \le t) = 2p - 1\f$ near the
/// median, else the upper tail \f$1 - p\f$), kept inside a bracket that bisection shrinks
/// whenever a Newton step leaves it.
inline double student_t_quantile(double p, double nu) {
    if (!(p > 0 && p < 1) || !(nu > 0))
        return std::numeric_limits<double>::quiet_NaN();
    if (p < 0.5)
        return -student_t_quantile(1 - p, nu);
    if (p == 0.5)
        return 0;
    // Both targets are exact in double for p in (1/2, 1).
    const bool central = p < 0.75;
    const double target = central ? 2 * p - 1 : 1 - p;
    // Increasing in t: the central probability, or minus the tail.
    const auto excess = [&](double t) {
        return central ? student_t_central(t, nu) - target : target - student_t_upper(t, nu);
    };
    const double slope = central ? 2 : 1; // times the density
    double low = 0, high = 1;
    while (excess(high) < 0 && high < 1e300)
        high *= 2;
    double t = high / 2;
    for (int iteration = 0; iteration < 400; ++iteration) {
        const double value = excess(t);
        if (value < 0)
            low = t;
        else
            high = t;
        double next = t - value / (slope * student_t_density(t, nu));
        if (!(next > low && next < high))
            next = low + (high - low) / 2;
        if (std::abs(next - t) <= 4 * std::numeric_limits<double>::epsilon() * t ||
            high - low <= 4 * std::numeric_limits<double>::epsilon() * high)
            return next;
        t = next;
    }
    return t;
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_DISTRIBUTIONS_HPP
