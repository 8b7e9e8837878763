#ifndef PRIORREG_SELECTION_FOLDS_HPP
#define PRIORREG_SELECTION_FOLDS_HPP

/// \file folds.hpp
/// \brief The options of cross-validation and what every cross-validation shares: the folds,
/// the fold grid, and the aggregation of fold errors into a CV error, its standard error and
/// the one-standard-error choice (used by `CrossValidation`, `RelaxedCrossValidation` and
/// `MultiTaskCrossValidation`).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "../detail/validate.hpp"
#include "../path.hpp"
#include "../status.hpp"
#include "error_measure.hpp"

namespace priorreg {

/// Which \f$\lambda\f$ the refit uses.
enum class LambdaChoice {
    min,   ///< the smallest mean error
    one_se ///< the largest \f$\lambda\f$ within one standard error of the minimum (glmnet's)
};

/// \brief Options of `CrossValidation`.
struct CrossValidationOptions {
    int folds = 10;            ///< K >= 2 (ignored when `fold_ids` is given)
    std::uint64_t seed = 1;    ///< seed of the fold assignment
    std::vector<int> fold_ids; ///< optional: fold 0..K-1 of every row
    ErrorMeasure measure = ErrorMeasure::mse;
    LambdaChoice choice = LambdaChoice::min;
    PathOptions path; ///< the grid; computed once on all rows
    int threads = 0;  ///< folds run in parallel; 0 = all hardware threads
    /// Called after each lambda of each fold's path with (lambda index, fold); return false to
    /// cancel (the running paths stop at their next lambda). Calls come from the fold threads,
    /// one at a time.
    std::function<bool(Eigen::Index lambda_index, int fold)> progress;
};

namespace detail {
/// Balanced fold labels 0..K-1 in a seeded random order (Fisher-Yates with our own uniform
/// draw, so the assignment is the same with every standard library).
inline std::vector<int> assign_folds(Eigen::Index n, int folds, std::uint64_t seed) {
    std::vector<int> ids(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i)
        ids[static_cast<std::size_t>(i)] = static_cast<int>(i % folds);
    std::mt19937_64 rng(seed);
    for (std::size_t i = ids.size(); i > 1; --i) {
        const std::uint64_t bound = i, limit = UINT64_MAX - UINT64_MAX % bound;
        std::uint64_t draw;
        do
            draw = rng();
        while (draw >= limit);
        std::swap(ids[i - 1], ids[static_cast<std::size_t>(draw % bound)]);
    }
    return ids;
}

/// The fold of every row: `options.fold_ids` checked, or a seeded balanced assignment.
inline std::vector<int> fold_assignment(const CrossValidationOptions& options, Eigen::Index n,
                                        const char* caller) {
    const std::string who = caller;
    if (!options.fold_ids.empty()) {
        if (static_cast<Eigen::Index>(options.fold_ids.size()) != n)
            throw InvalidInput(who + ": fold_ids has " + std::to_string(options.fold_ids.size()) +
                               " entries for " + std::to_string(n) + " rows");
        for (const int id : options.fold_ids)
            if (id < 0)
                throw InvalidInput(who + ": fold ids must be >= 0");
        if (*std::max_element(options.fold_ids.begin(), options.fold_ids.end()) < 1)
            throw InvalidInput(who + ": fold_ids name fewer than 2 folds");
        return options.fold_ids;
    }
    if (options.folds < 2 || options.folds > n)
        throw InvalidInput(who + ": folds must lie in [2, n]");
    return assign_folds(n, options.folds, options.seed);
}

/// The distinct values of a decreasing grid (it can repeat a value: all zero when y is
/// constant, neighbours that round together in float), which a fold's explicit grid must be,
/// and for each grid index the position of its value among them.
template <class V>
void distinct_grid(const V& lambdas, std::vector<double>& distinct,
                   std::vector<Eigen::Index>& column_of) {
    distinct.clear();
    column_of.resize(static_cast<std::size_t>(lambdas.size()));
    for (Eigen::Index l = 0; l < lambdas.size(); ++l) {
        if (l == 0 || static_cast<double>(lambdas(l)) < distinct.back())
            distinct.push_back(static_cast<double>(lambdas(l)));
        column_of[static_cast<std::size_t>(l)] = static_cast<Eigen::Index>(distinct.size()) - 1;
    }
}

/// The training and held-out rows of fold `fold`.
inline void fold_rows(const std::vector<int>& ids, int fold, std::vector<Eigen::Index>& train,
                      std::vector<Eigen::Index>& test) {
    train.clear();
    test.clear();
    for (std::size_t i = 0; i < ids.size(); ++i)
        (ids[i] == fold ? test : train).push_back(static_cast<Eigen::Index>(i));
}

/// Per column of `errors` (folds x candidates, each fold's mean held-out loss), the CV error:
/// the mean of the fold errors weighted by `weights` (the folds' total observation weight; 0
/// for a fold that was not scored), and its standard error \f$\sqrt{\sum_k w_k (e_k - \bar
/// e)^2 / \sum_k w_k / (K-1)}\f$ over the K scored folds, as glmnet computes them (infinite
/// where the mean is not finite).
template <class Scalar, class ME, class VW>
void fold_means(const ME& errors, const VW& weights, Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& mean,
                Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& standard_error) {
    const Scalar weight_sum = weights.sum();
    int used = 0;
    for (Eigen::Index k = 0; k < weights.size(); ++k)
        used += weights(k) > 0 ? 1 : 0;
    mean.resize(errors.cols());
    standard_error.resize(errors.cols());
    for (Eigen::Index c = 0; c < errors.cols(); ++c) {
        Scalar m = 0, spread = 0;
        for (Eigen::Index k = 0; k < weights.size(); ++k)
            m += weights(k) * errors(k, c);
        m /= weight_sum;
        for (Eigen::Index k = 0; k < weights.size(); ++k)
            spread += weights(k) * (errors(k, c) - m) * (errors(k, c) - m);
        mean(c) = m;
        standard_error(c) = !std::isfinite(m) ? std::numeric_limits<Scalar>::infinity()
                            : used > 1        ? std::sqrt(spread / weight_sum / Scalar(used - 1))
                                              : Scalar(0);
    }
}

/// The one-standard-error choice on a decreasing grid: the first (largest) lambda up to
/// `index_min` whose error is within one standard error of the minimum's.
template <class V>
Eigen::Index one_standard_error(const V& mean, const V& se, Eigen::Index index_min) {
    const auto bound = mean(index_min) + se(index_min);
    for (Eigen::Index l = 0; l <= index_min; ++l)
        if (mean(l) <= bound)
            return l;
    return index_min;
}

/// The worse of two statuses: NumericalIssue over NoConvergence over Success.
inline Status worse(Status a, Status b) {
    auto rank = [](Status s) {
        return s == Status::NumericalIssue ? 2 : s == Status::NoConvergence ? 1 : 0;
    };
    return rank(a) >= rank(b) ? a : b;
}
} // namespace detail

/// \brief The fold of each of `n` rows that `CrossValidation` and `select_alpha` use for
/// `folds` and `seed` (when no `fold_ids` are given): labels 0..folds-1, balanced (sizes differ
/// by at most one), in a seeded random order that is the same on every platform and standard
/// library. Pass them on as `CrossValidationOptions::fold_ids`, or to another tool (glmnet's
/// `foldid` after adding 1), to reproduce the folds elsewhere.
inline std::vector<int> make_folds(Eigen::Index n, int folds, std::uint64_t seed = 1) {
    if (folds < 2 || folds > n)
        throw InvalidInput("make_folds: folds must lie in [2, n]");
    return detail::assign_folds(n, folds, seed);
}

} // namespace priorreg

#endif // PRIORREG_SELECTION_FOLDS_HPP
