// A user-defined separable prior, written outside the library: the exponential (one-sided
// Laplace) prior p(beta) = exp(-beta / b) / b on beta >= 0. Its MAP estimate is the
// non-negative Lasso. Nothing in priorreg knows about it; MapRegression takes it as it takes
// the built-in priors, through the members of the prior contract (priors/prior_contract.hpp),
// and priorreg::check_prior verifies its maths.
#ifndef PRIORREG_EXAMPLES_NON_NEGATIVE_LAPLACE_PRIOR_HPP
#define PRIORREG_EXAMPLES_NON_NEGATIVE_LAPLACE_PRIOR_HPP

#include <algorithm>
#include <cmath>
#include <limits>

#include <priorreg/priorreg.hpp>

struct NonNegativeLaplacePrior {
    using Scalar = double;
    double b = 1.0; ///< prior scale

    /// Penalty of one coefficient: l1 beta + l2 beta^2 / 2 on beta >= 0, infinite below (also
    /// where both weights are 0: an unpenalized coefficient keeps its sign constraint).
    template <class T> T penalty(T beta, const priorreg::CoordinatePenalty<T>& w) const {
        return beta < T(0) ? std::numeric_limits<T>::infinity()
                           : w.l1 * beta + T(0.5) * w.l2 * beta * beta;
    }
    /// argmin over beta >= 0 of c/2 beta^2 - z beta + penalty(beta).
    template <class T>
    T proximal_step(T z, T curvature, const priorreg::CoordinatePenalty<T>& w) const {
        return std::max(z - w.l1, T(0)) / (curvature + w.l2);
    }
    /// sup over beta >= 0 of u beta - penalty(beta).
    template <class T> T conjugate(T u, const priorreg::CoordinatePenalty<T>& w) const {
        const T excess = std::max(u - w.l1, T(0));
        return w.l2 > T(0) ? excess * excess / (T(2) * w.l2) : T(0);
    }
    /// Largest s in [0, 1] with conjugate(s u) finite.
    template <class T> T dual_scale(T u, const priorreg::CoordinatePenalty<T>& w) const {
        return (w.l2 > T(0) || u <= w.l1) ? T(1) : w.l1 / u;
    }
    /// Zero is optimal once l1 reaches the positive part of the gradient.
    template <class T> T zero_threshold(T gradient, const priorreg::CoordinatePenalty<T>&) const {
        return std::max(gradient, T(0));
    }
    template <class Derived> double log_density(const Eigen::MatrixBase<Derived>& beta) const {
        if ((beta.array() < 0).any())
            return -std::numeric_limits<double>::infinity();
        return -beta.sum() / b - static_cast<double>(beta.size()) * std::log(b);
    }
    /// MAP form: lambda = sigma^2 / (n b), all of it L1.
    priorreg::PenaltyParameters<double> penalty_parameters(double sigma, double n) const {
        return {sigma * sigma / (n * b), 1.0};
    }
};

#endif
