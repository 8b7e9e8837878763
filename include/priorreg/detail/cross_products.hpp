#ifndef PRIORREG_DETAIL_CROSS_PRODUCTS_HPP
#define PRIORREG_DETAIL_CROSS_PRODUCTS_HPP

/// \file cross_products.hpp
/// \brief Weighted cross-products of a set of rows about fixed centers: the statistics from
/// which a covariance-mode fit runs without the rows themselves. A subset's statistics are the
/// whole's minus the complement's (cross-validation's folds).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "gram.hpp"
#include "memory.hpp"
#include "numeric.hpp"
#include "standardize.hpp"
#include "validate.hpp"

namespace priorreg {

/// \brief Weighted cross-products of rows about fixed centers \f$(\mu, \mu_y)\f$:
/// \f$\sum w (x-\mu)(x-\mu)^T\f$, \f$\sum w (x-\mu)(y-\mu_y)\f$, \f$\sum w (y-\mu_y)^2\f$,
/// \f$\sum w (x-\mu)\f$, \f$\sum w (y-\mu_y)\f$ and \f$\sum w\f$.
///
/// `MapRegression::fit_path(statistics, options)` fits the rows they summarize (with an
/// intercept, in covariance mode). Statistics of disjoint row sets about the same centers add;
/// `downdate` subtracts a subset. Centers near the rows' means keep the subtraction accurate.
template <class T> struct CrossProducts {
    detail::Matrix<T> xx;        ///< p x p
    detail::Vector<T> xy;        ///< p
    detail::Vector<T> x_sum;     ///< p
    T yy = T(0);                 ///< the response's sum of squares
    T y_sum = T(0);              ///< and its sum
    T weight = T(0);             ///< the weights' sum, in the units the sums are taken in
    detail::Vector<T> center;    ///< \f$\mu\f$ (p)
    T y_center = T(0);           ///< \f$\mu_y\f$
    detail::Vector<T> magnitude; ///< per column, an upper bound on \f$|x_{ij}|\f$ over the rows
    Eigen::Index rows = 0;
    /// The sums were taken with the weights divided by this unit: the true total weight (which
    /// sets the MAP form's \f$\lambda\f$) is `weight * weight_unit`.
    T weight_unit = T(1);
};

/// Weighted means of the columns of X and of y, in plain loops (a fixed order of additions,
/// wherever the data lie).
template <class T, class MX, class VY, class VW>
void weighted_centers(const MX& X, const VY& y, const VW& w, detail::Vector<T>& center,
                      T& y_center) {
    const Eigen::Index n = X.rows(), p = X.cols();
    T total = T(0);
    for (Eigen::Index i = 0; i < n; ++i)
        total += T(w(i));
    center = detail::Vector<T>::Zero(p);
    for (Eigen::Index j = 0; j < p; ++j) {
        for (Eigen::Index i = 0; i < n; ++i)
            center(j) += T(w(i)) * T(X(i, j));
        center(j) /= total;
    }
    y_center = T(0);
    for (Eigen::Index i = 0; i < n; ++i)
        y_center += T(w(i)) * T(y(i));
    y_center /= total;
}

/// The cross-products of `rows` of (X, y) with weights w about (`center`, `y_center`).
template <class T, class MX, class VY, class VW>
CrossProducts<T> cross_products(const MX& X, const VY& y, const VW& w,
                                const detail::Vector<T>& center, T y_center,
                                const std::vector<Eigen::Index>& rows) {
    const auto m = static_cast<Eigen::Index>(rows.size());
    const Eigen::Index p = X.cols();
    detail::Vector<T> root(m), e(m);
    for (Eigen::Index r = 0; r < m; ++r) {
        const Eigen::Index i = rows[static_cast<std::size_t>(r)];
        root(r) = std::sqrt(T(w(i)));
        e(r) = root(r) * (T(y(i)) - y_center);
    }
    detail::Matrix<T> D;
    detail::resize_densely_used(D, m, p);
    for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index r = 0; r < m; ++r)
            D(r, j) = root(r) * (T(X(rows[static_cast<std::size_t>(r)], j)) - center(j));
    CrossProducts<T> cp;
    cp.xx = detail::symmetric_gram<T>(D.transpose(), 1);
    cp.xy.noalias() = D.transpose() * e;
    cp.x_sum.noalias() = D.transpose() * root;
    cp.yy = e.squaredNorm();
    cp.y_sum = e.dot(root);
    cp.weight = root.squaredNorm();
    cp.center = center;
    cp.y_center = y_center;
    cp.magnitude = detail::Vector<T>::Zero(p);
    for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index r = 0; r < m; ++r)
            cp.magnitude(j) =
                std::max(cp.magnitude(j), std::abs(T(X(rows[static_cast<std::size_t>(r)], j))));
    cp.rows = m;
    return cp;
}

/// The statistics of `all`'s rows outside its subset `held` (same centers). The magnitudes
/// stay those of `all`: an upper bound.
template <class T>
CrossProducts<T> downdate(const CrossProducts<T>& all, const CrossProducts<T>& held) {
    CrossProducts<T> rest = all;
    rest.xx -= held.xx;
    rest.xy -= held.xy;
    rest.x_sum -= held.x_sum;
    rest.yy -= held.yy;
    rest.y_sum -= held.y_sum;
    rest.weight -= held.weight;
    rest.rows -= held.rows;
    return rest;
}

namespace detail {

/// The same rows' statistics about other centers (`center`, `y_center`): exact up to
/// rounding, so that statistics taken about different centers can be subtracted.
template <class T>
CrossProducts<T> recentered(const CrossProducts<T>& s, const Vector<T>& center, T y_center) {
    CrossProducts<T> out = s;
    const Vector<T> d = s.center - center;
    const T dy = s.y_center - y_center;
    out.xx.noalias() += d * s.x_sum.transpose();
    out.xx.noalias() += s.x_sum * d.transpose();
    out.xx.noalias() += s.weight * d * d.transpose();
    out.xy += d * s.y_sum + s.x_sum * dy + (s.weight * dy) * d;
    out.yy += T(2) * dy * s.y_sum + s.weight * dy * dy;
    out.x_sum += s.weight * d;
    out.y_sum += s.weight * dy;
    out.center = center;
    out.y_center = y_center;
    return out;
}

/// \f$\sum_i w_i (y_i - \beta_0 - x_i^T\beta)^2\f$ over the rows `s` summarizes (in the units
/// of `s.weight`), from the statistics alone; clamped at 0 against rounding.
template <class T> T squared_error(const CrossProducts<T>& s, T intercept, const Vector<T>& coef) {
    const T offset = s.y_center - intercept - s.center.dot(coef);
    const T value = s.weight * offset * offset + T(2) * offset * (s.y_sum - s.x_sum.dot(coef)) +
                    s.yy - T(2) * coef.dot(s.xy) + coef.dot(s.xx * coef);
    return std::max(value, T(0));
}

/// Cross-products a fit can use: consistent sizes, finite sums, positive weight.
template <class T> void require_statistics(const CrossProducts<T>& s) {
    const Eigen::Index p = s.xx.cols();
    if (s.xx.rows() != p || s.xy.size() != p || s.x_sum.size() != p || s.center.size() != p ||
        s.magnitude.size() != p || p == 0)
        throw InvalidInput("CrossProducts: xx must be p x p (p >= 1) and xy, x_sum, center and "
                           "magnitude of length p");
    if (!(s.weight > T(0)) || !(s.weight_unit > T(0)) || s.rows < 1)
        throw InvalidInput("CrossProducts: the weight, its unit and the row count must be "
                           "positive");
    if (!s.xx.allFinite() || !s.xy.allFinite() || !s.x_sum.allFinite() || !std::isfinite(s.yy) ||
        !std::isfinite(s.y_sum) || !std::isfinite(s.weight) || !s.center.allFinite() ||
        !std::isfinite(s.y_center) || !s.magnitude.allFinite())
        throw InvalidInput("CrossProducts: every entry must be finite");
}

/// Whether `all` minus its subset `held` keeps the digits of the rest: the subtraction loses
/// about eps * (all / rest) relatively, so the rest must keep a fair share of the total weight
/// and of every column's (and the response's) sum of squares. Where it does not (a huge weight
/// held out, a column constant on the rest), the rest is fitted from its own rows instead.
template <class T>
bool downdate_keeps_digits(const CrossProducts<T>& all, const CrossProducts<T>& held) {
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

/// The working problem (covariance form: `gram`, `correlation`) of the rows summarized by
/// `statistics`, with an intercept, as `standardize` builds it from the rows: centered on the
/// rows' own means (the statistics' centers shifted), a column whose spread is at rounding
/// level of its magnitude held at 0, the others scaled to unit spread with `scale_columns`.
template <class T>
StandardizedProblem<T> standardize(const CrossProducts<T>& statistics, bool scale_columns) {
    const Eigen::Index p = statistics.xx.cols();
    const T weight = statistics.weight;
    const Vector<T> shift = statistics.x_sum / weight;
    const T y_shift = statistics.y_sum / weight;
    StandardizedProblem<T> problem;
    problem.rows = statistics.rows;
    problem.gram = statistics.xx / weight - shift * shift.transpose();
    const Vector<T> covariance_y = statistics.xy / weight - shift * y_shift;
    problem.null_deviance = std::max(statistics.yy / weight - y_shift * y_shift, T(0));
    problem.x_center = statistics.center + shift;
    problem.y_center = statistics.y_center + y_shift;
    problem.x_scale = Vector<T>::Ones(p);
    std::vector<char> held(static_cast<std::size_t>(p), 0);
    for (Eigen::Index j = 0; j < p; ++j) {
        const T spread = std::sqrt(std::max(problem.gram(j, j), T(0)));
        if (is_negligible_spread(spread, statistics.magnitude(j)))
            held[static_cast<std::size_t>(j)] = 1;
        else if (scale_columns)
            problem.x_scale(j) = spread;
    }
    const Vector<T> inverse = problem.x_scale.cwiseInverse();
    problem.gram = inverse.asDiagonal() * problem.gram * inverse.asDiagonal();
    problem.correlation = covariance_y.cwiseProduct(inverse);
    for (Eigen::Index j = 0; j < p; ++j) {
        if (held[static_cast<std::size_t>(j)]) {
            problem.gram.row(j).setZero();
            problem.gram.col(j).setZero();
            problem.correlation(j) = T(0);
        }
    }
    problem.curvature = problem.gram.diagonal();
    return problem;
}

} // namespace detail
} // namespace priorreg

#endif // PRIORREG_DETAIL_CROSS_PRODUCTS_HPP
