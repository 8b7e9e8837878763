#ifndef PRIORREG_SELECTION_RIDGE_LOO_HPP
#define PRIORREG_SELECTION_RIDGE_LOO_HPP

/// \file ridge_loo.hpp
/// \brief Ridge over a whole \f$\lambda\f$ grid from one decomposition: exact leave-one-out
/// error, generalized cross-validation, and the coefficients at any \f$\lambda\f$.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../detail/gram.hpp"
#include "../detail/memory.hpp"
#include "../detail/numeric.hpp"
#include "../detail/spectrum.hpp"
#include "../detail/standardize.hpp"
#include "../detail/validate.hpp"
#include "../status.hpp"

namespace priorreg {

/// \brief Ridge regression for many \f$\lambda\f$ at once, with exact leave-one-out (LOO) and
/// GCV scores.
///
/// With the working design \f$A = U S V^T\f$ (thin SVD, obtained from the eigendecomposition of
/// the smaller of \f$A^TA\f$ and \f$AA^T\f$), the ridge fit at \f$\lambda\f$ has shrinkage
/// \f$d_k = s_k^2/(s_k^2 + \lambda)\f$, fitted values \f$\bar y + U\,\mathrm{diag}(d)\,U^T(y - \bar
/// y)\f$ and hat matrix \f$H = \tfrac1n 11^T + U\,\mathrm{diag}(d)\,U^T\f$ (the first term with an
/// intercept). Then, exactly,
/// \f[ \mathrm{LOO}(\lambda) = \frac1n\sum_i\Big(\frac{e_i}{1 - H_{ii}}\Big)^2,\qquad
///     \mathrm{GCV}(\lambda) = \frac{\frac1n\sum_i e_i^2}{(1 - \mathrm{tr}(H)/n)^2}, \f]
/// \f$e\f$ the residuals of the full fit. All \f$\lambda\f$ are evaluated together as matrix
/// products, \f$O(n\min(n,p))\f$ per \f$\lambda\f$ after the decomposition.
///
/// The LOO identity holds for the penalty \f$n\lambda\f$ on the residual sum of squares kept
/// fixed when a row is left out (scikit-learn's `RidgeCV` convention, its `alpha` being
/// \f$n\lambda\f$), and with the standardization computed once on all rows; with
/// `set_standardize(false)` it is the textbook leave-one-out of that penalized fit. With
/// weights (`fit(X, y, w, lambdas)`, \f$v = w/\sum w\f$) the intercept's term of \f$H_{ii}\f$ is
/// \f$v_i\f$, the penalty kept fixed is \f$(\sum w)\lambda\f$ on the weighted residual sum of
/// squares, and the means over rows are weighted by \f$v\f$. At
/// \f$\lambda = 0\f$ a row that least squares interpolates (\f$H_{ii} = 1\f$; with an
/// intercept every row when \f$n \le p + 1\f$) is scored by the limit of its ratio as
/// \f$\lambda \to 0\f$: the error of the minimum-norm least-squares refit without it.
template <class Scalar = double> class RidgeLeaveOneOut {
public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

    RidgeLeaveOneOut& set_fit_intercept(bool fit_intercept) {
        fit_intercept_ = fit_intercept;
        return *this;
    }
    RidgeLeaveOneOut& set_standardize(bool standardize) {
        standardize_ = standardize;
        return *this;
    }

    /// Decomposes once and scores every \f$\lambda\f$ of `lambdas` (each >= 0, any order).
    template <class DX, class DY, class DL>
    RidgeLeaveOneOut& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                          const Eigen::MatrixBase<DL>& lambdas) {
        return fit(X, y, Vector::Ones(X.rows()), lambdas);
    }

    /// With observation weights `w` (non-negative, not all zero; precision weights, as the
    /// estimators take them): the fit is weighted ridge, the LOO error the weighted mean of the
    /// squared left-out residuals, GCV the weighted residual mean square over
    /// \f$(1 - \mathrm{tr}(H)/n_+)^2\f$ (\f$n_+\f$ rows of positive weight). A row of weight
    /// 0 does not move the fit: its left-out residual is its residual.
    template <class DX, class DY, class DW, class DL>
    RidgeLeaveOneOut& fit(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                          const Eigen::MatrixBase<DW>& w, const Eigen::MatrixBase<DL>& lambdas) {
        static_assert(detail::holds_scalar_v<Scalar, DX, DY>, PRIORREG_DATA_SCALAR_REQUIREMENT);
        if constexpr (!(detail::holds_scalar_v<Scalar, DX, DY>)) {
            throw std::logic_error("priorreg: unreachable");
        } else {
            detail::require_training_data(X, y);
            detail::require_weights(w, X.rows());
            if (lambdas.size() == 0)
                throw InvalidInput("RidgeLeaveOneOut: the lambda grid is empty");
            for (Eigen::Index l = 0; l < lambdas.size(); ++l)
                detail::require_nonnegative_finite(lambdas(l), "RidgeLeaveOneOut: lambda");
            const Eigen::Index n = X.rows();
            T total = T(0);
            const detail::Vector<T> v = detail::unit_weights<T>(w, total); // sums to 1
            auto problem = detail::standardize<T>(
                Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>>(X),
                Eigen::Ref<const Vector>(y), v, fit_intercept_, standardize_);
            detail::Matrix<T> left; // U, n x r
            status_ = Status::Success;
            decompose(problem.design, left);
            x_center_ = problem.x_center;
            x_scale_ = problem.x_scale;
            held_ = problem.curvature.array() == T(0);
            y_center_ = problem.y_center;
            projected_.noalias() = left.transpose() * problem.response; // U^T b
            lambdas_ = lambdas.template cast<T>();

            // All lambdas at once: shrinkage D (r x L), fitted values and hat diagonals (n x L).
            const Eigen::Index L = lambdas_.size(), r = singular_.size();
            detail::Matrix<T> shrinkage(r, L);
            for (Eigen::Index l = 0; l < L; ++l)
                for (Eigen::Index k = 0; k < r; ++k) {
                    const T s2 = singular_(k) * singular_(k);
                    shrinkage(k, l) = s2 / (s2 + lambdas_(l));
                }
            detail::Matrix<T> fitted(n, L), leverage(n, L);
            fitted.noalias() = left * (shrinkage.array().colwise() * projected_.array()).matrix();
            // The intercept's share of the hat diagonal: v_i (1/n unweighted).
            const detail::Vector<T> base =
                fit_intercept_ ? v : detail::Vector<T>(detail::Vector<T>::Zero(n));
            const InterpolatedRows interpolated = interpolated_rows(left, base, n);
            left = left.cwiseAbs2(); // U is not needed any more: square it in place
            leverage.noalias() = left * shrinkage;
            // Working rows are sqrt(v_i) times the data's: in y's units, divide by sqrt(v_i).
            const detail::Vector<T> to_y =
                (v.array() > T(0)).select(v.cwiseSqrt().cwiseInverse(), T(0));
            Eigen::Index counted = 0;
            for (Eigen::Index i = 0; i < n; ++i)
                counted += v(i) > T(0) ? 1 : 0;
            // Row i's residual of the full fit and of the fit without it, in y's units (rows of
            // weight 0 are counted nowhere here; their residuals are formed below).
            const auto residual = [&](Eigen::Index i, Eigen::Index l) {
                return to_y(i) * (problem.response(i) - fitted(i, l));
            };
            const auto left_out_residual = [&](Eigen::Index i, Eigen::Index l) {
                return lambdas_(l) == T(0) && interpolated.at(i)
                           ? to_y(i) * interpolated.limit(i)
                           : residual(i, l) / (T(1) - base(i) - leverage(i, l));
            };
            loo_.resize(L);
            gcv_.resize(L);
            df_.resize(L);
            for (Eigen::Index l = 0; l < L; ++l) {
                T loo = T(0), rss = T(0);
                for (Eigen::Index i = 0; i < n; ++i) {
                    if (!(v(i) > T(0)))
                        continue;
                    const T scaled = left_out_residual(i, l), full = residual(i, l);
                    loo += v(i) * scaled * scaled;
                    rss += v(i) * full * full;
                }
                const T trace = (fit_intercept_ ? T(1) : T(0)) + shrinkage.col(l).sum();
                const T gcv_denominator = T(1) - trace / T(counted);
                df_(l) = static_cast<Scalar>(trace);
                loo_(l) = static_cast<Scalar>(loo);
                gcv_(l) = static_cast<Scalar>(gcv_denominator > T(0)
                                                  ? rss / (gcv_denominator * gcv_denominator)
                                                  : std::numeric_limits<T>::infinity());
            }
            fitted_ = true; // coef and intercept below read the decomposition
            const Eigen::Index chosen = best_index(loo_);
            loo_residuals_.resize(n);
            for (Eigen::Index i = 0; i < n; ++i)
                loo_residuals_(i) = static_cast<Scalar>(left_out_residual(i, chosen));
            if ((v.array() == T(0)).any()) {
                const Scalar at = static_cast<Scalar>(lambdas_(chosen));
                const Vector c = coef(at);
                const Scalar b0 = intercept(at);
                for (Eigen::Index i = 0; i < n; ++i)
                    if (v(i) == T(0))
                        loo_residuals_(i) = y(i) - b0 - X.row(i).dot(c);
            }
            fitted_ = true;
            return *this;
        }
    }

    /// Success, or NumericalIssue when the eigendecomposition failed (every score is then that
    /// of the empty model).
    Status info() const {
        require_fitted(loo_);
        return status_;
    }
    /// The grid, as given.
    Vector lambdas() const { return lambdas_.template cast<Scalar>(); }
    /// Exact leave-one-out mean squared error per \f$\lambda\f$.
    const Vector& loo_errors() const { return require_fitted(loo_); }
    /// GCV score per \f$\lambda\f$.
    const Vector& gcv_scores() const { return require_fitted(gcv_); }
    /// Effective degrees of freedom \f$\mathrm{tr}(H)\f$ per \f$\lambda\f$ (counting the
    /// intercept).
    const Vector& effective_df() const { return require_fitted(df_); }
    /// The grid value with the smallest LOO error (the first on ties).
    Scalar best_lambda_loo() const { return best(loo_errors()); }
    /// Per row i, \f$y_i - \hat y_{(-i)}\f$: the residual of the fit without row i at
    /// `best_lambda_loo()` (their mean square is its LOO error), in y's units; for comparing
    /// rows, or scoring them by another measure.
    const Vector& loo_residuals() const { return require_fitted(loo_residuals_); }
    /// The grid value with the smallest GCV score.
    Scalar best_lambda_gcv() const { return best(gcv_scores()); }

    /// Coefficients (original scale) at any \f$\lambda \ge 0\f$, from the decomposition.
    Vector coef(Scalar lambda) const {
        require_fitted(loo_);
        detail::require_nonnegative_finite(lambda, "RidgeLeaveOneOut::coef: lambda");
        detail::Vector<T> working = right_ * working_weights(T(lambda));
        for (Eigen::Index j = 0; j < working.size(); ++j)
            working(j) = held_(j) ? T(0) : working(j) / x_scale_(j);
        return working.template cast<Scalar>();
    }
    /// Intercept at \f$\lambda\f$.
    Scalar intercept(Scalar lambda) const {
        const Vector c = coef(lambda);
        return static_cast<Scalar>(y_center_ - x_center_.dot(c.template cast<T>()));
    }

private:
    using T = detail::compute_scalar_t<Scalar>;

    const Vector& require_fitted(const Vector& value) const {
        if (!fitted_)
            throw NotFitted("RidgeLeaveOneOut: results requested before fit");
        return value;
    }

    /// The index of the least score (the first on ties).
    static Eigen::Index best_index(const Vector& scores) {
        Eigen::Index at = 0;
        for (Eigen::Index l = 1; l < scores.size(); ++l)
            if (scores(l) < scores(at))
                at = l;
        return at;
    }
    Scalar best(const Vector& scores) const {
        return static_cast<Scalar>(lambdas_(best_index(scores)));
    }

    /// Rows that least squares fits exactly (leverage 1: with an intercept, every row when
    /// n <= p + 1). At lambda = 0 their LOO ratio e_i / (1 - H_ii) is 0/0; its limit as lambda
    /// falls to 0, the error of the minimum-norm refit without the row, is
    /// \f$\sum_k u_{ik}(u_k^Tb)/s_k^2 \,/\, \sum_k u_{ik}^2/s_k^2\f$ (divide both by lambda).
    struct InterpolatedRows {
        Eigen::Array<bool, Eigen::Dynamic, 1> at; ///< leverage 1 to rounding
        detail::Vector<T> limit;                  ///< the limit of e_i / (1 - H_ii) (working)
    };

    InterpolatedRows interpolated_rows(const detail::Matrix<T>& U, const detail::Vector<T>& base,
                                       Eigen::Index n) const {
        InterpolatedRows rows;
        rows.at = Eigen::Array<bool, Eigen::Dynamic, 1>::Constant(n, false);
        if ((lambdas_.array() > T(0)).all() || U.cols() == 0)
            return rows;
        const detail::Vector<T> inverse_s2 = singular_.cwiseAbs2().cwiseInverse();
        const detail::Vector<T> complement =
            (T(1) - base.array() - U.rowwise().squaredNorm().array()).matrix();
        const T rounding = T(64) * T(U.cols() + 1) * std::numeric_limits<T>::epsilon();
        rows.at = complement.array() <= rounding;
        const detail::Vector<T> numerator = U * projected_.cwiseProduct(inverse_s2);
        const detail::Vector<T> denominator = U.cwiseAbs2() * inverse_s2;
        rows.limit = numerator.cwiseQuotient(denominator);
        return rows;
    }

    detail::Vector<T> working_weights(T lambda) const {
        detail::Vector<T> weights(singular_.size());
        for (Eigen::Index k = 0; k < singular_.size(); ++k)
            weights(k) = singular_(k) / (singular_(k) * singular_(k) + lambda) * projected_(k);
        return weights;
    }

    /// Thin SVD of A from the eigendecomposition of the smaller Gram; singular values below
    /// the rounding level of the largest are dropped (they carry no information).
    void decompose(const detail::Matrix<T>& A, detail::Matrix<T>& left) {
        const Eigen::Index n = A.rows(), p = A.cols();
        const bool tall = n >= p;
        const Eigen::Index m = tall ? p : n;
        detail::Matrix<T> gram = detail::Matrix<T>::Zero(m, m);
        if (tall)
            detail::lower_gram(A.transpose(), gram, 1);
        else
            detail::lower_gram(A, gram, 1);
        detail::PositiveSpectrum<T> spectrum = detail::positive_spectrum(gram);
        if (!spectrum.ok) {
            status_ = Status::NumericalIssue;
            singular_.resize(0);
            right_.resize(p, 0);
            left.resize(n, 0);
            return;
        }
        singular_ = spectrum.values.cwiseSqrt();
        const Eigen::Index kept = singular_.size();
        detail::Matrix<T>& vectors = spectrum.vectors;
        const detail::Vector<T> inverse = singular_.cwiseInverse();
        if (tall) {
            detail::resize_densely_used(left, n, kept);
            left.noalias() = A * vectors;
            left *= inverse.asDiagonal();
            right_ = std::move(vectors);
        } else {
            right_.resize(p, kept);
            right_.noalias() = A.transpose() * vectors;
            right_ *= inverse.asDiagonal();
            left = std::move(vectors);
        }
    }

    bool fit_intercept_ = true;
    bool standardize_ = true;
    bool fitted_ = false;
    Status status_ = Status::Success;
    detail::Matrix<T> right_; ///< V, p x r
    detail::Vector<T> singular_, projected_, lambdas_, x_center_, x_scale_;
    Eigen::Array<bool, Eigen::Dynamic, 1> held_;
    T y_center_ = T(0);
    Vector loo_, gcv_, df_;
    Vector loo_residuals_; ///< at the best LOO lambda
};

} // namespace priorreg

#endif // PRIORREG_SELECTION_RIDGE_LOO_HPP
