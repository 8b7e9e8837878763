#ifndef PRIORREG_SOLVERS_LEAST_SQUARES_INFERENCE_HPP
#define PRIORREG_SOLVERS_LEAST_SQUARES_INFERENCE_HPP

/// \file least_squares_inference.hpp
/// \brief The maximum-likelihood view of least squares carried past the point estimate:
/// standard errors, t tests, confidence intervals, \f$\hat\sigma\f$, \f$R^2\f$ and the overall
/// F test, as R's `summary(lm(...))` and `confint` report them.
///
/// Under \f$y_i = \beta_0 + x_i^T\beta + \varepsilon_i\f$ with independent
/// \f$\varepsilon_i \sim N(0, \sigma^2/w_i)\f$ (precision weights \f$w_i\f$, R's `weights`),
/// the estimate of a term has standard error \f$\hat\sigma\sqrt{[(X^TWX)^{-1}]_{jj}}\f$ with
/// \f$\hat\sigma^2 = \sum_i w_i r_i^2/(n_+ - \mathrm{rank})\f$, \f$n_+\f$ the rows of positive
/// weight; \f$(\hat\beta_j - \beta_j)/\mathrm{se}_j\f$ is Student-t with \f$n_+ -
/// \mathrm{rank}\f$ degrees of freedom.
///
/// How it is computed: the weighted design is centered (with an intercept) and each column
/// scaled to unit norm, which makes both the dependence decision and the factorization
/// scale-free; a column-pivoted QR of the estimable columns gives the coefficients (one step of
/// iterative refinement) and \f$(\tilde A^T\tilde A)^{-1} = PR^{-1}R^{-T}P^T\f$; the intercept's
/// variance is \f$\sigma^2(1/\sum_i w_i + \bar x^T(X_c^TWX_c)^{-1}\bar x)\f$. When the
/// perturbation bound of the solve says double precision would lose digits (NIST's Filip,
/// Wampler 4 and 5), the whole computation is repeated in extended precision.
///
/// Aliased terms, as R reports them: in term order, a column whose part outside the span of
/// the earlier estimable columns (after centering, relative to its norm) is below
/// `alias_tolerance` is not estimable: its entries are NaN and it is not counted in the rank.
/// R's `lm` makes that decision at 1e-7 on the uncentered design, so it drops \f$x^{10}\f$
/// of NIST's Filip data, which is estimable (its certified values are reproduced here).

#include <Eigen/Core>
#include <Eigen/QR>
#include <cmath>
#include <limits>
#include <vector>

#include "../detail/distributions.hpp"
#include "../detail/numeric.hpp"
#include "least_squares.hpp"

namespace priorreg {

/// \brief One row of the coefficient table: R's `Estimate`, `Std. Error`, `t value`,
/// `Pr(>|t|)` and `confint`'s bounds. Every entry is NaN when the term is not estimable.
template <class Scalar> struct CoefficientInference {
    Scalar estimate;
    Scalar std_error;
    Scalar t_value;
    Scalar p_value; ///< two-sided
    Scalar ci_low;  ///< at the summary's `level`
    Scalar ci_high;
    bool estimable; ///< false for a term aliased with earlier ones (R's NA)
};

/// \brief The inference of a least-squares fit (`LinearRegression::summary`).
template <class Scalar> struct LeastSquaresSummary {
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    bool has_intercept = true;
    CoefficientInference<Scalar> intercept{};               ///< meaningful when `has_intercept`
    std::vector<CoefficientInference<Scalar>> coefficients; ///< one per column of X
    /// Estimated covariance of the estimates (R's `vcov`): the intercept first when fitted,
    /// then the columns of X; rows and columns of terms that are not estimable are NaN.
    Matrix covariance;
    Scalar level = Scalar(0.95);    ///< of the confidence intervals
    Scalar sigma;                   ///< residual standard error \f$\hat\sigma\f$ (unit weight)
    Scalar residual_sum_of_squares; ///< \f$\sum_i w_i r_i^2\f$
    Eigen::Index observations = 0;  ///< rows of positive weight
    Eigen::Index rank = 0;          ///< estimable terms, the intercept included
    Eigen::Index df_residual = 0;   ///< observations - rank
    Eigen::Index df_model = 0;      ///< rank less the intercept: the F test's numerator
    Scalar r_squared;               ///< about the weighted mean with an intercept, about 0 without
    Scalar adj_r_squared;           ///< R's adjustment by the degrees of freedom
    Scalar f_statistic;             ///< of all terms but the intercept (NaN when there are none)
    Scalar f_p_value;
};

namespace detail {

/// Part of a column, relative to its norm, outside the span of the earlier estimable columns
/// at or below which it is not estimable (aliased).
inline constexpr double alias_tolerance = 1e-10;

/// The scale-free pieces of the inference in precision U, before \f$\hat\sigma\f$.
template <class U> struct InferenceCore {
    Vector<U> coef; ///< p, NaN where not estimable
    U intercept = U(0);
    Matrix<U> unscaled; ///< (X^T W X)^{-1} over [intercept,] columns; NaN rows when aliased
    std::vector<char> estimable;
    U residual_sum_of_squares = U(0), model_sum_of_squares = U(0);
    Eigen::Index estimable_count = 0;
    U error_bound = U(0); ///< as `LeastSquaresResult::error_bound`
};

template <class U, class DX, class DY, class DW>
InferenceCore<U> least_squares_inference_in(const Eigen::MatrixBase<DX>& X,
                                            const Eigen::MatrixBase<DY>& y,
                                            const Eigen::MatrixBase<DW>& w, bool fit_intercept) {
    using std::sqrt;
    const Eigen::Index n = X.rows(), p = X.cols();
    const Matrix<U> design = X.template cast<U>();
    const Vector<U> response = y.template cast<U>();
    const Vector<U> weights = w.template cast<U>();
    const U total = weights.sum();
    // Weighted means, with one correction pass (columns far from 0 relative to their spread).
    Vector<U> x_mean = Vector<U>::Zero(p);
    U y_mean = U(0);
    if (fit_intercept) {
        x_mean = design.transpose() * weights / total;
        y_mean = response.dot(weights) / total;
        x_mean += (design.rowwise() - x_mean.transpose()).transpose() * weights / total;
        y_mean += (response.array() - y_mean).matrix().dot(weights) / total;
    }
    const Vector<U> root = weights.cwiseSqrt();
    Matrix<U> A = root.asDiagonal() * (design.rowwise() - x_mean.transpose());
    const Vector<U> b = root.asDiagonal() * (response.array() - y_mean).matrix();

    // Estimable columns in term order (Gram-Schmidt twice over, on unit-norm columns).
    InferenceCore<U> core;
    core.estimable.assign(static_cast<std::size_t>(p), 0);
    std::vector<Eigen::Index> kept;
    Vector<U> norms(p);
    Matrix<U> basis(n, 0);
    for (Eigen::Index j = 0; j < p; ++j) {
        norms(j) = A.col(j).norm();
        if (!(norms(j) > U(0)) || !std::isfinite(static_cast<double>(norms(j))))
            continue;
        Vector<U> v = A.col(j) / norms(j);
        for (int pass = 0; pass < 2; ++pass)
            v -= basis * (basis.transpose() * v);
        const U outside = v.norm();
        if (!(outside > U(alias_tolerance)))
            continue;
        basis.conservativeResize(n, basis.cols() + 1);
        basis.col(basis.cols() - 1) = v / outside;
        core.estimable[static_cast<std::size_t>(j)] = 1;
        kept.push_back(j);
    }
    const auto k = static_cast<Eigen::Index>(kept.size());
    core.estimable_count = k;
    Matrix<U> scaled(n, k);
    Vector<U> scale(k), mean(k);
    for (Eigen::Index a = 0; a < k; ++a) {
        const Eigen::Index j = kept[static_cast<std::size_t>(a)];
        scale(a) = norms(j);
        scaled.col(a) = A.col(j) / norms(j);
        mean(a) = x_mean(j);
    }

    // No estimable column (every one constant or aliased): the fit is the mean (or 0) alone,
    // and there is nothing to factor (a QR of no columns is not defined).
    Eigen::ColPivHouseholderQR<Matrix<U>> qr;
    Vector<U> gamma = Vector<U>::Zero(k), residual = b;
    Matrix<U> rows_of_inverse = Matrix<U>::Zero(k, k); // P R^{-1}
    if (k > 0) {
        qr.compute(scaled);
        gamma = qr.solve(b);
        gamma += qr.solve(Vector<U>(b - scaled * gamma));
        residual = b - scaled * gamma;
        const auto R = qr.matrixQR().topLeftCorner(k, k).template triangularView<Eigen::Upper>();
        rows_of_inverse = qr.colsPermutation() * Matrix<U>(R.solve(Matrix<U>::Identity(k, k)));
        using std::abs;
        const U condition = abs(qr.matrixQR()(0, 0)) / abs(qr.matrixQR()(k - 1, k - 1));
        const U fitted_norm = (b - residual).norm();
        const U tan_theta = fitted_norm > U(0) ? residual.norm() / fitted_norm : U(0);
        core.error_bound =
            Eigen::NumTraits<U>::epsilon() * condition * (U(1) + condition * tan_theta);
    }
    core.residual_sum_of_squares = residual.squaredNorm();
    // Of the weighted fitted values about their mean with an intercept, about 0 without.
    core.model_sum_of_squares = (b - residual).squaredNorm();

    // (S^T S)^{-1} = P R^{-1} R^{-T} P^T for the scaled columns S.
    Matrix<U> scaled_inverse = rows_of_inverse * rows_of_inverse.transpose();
    // Exactly symmetric, as a covariance is (the product's rounding is not).
    scaled_inverse.template triangularView<Eigen::StrictlyUpper>() = scaled_inverse.transpose();
    const Vector<U> beta_kept = gamma.cwiseQuotient(scale);
    const U nan = std::numeric_limits<U>::quiet_NaN();
    core.coef = Vector<U>::Constant(p, nan);
    const Eigen::Index offset = fit_intercept ? 1 : 0;
    core.unscaled = Matrix<U>::Constant(p + offset, p + offset, nan);
    for (Eigen::Index a = 0; a < k; ++a) {
        const Eigen::Index j = kept[static_cast<std::size_t>(a)];
        core.coef(j) = beta_kept(a);
        for (Eigen::Index c = 0; c < k; ++c)
            core.unscaled(offset + j, offset + kept[static_cast<std::size_t>(c)]) =
                scaled_inverse(a, c) / (scale(a) * scale(c));
    }
    if (fit_intercept) {
        core.intercept = y_mean - mean.dot(beta_kept);
        // Var(b0)/sigma^2 = 1/sum(w) + m^T C m, C the columns' unscaled covariance;
        // m^T C m = |R^{-T} P^T (m / scale)|^2, a sum of squares.
        const Vector<U> projected = rows_of_inverse.transpose() * mean.cwiseQuotient(scale);
        core.unscaled(0, 0) = U(1) / total + projected.squaredNorm();
        // Cov(b0, beta) = -C m.
        const Vector<U> covariance_with_intercept =
            -(scaled_inverse * mean.cwiseQuotient(scale)).cwiseQuotient(scale);
        for (Eigen::Index a = 0; a < k; ++a) {
            const Eigen::Index j = kept[static_cast<std::size_t>(a)];
            core.unscaled(0, offset + j) = core.unscaled(offset + j, 0) =
                covariance_with_intercept(a);
        }
    }
    return core;
}

/// The inference of the least-squares fit of `y` on `X` with precision weights `w` (validated
/// by the caller), at confidence `level`.
template <class T, class DX, class DY, class DW>
LeastSquaresSummary<T>
least_squares_inference(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                        const Eigen::MatrixBase<DW>& w, bool fit_intercept, T level) {
    InferenceCore<T> core = least_squares_inference_in<T>(X, y, w, fit_intercept);
    if constexpr (has_wider_long_double<T>) {
        if (core.error_bound > T(extended_precision_trigger)) {
            const auto extended = least_squares_inference_in<long double>(X, y, w, fit_intercept);
            core.coef = extended.coef.template cast<T>();
            core.intercept = static_cast<T>(extended.intercept);
            core.unscaled = extended.unscaled.template cast<T>();
            core.residual_sum_of_squares = static_cast<T>(extended.residual_sum_of_squares);
            core.model_sum_of_squares = static_cast<T>(extended.model_sum_of_squares);
            core.estimable = extended.estimable;
            core.estimable_count = extended.estimable_count;
        }
    }
    const T nan = std::numeric_limits<T>::quiet_NaN();
    LeastSquaresSummary<T> summary;
    summary.has_intercept = fit_intercept;
    summary.level = level;
    Eigen::Index observations = 0;
    for (Eigen::Index i = 0; i < w.size(); ++i)
        observations += w(i) > 0 ? 1 : 0;
    const Eigen::Index offset = fit_intercept ? 1 : 0;
    summary.observations = observations;
    summary.rank = core.estimable_count + offset;
    summary.df_residual = observations - summary.rank;
    summary.df_model = core.estimable_count;
    const auto df = static_cast<T>(summary.df_residual);
    summary.residual_sum_of_squares = core.residual_sum_of_squares;
    const T variance = summary.df_residual > 0 ? core.residual_sum_of_squares / df : nan;
    summary.sigma = std::sqrt(variance);
    summary.covariance = variance * core.unscaled;
    const T quantile =
        summary.df_residual > 0 ? student_t_quantile((1 + double(level)) / 2, double(df)) : nan;
    const auto row = [&](T estimate, Eigen::Index position, bool estimable) {
        if (!estimable)
            return CoefficientInference<T>{nan, nan, nan, nan, nan, nan, false};
        const T se = std::sqrt(summary.covariance(position, position));
        const T t = estimate / se;
        return CoefficientInference<T>{estimate,
                                       se,
                                       t,
                                       static_cast<T>(student_t_two_sided(double(t), double(df))),
                                       estimate - quantile * se,
                                       estimate + quantile * se,
                                       true};
    };
    if (fit_intercept)
        summary.intercept = row(core.intercept, 0, true);
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        summary.coefficients.push_back(
            row(core.coef(j), offset + j, core.estimable[static_cast<std::size_t>(j)] != 0));
    const T model = core.model_sum_of_squares, residual = core.residual_sum_of_squares;
    summary.r_squared = model / (model + residual);
    summary.adj_r_squared =
        summary.df_residual > 0
            ? T(1) - (T(1) - summary.r_squared) * static_cast<T>(observations - offset) / df
            : nan;
    if (summary.df_model > 0 && summary.df_residual > 0) {
        summary.f_statistic = model / static_cast<T>(summary.df_model) / variance;
        summary.f_p_value = static_cast<T>(
            f_upper(double(summary.f_statistic), double(summary.df_model), double(df)));
    } else {
        summary.f_statistic = nan;
        summary.f_p_value = nan;
    }
    return summary;
}

/// The summary in another scalar (a `float` model's, computed in double).
template <class Scalar, class T>
LeastSquaresSummary<Scalar> cast_summary(const LeastSquaresSummary<T>& from) {
    const auto row = [](const CoefficientInference<T>& c) {
        return CoefficientInference<Scalar>{static_cast<Scalar>(c.estimate),
                                            static_cast<Scalar>(c.std_error),
                                            static_cast<Scalar>(c.t_value),
                                            static_cast<Scalar>(c.p_value),
                                            static_cast<Scalar>(c.ci_low),
                                            static_cast<Scalar>(c.ci_high),
                                            c.estimable};
    };
    LeastSquaresSummary<Scalar> to;
    to.has_intercept = from.has_intercept;
    to.intercept = row(from.intercept);
    for (const auto& c : from.coefficients)
        to.coefficients.push_back(row(c));
    to.covariance = from.covariance.template cast<Scalar>();
    to.level = static_cast<Scalar>(from.level);
    to.sigma = static_cast<Scalar>(from.sigma);
    to.residual_sum_of_squares = static_cast<Scalar>(from.residual_sum_of_squares);
    to.observations = from.observations;
    to.rank = from.rank;
    to.df_residual = from.df_residual;
    to.df_model = from.df_model;
    to.r_squared = static_cast<Scalar>(from.r_squared);
    to.adj_r_squared = static_cast<Scalar>(from.adj_r_squared);
    to.f_statistic = static_cast<Scalar>(from.f_statistic);
    to.f_p_value = static_cast<Scalar>(from.f_p_value);
    return to;
}

} // namespace detail
} // namespace priorreg

#endif // PRIORREG_SOLVERS_LEAST_SQUARES_INFERENCE_HPP
