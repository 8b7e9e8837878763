#ifndef PRIORREG_SELECTION_MULTI_TASK_CV_HPP
#define PRIORREG_SELECTION_MULTI_TASK_CV_HPP

/// \file multi_task_cv.hpp
/// \brief Cross-validation of `MultiTaskElasticNet` over its path.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "../multi_task.hpp"
#include "../path.hpp"
#include "../status.hpp"
#include "cross_validation.hpp"
#include "error_measure.hpp"

namespace priorreg {

/// \brief K-fold cross-validation of `MultiTaskElasticNet` over its path: the error of a row
/// is its squared error summed over the responses; fold errors are weighted by their rows and
/// aggregated as `CrossValidation` does (mean and standard error over folds), and the choice
/// is `lambda_min` or the largest lambda within one standard error (`lambda_1se`).
class MultiTaskCrossValidation {
public:
    /// The folds (`folds`, `seed` or `fold_ids`) and the grid (`path`, computed on all rows)
    /// of `options`; its measure must be the squared error.
    explicit MultiTaskCrossValidation(const MultiTaskElasticNet& model,
                                      CrossValidationOptions options = CrossValidationOptions())
        : model_(model), options_(std::move(options)) {
        if (options_.measure != ErrorMeasure::mse)
            throw InvalidInput("MultiTaskCrossValidation: only the squared error is measured");
    }

    /// Cross-validates on `X` (n x p) and `Y` (n x k), unit weights. (Templates, as
    /// `MultiTaskElasticNet`'s: nothing is compiled for a program that does not call them.)
    template <class DX, class DY>
    MultiTaskCrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& Y) {
        static_assert(detail::holds_double<DX, DY>,
                      "MultiTaskCrossValidation: X and Y must hold double");
        return run<double>(X.derived(), Y.derived(), nullptr);
    }
    /// With observation weights `w`: each fold's path is fitted with its training rows'
    /// weights, a held-out row's error counts with its weight, and a fold counts with its
    /// held-out weight (as `CrossValidation`).
    template <class DX, class DY>
    MultiTaskCrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& Y,
                                  const Eigen::VectorXd& w) {
        static_assert(detail::holds_double<DX, DY>,
                      "MultiTaskCrossValidation: X and Y must hold double");
        detail::require_weights(w, X.rows());
        return run<double>(X.derived(), Y.derived(), &w);
    }

    /// Any Eigen object that is not a dense matrix: a compile-time error (as the model's).
    template <class DX, class DY>
    MultiTaskCrossValidation& fit(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&) {
        static_assert(detail::always_false_v<DX, DY>, PRIORREG_MULTI_TASK_DENSE_REQUIREMENT);
        return *this;
    }
    template <class DX, class DY>
    MultiTaskCrossValidation& fit(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&,
                                  const Eigen::VectorXd&) {
        static_assert(detail::always_false_v<DX, DY>, PRIORREG_MULTI_TASK_DENSE_REQUIREMENT);
        return *this;
    }

    /// The path on all rows.
    const MultiTaskPath& path() const { return require(), path_; }
    const Eigen::VectorXd& mean_errors() const { return require(), mean_errors_; }
    const Eigen::VectorXd& standard_errors() const { return require(), standard_errors_; }
    double lambda_min() const { return path().lambdas(index_min_); }
    double lambda_1se() const { return path().lambdas(index_1se_); }
    Eigen::Index index_min() const { return require(), index_min_; }
    Eigen::Index index_1se() const { return require(), index_1se_; }
    Status info() const { return require(), status_; }
    /// Coefficients (p x k) and intercepts on all rows at the choice of `options.choice`.
    const Eigen::MatrixXd& coef() const { return path().coefs[std::size_t(chosen())]; }
    Eigen::VectorXd intercept() const { return path().intercepts.col(chosen()); }
    Eigen::MatrixXd predict(const Eigen::MatrixXd& X) const { return path().predict(X, chosen()); }

private:
    template <class T>
    MultiTaskCrossValidation& run(const Eigen::Ref<const detail::Matrix<T>>& X,
                                  const Eigen::Ref<const detail::Matrix<T>>& Y,
                                  const detail::Vector<T>* w) {
        const Eigen::Index n = X.rows();
        const std::vector<int> ids =
            detail::fold_assignment(options_, n, "MultiTaskCrossValidation");
        path_ = w ? model_.fit_path(X, Y, *w, options_.path) : model_.fit_path(X, Y, options_.path);
        const Eigen::Index L = path_.size();
        const int K = *std::max_element(ids.begin(), ids.end()) + 1;
        PathOptions on_grid = options_.path;
        std::vector<Eigen::Index> column_of; // grid index -> fold path column
        detail::distinct_grid(path_.lambdas, on_grid.lambdas, column_of);
        status_ = path_.status;
        // Weights relative to the largest: the sums below cannot overflow.
        const Eigen::VectorXd relative =
            w ? Eigen::VectorXd(*w / w->maxCoeff()) : Eigen::VectorXd::Ones(n);
        Eigen::MatrixXd errors = Eigen::MatrixXd::Zero(K, L);
        Eigen::VectorXd weights = Eigen::VectorXd::Zero(K);
        for (int fold = 0; fold < K; ++fold) {
            std::vector<Eigen::Index> train, test;
            detail::fold_rows(ids, fold, train, test);
            const Eigen::VectorXd train_w = relative(train), test_w = relative(test);
            if (test.empty() || train.size() < 2 || !(train_w.sum() > 0) || !(test_w.sum() > 0))
                continue; // nothing to fit or to score: the fold does not count
            const detail::Matrix<T> X_test = X(test, Eigen::all), Y_test = Y(test, Eigen::all);
            const detail::Matrix<T> X_train = X(train, Eigen::all), Y_train = Y(train, Eigen::all);
            const MultiTaskPath fold_path = model_.fit_path(X_train, Y_train, train_w, on_grid);
            status_ = detail::worse(status_, fold_path.status);
            for (Eigen::Index l = 0; l < L; ++l)
                errors(fold, l) =
                    test_w.dot(
                        (fold_path.predict(X_test, column_of[static_cast<std::size_t>(l)]) - Y_test)
                            .rowwise()
                            .squaredNorm()) /
                    test_w.sum();
            weights(fold) = test_w.sum();
        }
        if (!(weights.sum() > 0))
            throw InvalidInput("MultiTaskCrossValidation: no fold can be scored");
        detail::fold_means(errors, weights, mean_errors_, standard_errors_);
        mean_errors_.minCoeff(&index_min_);
        index_1se_ = detail::one_standard_error(mean_errors_, standard_errors_, index_min_);
        fitted_ = true;
        return *this;
    }

    Eigen::Index chosen() const {
        return require(), options_.choice == LambdaChoice::min ? index_min_ : index_1se_;
    }
    void require() const {
        if (!fitted_)
            throw NotFitted("MultiTaskCrossValidation: called before fit");
    }

    MultiTaskElasticNet model_;
    CrossValidationOptions options_;
    bool fitted_ = false;
    MultiTaskPath path_;
    Eigen::VectorXd mean_errors_, standard_errors_;
    Eigen::Index index_min_ = 0, index_1se_ = 0;
    Status status_ = Status::Success;
};

} // namespace priorreg

#endif // PRIORREG_SELECTION_MULTI_TASK_CV_HPP
