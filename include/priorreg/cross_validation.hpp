#ifndef PRIORREG_CROSS_VALIDATION_HPP
#define PRIORREG_CROSS_VALIDATION_HPP

/// \file cross_validation.hpp
/// \brief K-fold cross-validation over a regularization path: mean error and its standard
/// error per \f$\lambda\f$, \f$\lambda_{\min}\f$ and \f$\lambda_{1se}\f$, and the refit.

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "map_regression.hpp"
#include "path.hpp"
#include "status.hpp"

namespace priorreg {

/// How a held-out prediction error is measured.
enum class ErrorMeasure {
    mse, ///< mean squared error
    mae  ///< mean absolute error
};

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
    /// Called after each (fold, lambda index) solution; return false to cancel. May be called
    /// from several threads, one call at a time.
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
} // namespace detail

/// \brief K-fold cross-validation of any `MapRegression` over its regularization path.
///
/// The grid comes from the path on all rows; each fold's model is the path on the other rows
/// with that grid, scored on the held-out rows. Per fold the weighted mean error is taken; the
/// CV error is the weighted mean of the fold errors (weights: the folds' total observation
/// weight) and its standard error \f$\sqrt{\sum_k w_k (e_k - \bar e)^2 / \sum_k w_k / (K-1)}\f$,
/// as glmnet computes them. Results do not depend on the thread count.
template <class Prior> class CrossValidation {
public:
    using Scalar = typename Prior::Scalar;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using IndexVector = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1>;

    explicit CrossValidation(const MapRegression<Prior>& model,
                             CrossValidationOptions options = CrossValidationOptions())
        : model_(model), options_(std::move(options)) {}

    template <class DX, class DY>
    CrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y) {
        return fit(X, y, Vector::Ones(X.rows()));
    }

    template <class DX, class DY, class DW>
    CrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                         const Eigen::MatrixBase<DW>& w) {
        using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
        detail::require_training_data(X, y);
        detail::require_weights(w, X.rows());
        const Eigen::Index n = X.rows();
        const std::vector<int> ids = fold_assignment(n);
        const int K = *std::max_element(ids.begin(), ids.end()) + 1;

        const Matrix Xe = X;
        const Vector ye = y, we = w;
        const auto full = model_.fit_path(Xe, ye, we, options_.path);
        lambdas_ = full.lambdas();
        nonzeros_ = full.df();
        const Eigen::Index L = lambdas_.size();
        PathOptions grid;
        grid.lambdas.assign(lambdas_.data(), lambdas_.data() + L);

        // Per fold: weighted mean error per lambda (K x L) and the fold's weight.
        Matrix fold_errors = Matrix::Zero(K, L);
        Vector fold_weights = Vector::Zero(K);
        std::vector<char> finished(static_cast<std::size_t>(K), 0);
        cancelled_ = false;
        std::mutex progress_lock;
        auto run_fold = [&](int fold) {
            std::vector<Eigen::Index> train, test;
            for (Eigen::Index i = 0; i < n; ++i)
                (ids[static_cast<std::size_t>(i)] == fold ? test : train).push_back(i);
            if (test.empty() || train.size() < 2)
                return;
            Matrix Xt(static_cast<Eigen::Index>(train.size()), X.cols());
            Vector yt(Xt.rows()), wt(Xt.rows());
            for (Eigen::Index r = 0; r < Xt.rows(); ++r) {
                Xt.row(r) = Xe.row(train[static_cast<std::size_t>(r)]);
                yt(r) = ye(train[static_cast<std::size_t>(r)]);
                wt(r) = we(train[static_cast<std::size_t>(r)]);
            }
            MapRegression<Prior> fold_model = model_;
            fold_model.set_threads(1);
            const auto path = fold_model.fit_path(Xt, yt, wt, grid);
            Matrix held_out(static_cast<Eigen::Index>(test.size()), X.cols());
            for (Eigen::Index r = 0; r < held_out.rows(); ++r)
                held_out.row(r) = Xe.row(test[static_cast<std::size_t>(r)]);
            const Matrix predictions = path.predict(held_out); // n_test x L
            Scalar total = 0;
            for (Eigen::Index r = 0; r < held_out.rows(); ++r) {
                const Eigen::Index i = test[static_cast<std::size_t>(r)];
                for (Eigen::Index l = 0; l < L; ++l) {
                    const Scalar e = ye(i) - predictions(r, l);
                    fold_errors(fold, l) +=
                        we(i) * (options_.measure == ErrorMeasure::mse ? e * e : std::abs(e));
                }
                total += we(i);
            }
            if (total > 0)
                fold_errors.row(fold) /= total;
            fold_weights(fold) = total;
            finished[static_cast<std::size_t>(fold)] = 1;
            if (options_.progress) {
                std::lock_guard<std::mutex> guard(progress_lock);
                for (Eigen::Index l = 0; l < L && !cancelled_; ++l)
                    if (!options_.progress(l, fold))
                        cancelled_ = true;
            }
        };
        const int threads =
            options_.threads > 0
                ? options_.threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        std::atomic<int> next{0};
        auto worker = [&] {
            for (int fold = next++; fold < K && !cancelled_; fold = next++)
                run_fold(fold);
        };
        std::vector<std::thread> pool;
        for (int t = 1; t < std::min(threads, K); ++t)
            pool.emplace_back(worker);
        worker();
        for (auto& thread : pool)
            thread.join();
        if (cancelled_) {
            fitted_ = false;
            return *this;
        }

        // Aggregate in fold order (independent of which thread ran which fold).
        const Scalar weight_sum = fold_weights.sum();
        mean_errors_.resize(L);
        standard_errors_.resize(L);
        int used = 0;
        for (int k = 0; k < K; ++k)
            used += finished[static_cast<std::size_t>(k)] ? 1 : 0;
        for (Eigen::Index l = 0; l < L; ++l) {
            Scalar mean = 0;
            for (int k = 0; k < K; ++k)
                mean += fold_weights(k) * fold_errors(k, l);
            mean /= weight_sum;
            Scalar spread = 0;
            for (int k = 0; k < K; ++k)
                spread += fold_weights(k) * (fold_errors(k, l) - mean) * (fold_errors(k, l) - mean);
            mean_errors_(l) = mean;
            standard_errors_(l) = used > 1 ? std::sqrt(spread / weight_sum / Scalar(used - 1)) : 0;
        }
        mean_errors_.minCoeff(&index_min_);
        const Scalar bound = mean_errors_(index_min_) + standard_errors_(index_min_);
        index_1se_ = index_min_;
        for (Eigen::Index l = 0; l <= index_min_; ++l)
            if (mean_errors_(l) <= bound) {
                index_1se_ = l; // lambdas decrease: the first within bound is the largest
                break;
            }
        chosen_ = full.model(options_.choice == LambdaChoice::min ? index_min_ : index_1se_);
        fitted_ = true;
        return *this;
    }

    const Vector& lambdas() const { return require(lambdas_); }
    const Vector& mean_errors() const { return require(mean_errors_); }
    const Vector& standard_errors() const { return require(standard_errors_); }
    const IndexVector& nonzeros() const {
        require(lambdas_);
        return nonzeros_;
    }
    Scalar lambda_min() const { return require(lambdas_)(index_min_); }
    Scalar lambda_1se() const { return require(lambdas_)(index_1se_); }
    Eigen::Index index_min() const {
        require(lambdas_);
        return index_min_;
    }
    Eigen::Index index_1se() const {
        require(lambdas_);
        return index_1se_;
    }
    /// The model refit on all rows at the chosen lambda (`options.choice`).
    const MapRegression<Prior>& model() const {
        require(lambdas_);
        return chosen_;
    }
    /// True when the progress callback cancelled the last fit (no results then).
    bool cancelled() const { return cancelled_; }

private:
    const Vector& require(const Vector& value) const {
        if (!fitted_)
            throw NotFitted("CrossValidation: results requested before a completed fit");
        return value;
    }

    std::vector<int> fold_assignment(Eigen::Index n) const {
        if (!options_.fold_ids.empty()) {
            if (static_cast<Eigen::Index>(options_.fold_ids.size()) != n)
                throw InvalidInput("CrossValidation: fold_ids has " +
                                   std::to_string(options_.fold_ids.size()) + " entries for " +
                                   std::to_string(n) + " rows");
            const int top = *std::max_element(options_.fold_ids.begin(), options_.fold_ids.end());
            for (const int id : options_.fold_ids)
                if (id < 0)
                    throw InvalidInput("CrossValidation: fold ids must be >= 0");
            if (top < 1)
                throw InvalidInput("CrossValidation: fold_ids name fewer than 2 folds");
            return options_.fold_ids;
        }
        if (options_.folds < 2 || options_.folds > n)
            throw InvalidInput("CrossValidation: folds must lie in [2, n]");
        return detail::assign_folds(n, options_.folds, options_.seed);
    }

    MapRegression<Prior> model_;
    CrossValidationOptions options_;
    MapRegression<Prior> chosen_;
    Vector lambdas_, mean_errors_, standard_errors_;
    IndexVector nonzeros_;
    Eigen::Index index_min_ = 0, index_1se_ = 0;
    bool fitted_ = false;
    std::atomic<bool> cancelled_{false};
};

} // namespace priorreg

#endif // PRIORREG_CROSS_VALIDATION_HPP
