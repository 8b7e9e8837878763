#ifndef PRIORREG_PATH_OPTIONS_HPP
#define PRIORREG_PATH_OPTIONS_HPP

/// \file path_options.hpp
/// \brief What a regularization path is asked for: the options that define its \f$\lambda\f$
/// grid, how it answers between grid points, and where a \f$\lambda\f$ falls on the grid.

#include <Eigen/Core>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "detail/validate.hpp"
#include "solvers/path_driver.hpp"
#include "status.hpp"

namespace priorreg {

/// \brief The \f$\lambda\f$ grid of a path.
///
/// By default `n_lambda` values log-spaced from \f$\lambda_{\max}\f$ (the smallest
/// \f$\lambda\f$ whose solution is all zero) down to `lambda_min_ratio` times it. An explicit,
/// strictly decreasing `lambdas` overrides both.
struct PathOptions {
    int n_lambda = 100; ///< number of grid points (>= 1)
    /// In (0, 1); negative (the default): glmnet's 1e-4 if n > p, else 1e-2, and with
    /// alpha < 1 down to where the quadratic part of the penalty, lambda (1 - alpha), is a
    /// thousandth of the smallest nonzero eigenvalue of the standardized (penalized) Gram at
    /// least: the least-squares end for n > p, the minimum-norm interpolation for p > n
    /// (solvers/path_driver.hpp), but with alpha > 0 not below 1e-8. That end is computed
    /// where the system has at most 2000 rows and columns (p for n > p, else n); larger
    /// systems keep glmnet's ratio.
    double lambda_min_ratio = -1.0;
    std::vector<double> lambdas; ///< explicit grid, strictly decreasing, each >= 0
    /// Called after each solved lambda with its index; returning false stops the path there
    /// (the returned path then ends at that lambda). For progress reports and cancellation.
    std::function<bool(Eigen::Index)> progress;
    /// The path keeps its working copy of the data (the standardized n x p design, or the
    /// p x p Gram of a path fitted from statistics) for exact solutions between its lambdas
    /// (`Path::coef_at`). The copy exists while the path is fitted either way; false frees it
    /// when the path is returned, and `PathLookup::exact` is then refused. A path on a sparse X
    /// has no working copy of it: it keeps a copy of X itself (its Gram in covariance mode),
    /// which false saves.
    bool keep_data = true;
};

/// How `Path::coef_at`, `intercept_at` and `predict_at` answer at a lambda that is not on the
/// grid.
enum class PathLookup {
    /// The solution at that lambda: a refit on the data the path kept, warm-started from the
    /// path's nearest solution and certified by its duality gap as the path is (glmnet's
    /// `exact = TRUE`).
    exact,
    /// Linear interpolation in lambda between the two neighbouring solutions, the end
    /// solutions beyond the grid (glmnet's default). Not a solution of the problem at that
    /// lambda: on the diabetes data, Lasso coefficients up to 1.1 % of the path's largest off
    /// the exact ones (bench/path_lookup.cpp).
    linear,
};

namespace detail {
/// The grid `options` ask for on data of n rows and p columns, validated.
template <class T>
GridRequest<T> grid_request(const PathOptions& options, Eigen::Index n, Eigen::Index p) {
    GridRequest<T> grid;
    if (!options.lambdas.empty()) {
        grid.explicit_lambdas.resize(static_cast<Eigen::Index>(options.lambdas.size()));
        for (std::size_t k = 0; k < options.lambdas.size(); ++k) {
            const double value = options.lambdas[k];
            require_nonnegative_finite(value, "PathOptions::lambdas");
            if (k > 0 && !(value < options.lambdas[k - 1]))
                throw InvalidInput("PathOptions::lambdas must be strictly decreasing (entry " +
                                   std::to_string(k) + ")");
            grid.explicit_lambdas(static_cast<Eigen::Index>(k)) = T(value);
        }
    } else {
        if (options.n_lambda < 1)
            throw InvalidInput("PathOptions::n_lambda must be at least 1");
        const double ratio =
            options.lambda_min_ratio < 0 ? (n > p ? 1e-4 : 1e-2) : options.lambda_min_ratio;
        if (!(ratio > 0 && ratio < 1))
            throw InvalidInput("PathOptions::lambda_min_ratio must lie in (0, 1)");
        grid.count = options.n_lambda;
        grid.min_ratio = T(ratio);
        grid.default_ratio = options.lambda_min_ratio < 0;
    }
    grid.progress = options.progress;
    return grid;
}
} // namespace detail

/// Where a \f$\lambda\f$ falls on a decreasing grid, for linear interpolation in \f$\lambda\f$
/// (glmnet's rule): the value there is `1 - share` times the one at `upper` plus `share` times
/// the one at `upper + 1`; beyond the grid it is the end's (`share` 0).
template <class Scalar> struct GridBracket {
    Eigen::Index upper = 0;
    Scalar share = Scalar(0);
};

/// The bracket of `lambda` on the decreasing, non-empty grid `lambdas`.
template <class Derived>
GridBracket<typename Derived::Scalar> bracket_on_grid(const Eigen::MatrixBase<Derived>& lambdas,
                                                      typename Derived::Scalar lambda) {
    using Scalar = typename Derived::Scalar;
    const Eigen::Index L = lambdas.size();
    if (L == 0)
        throw InvalidInput("bracket_on_grid: the grid is empty");
    if (std::isnan(lambda))
        throw InvalidInput("bracket_on_grid: lambda is NaN");
    if (!(lambda < lambdas(0)))
        return {0, Scalar(0)};
    if (!(lambda > lambdas(L - 1)))
        return {L - 1, Scalar(0)};
    Eigen::Index k = 0;
    while (!(lambdas(k + 1) < lambda))
        ++k;
    return {k, (lambdas(k) - lambda) / (lambdas(k) - lambdas(k + 1))};
}

} // namespace priorreg

#endif // PRIORREG_PATH_OPTIONS_HPP
