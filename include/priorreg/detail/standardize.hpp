#ifndef PRIORREG_DETAIL_STANDARDIZE_HPP
#define PRIORREG_DETAIL_STANDARDIZE_HPP

/// \file standardize.hpp
/// \brief Weighted centering and scaling of the design, and the way back to the original scale.
///
/// Every solver works on the weighted, centered, scaled problem
/// \f[ \min_{\tilde\beta} \tfrac12\|b - A\tilde\beta\|^2 + \sum_j \psi_j(\tilde\beta_j),\quad
///     A_{ij} = \sqrt{v_i}\,(x_{ij} - \bar x_j)/s_j,\quad b_i = \sqrt{v_i}\,(y_i - \bar y), \f]
/// with \f$v = w/\sum w\f$. Then \f$\tfrac12\|b - A\tilde\beta\|^2\f$ equals the data term
/// \f$\frac{1}{2\sum w}\sum_i w_i (y_i - \beta_0 - x_i^T\beta)^2\f$ at the optimal intercept,
/// \f$\beta_j = \tilde\beta_j / s_j\f$ and \f$\beta_0 = \bar y - \bar x^T\beta\f$.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

#include "memory.hpp"
#include "numeric.hpp"
#include "parallel.hpp"
#include "validate.hpp"

namespace priorreg::detail {

/// True when a column's spread is at the rounding level of its magnitude: it is constant.
template <class T> bool is_negligible_spread(T spread, T magnitude) {
    return !(spread > T(8) * std::numeric_limits<T>::epsilon() * magnitude);
}

/// The weighted, centered, scaled problem and the statistics to undo it.
template <class T> struct StandardizedProblem {
    Matrix<T> design;    ///< A: n x p working copy
    Vector<T> response;  ///< b
    Vector<T> x_center;  ///< column means (0 without intercept)
    Vector<T> x_scale;   ///< column scales s_j (1 without standardization)
    T y_center = T(0);   ///< weighted mean of y (0 without intercept)
    Vector<T> curvature; ///< c_j = ||A_j||^2; 0 marks a column held at coefficient 0
    T null_deviance = 0; ///< ||b||^2: the weighted mean squared deviation of y
    /// y varies but ||b||^2 underflows: too small for a solver that works with squares.
    bool response_underflows = false;
    /// Optional sufficient statistics in place of `design` (covariance mode only): the Gram
    /// A^T A (p x p) and A^T b. Cross-validation builds them by downdating the full data's.
    Matrix<T> gram;
    Vector<T> correlation;
};

/// Builds the working problem. A column whose weighted spread is at rounding level is
/// constant: with an intercept its coefficient is 0; without one it is scaled by its root mean
/// square (and held at 0 if it is all zero). Columns are spread over `threads` threads; each
/// column's result does not depend on it.
template <class T, class DX, class DY>
StandardizedProblem<T> standardize(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                                   const Vector<T>& unit_weights, bool fit_intercept,
                                   bool scale_columns, int threads = 1) {
    const Eigen::Index n = X.rows(), p = X.cols();
    StandardizedProblem<T> problem;
    const Vector<T> root_weights = unit_weights.cwiseSqrt();
    const bool uniform = (unit_weights.array() == unit_weights(0)).all();
    problem.design.resize(n, p);
    advise_huge_pages(problem.design.data(), problem.design.size() * sizeof(T));
    problem.x_center = Vector<T>::Zero(p);
    problem.x_scale = Vector<T>::Ones(p);
    problem.curvature = Vector<T>::Zero(p);

    // Columns whose squares (or differences) could leave the floating-point range are divided
    // by their magnitude before anything else: dividing, since the reciprocal of a subnormal
    // magnitude overflows.
    const auto counted = (unit_weights.array() > T(0)).eval(); // rows that take part
    Eigen::Index first_counted = 0;
    while (!counted(first_counted))
        ++first_counted;
    auto in_safe_range = [](T magnitude) { return magnitude > T(1e-100) && magnitude < T(1e100); };
    // Weighted mean of x, whose largest magnitude is `magnitude`, without overflow. Outside
    // the safe range it is summed in a wider type where there is one: divided by the
    // magnitude, entries 1e300 times smaller than the largest would become subnormal and lose
    // their digits, and the mean may be of their size (a heavy row near 0 beside light rows
    // near 1e300).
    auto weighted_mean = [&](const Vector<T>& x, T magnitude) {
        if (magnitude == T(0) || in_safe_range(magnitude))
            return unit_weights.dot(x);
        if constexpr (has_wider_long_double<T>) {
            long double sum = 0;
            for (Eigen::Index i = 0; i < n; ++i)
                if (counted(i))
                    sum += static_cast<long double>(unit_weights(i)) * x(i);
            return static_cast<T>(sum);
        }
        return magnitude *
               counted.select(unit_weights.array() * (x.array() / magnitude), T(0)).sum();
    };
    // Weighted norm of (x - shift), accurate near the overflow and underflow limits. Rows of
    // weight 0 are left out, not multiplied by 0: their squares may overflow (0 * inf = NaN).
    auto weighted_norm = [&](const auto& x, T shift, T magnitude) {
        if (in_safe_range(magnitude)) {
            return std::sqrt(
                uniform ? (x.array() - shift).square().sum() * unit_weights(0)
                        : counted.select(unit_weights.array() * (x.array() - shift).square(), T(0))
                              .sum());
        }
        const auto reduced = x.array() / magnitude - shift / magnitude;
        return magnitude *
               std::sqrt(counted.select(unit_weights.array() * reduced.square(), T(0)).sum());
    };

    // Each column is first copied to an aligned buffer: the vectorized sums below then add in
    // the same order wherever the caller's data lies (results are bit-identical for a copy at
    // another address). One buffer per thread for all its columns: a fresh one per column
    // would be mapped and page-faulted anew each time once columns are large.
    const auto standardize_columns = [&](Eigen::Index begin, Eigen::Index end) {
        Vector<T> x(n);
        for (Eigen::Index j = begin; j < end; ++j) {
            x = X.col(j).template cast<T>();
            auto column = problem.design.col(j);
            // Rows of weight 0 do not take part: they must not set the scale of "constant".
            const T magnitude =
                uniform ? x.cwiseAbs().maxCoeff() : counted.select(x.cwiseAbs(), T(0)).maxCoeff();
            // An exactly constant column is constant whatever the rounding of the weights (their
            // sum is 1 only to rounding, which would give it a spread of eps times its size).
            const bool exactly_constant = counted.select(x.array() == x(first_counted), true).all();
            const T mean = exactly_constant                      ? x(first_counted)
                           : uniform && in_safe_range(magnitude) ? x.sum() * unit_weights(0)
                                                                 : weighted_mean(x, magnitude);
            // The deviations are taken from `shift`, over entries of size `deviation_magnitude`.
            T shift = mean, deviation_magnitude = magnitude, center = fit_intercept ? mean : T(0);
            if (fit_intercept && !exactly_constant &&
                magnitude <= std::numeric_limits<T>::max() / T(4)) {
                // The mean is rounded by up to eps |mean|. For a column that varies in its
                // 10th digit (timestamps) that is 1e-6 of its spread: centered on it, the
                // column would keep a constant part of that size, which the intercept does
                // not absorb, and a fit would be tilted by it. So the mean of the deviations
                // (each exact where x is within a factor 2 of the mean) is removed as well.
                if (uniform)
                    x.array() -= mean;
                else // a weightless row's difference may overflow, and it takes no part
                    x = counted.select(x.array() - mean, T(0));
                const T first = counted.select(x.cwiseAbs(), T(0)).maxCoeff();
                const T correction = first > T(0) ? weighted_mean(x, first) : T(0);
                x.array() -= correction;
                center = mean + correction;
                shift = T(0);
                deviation_magnitude = counted.select(x.cwiseAbs(), T(0)).maxCoeff();
            }
            const T spread = deviation_magnitude > T(0) && !exactly_constant
                                 ? weighted_norm(x, shift, deviation_magnitude)
                                 : T(0);
            const bool constant = is_negligible_spread(spread, magnitude);
            problem.x_center(j) = center;
            if (constant && (fit_intercept || magnitude == T(0))) {
                column.setZero();
                continue;
            }
            T scale = T(1);
            if (scale_columns) {
                scale = constant ? weighted_norm(x, T(0), magnitude) : spread;
                require_normal_scale(j, scale);
            }
            problem.x_scale(j) = scale;
            const T column_shift = fit_intercept ? shift : T(0);
            if (!in_safe_range(deviation_magnitude))
                column = counted.select((x.array() / scale - column_shift / scale) *
                                            root_weights.array(),
                                        T(0)); // a weightless row's quotient may overflow
            else if (uniform)
                column = (x.array() - column_shift) * (root_weights(0) / scale);
            else
                column = ((x.array() - column_shift) * root_weights.array()) * (T(1) / scale);
            problem.curvature(j) = column.squaredNorm();
            require_normal_curvature(j, problem.curvature(j));
        }
    };
    // A column costs a few passes over its n entries.
    parallel_chunks(p, threads_for(4.0 * static_cast<double>(n) * static_cast<double>(p), threads),
                    standardize_columns);

    const Vector<T> response = y.template cast<T>();
    const T y_magnitude = counted.select(response.cwiseAbs(), T(0)).maxCoeff();
    const bool y_exactly_constant =
        counted.select(response.array() == response(first_counted), true).all();
    problem.y_center = !fit_intercept       ? T(0)
                       : y_exactly_constant ? response(first_counted)
                                            : weighted_mean(response, y_magnitude);
    problem.response = (root_weights.array() * (response.array() - problem.y_center)).matrix();
    problem.null_deviance = problem.response.squaredNorm();
    // A response whose spread is at rounding level is constant, as for columns: otherwise the
    // rounding of its mean would be fitted (a path would start at a lambda_max of 1e-17). The
    // spread is recomputed without underflow or overflow when the null deviance is not a
    // normal number.
    const bool normal_deviance = problem.null_deviance >= std::numeric_limits<T>::min() &&
                                 problem.null_deviance <= std::numeric_limits<T>::max();
    const T y_spread = normal_deviance      ? std::sqrt(problem.null_deviance)
                       : y_magnitude > T(0) ? weighted_norm(response, problem.y_center, y_magnitude)
                                            : T(0);
    if (fit_intercept && is_negligible_spread(y_spread, y_magnitude)) {
        problem.response.setZero();
        problem.null_deviance = T(0);
    } else {
        problem.response_underflows =
            y_spread > T(0) && problem.null_deviance < std::numeric_limits<T>::min();
    }
    return problem;
}

/// Original-scale coefficients and intercept from the working-scale coefficients.
template <class T>
void back_transform(const StandardizedProblem<T>& problem, const Vector<T>& working_coef,
                    Vector<T>& coef, T& intercept) {
    coef = working_coef.cwiseQuotient(problem.x_scale);
    for (Eigen::Index j = 0; j < coef.size(); ++j)
        if (problem.curvature(j) == T(0))
            coef(j) = T(0);
    intercept = problem.y_center - problem.x_center.dot(coef);
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_STANDARDIZE_HPP
