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
/// With observation weights \f$v\f$ the loss is \f$\tfrac12\sum_i v_i\|y_i - \beta_0 -
/// B^Tx_i\|^2\f$ (weights divided by their sum, centers and scales weighted, as glmnet), and with
/// penalty factors each row's term is multiplied by \f$\mathrm{pf}_j\f$: the row's prior scale is
/// \f$b/\mathrm{pf}_j\f$ (0: a flat prior, the row unpenalized).
///
/// Solved by block coordinate descent over the rows, with Newton steps on the nonzero rows where
/// the sweeps crawl (solvers/group_descent.hpp), and certified by the duality gap of the group
/// problem (solvers/group_problem.hpp).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "detail/validate.hpp"
#include "estimator_settings.hpp"
#include "path.hpp"
#include "solvers/group_descent.hpp"
#include "solvers/group_problem.hpp"
#include "status.hpp"

/// The compile-time error for data a multi-task model does not take.
#define PRIORREG_MULTI_TASK_DENSE_REQUIREMENT                                                      \
    "priorreg: a multi-task model takes dense double matrices X and Y (Eigen::MatrixBase): pass "  \
    "an Eigen::Array as array.matrix(), a sparse matrix or a view as Eigen::MatrixXd(X)"

namespace priorreg {

namespace detail {
/// Whether the data `DX`, `DY` given to a multi-task model hold double.
template <class DX, class DY>
inline constexpr bool holds_double = std::conjunction_v<std::is_same<typename DX::Scalar, double>,
                                                        std::is_same<typename DY::Scalar, double>>;
} // namespace detail

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

    // The settings it shares with `MapRegression` (estimator_settings.hpp, where each is
    // documented and checked).

    /// \copydoc priorreg::EstimatorSettings::set_fit_intercept
    MultiTaskElasticNet& set_fit_intercept(bool fit_intercept) {
        return settings_.set_fit_intercept(fit_intercept), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_standardize
    MultiTaskElasticNet& set_standardize(bool standardize) {
        return settings_.set_standardize(standardize), *this;
    }
    /// Duality gap at most `tolerance` times the null deviance (summed over responses).
    MultiTaskElasticNet& set_tolerance(double tolerance) {
        return settings_.set_tolerance(tolerance), *this;
    }
    /// \copydoc priorreg::EstimatorSettings::set_max_iterations
    MultiTaskElasticNet& set_max_iterations(int max_iterations) {
        return settings_.set_max_iterations(max_iterations), *this;
    }
    /// Per-feature penalty factors \f$\mathrm{pf}_j \ge 0\f$ multiplying the row's penalty
    /// (0: unpenalized, in the model at every lambda). An empty vector restores all ones. As
    /// `MapRegression`'s, they are used as given, not rescaled to sum to p as glmnet does; the
    /// length is checked at fit time.
    MultiTaskElasticNet& set_penalty_factors(const Eigen::VectorXd& factors) {
        return settings_.set_penalty_factors(factors), *this;
    }
    /// Sign bounds on the coefficients (glmnet's `lower.limits`, `upper.limits` with limits 0):
    /// `lower` and `upper` of length p, each entry of `lower` 0 or -infinity and of `upper` 0 or
    /// +infinity; feature j's coefficients for every response obey them. The fit is the MAP
    /// under the row prior restricted to that cone, certified by its gap
    /// (solvers/group_problem.hpp). Other finite bounds are refused: on a row under a group
    /// norm they are not a cone, and the step and certificate are not those of this solver.
    /// A bounded feature must be penalized (pf_j > 0). Lengths are checked at fit time.
    MultiTaskElasticNet& set_coefficient_bounds(const Eigen::VectorXd& lower,
                                                const Eigen::VectorXd& upper) {
        if (lower.size() != upper.size())
            throw InvalidInput("coefficient bounds: lower has " + std::to_string(lower.size()) +
                               " entries and upper " + std::to_string(upper.size()));
        for (Eigen::Index j = 0; j < lower.size(); ++j)
            if (!((lower(j) == 0 || lower(j) == -std::numeric_limits<double>::infinity()) &&
                  (upper(j) == 0 || upper(j) == std::numeric_limits<double>::infinity())))
                throw InvalidInput(
                    "MultiTaskElasticNet: coefficient bounds must be sign bounds (lower 0 or "
                    "-inf, upper 0 or +inf), got [" +
                    std::to_string(lower(j)) + ", " + std::to_string(upper(j)) + "] at column " +
                    std::to_string(j));
        lower_ = lower;
        upper_ = upper;
        nonnegative_ = false;
        return *this;
    }
    /// Every coefficient at least 0 (scikit-learn's `positive=True`; glmnet's
    /// `lower.limits = 0`).
    MultiTaskElasticNet& set_nonnegative() {
        lower_.resize(0);
        upper_.resize(0);
        nonnegative_ = true;
        return *this;
    }
    /// Features that never enter the model (glmnet's `exclude`): their rows are 0 at every
    /// lambda and they take no part in the fit, not even in lambda_max. Column indices in
    /// [0, p), checked at fit time; an empty list (the default) excludes nothing.
    MultiTaskElasticNet& set_excluded_features(std::vector<Eigen::Index> features) {
        return settings_.set_excluded_features(std::move(features)), *this;
    }

    // The entry points are templates (any dense double expression, as `MapRegression`'s),
    // and so is everything they call: a program that includes this header without fitting a
    // multi-task model compiles none of the solver.

    /// Fits to `X` (n x p) and the responses `Y` (n x k), unit weights.
    template <class DX, class DY>
    MultiTaskElasticNet& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& Y) {
        static_assert(detail::holds_double<DX, DY>,
                      "MultiTaskElasticNet: X and Y must hold double");
        return fit_problem(prepare<double>(X.derived(), Y.derived(), nullptr));
    }
    /// Fits with observation weights `w` (n, non-negative, not all zero).
    template <class DX, class DY>
    MultiTaskElasticNet& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& Y,
                             const Eigen::VectorXd& w) {
        static_assert(detail::holds_double<DX, DY>,
                      "MultiTaskElasticNet: X and Y must hold double");
        return fit_problem(prepare<double>(X.derived(), Y.derived(), &w));
    }

    /// The path from \f$\lambda_{\max}\f$ (every penalized row zero) down `options`' grid,
    /// warm-started.
    template <class DX, class DY>
    MultiTaskPath fit_path(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& Y,
                           const PathOptions& options = PathOptions()) const {
        static_assert(detail::holds_double<DX, DY>,
                      "MultiTaskElasticNet: X and Y must hold double");
        return path_of(prepare<double>(X.derived(), Y.derived(), nullptr), options);
    }
    /// The path with observation weights `w`.
    template <class DX, class DY>
    MultiTaskPath fit_path(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& Y,
                           const Eigen::VectorXd& w,
                           const PathOptions& options = PathOptions()) const {
        static_assert(detail::holds_double<DX, DY>,
                      "MultiTaskElasticNet: X and Y must hold double");
        return path_of(prepare<double>(X.derived(), Y.derived(), &w), options);
    }

    /// Any Eigen object that is not a dense matrix (an array, a sparse matrix, a view) as X or
    /// Y: a compile-time error that says what to pass instead.
    template <class DX, class DY>
    MultiTaskElasticNet& fit(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&) {
        static_assert(detail::always_false_v<DX, DY>, PRIORREG_MULTI_TASK_DENSE_REQUIREMENT);
        return *this;
    }
    template <class DX, class DY>
    MultiTaskElasticNet& fit(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&,
                             const Eigen::VectorXd&) {
        static_assert(detail::always_false_v<DX, DY>, PRIORREG_MULTI_TASK_DENSE_REQUIREMENT);
        return *this;
    }
    template <class DX, class DY>
    MultiTaskPath fit_path(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&,
                           const PathOptions& = PathOptions()) const {
        static_assert(detail::always_false_v<DX, DY>, PRIORREG_MULTI_TASK_DENSE_REQUIREMENT);
        return MultiTaskPath();
    }
    template <class DX, class DY>
    MultiTaskPath fit_path(const Eigen::EigenBase<DX>&, const Eigen::EigenBase<DY>&,
                           const Eigen::VectorXd&, const PathOptions& = PathOptions()) const {
        static_assert(detail::always_false_v<DX, DY>, PRIORREG_MULTI_TASK_DENSE_REQUIREMENT);
        return MultiTaskPath();
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
    const Eigen::VectorXd& penalty_factors() const { return settings_.penalty_factors(); }
    const std::vector<Eigen::Index>& excluded_features() const {
        return settings_.excluded_features();
    }

private:
    template <class T> using Problem = detail::MultiTaskProblem<T>;
    using InputRef = Eigen::Ref<const Eigen::MatrixXd>;

    template <class T>
    Problem<T> prepare(const InputRef& X, const InputRef& Y, const Eigen::VectorXd* w) const {
        if (X.rows() == 0 || X.cols() == 0)
            throw InvalidInput("MultiTaskElasticNet: X is empty (" + std::to_string(X.rows()) +
                               " x " + std::to_string(X.cols()) + ")");
        if (Y.rows() != X.rows() || Y.cols() == 0)
            throw InvalidInput("MultiTaskElasticNet: Y must be n x k with the rows of X (X has " +
                               std::to_string(X.rows()) + " rows, Y is " +
                               std::to_string(Y.rows()) + " x " + std::to_string(Y.cols()) + ")");
        if (!X.allFinite() || !Y.allFinite())
            throw InvalidInput("MultiTaskElasticNet: X and Y must be finite");
        Eigen::VectorXd unit;
        if (w) {
            detail::require_weights(*w, X.rows());
            double total = 0;
            unit = detail::unit_weights<double>(*w, total);
        } else {
            unit = Eigen::VectorXd::Constant(X.rows(), 1.0 / static_cast<double>(X.rows()));
        }
        const Eigen::VectorXd factors =
            settings_.template resolved_penalty_factors<double>(X.cols());
        Eigen::VectorXd lower = lower_, upper = upper_;
        if (nonnegative_) {
            lower = Eigen::VectorXd::Zero(X.cols());
            upper = Eigen::VectorXd::Constant(X.cols(), std::numeric_limits<double>::infinity());
        } else if (lower.size() > 0 && lower.size() != X.cols()) {
            throw InvalidInput("coefficient bounds have " + std::to_string(lower.size()) +
                               " entries but X has " + std::to_string(X.cols()) + " columns");
        }
        for (Eigen::Index j = 0; j < lower.size(); ++j)
            if (factors(j) == 0 && (lower(j) == 0 || upper(j) == 0))
                throw InvalidInput("MultiTaskElasticNet: feature " + std::to_string(j) +
                                   " has penalty factor 0 and a sign bound; a bounded feature "
                                   "must be penalized");
        return detail::multi_task_problem<T>(X, Y, unit, settings_.fit_intercept(),
                                             settings_.standardize(), factors,
                                             settings_.excluded_features(), lower, upper);
    }

    template <class T> MultiTaskElasticNet& fit_problem(const Problem<T>& w) {
        detail::Matrix<T> beta, residual;
        detail::null_model(w, beta, residual);
        const detail::GroupSolve<T> solved = solve(w, T(lambda_), beta, residual);
        back_transform(w, beta, coef_, intercept_);
        status_ = solved.status;
        iterations_ = solved.sweeps;
        duality_gap_ = solved.gap;
        fitted_ = true;
        return *this;
    }

    template <class T>
    MultiTaskPath path_of(const Problem<T>& w, const PathOptions& options) const {
        MultiTaskPath path;
        const auto grid = detail::grid_request<double>(options, w.n, w.p);
        if (!options.lambdas.empty()) {
            path.lambdas = grid.explicit_lambdas;
            // At 0 the penalized rows are least squares, which the gap cannot certify, unless
            // every row is zero there already (lambda_max = 0: a constant response, CV's
            // repeated grid).
            if (!(path.lambdas.minCoeff() > 0) && detail::multi_task_lambda_max(w, T(alpha_)) > 0)
                throw InvalidInput("MultiTaskElasticNet: an explicit lambda must be > 0 (at 0 "
                                   "each response is least squares on its own)");
        } else {
            const double top = detail::multi_task_lambda_max(w, T(alpha_));
            path.lambdas.resize(grid.count);
            for (Eigen::Index k = 0; k < grid.count; ++k)
                path.lambdas(k) =
                    grid.count == 1
                        ? top
                        : top * std::pow(grid.min_ratio, double(k) / double(grid.count - 1));
        }
        const Eigen::Index L = path.lambdas.size();
        path.intercepts.resize(w.k, L);
        path.duality_gaps.resize(L);
        detail::Matrix<T> beta, residual;
        detail::null_model(w, beta, residual); // the solution at lambda_max
        for (Eigen::Index l = 0; l < L; ++l) {
            const detail::GroupSolve<T> solved = solve(w, path.lambdas(l), beta, residual);
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

    template <class T>
    detail::GroupSolve<T> solve(const Problem<T>& w, T lambda, detail::Matrix<T>& beta,
                                detail::Matrix<T>& residual) const {
        return detail::group_descent(w, lambda, T(alpha_),
                                     T(settings_.tolerance()) * w.null_deviance,
                                     settings_.max_iterations(), beta, residual);
    }

    template <class T>
    static void back_transform(const Problem<T>& w, const detail::Matrix<T>& beta,
                               Eigen::MatrixXd& coef, Eigen::VectorXd& intercept) {
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
    /// Its threads, solver mode and box are not read: the sign bounds below are this model's.
    EstimatorSettings<double> settings_;
    Eigen::VectorXd lower_, upper_; ///< sign bounds (empty: none)
    bool nonnegative_ = false;      ///< every coefficient >= 0, whatever p
    bool fitted_ = false;
    Eigen::MatrixXd coef_;
    Eigen::VectorXd intercept_;
    Status status_ = Status::Success;
    int iterations_ = 0;
    double duality_gap_ = 0;
};

} // namespace priorreg

#endif // PRIORREG_MULTI_TASK_HPP
