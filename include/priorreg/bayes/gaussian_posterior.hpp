#ifndef PRIORREG_BAYES_GAUSSIAN_POSTERIOR_HPP
#define PRIORREG_BAYES_GAUSSIAN_POSTERIOR_HPP

/// \file gaussian_posterior.hpp
/// \brief The posterior of linear regression under a Gaussian prior, for any noise precision
/// \f$a\f$ and weight precision \f$l\f$, from one thin SVD of the working design.
///
/// Model (precision weights \f$w_i\f$, total \f$W\f$): \f$y_i = \beta_0 + x_i^T\beta +
/// \varepsilon_i\f$, \f$\varepsilon_i \sim N(0, 1/(a w_i))\f$, \f$\beta \sim N(0, I/l)\f$ on the
/// working (standardized) scale, and a flat prior on \f$\beta_0\f$. With \f$A\f$ the working
/// design (rows scaled by \f$\sqrt{w_i/W}\f$, columns centered and scaled), \f$b\f$ the working
/// response and \f$A = U\,\mathrm{diag}(s)\,V^T\f$ (the singular values above rounding), the
/// Gram of the data is \f$W A^TA\f$, whose eigenvalues are \f$e_k = W s_k^2\f$, and with
/// \f$z = U^Tb\f$ and \f$\kappa = l/(aW)\f$:
/// - posterior mean \f$\beta = V\,t\f$, \f$t_k = s_k z_k/(s_k^2 + \kappa)\f$ (the ridge fit at
///   penalty \f$\kappa\f$: the MAP), so \f$\|\beta\|^2 = \|t\|^2\f$;
/// - weighted residual sum of squares \f$W\big(\|(I - UU^T)b\|^2 + \sum_k (\kappa z_k/(s_k^2 +
///   \kappa))^2\big)\f$;
/// - posterior covariance \f$(aWA^TA + lI)^{-1} = I/l + V\,\mathrm{diag}\big(1/(a e_k + l) -
///   1/l\big)V^T\f$, the second term zero off the span of \f$V\f$ (there the posterior is the
///   prior: with \f$p > n\f$ that is most directions);
/// - effective number of parameters \f$\gamma = \sum_k a e_k/(a e_k + l)\f$.
/// The log evidence is scikit-learn's `BayesianRidge` score: the marginal likelihood of the
/// centered data, with Gamma hyperpriors on both precisions.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <vector>

#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/spectrum.hpp"
#include "../detail/standardize.hpp"

namespace priorreg::detail {

/// A Gamma prior on a precision: density proportional to
/// \f$x^{\text{shape}-1}e^{-\text{rate}\,x}\f$.
template <class T> struct GammaShapeRate {
    T shape;
    T rate;
};

/// One fit's spectral summary, from which the posterior at any pair of precisions follows in
/// O(r) (mean and evidence) or O(p r) (coefficients) operations.
template <class T> class SpectralPosterior {
public:
    /// Reads the working problem of `X`, `y` (weights `unit_weights`, summing to 1, of total
    /// `total_weight`): the Gram form when n >= p, the kernel form otherwise. False when the
    /// eigensolver fails.
    template <class DX, class DY>
    bool decompose(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
                   const Vector<T>& unit_weights, T total_weight, bool fit_intercept,
                   bool scale_columns, int threads) {
        const Eigen::Index n = X.rows(), p = X.cols();
        const bool tall = n >= p;
        problem_ = standardize<T>(X, y, unit_weights, fit_intercept, scale_columns, threads,
                                  tall ? WorkingForm::gram : WorkingForm::kernel);
        require_representable(problem_);
        total_weight_ = total_weight;
        counted_rows_ = (unit_weights.array() > T(0)).count();
        features_ = p;
        fit_intercept_ = fit_intercept;
        response_sum_ = problem_.response.sum();
        null_deviance_ = problem_.null_deviance;
        PositiveSpectrum<T> spectrum = positive_spectrum(tall ? problem_.gram : problem_.kernel);
        if (!spectrum.ok)
            return false;
        squared_singular_ = spectrum.values;
        const detail::Vector<T> singular = squared_singular_.cwiseSqrt();
        const Eigen::Index r = singular.size();
        if (tall) {
            right_ = std::move(spectrum.vectors);
            projected_ = (right_.transpose() * problem_.correlation).cwiseQuotient(singular);
            perpendicular_rss_ = std::max(T(0), problem_.null_deviance - projected_.squaredNorm());
        } else {
            const Matrix<T>& left = spectrum.vectors;
            projected_.noalias() = left.transpose() * problem_.response;
            perpendicular_rss_ = (problem_.response - left * projected_).squaredNorm();
            // V = A^T U diag(1/s), one working column at a time (A is not kept).
            right_.resize(p, r);
            const double work =
                2.0 * static_cast<double>(n) * static_cast<double>(p) * static_cast<double>(r + 1);
            parallel_chunks(
                p, threads_for(work, threads), [&](Eigen::Index begin, Eigen::Index end) {
                    Vector<T> column(n);
                    for (Eigen::Index j = begin; j < end; ++j) {
                        map_rows(problem_, problem_.maps[static_cast<std::size_t>(j)],
                                 X.col(j).template cast<T>(), 0, column);
                        right_.row(j).noalias() =
                            (column.transpose() * left).cwiseQuotient(singular.transpose());
                    }
                });
        }
        problem_.gram.resize(0, 0);
        problem_.kernel.resize(0, 0);
        return true;
    }

    /// The posterior at noise precision `a` and weight precision `l` (both > 0).
    struct Point {
        Vector<T> shrunk; ///< t: the posterior mean's coordinates on V
        T rss;            ///< weighted residual sum of squares of the mean
        T gamma;          ///< effective number of parameters
    };
    Point at(T a, T l) const {
        const T kappa = l / (a * total_weight_);
        Point point;
        const Eigen::Index r = squared_singular_.size();
        point.shrunk.resize(r);
        T shrink_rss = T(0), gamma = T(0);
        for (Eigen::Index k = 0; k < r; ++k) {
            const T s2 = squared_singular_(k), denominator = s2 + kappa;
            // Ratios first: z may be near the overflow threshold (y of 1e150) and kappa large.
            point.shrunk(k) = projected_(k) * (std::sqrt(s2) / denominator);
            const T left_over = projected_(k) * (kappa / denominator);
            shrink_rss += left_over * left_over;
            gamma += s2 / denominator;
        }
        point.rss = total_weight_ * (perpendicular_rss_ + shrink_rss);
        point.gamma = gamma;
        return point;
    }

    /// The posterior mean on the working scale, p.
    Vector<T> working_mean(const Point& point) const { return right_ * point.shrunk; }

    /// scikit-learn's log marginal likelihood at (a, l) for the mean of `point`, with Gamma
    /// hyperpriors `noise` on a and `weight` on l.
    T log_evidence(T a, T l, const Point& point, const GammaShapeRate<T>& noise,
                   const GammaShapeRate<T>& weight) const {
        const Eigen::Index r = squared_singular_.size();
        T log_det = -T(features_ - r) * std::log(l);
        for (Eigen::Index k = 0; k < r; ++k)
            log_det -= std::log(l + a * total_weight_ * squared_singular_(k));
        const T rows = T(counted_rows_);
        const T two_pi = T(2) * T(3.14159265358979323846);
        return weight.shape * std::log(l) - weight.rate * l + noise.shape * std::log(a) -
               noise.rate * a +
               T(0.5) * (T(features_) * std::log(l) + rows * std::log(a) - a * point.rss -
                         l * point.shrunk.squaredNorm() + log_det - rows * std::log(two_pi));
    }

    /// The posterior covariance on the original scale (p x p).
    Matrix<T> covariance(T a, T l) const {
        const Vector<T> inverse_scale = original_per_working();
        Matrix<T> covariance = right_ * correction(a, l).asDiagonal() * right_.transpose();
        covariance.diagonal().array() += T(1) / l;
        return inverse_scale.asDiagonal() * covariance * inverse_scale.asDiagonal();
    }

    /// The predictive variance of a new row's response for the rows of `X`: the noise
    /// \f$1/a\f$, the intercept's \f$1/(aW)\f$ (with one: its flat prior leaves it that
    /// uncertain given the coefficients), and \f$(x - \bar x)^T\Sigma(x - \bar x)\f$.
    template <class DX>
    Vector<T> predictive_variance(const Eigen::MatrixBase<DX>& X, T a, T l) const {
        const Vector<T> inverse_scale = original_per_working();
        const Matrix<T> working = (X.template cast<T>().rowwise() - problem_.x_center.transpose()) *
                                  inverse_scale.asDiagonal();
        const Matrix<T> on_span = working * right_;
        const Vector<T> spread =
            (working.rowwise().squaredNorm() / l + on_span.cwiseAbs2() * correction(a, l))
                .cwiseMax(T(0));
        const T floor = T(1) / a + (fit_intercept_ ? T(1) / (a * total_weight_) : T(0));
        return spread.array() + floor;
    }

    /// Rows of positive weight (n in the evidence and in the noise precision's update).
    Eigen::Index counted_rows() const { return counted_rows_; }
    /// The weighted mean square of the working response about its center ...
    T null_deviance() const { return null_deviance_; }
    /// ... and the sum of its entries (0 unweighted, with an intercept).
    T response_sum() const { return response_sum_; }
    T total_weight() const { return total_weight_; }
    /// The working problem (centers, scales, which columns carry data).
    const StandardizedProblem<T>& problem() const { return problem_; }

private:
    /// \f$1/(a e_k + l) - 1/l\f$ for each kept singular value.
    Vector<T> correction(T a, T l) const {
        return (a * total_weight_ * squared_singular_.array() + l).inverse() - T(1) / l;
    }

    /// Original coefficient per working coefficient: 1/s_j (1 for a column without data,
    /// whose coefficient keeps its prior).
    Vector<T> original_per_working() const {
        Vector<T> factor(features_);
        for (Eigen::Index j = 0; j < features_; ++j)
            factor(j) = problem_.has_data(j) ? T(1) / problem_.x_scale(j) : T(1);
        return factor;
    }

    StandardizedProblem<T> problem_;
    Vector<T> squared_singular_; ///< s_k^2, decreasing
    Matrix<T> right_;            ///< V, p x r
    Vector<T> projected_;        ///< z = U^T b
    T perpendicular_rss_ = T(0); ///< ||(I - U U^T) b||^2
    T total_weight_ = T(1);
    T null_deviance_ = T(0), response_sum_ = T(0);
    Eigen::Index counted_rows_ = 0, features_ = 0;
    bool fit_intercept_ = true;
};

} // namespace priorreg::detail

#endif // PRIORREG_BAYES_GAUSSIAN_POSTERIOR_HPP
