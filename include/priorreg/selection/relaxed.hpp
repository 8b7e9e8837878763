#ifndef PRIORREG_SELECTION_RELAXED_HPP
#define PRIORREG_SELECTION_RELAXED_HPP

/// \file relaxed.hpp
/// \brief The relaxed lasso (glmnet's `relax = TRUE`): at each \f$\lambda\f$ of a path, the
/// unpenalized fit on that \f$\lambda\f$'s active set, blended with the penalized fit by
/// \f$\gamma\f$; and cross-validation over \f$(\lambda, \gamma)\f$.
///
/// With \f$S_\lambda\f$ the features whose coefficient is nonzero at \f$\lambda\f$ and
/// \f$\tilde\beta_\lambda\f$ the least-squares fit on them alone (with the model's intercept,
/// observation weights and coefficient bounds), the relaxed coefficients are
/// \f[ \beta_{\lambda,\gamma} = \gamma\,\hat\beta_\lambda + (1-\gamma)\,\tilde\beta_\lambda,
///     \qquad \gamma\in[0,1], \f]
/// and the intercept likewise: \f$\gamma = 1\f$ is the path, \f$\gamma = 0\f$ the fully relaxed
/// fit. The penalty selects the features and the refit undoes its shrinkage of them; in the
/// prior reading the refit is the MAP under a flat prior on the selected coordinates and a point
/// mass at 0 on the others, and \f$\gamma\f$ blends the two modes. When a set has more features
/// than the rows can determine, the refit is the minimum-norm least-squares solution (with a
/// box, a solution of the boxed problem by coordinate descent).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../detail/numeric.hpp"
#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../path.hpp"
#include "../priors/flat_prior.hpp"
#include "../status.hpp"
#include "cross_validation.hpp"
#include "error_measure.hpp"

namespace priorreg {

/// \brief A path with its relaxed fits (`relax`): the coefficients at every \f$(\lambda,
/// \gamma)\f$ of its grid.
template <class Scalar, class Prior> class RelaxedPath {
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

    /// The penalized path (\f$\gamma = 1\f$).
    const Path<Scalar, Prior>& path() const { return path_; }
    const Vector& lambdas() const { return path_.lambdas(); }
    /// The unpenalized refits on each \f$\lambda\f$'s active set (\f$\gamma = 0\f$), p x L.
    const Matrix& relaxed_coefs() const { return relaxed_coefs_; }
    const Vector& relaxed_intercepts() const { return relaxed_intercepts_; }
    /// The worst status of the refits (a boxed refit is iterative; least squares succeeds).
    Status info() const { return status_; }

    /// \f$\gamma\hat\beta + (1-\gamma)\tilde\beta\f$ at every \f$\lambda\f$: p x L.
    Matrix coefs(Scalar gamma) const {
        require_gamma(gamma);
        return gamma * path_.coefs() + (Scalar(1) - gamma) * relaxed_coefs_;
    }
    /// The blended intercepts (L).
    Vector intercepts(Scalar gamma) const {
        require_gamma(gamma);
        return gamma * path_.intercepts() + (Scalar(1) - gamma) * relaxed_intercepts_;
    }
    /// Predictions for new rows at every \f$\lambda\f$ with blend \f$\gamma\f$: n x L.
    template <class Derived>
    Matrix predict(const Eigen::MatrixBase<Derived>& X, Scalar gamma) const {
        detail::require_fitted_columns(X.cols(), relaxed_coefs_.rows(), "RelaxedPath::predict",
                                       "path");
        Matrix predictions = X * coefs(gamma);
        predictions.rowwise() += intercepts(gamma).transpose();
        return predictions;
    }

    /// Builds the refits of `path` on its training data (used by `relax`).
    template <class DX, class DY, class DW>
    RelaxedPath(Path<Scalar, Prior> path, const Eigen::MatrixBase<DX>& X,
                const Eigen::MatrixBase<DY>& y, const Eigen::MatrixBase<DW>& w)
        : path_(std::move(path)) {
        const Eigen::Index p = path_.coefs().rows(), L = path_.size();
        detail::require_fitted_columns(X.cols(), p, "relax", "path");
        detail::require_training_data(X, y);
        detail::require_weights(w, X.rows());
        relaxed_coefs_ = Matrix::Zero(p, L);
        relaxed_intercepts_.resize(L);
        const MapRegression<Prior>& estimator = path_.estimator();
        const CoefficientBounds& bounds = estimator.coefficient_bounds();
        std::vector<Eigen::Index> previous{-1}; // no set yet
        for (Eigen::Index k = 0; k < L; ++k) {
            std::vector<Eigen::Index> active;
            for (Eigen::Index j = 0; j < p; ++j)
                if (path_.coefs()(j, k) != Scalar(0))
                    active.push_back(j);
            if (k > 0 && active == previous) { // the same set: the same refit
                relaxed_coefs_.col(k) = relaxed_coefs_.col(k - 1);
                relaxed_intercepts_(k) = relaxed_intercepts_(k - 1);
                continue;
            }
            previous = active;
            const auto m = static_cast<Eigen::Index>(active.size());
            if (m == 0) { // the intercept alone
                relaxed_intercepts_(k) = estimator.fit_intercept()
                                             ? static_cast<Scalar>(w.template cast<Scalar>().dot(
                                                                       y.template cast<Scalar>()) /
                                                                   w.template cast<Scalar>().sum())
                                             : Scalar(0);
                continue;
            }
            Matrix columns(X.rows(), m);
            for (Eigen::Index a = 0; a < m; ++a)
                columns.col(a) = X.col(active[static_cast<std::size_t>(a)]).template cast<Scalar>();
            MapRegression<FlatPrior<Scalar>> refit;
            refit.set_fit_intercept(estimator.fit_intercept())
                .set_tolerance(estimator.tolerance())
                .set_threads(estimator.threads());
            if (!bounds.empty()) {
                Eigen::VectorXd lower(m), upper(m);
                for (Eigen::Index a = 0; a < m; ++a) {
                    const Eigen::Index j = bounds.lower.size() == 1 ? 0 : active[std::size_t(a)];
                    lower(a) = bounds.lower(j);
                    upper(a) = bounds.upper(j);
                }
                refit.set_coefficient_bounds(lower, upper);
            }
            refit.fit(columns, y.template cast<Scalar>(), w.template cast<Scalar>());
            status_ = detail::worse(status_, refit.info());
            for (Eigen::Index a = 0; a < m; ++a)
                relaxed_coefs_(active[static_cast<std::size_t>(a)], k) = refit.coef()(a);
            relaxed_intercepts_(k) = refit.intercept();
        }
    }

private:
    static void require_gamma(Scalar gamma) {
        if (!(gamma >= Scalar(0) && gamma <= Scalar(1)))
            throw InvalidInput("relaxed lasso: gamma must lie in [0, 1], got " +
                               std::to_string(static_cast<double>(gamma)));
    }

    Path<Scalar, Prior> path_;
    Matrix relaxed_coefs_;
    Vector relaxed_intercepts_;
    Status status_ = Status::Success;
};

/// The relaxed fits of `path` (fitted to `X`, `y`, `w`): glmnet's `relax = TRUE`.
template <class Scalar, class Prior, class DX, class DY, class DW>
RelaxedPath<Scalar, Prior> relax(const Path<Scalar, Prior>& path, const Eigen::MatrixBase<DX>& X,
                                 const Eigen::MatrixBase<DY>& y, const Eigen::MatrixBase<DW>& w) {
    return RelaxedPath<Scalar, Prior>(path, X, y, w);
}

/// Unit weights.
template <class Scalar, class Prior, class DX, class DY>
RelaxedPath<Scalar, Prior> relax(const Path<Scalar, Prior>& path, const Eigen::MatrixBase<DX>& X,
                                 const Eigen::MatrixBase<DY>& y) {
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    return RelaxedPath<Scalar, Prior>(path, X, y, Vector::Ones(X.rows()));
}

/// \brief K-fold cross-validation of the relaxed lasso over \f$(\lambda, \gamma)\f$ (glmnet's
/// `cv.glmnet(relax = TRUE)`).
///
/// The \f$\lambda\f$ grid is the path's on all rows; each fold fits the path on its other rows
/// with that grid, relaxes it there, and scores every \f$(\gamma, \lambda)\f$ on its held-out
/// rows. Errors and standard errors are aggregated over folds as `CrossValidation` does.
/// `gamma_min`/`lambda_min` minimize the CV error; the one-standard-error choice is the largest
/// \f$\lambda\f$ where some \f$\gamma\f$ is within one standard error of the minimum, with the
/// largest such \f$\gamma\f$ there (the sparsest, most shrunken model in the band).
template <class Prior> class RelaxedCrossValidation {
public:
    using Scalar = typename Prior::Scalar;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

    /// `gammas` in [0, 1] (glmnet's default: 0, 0.25, 0.5, 0.75, 1).
    explicit RelaxedCrossValidation(const MapRegression<Prior>& model,
                                    CrossValidationOptions options = CrossValidationOptions(),
                                    std::vector<double> gammas = {0.0, 0.25, 0.5, 0.75, 1.0})
        : model_(model), options_(std::move(options)), gammas_(std::move(gammas)) {
        if (gammas_.empty())
            throw InvalidInput("RelaxedCrossValidation: no gamma to try");
        for (const double gamma : gammas_)
            detail::require_unit_interval(gamma, "RelaxedCrossValidation: gamma");
    }

    template <class DX, class DY>
    RelaxedCrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y) {
        return fit(X, y, Vector::Ones(X.rows()));
    }

    template <class DX, class DY, class DW>
    RelaxedCrossValidation& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                                const Eigen::MatrixBase<DW>& w) {
        detail::require_training_data(X, y);
        detail::require_weights(w, X.rows());
        const Eigen::Index n = X.rows();
        const std::vector<int> ids = detail::fold_assignment(options_, n, "RelaxedCrossValidation");
        const int K = *std::max_element(ids.begin(), ids.end()) + 1;
        relaxed_.reset();
        auto full = model_.fit_path(X, y, w, options_.path);
        relaxed_ = std::make_unique<RelaxedPath<Scalar, Prior>>(relax(full, X, y, w));
        const Eigen::Index L = relaxed_->lambdas().size();
        const auto G = static_cast<Eigen::Index>(gammas_.size());
        PathOptions fold_options = options_.path;
        std::vector<Eigen::Index> column_of; // grid index -> fold path column
        detail::distinct_grid(relaxed_->lambdas(), fold_options.lambdas, column_of);
        fold_options.keep_data = false;
        status_ = detail::worse(full.info(), relaxed_->info());
        // errors(k, g * L + l): fold k's mean held-out loss at (gamma g, lambda l).
        Matrix errors = Matrix::Zero(K, G * L);
        Vector fold_weights = Vector::Zero(K);
        for (int fold = 0; fold < K; ++fold) {
            std::vector<Eigen::Index> train, test;
            detail::fold_rows(ids, fold, train, test);
            if (test.empty() || train.size() < 2)
                continue;
            const Matrix X_train = X(train, Eigen::all).template cast<Scalar>();
            const Vector y_train = y(train).template cast<Scalar>();
            const Vector w_train = w(train).template cast<Scalar>();
            if (!(w_train.sum() > Scalar(0)))
                continue;
            const auto path = model_.fit_path(X_train, y_train, w_train, fold_options);
            const RelaxedPath<Scalar, Prior> fold_relaxed = relax(path, X_train, y_train, w_train);
            status_ = detail::worse(status_, detail::worse(path.info(), fold_relaxed.info()));
            const Matrix X_test = X(test, Eigen::all).template cast<Scalar>();
            const Vector y_test = y(test).template cast<Scalar>();
            const Vector w_test = w(test).template cast<Scalar>();
            const Eigen::Index solved = path.size();
            Scalar total = 0;
            for (Eigen::Index g = 0; g < G; ++g) {
                const Matrix predictions =
                    fold_relaxed.predict(X_test, static_cast<Scalar>(gammas_[std::size_t(g)]));
                const Vector losses = detail::mean_losses<Scalar>(predictions, y_test, w_test,
                                                                  options_.measure, total);
                for (Eigen::Index l = 0; l < L; ++l) // a path cut short keeps its last fit
                    errors(fold, g * L + l) =
                        losses(std::min(column_of[static_cast<std::size_t>(l)], solved - 1));
            }
            fold_weights(fold) = total;
        }
        aggregate(errors, fold_weights, G, L);
        return *this;
    }

    const std::vector<double>& gammas() const { return gammas_; }
    const Vector& lambdas() const { return relaxed().lambdas(); }
    /// Mean CV error per (gamma, lambda): gammas x L.
    const Matrix& mean_errors() const { return relaxed(), mean_errors_; }
    const Matrix& standard_errors() const { return relaxed(), standard_errors_; }
    double gamma_min() const { return relaxed(), gammas_[std::size_t(gamma_min_)]; }
    Scalar lambda_min() const { return lambdas()(lambda_min_); }
    double gamma_1se() const { return relaxed(), gammas_[std::size_t(gamma_1se_)]; }
    Scalar lambda_1se() const { return lambdas()(lambda_1se_); }
    /// The relaxed path on all rows.
    const RelaxedPath<Scalar, Prior>& relaxed() const {
        if (!relaxed_)
            throw NotFitted("RelaxedCrossValidation: called before fit");
        return *relaxed_;
    }
    /// The worst status of the paths and refits.
    Status info() const { return relaxed(), status_; }
    /// Coefficients and intercept on all rows at the choice of `options.choice`.
    Vector coef() const {
        const auto [g, l] = chosen();
        return relaxed().coefs(static_cast<Scalar>(gammas_[std::size_t(g)])).col(l);
    }
    Scalar intercept() const {
        const auto [g, l] = chosen();
        return relaxed().intercepts(static_cast<Scalar>(gammas_[std::size_t(g)]))(l);
    }
    template <class DX> Vector predict(const Eigen::MatrixBase<DX>& X) const {
        detail::require_fitted_columns(X.cols(), relaxed().relaxed_coefs().rows(),
                                       "RelaxedCrossValidation::predict", "model");
        return (X * coef()).array() + intercept();
    }

private:
    std::pair<Eigen::Index, Eigen::Index> chosen() const {
        relaxed();
        return options_.choice == LambdaChoice::min ? std::make_pair(gamma_min_, lambda_min_)
                                                    : std::make_pair(gamma_1se_, lambda_1se_);
    }

    void aggregate(const Matrix& errors, const Vector& fold_weights, Eigen::Index G,
                   Eigen::Index L) {
        if (!(fold_weights.sum() > 0))
            throw InvalidInput("RelaxedCrossValidation: no fold can be scored");
        Vector mean, se; // gamma-major: entry g * L + l
        detail::fold_means(errors, fold_weights, mean, se);
        mean_errors_ = Eigen::Map<const Matrix>(mean.data(), L, G).transpose();
        standard_errors_ = Eigen::Map<const Matrix>(se.data(), L, G).transpose();
        mean_errors_.minCoeff(&gamma_min_, &lambda_min_);
        // The largest lambda with some gamma in the band, and there the largest such gamma.
        const Scalar bound =
            mean_errors_(gamma_min_, lambda_min_) + standard_errors_(gamma_min_, lambda_min_);
        gamma_1se_ = gamma_min_;
        lambda_1se_ = lambda_min_;
        for (Eigen::Index l = 0; l <= lambda_min_; ++l) {
            Eigen::Index best = -1;
            for (Eigen::Index g = 0; g < G; ++g)
                if (mean_errors_(g, l) <= bound &&
                    (best < 0 || gammas_[std::size_t(g)] > gammas_[std::size_t(best)]))
                    best = g;
            if (best >= 0) {
                gamma_1se_ = best;
                lambda_1se_ = l;
                break;
            }
        }
    }

    MapRegression<Prior> model_;
    CrossValidationOptions options_;
    std::vector<double> gammas_;
    std::unique_ptr<RelaxedPath<Scalar, Prior>> relaxed_;
    Matrix mean_errors_, standard_errors_;
    Eigen::Index gamma_min_ = 0, lambda_min_ = 0, gamma_1se_ = 0, lambda_1se_ = 0;
    Status status_ = Status::Success;
};

} // namespace priorreg

#endif // PRIORREG_SELECTION_RELAXED_HPP
