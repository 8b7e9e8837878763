#ifndef PRIORREG_SELECTION_CROSS_VALIDATION_HPP
#define PRIORREG_SELECTION_CROSS_VALIDATION_HPP

/// \file cross_validation.hpp
/// \brief K-fold cross-validation over a regularization path: mean error and its standard
/// error per \f$\lambda\f$, \f$\lambda_{\min}\f$ and \f$\lambda_{1se}\f$, and the refit.

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../detail/cross_products.hpp"
#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/sparse_design.hpp"
#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../path.hpp"
#include "../status.hpp"
#include "../sufficient_statistics.hpp"
#include "error_measure.hpp"
#include "folds.hpp"

namespace priorreg {
/// \brief Where the least CV error lies on the grid (`CrossValidation::minimum_position`).
enum class GridPosition {
    inside,   ///< a minimum with the grid reaching past it on both sides
    largest,  ///< at the largest lambda: no penalty weak enough to let a feature help
    smallest, ///< at the smallest: the error may fall further toward lambda = 0 (least squares)
};

/// \brief K-fold cross-validation of any `MapRegression` over its regularization path.
///
/// The grid comes from the path on all rows; each fold's model is the path on the other rows
/// with that grid, scored on the held-out rows. Per fold the weighted mean error is taken; the
/// CV error is the weighted mean of the fold errors (weights: the folds' total observation
/// weight) and its standard error \f$\sqrt{\sum_k w_k (e_k - \bar e)^2 / \sum_k w_k / (K-1)}\f$,
/// as glmnet computes them. In covariance mode with an intercept a fold's path runs from the
/// full data's cross-products minus its held-out rows' (`MapRegression::fit_path(statistics)`),
/// not from a new product over its training rows. Results do not depend on the thread count.
template <class Prior> class CrossValidation {
public:
    using Scalar = typename Prior::Scalar;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using IndexVector = Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1>;

    explicit CrossValidation(const MapRegression<Prior>& model,
                             CrossValidationOptions options = CrossValidationOptions())
        : model_(model), options_(std::move(options)), chosen_(model) {}

    template <class DX, class DY>
    CrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y) {
        return fit(X, y, Vector::Ones(X.rows()));
    }

    template <class DX, class DY, class DW>
    CrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                         const Eigen::MatrixBase<DW>& w) {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_training_data(X, y);
            detail::require_weights(w, X.rows());
            // References, not copies: a plain matrix is used in place.
            Data data(X, y, w);
            const std::vector<int> ids =
                detail::fold_assignment(options_, X.rows(), "CrossValidation");
            const auto full = fit_grid(data.X, data.y, data.w);
            Folds folds;
            prepare_folds(data, ids, folds);
            return cross_validate(full, folds, [&](int fold) { run_fold(data, ids, fold, folds); });
        }
    }

    /// Cross-validation on a sparse X (column-major), without densifying it: each fold's path
    /// is fitted on all rows with its held-out rows at weight 0 (the same problem as on the
    /// training rows alone), and scored on the held-out rows.
    template <class DY>
    CrossValidation& fit(const Eigen::SparseMatrix<Scalar>& X, const Eigen::MatrixBase<DY>& y) {
        return fit(X, y, Vector::Ones(X.rows()));
    }

    template <class DY, class DW>
    CrossValidation& fit(const Eigen::SparseMatrix<Scalar>& X, const Eigen::MatrixBase<DY>& y,
                         const Eigen::MatrixBase<DW>& w) {
        static_assert(detail::holds_scalar_v<Scalar, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_sparse_training_data(X, y);
            detail::require_weights(w, X.rows());
            const VectorRef yr(y), wr(w);
            const std::vector<int> ids =
                detail::fold_assignment(options_, X.rows(), "CrossValidation");
            const auto full = fit_grid(X, yr, wr);
            Folds folds;
            const Vector relative_weights = start_folds(ids, wr, folds);
            return cross_validate(full, folds, [&](int fold) {
                run_sparse_fold(X, yr, wr, relative_weights, ids, fold, folds);
            });
        }
    }

    /// Cross-validation from statistics kept per fold (`SufficientStatistics(p, folds,
    /// seed)`), without the rows: each fold's path runs from the total minus the fold's
    /// statistics (or, where that subtraction would lose digits, from the other folds' merged)
    /// and is scored on the fold's statistics, whose weighted squared error is a function of
    /// them. The same folds on rows in memory (`fold_ids` from `fold_of`) give the same
    /// result. Mean squared error only; the model needs an intercept. `options.folds`, `seed`
    /// and `fold_ids` are not used: the statistics carry their folds.
    CrossValidation& fit(const SufficientStatistics<detail::compute_scalar_t<Scalar>>& statistics) {
        if (statistics.folds() < 2)
            throw InvalidInput("CrossValidation: the statistics have no folds; build them with "
                               "SufficientStatistics(p, folds, seed)");
        if (options_.measure != ErrorMeasure::mse)
            throw InvalidInput("CrossValidation: from statistics the error measure is the mean "
                               "squared error (the absolute error needs the rows)");
        if (!model_.fit_intercept())
            throw std::logic_error("priorreg: cross-validation from statistics needs an "
                                   "intercept");
        const CrossProducts<T> all = statistics.cross_products();
        detail::require_statistics(all);
        fitted_ = false;
        cancelled_ = false;
        PathOptions options = options_.path;
        options.keep_data = false;
        const auto full = model_.fit_path(all, options);
        if (!full.lambdas().allFinite())
            throw InvalidInput("CrossValidation: the lambda grid is too large for the model's "
                               "scalar type (lambda_max overflows it); rescale y or X");
        lambdas_ = full.lambdas();
        nonzeros_ = full.df();
        Folds folds;
        folds.count = statistics.folds();
        folds.grid.keep_data = false;
        detail::distinct_grid(lambdas_, folds.grid.lambdas, folds.column_of);
        folds.errors = Matrix::Zero(folds.count, lambdas_.size());
        folds.weights = Vector::Zero(folds.count);
        return cross_validate(full, folds,
                              [&](int fold) { run_statistics_fold(statistics, all, fold, folds); });
    }

    const Vector& lambdas() const { return require(lambdas_); }
    const Vector& mean_errors() const { return require(mean_errors_); }
    const Vector& standard_errors() const { return require(standard_errors_); }
    const IndexVector& nonzeros() const { return require(lambdas_), nonzeros_; }
    Scalar lambda_min() const { return require(lambdas_)(index_min_); }
    Scalar lambda_1se() const { return require(lambdas_)(index_1se_); }
    Eigen::Index index_min() const { return require(lambdas_), index_min_; }
    /// Whether `lambda_min` is at an end of the grid. At the smallest lambda the CV curve was
    /// still falling where the grid stopped: a grid reaching lower (`lambda_min_ratio`) can do
    /// better, and a minimum at lambda = 0 (least squares: the data need no shrinkage) is a
    /// legitimate answer. At the largest, the empty model (no penalized feature, for a grid
    /// starting at lambda_max) is as good as any.
    GridPosition minimum_position() const {
        const Eigen::Index L = require(lambdas_).size();
        return L > 1 && index_min_ == L - 1 ? GridPosition::smallest
               : L > 1 && index_min_ == 0   ? GridPosition::largest
                                            : GridPosition::inside;
    }
    Eigen::Index index_1se() const { return require(lambdas_), index_1se_; }
    /// The model refit on all rows at the chosen lambda (`options.choice`).
    const MapRegression<Prior>& model() const { return require(lambdas_), chosen_; }
    /// The worst status of the path on all rows and of the folds' paths that counted.
    Status info() const { return require(lambdas_), info_; }
    /// True when the progress callback cancelled the last fit (no results then).
    bool cancelled() const { return cancelled_; }

private:
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using MatrixRef = Eigen::Ref<const Matrix>;
    using VectorRef = Eigen::Ref<const Vector>;
    using T = detail::compute_scalar_t<Scalar>;

    struct Data {
        template <class DX, class DY, class DW>
        Data(const Eigen::MatrixBase<DX>& X_, const Eigen::MatrixBase<DY>& y_,
             const Eigen::MatrixBase<DW>& w_)
            : X(X_), y(y_), w(w_) {}
        MatrixRef X;
        VectorRef y, w;
        /// The weights relative to the largest: weighted sums cannot overflow (the fits
        /// normalize their weights themselves; the MAP form still sees the true total weight).
        Vector relative_weights;
    };

    /// What the folds share and what each one leaves.
    struct Folds {
        int count = 0;
        PathOptions grid;                    ///< the distinct grid values, explicit
        std::vector<Eigen::Index> column_of; ///< grid index -> fold path column
        bool downdate = false;
        CrossProducts<T> all; ///< about the full data's means, when downdating
        Matrix errors;        ///< K x L weighted mean errors
        Vector weights;       ///< K: each fold's held-out weight (0: the fold does not count)
        Status status = Status::Success;
        std::mutex lock; ///< for `status` and the progress callback

        void reset(int fold) {
            weights(fold) = Scalar(0);
            errors.row(fold).setZero();
        }
    };

    int resolved_threads() const { return detail::resolve_threads(options_.threads); }

    const Vector& require(const Vector& value) const {
        if (!fitted_)
            throw NotFitted("CrossValidation: results requested before a completed fit");
        return value;
    }

    /// The path on all rows, which sets the grid.
    template <class DX>
    Path<Scalar, Prior> fit_grid(const DX& X, const VectorRef& y, const VectorRef& w) {
        fitted_ = false;
        cancelled_ = false;
        PathOptions options = options_.path;
        options.keep_data = false; // only its grid, solutions and chosen model are used
        auto full = model_.fit_path(X, y, w, options);
        if (!full.lambdas().allFinite()) {
            throw InvalidInput("CrossValidation: the lambda grid is too large for the model's "
                               "scalar type (lambda_max overflows it); rescale y or X");
        }
        lambdas_ = full.lambdas();
        nonzeros_ = full.df();
        return full;
    }

    /// Runs `run_fold(fold)` for every fold over the threads, then aggregates; a fold whose
    /// training rows cannot be fitted does not count.
    template <class RunFold>
    CrossValidation& cross_validate(const Path<Scalar, Prior>& full, Folds& folds,
                                    RunFold&& run_fold) {
        std::atomic<bool> stop{false};
        detail::parallel_tasks(folds.count, std::min(resolved_threads(), folds.count),
                               [&](Eigen::Index fold) {
                                   if (stop || cancelled_)
                                       return;
                                   try {
                                       run_fold(static_cast<int>(fold));
                                   } catch (const InvalidInput&) {
                                       // Its training rows cannot be fitted (a column or y too
                                       // small on them alone): the fold does not count.
                                       folds.reset(static_cast<int>(fold));
                                   } catch (...) {
                                       stop = true; // the other folds end early
                                       throw;
                                   }
                               });
        if (cancelled_)
            return *this;
        aggregate(folds);
        info_ = detail::worse(full.info(), folds.status);
        chosen_ = full.model(options_.choice == LambdaChoice::min ? index_min_ : index_1se_);
        fitted_ = true;
        return *this;
    }

    /// The folds' count, grid and error table; returns the weights relative to the largest.
    Vector start_folds(const std::vector<int>& ids, const VectorRef& w, Folds& folds) const {
        folds.count = *std::max_element(ids.begin(), ids.end()) + 1;
        folds.grid.keep_data = false;
        detail::distinct_grid(lambdas_, folds.grid.lambdas, folds.column_of);
        folds.errors = Matrix::Zero(folds.count, lambdas_.size());
        folds.weights = Vector::Zero(folds.count);
        return w / w.maxCoeff();
    }

    /// A fold's model (one thread: the folds run in parallel) and its grid, with the progress
    /// callback; false when the fold has nothing to fit or to score.
    bool fold_setup(const std::vector<Eigen::Index>& train, const std::vector<Eigen::Index>& test,
                    const Vector& relative_weights, int fold, Folds& folds,
                    MapRegression<Prior>& fold_model, PathOptions& grid) {
        Scalar train_weight = 0;
        for (const Eigen::Index i : train)
            train_weight += relative_weights(i);
        if (test.empty() || train.size() < 2 || !(train_weight > 0))
            return false; // nothing to fit or to score: the fold does not count
        fold_model_and_grid(fold, folds, fold_model, grid);
        return true;
    }

    /// A fold's model (one thread: the folds run in parallel) and its grid, with the progress
    /// callback.
    void fold_model_and_grid(int fold, Folds& folds, MapRegression<Prior>& fold_model,
                             PathOptions& grid) {
        fold_model = model_;
        fold_model.set_threads(1);
        grid = folds.grid;
        if (options_.progress) {
            grid.progress = [this, &folds, fold](Eigen::Index l) {
                std::lock_guard<std::mutex> guard(folds.lock);
                if (!cancelled_ && !options_.progress(l, fold))
                    cancelled_ = true;
                return !cancelled_;
            };
        }
    }

    /// Scores a fold's path by its held-out `predictions` (m x L) of `y` with weights `w`.
    void score_fold(const Path<Scalar, Prior>& path, const Matrix& predictions, const Vector& y,
                    const Vector& w, int fold, Folds& folds) {
        T total = T(0);
        const detail::Vector<T> losses =
            detail::mean_losses(predictions, y, w, options_.measure, total);
        for (Eigen::Index l = 0; l < folds.errors.cols(); ++l)
            folds.errors(fold, l) =
                static_cast<Scalar>(losses(folds.column_of[static_cast<std::size_t>(l)]));
        folds.weights(fold) = static_cast<Scalar>(total);
        std::lock_guard<std::mutex> guard(folds.lock);
        folds.status = detail::worse(folds.status, path.info());
    }

    /// Fits `fold`'s path on a sparse X, its held-out rows at weight 0, and scores it on them.
    void run_sparse_fold(const Eigen::SparseMatrix<Scalar>& X, const VectorRef& y,
                         const VectorRef& w, const Vector& relative_weights,
                         const std::vector<int>& ids, int fold, Folds& folds) {
        std::vector<Eigen::Index> train, test;
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            (ids[static_cast<std::size_t>(i)] == fold ? test : train).push_back(i);
        MapRegression<Prior> fold_model = model_;
        PathOptions grid;
        if (!fold_setup(train, test, relative_weights, fold, folds, fold_model, grid))
            return;
        Vector training_weights = w;
        for (const Eigen::Index i : test)
            training_weights(i) = Scalar(0);
        const auto path = fold_model.fit_path(X, y, training_weights, grid);
        if (cancelled_ || path.size() != static_cast<Eigen::Index>(folds.grid.lambdas.size()))
            return;
        const auto m = static_cast<Eigen::Index>(test.size());
        Matrix predictions(m, path.size());
        Vector held_y(m), held_w(m), column;
        for (Eigen::Index l = 0; l < path.size(); ++l) {
            column = X * path.coefs().col(l); // n at a time, not n x L
            for (Eigen::Index r = 0; r < m; ++r)
                predictions(r, l) =
                    column(test[static_cast<std::size_t>(r)]) + path.intercepts()(l);
        }
        for (Eigen::Index r = 0; r < m; ++r) {
            held_y(r) = y(test[static_cast<std::size_t>(r)]);
            held_w(r) = relative_weights(test[static_cast<std::size_t>(r)]);
        }
        score_fold(path, predictions, held_y, held_w, fold, folds);
    }

    /// The folds' grid (the distinct values of the full grid: it can repeat a value, all zero
    /// when y is constant, neighbours that round together in float, which an explicit grid
    /// may not) and, in covariance mode with an intercept, the full data's cross-products.
    void prepare_folds(Data& data, const std::vector<int>& ids, Folds& folds) {
        const Eigen::Index n = data.X.rows(), p = data.X.cols();
        data.relative_weights = start_folds(ids, data.w, folds);
        const Scalar weight_scale = data.w.maxCoeff();

        std::vector<Eigen::Index> fold_sizes(static_cast<std::size_t>(folds.count), 0);
        for (const int id : ids)
            ++fold_sizes[static_cast<std::size_t>(id)];
        const Eigen::Index largest = *std::max_element(fold_sizes.begin(), fold_sizes.end());
        folds.downdate =
            model_.fit_intercept() && detail::use_covariance(model_.solver_mode(), n - largest, p);
        if (!folds.downdate)
            return;
        // The cross-products are formed on the unscaled data: where their squares could
        // overflow or underflow, the folds standardize their own rows instead.
        const detail::Vector<T> magnitude =
            data.X.cwiseAbs().colwise().maxCoeff().transpose().template cast<T>();
        auto moderate = [](T m) { return m == T(0) || (m > T(1e-100) && m < T(1e100)); };
        folds.downdate = moderate(T(data.y.cwiseAbs().maxCoeff()));
        for (Eigen::Index j = 0; j < p && folds.downdate; ++j)
            folds.downdate = moderate(magnitude(j));
        if (!folds.downdate)
            return;
        detail::Vector<T> center;
        T y_center = T(0);
        weighted_centers(data.X, data.y, data.relative_weights, center, y_center);
        std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
        for (Eigen::Index i = 0; i < n; ++i)
            rows[static_cast<std::size_t>(i)] = i;
        folds.all =
            cross_products<T>(data.X, data.y, data.relative_weights, center, y_center, rows);
        folds.all.weight_unit = T(weight_scale);
    }

    /// The path on the training rows of `fold`: downdated where that keeps its digits, else
    /// fitted from the rows.
    Path<Scalar, Prior> fold_path(const Data& data, const std::vector<Eigen::Index>& train,
                                  const std::vector<Eigen::Index>& test,
                                  const MapRegression<Prior>& fold_model, const PathOptions& grid,
                                  const Folds& folds) const {
        if (folds.downdate) {
            const auto held = cross_products<T>(data.X, data.y, data.relative_weights,
                                                folds.all.center, folds.all.y_center, test);
            if (detail::downdate_keeps_digits(folds.all, held))
                return fold_model.fit_path(downdate(folds.all, held), grid);
        }
        const Rows training = gather(data, train, data.w);
        return fold_model.fit_path(training.X, training.y, training.w, grid);
    }

    /// Some rows of the data, with the weights `w` of those rows.
    struct Rows {
        Matrix X;
        Vector y, w;
    };
    static Rows gather(const Data& data, const std::vector<Eigen::Index>& rows,
                       const VectorRef& w) {
        const auto m = static_cast<Eigen::Index>(rows.size());
        Rows gathered{Matrix(m, data.X.cols()), Vector(m), Vector(m)};
        for (Eigen::Index r = 0; r < m; ++r) {
            const Eigen::Index i = rows[static_cast<std::size_t>(r)];
            gathered.X.row(r) = data.X.row(i);
            gathered.y(r) = data.y(i);
            gathered.w(r) = w(i);
        }
        return gathered;
    }

    /// Fits `fold`'s path and scores it on its held-out rows.
    void run_fold(const Data& data, const std::vector<int>& ids, int fold, Folds& folds) {
        std::vector<Eigen::Index> train, test;
        for (Eigen::Index i = 0; i < data.X.rows(); ++i)
            (ids[static_cast<std::size_t>(i)] == fold ? test : train).push_back(i);
        MapRegression<Prior> fold_model = model_;
        PathOptions grid;
        if (!fold_setup(train, test, data.relative_weights, fold, folds, fold_model, grid))
            return;
        const auto path = fold_path(data, train, test, fold_model, grid, folds);
        if (cancelled_ || path.size() != static_cast<Eigen::Index>(folds.grid.lambdas.size()))
            return;
        const Rows held_out = gather(data, test, data.relative_weights);
        score_fold(path, path.predict(held_out.X), held_out.y, held_out.w, fold, folds);
    }

    /// Fits `fold`'s path from the statistics and scores it on the fold's own.
    void run_statistics_fold(const SufficientStatistics<T>& statistics, const CrossProducts<T>& all,
                             int fold, Folds& folds) {
        const CrossProducts<T> held = statistics.fold_cross_products(fold);
        if (held.rows == 0 || !(held.weight > T(0)) || all.rows - held.rows < 2 ||
            !(all.weight - held.weight > T(0)))
            return; // nothing to fit or to score: the fold does not count
        const CrossProducts<T> held_about_all = detail::recentered(held, all.center, all.y_center);
        const CrossProducts<T> training = detail::downdate_keeps_digits(all, held_about_all)
                                              ? downdate(all, held_about_all)
                                              : statistics.training_cross_products(fold);
        MapRegression<Prior> fold_model = model_;
        PathOptions grid;
        fold_model_and_grid(fold, folds, fold_model, grid);
        const auto path = fold_model.fit_path(training, grid);
        if (cancelled_ || path.size() != static_cast<Eigen::Index>(folds.grid.lambdas.size()))
            return;
        detail::Vector<T> losses(path.size());
        for (Eigen::Index l = 0; l < path.size(); ++l)
            losses(l) =
                detail::squared_error(held, T(path.intercepts()(l)),
                                      detail::Vector<T>(path.coefs().col(l).template cast<T>())) /
                held.weight;
        for (Eigen::Index l = 0; l < folds.errors.cols(); ++l)
            folds.errors(fold, l) =
                static_cast<Scalar>(losses(folds.column_of[static_cast<std::size_t>(l)]));
        folds.weights(fold) = static_cast<Scalar>(held.weight);
        std::lock_guard<std::mutex> guard(folds.lock);
        folds.status = detail::worse(folds.status, path.info());
    }

    /// Mean errors and standard errors in fold order (whichever thread ran which fold), and
    /// the indices of lambda_min and lambda_1se.
    void aggregate(const Folds& folds) {
        const Scalar weight_sum = folds.weights.sum();
        if (!(weight_sum > 0))
            throw InvalidInput("CrossValidation: no fold can be scored (each needs held-out rows "
                               "of positive weight and at least 2 training rows of positive "
                               "total weight)");
        detail::fold_means(folds.errors, folds.weights, mean_errors_, standard_errors_);
        mean_errors_.minCoeff(&index_min_);
        index_1se_ = detail::one_standard_error(mean_errors_, standard_errors_, index_min_);
    }

    MapRegression<Prior> model_;
    CrossValidationOptions options_;
    MapRegression<Prior> chosen_;
    Vector lambdas_, mean_errors_, standard_errors_;
    IndexVector nonzeros_;
    Eigen::Index index_min_ = 0, index_1se_ = 0;
    Status info_ = Status::Success;
    bool fitted_ = false;
    std::atomic<bool> cancelled_{false};
};

} // namespace priorreg

#endif // PRIORREG_SELECTION_CROSS_VALIDATION_HPP
