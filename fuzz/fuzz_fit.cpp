// libFuzzer harness: arbitrary bytes -> (model kind, n, p, X, y, weights, lambda, alpha, options)
// -> fit, predict, fit_path (and, for some inputs, CrossValidation).
//
// Properties checked (a violation aborts, so libFuzzer reports it as a crash):
// - only priorreg::InvalidInput escapes, exactly when the input breaks the documented contract
//   (non-finite data, negative or all-zero weights, out-of-range lambda/alpha) or is too large
//   for a penalized fit ("too large" in the message) or a column too small to scale ("too
//   small", checked against the column's spread); any other exception aborts;
// - every returned coefficient and intercept is finite unless info() says NumericalIssue (the
//   documented outcome of a result that overflows, e.g. a float model's);
// - a Success result is optimal: the KKT conditions hold in the standardized scale within the
//   bound the duality-gap target implies plus rounding, recomputed here in long double.
//
// Byte layout (every read past the end yields 0, so every input decodes):
//   [kind][n][p][flags][flags2][lambda][alpha][iterations][tolerance][column codes: p]
//   [y scale][weight scale] then per-cell value codes (X column-major, y, w, penalty factors);
//   a value code >= 216 is followed by 8 raw bytes taken as a double.
#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include <priorreg/priorreg.hpp>

namespace {

using Ld = long double;
using MatrixL = Eigen::Matrix<Ld, Eigen::Dynamic, Eigen::Dynamic>;
using VectorL = Eigen::Matrix<Ld, Eigen::Dynamic, 1>;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
    std::fprintf(stderr, "fuzz_fit: property violated: %s %s\n", what, detail.c_str());
    std::fflush(stderr);
    std::abort();
}

class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
    double raw_double() {
        std::uint8_t buffer[8] = {};
        for (auto& b : buffer)
            b = byte();
        double value;
        std::memcpy(&value, buffer, sizeof value);
        return value;
    }

    /// One value: a small grid of ordinary numbers times `scale`, or a special value.
    double value(double scale) {
        const std::uint8_t code = byte();
        if (code < 200)
            return (static_cast<double>(code) - 100.0) / 10.0 * scale;
        switch (code) {
        case 200:
            return std::numeric_limits<double>::quiet_NaN();
        case 201:
            return std::numeric_limits<double>::infinity();
        case 202:
            return -std::numeric_limits<double>::infinity();
        case 203:
            return 0.0;
        case 204:
            return -0.0;
        case 205:
            return std::numeric_limits<double>::denorm_min();
        case 206:
            return std::numeric_limits<double>::max();
        case 207:
            return -std::numeric_limits<double>::max();
        case 208:
            return std::numeric_limits<double>::min();
        case 209:
            return 1e-300;
        case 210:
            return 1e300;
        case 211:
            return -1e150;
        case 212:
            return 1e-150;
        case 213:
            return 3.0e38; // near FLT_MAX
        case 214:
            return 1e-40; // float subnormal
        case 215:
            return scale;
        default:
            return raw_double();
        }
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

double scale_from(std::uint8_t code) {
    static const double scales[] = {1.0,   1.0,   1e-150, 1e150,  1e-300, 1e300, 1e-10, 1e10,
                                    1e100, 1e-40, 1e30,   1e-320, 1e-200, 1e200, 1e-5,  1e5};
    return scales[code % 16];
}

double lambda_from(Bytes& in) {
    const std::uint8_t code = in.byte();
    static const double table[] = {0.0,
                                   1e-300,
                                   1e-12,
                                   1e-6,
                                   1e-3,
                                   0.01,
                                   0.05,
                                   0.1,
                                   0.5,
                                   1.0,
                                   10.0,
                                   1e6,
                                   1e300,
                                   -1.0,
                                   std::numeric_limits<double>::quiet_NaN(),
                                   std::numeric_limits<double>::infinity()};
    if (code < 16)
        return table[code];
    if (code < 200)
        return static_cast<double>(code - 16) / 64.0;
    return in.raw_double();
}

double alpha_from(Bytes& in) {
    const std::uint8_t code = in.byte();
    if (code <= 200)
        return static_cast<double>(code) / 200.0;
    static const double table[] = {-0.1, 1.5, std::numeric_limits<double>::quiet_NaN(), 1e-300,
                                   1.0 - 1e-16};
    if (code < 206)
        return table[code - 201];
    return in.raw_double();
}

/// Everything decoded from one input.
struct Case {
    int kind = 0; // 0 OLS, 1 Ridge, 2 Lasso, 3 Elastic Net
    bool single = false;
    Eigen::Index n = 1, p = 1;
    bool intercept = true, standardize = true, weighted = false, factors = false;
    bool map_form = false, path = false, cv = false;
    priorreg::SolverMode mode = priorreg::SolverMode::automatic;
    double lambda = 0, alpha = 0, sigma = 1, prior_scale = 1;
    int max_iterations = 5000;
    double tolerance = 1e-7;
    Eigen::MatrixXd X;
    Eigen::VectorXd y, w, pf;
};

Case decode(Bytes& in) {
    Case c;
    const std::uint8_t kind = in.byte();
    c.kind = kind % 4;
    c.single = (kind / 4) % 2 == 1;
    c.n = 1 + in.byte() % 24;
    c.p = 1 + in.byte() % 10;
    const std::uint8_t flags = in.byte(), flags2 = in.byte();
    c.intercept = !(flags & 1);
    c.standardize = !(flags & 2);
    c.weighted = flags & 4;
    c.factors = flags & 8;
    c.map_form = flags & 16;
    c.path = flags & 32;
    c.cv = (flags & 64) && (flags2 & 1);
    c.mode = static_cast<priorreg::SolverMode>((flags2 >> 1) % 3);
    c.lambda = lambda_from(in);
    c.alpha = alpha_from(in);
    c.sigma = std::ldexp(1.0, static_cast<int>(flags2 >> 3) - 16);        // 2^-16 .. 2^15
    c.prior_scale = c.lambda > 1e-30 && c.lambda < 1e30 ? c.lambda : 1.0; // valid in float
    const std::uint8_t iterations = in.byte();
    // 5000 sweeps are plenty for p <= 10 (a capped fit is NoConvergence, whose iterate is only
    // checked for finiteness); the library's default of 100000 made inputs that cannot
    // converge (y ~ 1e100 against a lambda below its rounding) cost 0.3 s each.
    c.max_iterations = iterations < 128 ? 5000 : 1 + (iterations - 128) % 50;
    const std::uint8_t tolerance = in.byte();
    c.tolerance = tolerance < 200 ? 1e-7 : std::pow(10.0, -static_cast<double>(tolerance % 14) - 2);

    std::vector<std::uint8_t> column_codes(static_cast<std::size_t>(c.p));
    for (auto& code : column_codes)
        code = in.byte();
    const double y_scale = scale_from(in.byte());
    const double w_scale = scale_from(in.byte());

    c.X.resize(c.n, c.p);
    for (Eigen::Index j = 0; j < c.p; ++j) {
        const std::uint8_t code = column_codes[static_cast<std::size_t>(j)];
        const double scale = scale_from(code);
        const int shape = code / 16 % 4;
        if (shape == 1 && j > 0) { // duplicate of the previous column
            c.X.col(j) = c.X.col(j - 1);
        } else if (shape == 2 && j > 0) { // scaled copy: perfectly collinear
            c.X.col(j) = c.X.col(j - 1) * scale;
        } else if (shape == 3) { // constant
            c.X.col(j).setConstant(in.value(scale));
        } else {
            for (Eigen::Index i = 0; i < c.n; ++i)
                c.X(i, j) = in.value(scale);
        }
    }
    c.y.resize(c.n);
    for (Eigen::Index i = 0; i < c.n; ++i)
        c.y(i) = in.value(y_scale);
    c.w = Eigen::VectorXd::Ones(c.n);
    if (c.weighted)
        for (Eigen::Index i = 0; i < c.n; ++i)
            c.w(i) = std::abs(in.value(w_scale)) * (in.byte() == 255 ? -1.0 : 1.0);
    c.pf = Eigen::VectorXd::Ones(c.p);
    if (c.factors)
        for (Eigen::Index j = 0; j < c.p; ++j)
            c.pf(j) = static_cast<double>(in.byte() % 5) / 2.0; // 0, 0.5, 1, 1.5, 2
    return c;
}

bool all_finite(const Eigen::MatrixXd& m) {
    return m.allFinite();
}

/// Does the input break the documented contract (so InvalidInput must be thrown)?
bool breaks_contract(const Case& c) {
    if (!all_finite(c.X) || !c.y.allFinite())
        return true;
    if (c.single && (!c.X.cast<float>().allFinite() || !c.y.cast<float>().allFinite()))
        return true; // a value beyond FLT_MAX becomes infinite in a float model
    if (c.weighted) {
        // A float model sees the weights rounded to float: -1e-300 is -0 there (valid), and
        // weights of 1e-150 are all zero (invalid).
        const Eigen::VectorXd w =
            c.single ? Eigen::VectorXd(c.w.cast<float>().cast<double>()) : c.w;
        if (!w.allFinite() || (w.array() < 0).any() || !(w.sum() > 0))
            return true;
    }
    if (c.kind == 0)
        return false;
    if (c.map_form)
        return false; // sigma and the prior scale are always valid here
    const double lambda = c.single ? static_cast<double>(static_cast<float>(c.lambda)) : c.lambda;
    if (!(std::isfinite(lambda) && lambda >= 0))
        return true;
    if (c.kind == 3) {
        const double alpha = c.single ? static_cast<double>(static_cast<float>(c.alpha)) : c.alpha;
        if (!(alpha >= 0 && alpha <= 1))
            return true;
    }
    return false;
}

/// The relative weights w / sum(w) as the library forms them, in double: a weight more than
/// about 1e308 times lighter than the heaviest is 0 there (its row cannot change a double
/// objective), and the objective checked here is the one with those weights.
template <class S> VectorL unit_weights_as_seen(const Eigen::Matrix<S, -1, 1>& w) {
    double total = 0;
    return priorreg::detail::unit_weights<double>(w, total).template cast<Ld>();
}

/// The working problem of the objective, recomputed in long double from the inputs the model
/// saw, with the library's rules for constant columns (spread at rounding level: coefficient 0
/// with an intercept; without one a constant column is scaled by its root mean square).
struct Working {
    VectorL v;      // unit weights
    VectorL center; // column means (0 without intercept)
    VectorL scale;  // s_j
    Ld y_center = 0;
    std::vector<int> state; // 0 normal, 1 held at 0, 2 ambiguous (skip)
};

/// The weighted mean of x as the library centers a column: the weights as seen sum to 1 only to
/// the rounding of double (1/3 three times is 1 - 5.6e-17), so the sum v^T x is divided by their
/// sum, and the mean of the deviations is removed as well. A plain v^T x is off by 5.6e-17 times
/// the column's size, which for a column of 5e187 varying in its 13th digit is 3e-4 of its
/// spread: the gradient the KKT check then computes is off by that share of the residual's mean.
Ld centered_mean(const VectorL& v, const VectorL& x) {
    const Ld total = v.sum();
    const Ld mean = v.dot(x) / total;
    Ld correction = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (v(i) > 0)
            correction += v(i) * (x(i) - mean);
    return mean + correction / total;
}

template <class S>
Working working_problem(const Eigen::Matrix<S, -1, -1>& X, const Eigen::Matrix<S, -1, 1>& y,
                        const Eigen::Matrix<S, -1, 1>& w, bool intercept, bool standardize) {
    Working s;
    const Eigen::Index n = X.rows(), p = X.cols();
    s.v = unit_weights_as_seen(w);
    s.center = VectorL::Zero(p);
    s.scale = VectorL::Ones(p);
    s.state.assign(static_cast<std::size_t>(p), 0);
    const Ld eps = std::numeric_limits<double>::epsilon(); // the library computes in double
    for (Eigen::Index j = 0; j < p; ++j) {
        const VectorL x = X.col(j).template cast<Ld>();
        Ld magnitude = 0; // over the rows that count (positive weight)
        for (Eigen::Index i = 0; i < n; ++i)
            if (s.v(i) > 0)
                magnitude = std::max(magnitude, std::abs(x(i)));
        const Ld mean = centered_mean(s.v, x);
        Ld spread = 0;
        for (Eigen::Index i = 0; i < n; ++i)
            spread += s.v(i) * (x(i) - mean) * (x(i) - mean);
        spread = std::sqrt(spread);
        // The library holds a column at 0 when its computed spread is at most 8 eps times its
        // magnitude. Exactly constant columns surely are; a spread within 64 eps is a grey
        // zone (the library's double spread of a near-constant column is itself rounding).
        bool exact = true;
        Eigen::Index first = 0;
        while (s.v(first) == 0)
            ++first;
        for (Eigen::Index i = 0; i < n; ++i)
            exact = exact && (s.v(i) == 0 || x(i) == x(first));
        const bool surely_constant = exact || spread == 0;
        const bool grey = !surely_constant && !(spread > 64 * eps * magnitude);
        if (intercept)
            s.center(j) = mean;
        if (magnitude == 0 || (intercept && surely_constant)) {
            s.state[static_cast<std::size_t>(j)] = 1;
            continue;
        }
        if (grey || surely_constant)
            s.state[static_cast<std::size_t>(j)] = 2;
        if (standardize) {
            Ld rms = 0;
            for (Eigen::Index i = 0; i < n; ++i)
                rms += s.v(i) * x(i) * x(i);
            s.scale(j) = surely_constant ? std::sqrt(rms) : spread;
        }
        if (!(s.scale(j) > 0) || !std::isfinite(s.scale(j)))
            s.state[static_cast<std::size_t>(j)] = 2;
    }
    if (intercept)
        s.y_center = centered_mean(s.v, VectorL(y.template cast<Ld>()));
    return s;
}

/// KKT conditions of the elastic-net objective at (coef, intercept), in the standardized scale:
/// |g_j - l2_j b_j| <= l1_j + sqrt(2 gap c_j) + sqrt(2 gap l2_j) + rounding for every j, and
/// g_j = 0 within the same slack for unpenalized j, where g is the gradient of the data term
/// and gap <= tolerance * null deviance is what Success certifies.
template <class S>
void check_kkt(const char* where, const Eigen::Matrix<S, -1, -1>& X,
               const Eigen::Matrix<S, -1, 1>& y, const Eigen::Matrix<S, -1, 1>& w, bool intercept,
               bool standardize, double lambda, double alpha, const Eigen::VectorXd& pf,
               double tolerance, const Eigen::Matrix<S, -1, 1>& coef, S fitted_intercept) {
    const Working s = working_problem(X, y, w, intercept, standardize);
    const Eigen::Index n = X.rows(), p = X.cols();
    const VectorL beta = coef.template cast<Ld>();
    for (Eigen::Index j = 0; j < p; ++j)
        if (s.state[static_cast<std::size_t>(j)] == 1 && beta(j) != 0)
            fail(where, "a constant column has a nonzero coefficient");
    // Centered residual and its pieces.
    VectorL residual(n);
    Ld fitted_magnitude = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        Ld fit = 0, magnitude = 0;
        for (Eigen::Index j = 0; j < p; ++j) {
            const Ld term = (Ld(X(i, j)) - s.center(j)) * beta(j);
            fit += term;
            magnitude += std::abs(term);
        }
        residual(i) = (Ld(y(i)) - s.y_center) - fit;
        fitted_magnitude = std::max(fitted_magnitude, magnitude);
    }
    Ld null_deviance = 0, y_magnitude = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        null_deviance += s.v(i) * (Ld(y(i)) - s.y_center) * (Ld(y(i)) - s.y_center);
        // y itself, not only its deviation: the library's residual is rounded relative to y
        // (a y of -1e-9 varying by 1e-25 is constant to it).
        y_magnitude = std::max(y_magnitude, std::abs(Ld(y(i)) - s.y_center) + std::abs(Ld(y(i))));
    }
    const Ld gap = Ld(tolerance) * null_deviance;
    const Ld eps = std::numeric_limits<S>::epsilon();
    // Rounding of a double solve: the gradient is known to about eps times the column norm
    // times the sizes of the response and the fitted values (coefficients are rounded too).
    const Ld rounding_size = y_magnitude + fitted_magnitude;
    // Coefficients are returned in S: near the underflow limit their rounding is absolute
    // (denorm_min), not relative.
    const Ld denorm = std::numeric_limits<S>::denorm_min();
    Ld coefficient_floor = 0;
    for (Eigen::Index j = 0; j < p; ++j) {
        Ld spread = 0;
        for (Eigen::Index i = 0; i < n; ++i)
            spread = std::max(spread, std::abs(Ld(X(i, j)) - s.center(j)));
        coefficient_floor += spread * denorm;
    }
    // The library's working residual is a double: entries below its smallest normal number
    // are known only to denorm_min (data of order 1e-320 has three or four digits).
    const Ld residual_floor = std::numeric_limits<double>::denorm_min();
    for (Eigen::Index j = 0; j < p; ++j) {
        if (s.state[static_cast<std::size_t>(j)] != 0)
            continue;
        Ld g = 0, c = 0, column_magnitude = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
            const Ld a = (Ld(X(i, j)) - s.center(j)) / s.scale(j);
            g += s.v(i) * a * residual(i);
            c += s.v(i) * a * a;
            column_magnitude = std::max(column_magnitude, std::abs(a));
        }
        const Ld b = beta(j) * s.scale(j);
        // An unpenalized column has no penalty whatever lambda is (even an infinite one).
        const Ld l1 = pf(j) == 0 ? Ld(0) : Ld(lambda) * Ld(pf(j)) * Ld(alpha);
        const Ld l2 = pf(j) == 0 ? Ld(0) : Ld(lambda) * Ld(pf(j)) * (1 - Ld(alpha));
        const Ld slack = std::sqrt(2 * gap * c) + std::sqrt(2 * gap * l2) +
                         Ld(4096) * Ld(n + p) * eps *
                             (column_magnitude * rounding_size + l2 * std::abs(b) + l1) +
                         Ld(4) * Ld(n + p) *
                             (column_magnitude * (coefficient_floor + residual_floor) +
                              l2 * s.scale(j) * denorm);
        if (std::isinf(l1) || std::isinf(l2)) { // an infinite penalty: the coefficient is 0
            if (b != 0)
                fail(where, "nonzero coefficient under an infinite penalty");
            continue;
        }
        const Ld violation = std::abs(g - l2 * b) - l1;
        if (!(violation <= slack)) {
            char text[256];
            std::snprintf(text, sizeof text,
                          "KKT at column %ld: |g - l2 b| - l1 = %Lg > slack %Lg (g %Lg, b %Lg, "
                          "l1 %Lg, l2 %Lg)",
                          static_cast<long>(j), violation, slack, g, b, l1, l2);
            fail(where, text);
        }
    }
    // The intercept makes the weighted mean residual zero.
    if (intercept) {
        // A computed weighted mean is exact to eps relative to the mean of the magnitudes of
        // its terms, not to its own size (a mean of +-1e5 terms near 0 is known to 1e-11).
        auto mean_magnitude = [&](const auto& v) {
            Ld sum = 0;
            for (Eigen::Index i = 0; i < n; ++i)
                sum += s.v(i) * std::abs(Ld(v(i)));
            return sum;
        };
        Ld expected = s.y_center;
        Ld magnitude = mean_magnitude(y);
        for (Eigen::Index j = 0; j < p; ++j) {
            expected -= s.center(j) * beta(j);
            // beta was rounded to S after the library formed its intercept
            magnitude +=
                mean_magnitude(X.col(j)) * std::abs(beta(j)) + std::abs(s.center(j)) * denorm / eps;
        }
        const Ld allowed =
            Ld(64) * Ld(n + p) * eps * magnitude + std::numeric_limits<S>::denorm_min();
        if (!(std::abs(Ld(fitted_intercept) - expected) <= allowed)) {
            char text[192];
            std::snprintf(text, sizeof text,
                          "intercept is not ybar - xbar^T beta: %.17Lg, expected %.17Lg +- %Lg",
                          Ld(fitted_intercept), expected, allowed);
            fail(where, text);
        }
    }
}

template <class Prior> using Model = priorreg::MapRegression<Prior>;

template <class Prior> Model<Prior> make_model(const Case& c) {
    using S = typename Prior::Scalar;
    if constexpr (std::is_same_v<Prior, priorreg::FlatPrior<S>>) {
        return Model<Prior>();
    } else if (c.map_form) {
        const S sigma = S(c.sigma), scale = S(c.prior_scale);
        if constexpr (std::is_same_v<Prior, priorreg::ElasticNetPrior<S>>)
            return Model<Prior>(Prior(scale, scale), sigma);
        else
            return Model<Prior>(Prior(scale), sigma);
    } else if constexpr (std::is_same_v<Prior, priorreg::ElasticNetPrior<S>>) {
        return Model<Prior>(S(c.lambda), S(c.alpha));
    } else {
        return Model<Prior>(S(c.lambda));
    }
}

/// "X column j is too small" ("y is too small"): the column's (the response's) weighted spread,
/// its root mean square without an intercept, must be near or below the underflow limit of
/// squares in double.
bool legitimately_too_small(const Case& c, const std::string& message) {
    if (message.find("too small") == std::string::npos)
        return false;
    const std::string prefix = "X column ";
    const std::size_t at = message.find(prefix);
    const bool response = message.find("y is too small") != std::string::npos;
    if (at == std::string::npos && !response)
        return false;
    const long j = response ? -1 : std::strtol(message.c_str() + at + prefix.size(), nullptr, 10);
    if (!response && (j < 0 || j >= c.p))
        return false;
    // A float model sees the data rounded to float.
    auto seen = [&](const Eigen::VectorXd& v) {
        return c.single ? VectorL(v.cast<float>().cast<Ld>()) : VectorL(v.cast<Ld>());
    };
    const VectorL w = c.single ? unit_weights_as_seen<float>(c.w.cast<float>())
                               : unit_weights_as_seen<double>(c.w);
    const VectorL x = response ? seen(c.y) : seen(c.X.col(j));
    const Ld center = c.intercept ? w.dot(x) : Ld(0);
    const Ld spread = std::sqrt(w.dot((x.array() - center).square().matrix()));
    return spread < Ld(1e-150);
}

template <class Prior> void run(const Case& c) {
    using S = typename Prior::Scalar;
    using MatrixS = Eigen::Matrix<S, -1, -1>;
    using VectorS = Eigen::Matrix<S, -1, 1>;
    const MatrixS X = c.X.cast<S>();
    const VectorS y = c.y.cast<S>();
    const VectorS w = c.w.cast<S>();
    constexpr bool flat = std::is_same_v<Prior, priorreg::FlatPrior<S>>;
    const bool invalid = breaks_contract(c);

    bool threw = false;
    try {
        Model<Prior> model = make_model<Prior>(c);
        model.set_fit_intercept(c.intercept)
            .set_standardize(c.standardize)
            .set_max_iterations(c.max_iterations)
            .set_tolerance(S(c.tolerance))
            .set_solver_mode(c.mode)
            .set_threads(1);
        if (c.factors)
            model.set_penalty_factors(c.pf.cast<S>());
        if (c.weighted)
            model.fit(X, y, w);
        else
            model.fit(X, y);

        if (std::getenv("FUZZ_FIT_SHOW") != nullptr) {
            std::fprintf(stderr, "fit: status %d, iterations %d, gap %g, intercept %.17g, coef",
                         static_cast<int>(model.info()), static_cast<int>(model.iterations()),
                         double(model.duality_gap()), double(model.intercept()));
            for (Eigen::Index j = 0; j < model.coef().size(); ++j)
                std::fprintf(stderr, " %.17g", double(model.coef()(j)));
            std::fprintf(stderr, "\n");
        }
        const bool numerical_issue = model.info() == priorreg::Status::NumericalIssue;
        const bool finite = model.coef().allFinite() && std::isfinite(model.intercept());
        if (!finite && !numerical_issue)
            fail("fit", "non-finite coefficients");
        if (model.coef().size() != c.p)
            fail("fit", "coefficient count");
        if (std::isnan(model.duality_gap()))
            fail("fit", "NaN duality gap");
        const VectorS predictions = model.predict(X);
        if (predictions.size() != c.n)
            fail("predict", "size");
        if (model.info() == priorreg::Status::Success) {
            const VectorS unit = c.weighted ? w : VectorS(VectorS::Ones(c.n));
            const Eigen::VectorXd pf =
                c.factors ? c.pf : Eigen::VectorXd(Eigen::VectorXd::Ones(c.p));
            check_kkt<S>("fit", X, y, unit, c.intercept, c.standardize || flat,
                         double(model.lambda()), double(model.alpha()), pf,
                         flat ? 0.0 : double(S(c.tolerance)), model.coef(), model.intercept());
        }

        {
            // The same fit on X stored sparse (its exact zeros left out): typed errors or a
            // flagged status for what it cannot represent, never a crash or an unflagged NaN.
            const Eigen::SparseMatrix<S> sparse = X.sparseView(S(0), S(0));
            Model<Prior> on_sparse = make_model<Prior>(c);
            on_sparse.set_fit_intercept(c.intercept)
                .set_standardize(c.standardize)
                .set_max_iterations(c.max_iterations)
                .set_tolerance(S(c.tolerance))
                .set_solver_mode(c.mode)
                .set_threads(1);
            if (c.factors)
                on_sparse.set_penalty_factors(c.pf.cast<S>());
            try {
                if (c.weighted)
                    on_sparse.fit(sparse, y, w);
                else
                    on_sparse.fit(sparse, y);
                const bool sparse_finite =
                    on_sparse.coef().allFinite() && std::isfinite(on_sparse.intercept());
                if (!sparse_finite && on_sparse.info() != priorreg::Status::NumericalIssue)
                    fail("fit(sparse)", "non-finite coefficients");
                if (std::isnan(on_sparse.duality_gap()))
                    fail("fit(sparse)", "NaN duality gap");
                if (on_sparse.predict(sparse).size() != c.n)
                    fail("predict(sparse)", "size");
            } catch (const priorreg::InvalidInput&) {
                // a column or y the sparse route cannot represent: a typed error
            }
        }

        if constexpr (!flat) {
            if (c.path) {
                priorreg::PathOptions options;
                options.n_lambda = 1 + static_cast<int>(c.n % 7);
                const auto path =
                    c.weighted ? model.fit_path(X, y, w, options) : model.fit_path(X, y, options);
                const bool path_issue = path.info() == priorreg::Status::NumericalIssue;
                if (!(path.coefs().allFinite() && path.intercepts().allFinite()) && !path_issue)
                    fail("fit_path", "non-finite coefficients");
                if ((!path.lambdas().allFinite() && !path_issue) ||
                    (path.lambdas().array() < 0).any())
                    fail("fit_path", "bad lambda grid");
                for (Eigen::Index k = 1; k < path.size(); ++k)
                    if (!(path.lambdas()(k) <= path.lambdas()(k - 1)))
                        fail("fit_path", "grid not decreasing");
                if (path.duality_gaps().hasNaN())
                    fail("fit_path", "NaN duality gap");
                if (path.predict(X).cols() != path.size())
                    fail("Path::predict", "shape");
                if (path.info() == priorreg::Status::Success) {
                    const VectorS unit = c.weighted ? w : VectorS(VectorS::Ones(c.n));
                    const Eigen::VectorXd pf =
                        c.factors ? c.pf : Eigen::VectorXd(Eigen::VectorXd::Ones(c.p));
                    for (Eigen::Index k = 0; k < path.size(); ++k)
                        check_kkt<S>("fit_path", X, y, unit, c.intercept, c.standardize,
                                     double(path.lambdas()(k)), double(model.alpha()), pf,
                                     double(S(c.tolerance)), VectorS(path.coefs().col(k)),
                                     path.intercepts()(k));
                }
            }
            if (c.cv && c.n >= 2) {
                priorreg::CrossValidationOptions options;
                options.folds = 2;
                options.threads = 1;
                options.path.n_lambda = 4;
                priorreg::CrossValidation<Prior> cv(model, options);
                if (c.weighted)
                    cv.fit(X, y, w);
                else
                    cv.fit(X, y);
                if (!cv.mean_errors().allFinite() && cv.mean_errors().size() > 0) {
                    // Errors of huge predictions may overflow: only NaN is a defect.
                    if (cv.mean_errors().hasNaN() &&
                        model.info() != priorreg::Status::NumericalIssue)
                        fail("CrossValidation", "NaN mean error");
                }
            }
        }
    } catch (const priorreg::InvalidInput& error) {
        threw = true;
        const std::string message = error.what();
        const bool degenerate_cv = message.find("CrossValidation: no fold") != std::string::npos;
        if (!invalid && message.find("too large") == std::string::npos && !degenerate_cv &&
            !legitimately_too_small(c, message))
            fail("unexpected InvalidInput:", message);
    } catch (const std::exception& error) {
        fail("undocumented exception:", error.what());
    }
    if (invalid && !threw)
        fail("invalid input accepted", "");
}

/// Prints the decoded case (set FUZZ_FIT_SHOW=1 when reproducing a finding).
void show(const Case& c) {
    static const char* kinds[] = {"OLS", "Ridge", "Lasso", "ElasticNet"};
    std::fprintf(stderr,
                 "case: %s %s n=%ld p=%ld intercept=%d standardize=%d weighted=%d factors=%d "
                 "map_form=%d path=%d cv=%d mode=%d lambda=%.17g alpha=%.17g sigma=%g "
                 "prior_scale=%g max_iterations=%d tolerance=%g\n",
                 kinds[c.kind], c.single ? "float" : "double", static_cast<long>(c.n),
                 static_cast<long>(c.p), c.intercept, c.standardize, c.weighted, c.factors,
                 c.map_form, c.path, c.cv, static_cast<int>(c.mode), c.lambda, c.alpha, c.sigma,
                 c.prior_scale, c.max_iterations, c.tolerance);
    for (Eigen::Index i = 0; i < c.n; ++i) {
        std::fprintf(stderr, "  ");
        for (Eigen::Index j = 0; j < c.p; ++j)
            std::fprintf(stderr, "%-24.17g ", c.X(i, j));
        std::fprintf(stderr, "| %-24.17g w %.17g\n", c.y(i), c.w(i));
    }
    if (c.factors) {
        std::fprintf(stderr, "  penalty factors:");
        for (Eigen::Index j = 0; j < c.p; ++j)
            std::fprintf(stderr, " %g", c.pf(j));
        std::fprintf(stderr, "\n");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in(data, size);
    const Case c = decode(in);
    if (std::getenv("FUZZ_FIT_SHOW") != nullptr)
        show(c);
    switch (c.kind + (c.single ? 4 : 0)) {
    case 0:
        run<priorreg::FlatPrior<double>>(c);
        break;
    case 1:
        run<priorreg::GaussianPrior<double>>(c);
        break;
    case 2:
        run<priorreg::LaplacePrior<double>>(c);
        break;
    case 3:
        run<priorreg::ElasticNetPrior<double>>(c);
        break;
    case 4:
        run<priorreg::FlatPrior<float>>(c);
        break;
    case 5:
        run<priorreg::GaussianPrior<float>>(c);
        break;
    case 6:
        run<priorreg::LaplacePrior<float>>(c);
        break;
    default:
        run<priorreg::ElasticNetPrior<float>>(c);
        break;
    }
    return 0;
}
