#ifndef PRIORREG_MULTI_TASK_HPP
#define PRIORREG_MULTI_TASK_HPP

/// \file multi_task.hpp
/// \brief `MultiTaskElasticNet`: k responses at once, each feature in all of them or none
/// (glmnet's `family = "mgaussian"`, scikit-learn's `MultiTaskElasticNet`).
///
/// Minimizes, over the p x k coefficients \f$B\f$ (row \f$B_j\f$ the feature's coefficients
/// for every response) and the k intercepts,
/// \f[ \frac{1}{2n}\|Y - 1\beta_0^T - XB\|_F^2 + \lambda\sum_j\Big[\alpha\|B_j\|_2 +
///     \tfrac{1-\alpha}{2}\|B_j\|_2^2\Big] \f]
/// on standardized columns (as `MapRegression`). The MAP reading: with Gaussian noise of
/// standard deviation \f$\sigma\f$ on every response, the rows independent with density
/// \f$p(B_j) \propto \exp(-\|B_j\|_2/b - \|B_j\|_2^2/(2\tau^2))\f$: at \f$\alpha = 1\f$ the
/// multivariate Laplace-type prior \f$p(w) = \Gamma(k/2)\,/\,(2\pi^{k/2}\Gamma(k)\,b^k)\,
/// e^{-\|w\|_2/b}\f$ on \f$\mathbb{R}^k\f$, which depends on the row through its norm only and
/// so puts its mass on rows that are zero or not as a whole. \f$\lambda = \sigma^2/(nb)\f$ as
/// for the Laplace prior.
///
/// Solved by block coordinate descent over the rows (the proximal step of the group penalty is
/// a shrinkage of the row's correlation vector towards 0 by \f$l_1\f$ in norm), active-set
/// cycling between full sweeps, and certified by the duality gap of the group problem:
/// with \f$R\f$ the working residual and \f$s\f$ the dual scale, \f$D = s\langle Y_w, R\rangle
/// - \tfrac{s^2}{2}\|R\|_F^2 - \sum_j\psi^*(s A_j^TR)\f$, \f$\psi^*(u) = (\|u\| - l_1)_+^2 /
/// (2 l_2)\f$ (\f$l_2 = 0\f$: \f$\|u\| \le l_1\f$, which \f$s\f$ keeps).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "detail/numeric.hpp"
#include "detail/validate.hpp"
#include "path.hpp"
#include "status.hpp"

namespace priorreg {

/// \brief The multi-task path (`MultiTaskElasticNet::fit_path`): one p x k coefficient matrix
/// and k intercepts per \f$\lambda\f$.
struct MultiTaskPath {
    Eigen::VectorXd lambdas;            ///< decreasing (L)
    std::vector<Eigen::MatrixXd> coefs; ///< L matrices, p x k, original scale
    Eigen::MatrixXd intercepts;         ///< k x L
    Eigen::VectorXd duality_gaps;       ///< L, objective units
    std::vector<int> iterations;        ///< sweeps per lambda
    Status status = Status::Success;    ///< the worst over the path
    Eigen::Index size() const { return lambdas.size(); }
    /// Predictions for new rows at `lambdas()[k]`: n x k.
    Eigen::MatrixXd predict(const Eigen::MatrixXd& X, Eigen::Index k) const {
        if (k < 0 || k >= size())
            throw InvalidInput("MultiTaskPath::predict: index " + std::to_string(k) +
                               " outside [0, " + std::to_string(size()) + ")");
        detail::require_fitted_columns(X.cols(), coefs[static_cast<std::size_t>(k)].rows(),
                                       "MultiTaskPath::predict", "path");
        Eigen::MatrixXd out = X * coefs[static_cast<std::size_t>(k)];
        out.rowwise() += intercepts.col(k).transpose();
        return out;
    }
};

/// \brief Elastic net on several responses with a group penalty on each feature's row of
/// coefficients (see the file's description).
class MultiTaskElasticNet {
public:
    /// \f$\lambda > 0\f$ and the L1 (group) share \f$\alpha\in[0,1]\f$. (At \f$\lambda = 0\f$
    /// each response is least squares on its own: `MapRegression<FlatPrior<>>`.)
    explicit MultiTaskElasticNet(double lambda = 1.0, double alpha = 1.0)
        : lambda_(lambda), alpha_(alpha) {
        detail::require_positive_finite(lambda, "MultiTaskElasticNet: lambda");
        detail::require_unit_interval(alpha, "alpha");
    }

    MultiTaskElasticNet& set_fit_intercept(bool fit_intercept) {
        fit_intercept_ = fit_intercept;
        return *this;
    }
    MultiTaskElasticNet& set_standardize(bool standardize) {
        standardize_ = standardize;
        return *this;
    }
    /// Duality gap at most `tolerance` times the null deviance (summed over responses).
    MultiTaskElasticNet& set_tolerance(double tolerance) {
        detail::require_positive_finite(tolerance, "tolerance");
        tolerance_ = tolerance;
        return *this;
    }
    MultiTaskElasticNet& set_max_iterations(int max_iterations) {
        if (max_iterations < 1)
            throw InvalidInput("max_iterations must be at least 1");
        max_iterations_ = max_iterations;
        return *this;
    }

    /// Fits to `X` (n x p) and the responses `Y` (n x k).
    MultiTaskElasticNet& fit(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y) {
        Working w = prepare(X, Y);
        Eigen::MatrixXd beta = Eigen::MatrixXd::Zero(w.p, w.k);
        Eigen::MatrixXd residual = w.response;
        const Solve solved = solve(w, lambda_, beta, residual);
        back_transform(w, beta, coef_, intercept_);
        status_ = solved.status;
        iterations_ = solved.sweeps;
        duality_gap_ = solved.gap;
        fitted_ = true;
        return *this;
    }

    /// The path from \f$\lambda_{\max}\f$ (every row zero) down `options`' grid, warm-started.
    MultiTaskPath fit_path(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y,
                           const PathOptions& options = PathOptions()) const {
        Working w = prepare(X, Y);
        MultiTaskPath path;
        if (!options.lambdas.empty()) {
            const auto grid = detail::grid_request<double>(options, w.n, w.p);
            path.lambdas = grid.explicit_lambdas;
            // At 0 the fit is least squares, which the gap cannot certify, unless every row is
            // zero there already (lambda_max = 0: a constant response, CV's repeated grid).
            if (!(path.lambdas.minCoeff() > 0) && lambda_max(w) > 0)
                throw InvalidInput("MultiTaskElasticNet: an explicit lambda must be > 0 (at 0 "
                                   "each response is least squares on its own)");
        } else {
            const auto grid = detail::grid_request<double>(options, w.n, w.p);
            const double top = lambda_max(w);
            path.lambdas.resize(grid.count);
            for (Eigen::Index k = 0; k < grid.count; ++k)
                path.lambdas(k) =
                    grid.count == 1 ? top
                                    : top * std::pow(grid.min_ratio, double(k) / (grid.count - 1));
        }
        const Eigen::Index L = path.lambdas.size();
        path.intercepts.resize(w.k, L);
        path.duality_gaps.resize(L);
        Eigen::MatrixXd beta = Eigen::MatrixXd::Zero(w.p, w.k);
        Eigen::MatrixXd residual = w.response;
        for (Eigen::Index l = 0; l < L; ++l) {
            const Solve solved = solve(w, path.lambdas(l), beta, residual);
            Eigen::MatrixXd coef;
            Eigen::VectorXd intercept;
            back_transform(w, beta, coef, intercept);
            path.coefs.push_back(coef);
            path.intercepts.col(l) = intercept;
            path.duality_gaps(l) = solved.gap;
            path.iterations.push_back(solved.sweeps);
            if (path.status != Status::NumericalIssue && solved.status != Status::Success)
                path.status = solved.status; // the worst: NumericalIssue over NoConvergence
        }
        return path;
    }

    /// Coefficients, p x k, original scale.
    const Eigen::MatrixXd& coef() const { return require_fitted("coef"), coef_; }
    /// Intercepts (k).
    const Eigen::VectorXd& intercept() const { return require_fitted("intercept"), intercept_; }
    /// Predictions for new rows: n x k.
    Eigen::MatrixXd predict(const Eigen::MatrixXd& X) const {
        require_fitted("predict");
        detail::require_fitted_columns(X.cols(), coef_.rows(), "predict", "model");
        Eigen::MatrixXd out = X * coef_;
        out.rowwise() += intercept_.transpose();
        return out;
    }
    Status info() const { return require_fitted("info"), status_; }
    int iterations() const { return require_fitted("iterations"), iterations_; }
    double duality_gap() const { return require_fitted("duality_gap"), duality_gap_; }
    double lambda() const { return lambda_; }
    double alpha() const { return alpha_; }

private:
    /// The standardized problem: A (n x p), the centered responses (n x k), and the maps back.
    struct Working {
        Eigen::Index n = 0, p = 0, k = 0;
        Eigen::MatrixXd design, response;
        Eigen::VectorXd x_center, x_scale, y_center, curvature;
        double null_deviance = 0;
    };
    struct Solve {
        Status status = Status::Success;
        int sweeps = 0;
        double gap = 0;
    };

    Working prepare(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y) const {
        if (X.rows() == 0 || X.cols() == 0)
            throw InvalidInput("MultiTaskElasticNet: X is empty (" + std::to_string(X.rows()) +
                               " x " + std::to_string(X.cols()) + ")");
        if (Y.rows() != X.rows() || Y.cols() == 0)
            throw InvalidInput("MultiTaskElasticNet: Y must be n x k with the rows of X (X has " +
                               std::to_string(X.rows()) + " rows, Y is " +
                               std::to_string(Y.rows()) + " x " + std::to_string(Y.cols()) + ")");
        if (!X.allFinite() || !Y.allFinite())
            throw InvalidInput("MultiTaskElasticNet: X and Y must be finite");
        Working w;
        w.n = X.rows();
        w.p = X.cols();
        w.k = Y.cols();
        const double root_n = std::sqrt(static_cast<double>(w.n));
        w.x_center = fit_intercept_ ? Eigen::VectorXd(X.colwise().mean().transpose())
                                    : Eigen::VectorXd::Zero(w.p);
        w.y_center = fit_intercept_ ? Eigen::VectorXd(Y.colwise().mean().transpose())
                                    : Eigen::VectorXd::Zero(w.k);
        w.design = X.rowwise() - w.x_center.transpose();
        w.x_scale = Eigen::VectorXd::Ones(w.p);
        w.curvature.resize(w.p);
        for (Eigen::Index j = 0; j < w.p; ++j) {
            const double spread = w.design.col(j).norm() / root_n;
            if (standardize_ && spread > 0)
                w.x_scale(j) = spread;
            w.design.col(j) /= w.x_scale(j) * root_n;
            w.curvature(j) = w.design.col(j).squaredNorm();
        }
        w.response = (Y.rowwise() - w.y_center.transpose()) / root_n;
        w.null_deviance = w.response.squaredNorm();
        return w;
    }

    double lambda_max(const Working& w) const {
        const double share = std::max(alpha_, 1e-3);
        return (w.design.transpose() * w.response).rowwise().norm().maxCoeff() / share;
    }

    /// Block coordinate descent at `lambda` from `beta` (working scale; `residual` matches it).
    Solve solve(const Working& w, double lambda, Eigen::MatrixXd& beta,
                Eigen::MatrixXd& residual) const {
        const double l1 = lambda * alpha_, l2 = lambda * (1 - alpha_);
        const double target = tolerance_ * w.null_deviance;
        Solve result;
        result.status = Status::NoConvergence;
        Eigen::RowVectorXd z(w.k), updated(w.k);
        auto update = [&](Eigen::Index j) {
            const double c = w.curvature(j);
            if (!(c > 0))
                return 0.0;
            z.noalias() = w.design.col(j).transpose() * residual;
            z += c * beta.row(j);
            const double norm = z.norm();
            if (norm > l1)
                updated = z * ((1 - l1 / norm) / (c + l2));
            else
                updated.setZero();
            const Eigen::RowVectorXd delta = updated - beta.row(j);
            const double change = delta.squaredNorm();
            if (change > 0) {
                beta.row(j) = updated;
                residual.noalias() -= w.design.col(j) * delta;
            }
            return c * change;
        };
        double change_target = target / static_cast<double>(w.p + 1);
        while (result.sweeps < max_iterations_) {
            double change = 0;
            for (Eigen::Index j = 0; j < w.p; ++j)
                change = std::max(change, update(j));
            ++result.sweeps;
            // The active rows until they settle, then a gap check.
            while (change > change_target && result.sweeps < max_iterations_) {
                change = 0;
                for (Eigen::Index j = 0; j < w.p; ++j)
                    if (beta.row(j).squaredNorm() > 0)
                        change = std::max(change, update(j));
                ++result.sweeps;
            }
            result.gap = gap(w, l1, l2, beta, residual);
            if (!std::isfinite(result.gap) && !beta.allFinite()) {
                result.status = Status::NumericalIssue;
                return result;
            }
            if (result.gap <= target) {
                result.status = Status::Success;
                return result;
            }
            change_target *= 0.1;
        }
        return result;
    }

    /// The duality gap at `beta` with the scaled residual as the dual point.
    static double gap(const Working& w, double l1, double l2, const Eigen::MatrixXd& beta,
                      const Eigen::MatrixXd& residual) {
        const Eigen::MatrixXd correlation = w.design.transpose() * residual; // p x k
        const Eigen::VectorXd norms = correlation.rowwise().norm();
        const double residual_norm2 = residual.squaredNorm();
        const double response_dot = (w.response.array() * residual.array()).sum();
        double scale =
            residual_norm2 > 0 ? std::clamp(response_dot / residual_norm2, 0.0, 1.0) : 1.0;
        if (!(l2 > 0))
            for (Eigen::Index j = 0; j < w.p; ++j)
                if (w.curvature(j) > 0 && norms(j) > l1)
                    scale = std::min(scale, l1 / norms(j));
        double primal = 0.5 * residual_norm2,
               dual = scale * response_dot - 0.5 * scale * scale * residual_norm2;
        for (Eigen::Index j = 0; j < w.p; ++j) {
            const double row = beta.row(j).norm();
            primal += l1 * row + 0.5 * l2 * row * row;
            if (l2 > 0 && w.curvature(j) > 0) {
                const double excess = std::max(scale * norms(j) - l1, 0.0);
                dual -= excess * excess / (2 * l2);
            }
        }
        const double value = primal - dual;
        return value >= 0 ? value : value < 0 ? 0.0 : std::numeric_limits<double>::infinity();
    }

    void back_transform(const Working& w, const Eigen::MatrixXd& beta, Eigen::MatrixXd& coef,
                        Eigen::VectorXd& intercept) const {
        coef = beta.array().colwise() / w.x_scale.array();
        for (Eigen::Index j = 0; j < w.p; ++j)
            if (!(w.curvature(j) > 0))
                coef.row(j).setZero();
        intercept = w.y_center - coef.transpose() * w.x_center;
    }

    void require_fitted(const char* what) const {
        if (!fitted_)
            throw NotFitted(std::string(what) + " called before fit");
    }

    double lambda_, alpha_;
    bool fit_intercept_ = true, standardize_ = true;
    double tolerance_ = 1e-7;
    int max_iterations_ = 100000;
    bool fitted_ = false;
    Eigen::MatrixXd coef_;
    Eigen::VectorXd intercept_;
    Status status_ = Status::Success;
    int iterations_ = 0;
    double duality_gap_ = 0;
};

} // namespace priorreg

#endif // PRIORREG_MULTI_TASK_HPP
