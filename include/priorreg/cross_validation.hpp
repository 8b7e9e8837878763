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
#include <cstdio>
#include <exception>
#include <functional>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "detail/memory.hpp"
#include "detail/parallel.hpp"
#include "detail/standardize.hpp"
#include "map_regression.hpp"
#include "path.hpp"
#include "priors/elastic_net_prior.hpp"
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

/// Weighted cross-products about fixed centers over a set of rows:
/// \f$\sum w (x-\mu)(x-\mu)^T\f$, \f$\sum w (x-\mu)(y-\bar y)\f$, \f$\sum w (y-\bar y)^2\f$,
/// \f$\sum w (x-\mu)\f$, \f$\sum w (y-\bar y)\f$ and \f$\sum w\f$. A fold's training statistics
/// are the full data's minus its held-out rows'.
template <class T> struct CrossProducts {
    Matrix<T> xx;
    Vector<T> xy;
    Vector<T> x_sum;
    T yy = T(0);
    T y_sum = T(0);
    T weight = T(0);
};

template <class T, class MX, class VY, class VW>
CrossProducts<T> cross_products(const MX& X, const VY& y, const VW& w, const Vector<T>& center,
                                T y_center, const std::vector<Eigen::Index>& rows) {
    const auto m = static_cast<Eigen::Index>(rows.size());
    const Eigen::Index p = X.cols();
    Vector<T> root(m), e(m);
    for (Eigen::Index r = 0; r < m; ++r) {
        const Eigen::Index i = rows[static_cast<std::size_t>(r)];
        root(r) = std::sqrt(T(w(i)));
        e(r) = root(r) * (T(y(i)) - y_center);
    }
    Matrix<T> D(m, p);
    advise_huge_pages(D.data(), D.size() * sizeof(T));
    for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index r = 0; r < m; ++r)
            D(r, j) = root(r) * (T(X(rows[static_cast<std::size_t>(r)], j)) - center(j));
    CrossProducts<T> cp;
    cp.xx = Matrix<T>::Zero(p, p);
    cp.xx.template selfadjointView<Eigen::Lower>().rankUpdate(D.transpose());
    cp.xx.template triangularView<Eigen::StrictlyUpper>() = cp.xx.transpose();
    cp.xy.noalias() = D.transpose() * e;
    cp.x_sum.noalias() = D.transpose() * root;
    cp.yy = e.squaredNorm();
    cp.y_sum = e.dot(root);
    cp.weight = root.squaredNorm();
    return cp;
}

/// Whether a fold's training statistics can be had by downdating: the subtraction all - held
/// loses about eps * (all / train) relatively, so the training rows must keep a fair share of
/// the total weight and of every column's (and the response's) sum of squares. A fold whose
/// held-out rows dominate (a huge weight, a column constant on the training rows) is fitted on
/// its own rows instead.
template <class T>
bool downdate_is_accurate(const CrossProducts<T>& all, const CrossProducts<T>& held) {
    const T share = T(1e-6);
    const T weight = all.weight - held.weight;
    if (!(weight >= T(1e-3) * all.weight))
        return false;
    auto kept = [&](T all_sum_squares, T held_sum_squares, T all_sum, T held_sum) {
        const T shift = (all_sum - held_sum) / weight;
        const T centered = (all_sum_squares - held_sum_squares) - weight * shift * shift;
        return all_sum_squares == T(0) || centered >= share * all_sum_squares;
    };
    for (Eigen::Index j = 0; j < all.xx.cols(); ++j)
        if (!kept(all.xx(j, j), held.xx(j, j), all.x_sum(j), held.x_sum(j)))
            return false;
    return kept(all.yy, held.yy, all.y_sum, held.y_sum);
}

/// The working problem of a fold's training rows, as `standardize` would build it (with an
/// intercept), from the full data's cross-products minus the held-out rows'.
template <class T>
StandardizedProblem<T> downdated_problem(const CrossProducts<T>& all, const CrossProducts<T>& held,
                                         const Vector<T>& center, T y_center,
                                         const Vector<T>& magnitude, bool scale_columns) {
    const Eigen::Index p = all.xx.cols();
    const T weight = all.weight - held.weight;
    const Vector<T> shift = (all.x_sum - held.x_sum) / weight;
    const T y_shift = (all.y_sum - held.y_sum) / weight;
    StandardizedProblem<T> problem;
    problem.gram = (all.xx - held.xx) / weight - shift * shift.transpose();
    const Vector<T> covariance_y = (all.xy - held.xy) / weight - shift * y_shift;
    problem.null_deviance = std::max((all.yy - held.yy) / weight - y_shift * y_shift, T(0));
    problem.x_center = center + shift;
    problem.y_center = y_center + y_shift;
    problem.x_scale = Vector<T>::Ones(p);
    problem.curvature = Vector<T>::Zero(p);
    problem.correlation = Vector<T>::Zero(p);
    std::vector<char> held_column(static_cast<std::size_t>(p), 0);
    for (Eigen::Index j = 0; j < p; ++j) {
        const T spread = std::sqrt(std::max(problem.gram(j, j), T(0)));
        if (is_negligible_spread(spread, magnitude(j))) {
            held_column[static_cast<std::size_t>(j)] = 1;
            continue;
        }
        if (scale_columns)
            problem.x_scale(j) = spread;
    }
    const Vector<T> inverse = problem.x_scale.cwiseInverse();
    problem.gram = inverse.asDiagonal() * problem.gram * inverse.asDiagonal();
    problem.correlation = covariance_y.cwiseProduct(inverse);
    for (Eigen::Index j = 0; j < p; ++j) {
        if (held_column[static_cast<std::size_t>(j)]) {
            problem.gram.row(j).setZero();
            problem.gram.col(j).setZero();
            problem.correlation(j) = T(0);
        }
    }
    problem.curvature = problem.gram.diagonal();
    return problem;
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

        // References, not copies: a plain matrix is used in place.
        const Eigen::Ref<const Matrix> Xe(X);
        const Eigen::Ref<const Vector> ye(y), we(w);
        const auto full = model_.fit_path(Xe, ye, we, options_.path);
        if (!full.lambdas().allFinite()) {
            throw InvalidInput("CrossValidation: the lambda grid is too large for the model's "
                               "scalar type (lambda_max overflows it); rescale y or X");
        }
        lambdas_ = full.lambdas();
        nonzeros_ = full.df();
        const Eigen::Index L = lambdas_.size();
        PathOptions grid;
        // The folds solve the distinct grid values: the full grid can repeat a value (all zero
        // when y is constant; neighbours that round together in float), which an explicit grid
        // may not. column_of maps each grid index to its fold path column.
        std::vector<Eigen::Index> column_of(static_cast<std::size_t>(L));
        for (Eigen::Index l = 0; l < L; ++l) {
            if (l == 0 || static_cast<double>(lambdas_(l)) < grid.lambdas.back())
                grid.lambdas.push_back(static_cast<double>(lambdas_(l)));
            column_of[static_cast<std::size_t>(l)] =
                static_cast<Eigen::Index>(grid.lambdas.size()) - 1;
        }
        const auto distinct = static_cast<Eigen::Index>(grid.lambdas.size());

        // Covariance mode with an intercept: each fold's Gram is the full data's minus its
        // held-out rows' (cross-products about the full-data means), not a new product over
        // the training rows.
        using T = detail::compute_scalar_t<Scalar>;
        std::vector<Eigen::Index> fold_sizes(static_cast<std::size_t>(K), 0);
        for (const int id : ids)
            ++fold_sizes[static_cast<std::size_t>(id)];
        const Eigen::Index largest_fold = *std::max_element(fold_sizes.begin(), fold_sizes.end());
        const Eigen::Index p = X.cols();
        bool downdate = model_.fit_intercept() &&
                        detail::use_covariance(model_.solver_mode(), n - largest_fold, p);
        // Weights relative to the largest: weighted sums cannot overflow (the fits normalize
        // their weights themselves; the MAP form still sees the true total weight).
        const Scalar weight_scale = we.maxCoeff();
        const Vector relative_weights = we / weight_scale;
        detail::CrossProducts<T> all;
        detail::Vector<T> center, magnitude;
        T y_center = T(0);
        if (downdate) {
            magnitude = Xe.cwiseAbs().colwise().maxCoeff().transpose().template cast<T>();
            // The cross-products are formed on the unscaled data: where their squares could
            // overflow or underflow, the folds standardize their own rows instead.
            auto moderate = [](T m) { return m == T(0) || (m > T(1e-100) && m < T(1e100)); };
            downdate = moderate(T(ye.cwiseAbs().maxCoeff()));
            for (Eigen::Index j = 0; j < p && downdate; ++j)
                downdate = moderate(magnitude(j));
        }
        if (downdate) {
            T total = T(0);
            for (Eigen::Index i = 0; i < n; ++i)
                total += T(relative_weights(i));
            // Plain loops: a fixed order of additions wherever the caller's data lies.
            center = detail::Vector<T>::Zero(p);
            for (Eigen::Index j = 0; j < p; ++j) {
                for (Eigen::Index i = 0; i < n; ++i)
                    center(j) += T(relative_weights(i)) * T(Xe(i, j));
                center(j) /= total;
            }
            for (Eigen::Index i = 0; i < n; ++i)
                y_center += T(relative_weights(i)) * T(ye(i));
            y_center /= total;
            std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
            for (Eigen::Index i = 0; i < n; ++i)
                rows[static_cast<std::size_t>(i)] = i;
            all = detail::cross_products<T>(Xe, ye, relative_weights, center, y_center, rows);
        }

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
            Scalar train_weight = 0;
            for (const Eigen::Index i : train)
                train_weight += relative_weights(i);
            if (test.empty() || train.size() < 2 || !(train_weight > 0))
                return; // nothing to fit or to score: the fold does not count
            MapRegression<Prior> fold_model = model_;
            fold_model.set_threads(1);
            PathOptions fold_grid = grid;
            if (options_.progress) {
                fold_grid.progress = [&, fold](Eigen::Index l) {
                    std::lock_guard<std::mutex> guard(progress_lock);
                    if (!cancelled_ && !options_.progress(l, fold))
                        cancelled_ = true;
                    return !cancelled_;
                };
            }
            Path<Scalar, Prior> path = [&] {
                if (downdate) {
                    const auto held =
                        detail::cross_products<T>(Xe, ye, relative_weights, center, y_center, test);
                    if (detail::downdate_is_accurate(all, held)) {
                        auto problem = detail::downdated_problem(all, held, center, y_center,
                                                                 magnitude, model_.standardize());
                        return fold_model.path_from_problem(
                            problem, static_cast<Eigen::Index>(train.size()),
                            (all.weight - held.weight) * T(weight_scale), fold_grid);
                    }
                }
                Matrix Xt(static_cast<Eigen::Index>(train.size()), X.cols());
                Vector yt(Xt.rows()), wt(Xt.rows());
                for (Eigen::Index r = 0; r < Xt.rows(); ++r) {
                    Xt.row(r) = Xe.row(train[static_cast<std::size_t>(r)]);
                    yt(r) = ye(train[static_cast<std::size_t>(r)]);
                    wt(r) = we(train[static_cast<std::size_t>(r)]);
                }
                return fold_model.fit_path(Xt, yt, wt, fold_grid);
            }();
            if (cancelled_ || path.size() != distinct)
                return;
            Matrix held_out(static_cast<Eigen::Index>(test.size()), X.cols());
            for (Eigen::Index r = 0; r < held_out.rows(); ++r)
                held_out.row(r) = Xe.row(test[static_cast<std::size_t>(r)]);
            const Matrix predictions = path.predict(held_out); // n_test x L
            Scalar total = 0;
            for (Eigen::Index r = 0; r < held_out.rows(); ++r) {
                const Eigen::Index i = test[static_cast<std::size_t>(r)];
                if (relative_weights(i) == Scalar(0))
                    continue; // no weight: its error, even an overflowing one, does not count
                for (Eigen::Index l = 0; l < L; ++l) {
                    // In the compute precision: a float error may overflow when squared.
                    // A fold path whose coefficients overflowed (NumericalIssue) predicts
                    // Inf or NaN: its error is infinite, never NaN.
                    const T prediction = T(predictions(r, column_of[static_cast<std::size_t>(l)]));
                    const T e = std::isfinite(prediction) ? T(ye(i)) - prediction
                                                          : std::numeric_limits<T>::infinity();
                    fold_errors(fold, l) += static_cast<Scalar>(
                        T(relative_weights(i)) *
                        (options_.measure == ErrorMeasure::mse ? e * e : std::abs(e)));
                }
                total += relative_weights(i);
            }
            if (total > 0)
                fold_errors.row(fold) /= total;
            fold_weights(fold) = total;
            finished[static_cast<std::size_t>(fold)] = 1;
        };
        const int threads =
            options_.threads > 0
                ? options_.threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        std::atomic<int> next{0};
        // A fold whose training rows cannot be fitted (a column or y too small on those rows
        // alone) does not count, like a fold that cannot be scored. Any other exception is
        // carried out of the worker threads and rethrown here.
        std::exception_ptr failure;
        std::mutex failure_lock;
        auto worker = [&] {
            for (int fold = next++; fold < K && !cancelled_; fold = next++) {
                try {
                    run_fold(fold);
                } catch (const InvalidInput&) {
                    finished[static_cast<std::size_t>(fold)] = 0;
                    fold_weights(fold) = Scalar(0);
                    fold_errors.row(fold).setZero();
                } catch (...) {
                    std::lock_guard<std::mutex> guard(failure_lock);
                    if (!failure)
                        failure = std::current_exception();
                    cancelled_ = true;
                }
            }
        };
        {
            const int helper_count = std::max(0, std::min(threads, K) - 1);
            detail::HelperThreads helpers(static_cast<std::size_t>(helper_count));
            for (int t = 0; t < helper_count && helpers.start(worker); ++t) {
            }
            worker(); // takes the folds no helper takes (all of them if none could start)
        }
        if (failure) {
            fitted_ = false;
            std::rethrow_exception(failure);
        }
        if (cancelled_) {
            fitted_ = false;
            return *this;
        }

        // Aggregate in fold order (independent of which thread ran which fold).
        const Scalar weight_sum = fold_weights.sum();
        if (!(weight_sum > 0)) {
            fitted_ = false;
            throw InvalidInput("CrossValidation: no fold can be scored (each needs held-out rows "
                               "of positive weight and at least 2 training rows of positive "
                               "total weight)");
        }
        mean_errors_.resize(L);
        standard_errors_.resize(L);
        int used = 0;
        for (int k = 0; k < K; ++k)
            used += finished[static_cast<std::size_t>(k)] && fold_weights(k) > 0 ? 1 : 0;
        for (Eigen::Index l = 0; l < L; ++l) {
            Scalar mean = 0;
            for (int k = 0; k < K; ++k)
                mean += fold_weights(k) * fold_errors(k, l);
            mean /= weight_sum;
            Scalar spread = 0;
            for (int k = 0; k < K; ++k)
                spread += fold_weights(k) * (fold_errors(k, l) - mean) * (fold_errors(k, l) - mean);
            mean_errors_(l) = mean;
            standard_errors_(l) = !std::isfinite(mean) ? std::numeric_limits<Scalar>::infinity()
                                  : used > 1 ? std::sqrt(spread / weight_sum / Scalar(used - 1))
                                             : Scalar(0);
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

/// \brief The outcome of cross-validating the L1 share \f$\alpha\f$ as well as \f$\lambda\f$.
struct AlphaSelection {
    std::vector<double> alphas;       ///< the candidates, as given
    std::vector<double> best_errors;  ///< per candidate: its smallest CV error
    std::vector<double> best_lambdas; ///< per candidate: the lambda of that error
    double alpha = 1;                 ///< the winner
    double lambda = 0;
    double error = 0;
    Eigen::Index nonzeros = 0; ///< of the refit at (alpha, lambda)
    Eigen::Index features = 0;
    std::string verdict;                          ///< the decision in words
    MapRegression<ElasticNetPrior<double>> model; ///< refit on all rows at (alpha, lambda)
};

/// \brief Cross-validates each \f$\alpha\f$ of `alphas` (default {0, 0.5, 1}) with the same
/// folds and returns the best \f$(\alpha, \lambda)\f$ with a verdict in words: Lasso when the
/// L1 penalty wins (a sparse model), Ridge when the L2 penalty wins (every feature carries
/// signal), Elastic Net in between (sparse, with correlated features kept together).
/// `base` supplies the options (standardization, intercept, tolerance, penalty factors).
template <class DX, class DY>
AlphaSelection select_alpha(
    const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
    CrossValidationOptions options = CrossValidationOptions(),
    const std::vector<double>& alphas = {0.0, 0.5, 1.0},
    const MapRegression<ElasticNetPrior<double>>& base = MapRegression<ElasticNetPrior<double>>()) {
    if (alphas.empty())
        throw InvalidInput("select_alpha: no alpha to try");
    for (const double a : alphas)
        detail::require_unit_interval(a, "select_alpha: alpha");
    if (options.fold_ids.empty()) {
        if (options.folds < 2 || options.folds > X.rows())
            throw InvalidInput("select_alpha: folds must lie in [2, n]");
        options.fold_ids = detail::assign_folds(X.rows(), options.folds, options.seed);
    }
    AlphaSelection selection;
    selection.alphas = alphas;
    selection.features = X.cols();
    std::size_t winner = 0;
    for (std::size_t k = 0; k < alphas.size(); ++k) {
        MapRegression<ElasticNetPrior<double>> model(1.0, alphas[k]);
        model.set_fit_intercept(base.fit_intercept())
            .set_standardize(base.standardize())
            .set_tolerance(base.tolerance())
            .set_max_iterations(base.max_iterations())
            .set_penalty_factors(base.penalty_factors())
            .set_threads(base.threads())
            .set_solver_mode(base.solver_mode());
        // Grids start at lambda_max(alpha), which grows like 1/alpha (1/0.001 for ridge): scale
        // the ratio so that every alpha's grid reaches the same smallest lambda, or the L2
        // end would never see small penalties.
        CrossValidationOptions for_alpha = options;
        if (for_alpha.path.lambdas.empty()) {
            const double ratio = options.path.lambda_min_ratio > 0
                                     ? options.path.lambda_min_ratio
                                     : (X.rows() > X.cols() ? 1e-4 : 1e-2);
            for_alpha.path.lambda_min_ratio = ratio * std::max(alphas[k], 1e-3);
        }
        CrossValidation<ElasticNetPrior<double>> cv(model, for_alpha);
        cv.fit(X, y);
        if (cv.cancelled())
            throw std::runtime_error("priorreg: select_alpha was cancelled");
        selection.best_errors.push_back(cv.mean_errors()(cv.index_min()));
        selection.best_lambdas.push_back(cv.lambda_min());
        if (selection.best_errors[k] < selection.best_errors[winner])
            winner = k;
        if (k == winner)
            selection.model = cv.model();
    }
    selection.alpha = alphas[winner];
    selection.lambda = selection.best_lambdas[winner];
    selection.error = selection.best_errors[winner];
    selection.nonzeros = (selection.model.coef().array() != 0).count();
    const std::string kept = std::to_string(selection.nonzeros) + " of " +
                             std::to_string(selection.features) + " features";
    if (selection.alpha == 1.0) {
        selection.verdict = "Lasso: the data support a sparse model with " + kept;
    } else if (selection.alpha == 0.0) {
        selection.verdict = "Ridge: all " + std::to_string(selection.features) +
                            " features carry signal; shrink them and keep them all";
    } else {
        char share[32];
        std::snprintf(share, sizeof share, "%.2g", selection.alpha);
        selection.verdict = std::string("Elastic Net (alpha = ") + share +
                            "): a sparse model with " + kept +
                            ", correlated features kept together";
    }
    return selection;
}

} // namespace priorreg

#endif // PRIORREG_CROSS_VALIDATION_HPP
