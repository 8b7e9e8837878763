#ifndef PRIORREG_SELECTION_INFORMATION_CRITERIA_HPP
#define PRIORREG_SELECTION_INFORMATION_CRITERIA_HPP

/// \file information_criteria.hpp
/// \brief AIC and BIC along a regularization path.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "../detail/gram.hpp"
#include "../detail/numeric.hpp"
#include "../detail/parallel.hpp"
#include "../detail/standardize.hpp"
#include "../detail/validate.hpp"
#include "../map_regression.hpp"
#include "../path.hpp"
#include "../priors/flat_prior.hpp"
#include "../status.hpp"

namespace priorreg {

/// \brief AIC and BIC per \f$\lambda\f$ of a path.
template <class Scalar> struct InformationCriteria {
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    Vector lambdas;
    Vector degrees_of_freedom; ///< counting the intercept
    Vector rss;                ///< residual sum of squares
    Vector aic;
    Vector bic;
    Scalar noise_variance = Scalar(-1); ///< the one used; negative: profiled per model
    Eigen::Index best_aic = 0, best_bic = 0;
};

/// \brief AIC and BIC along `path`, fitted to (`X`, `y`) with unit weights.
///
/// Degrees of freedom: the number of nonzero coefficients for the Lasso (\f$\alpha = 1\f$);
/// otherwise the trace of the hat matrix of the active set,
/// \f$\mathrm{tr}\big((G_S + \Lambda_S)^{-1} G_S\big)\f$ with \f$G_S\f$ the Gram of the active
/// standardized columns (1/n scaling) and \f$\Lambda_S =
/// \lambda(1-\alpha)\,\mathrm{diag}(\mathrm{pf})\f$ (exact for the elastic net given its active
/// set; the ridge part shrinks the count), plus one for the intercept.
///
/// With a known noise variance \f$\sigma^2\f$:
/// \f$\mathrm{AIC} = n\log(2\pi\sigma^2) + \mathrm{RSS}/\sigma^2 + 2\,\mathrm{df}\f$ and BIC with
/// \f$\log(n)\,\mathrm{df}\f$. `noise_variance < 0` (the default) estimates it from the
/// least-squares fit, \f$\mathrm{RSS}_{OLS}/(n - \mathrm{rank})\f$, when \f$n\f$ exceeds the rank;
/// when \f$p \ge n\f$ (where that estimate does not exist) each model's variance is profiled
/// instead, \f$\mathrm{AIC} = n\log(2\pi\,\mathrm{RSS}/n) + n + 2\,\mathrm{df}\f$, and models with
/// \f$\mathrm{df} \ge n - 1\f$ get \f$+\infty\f$: they can interpolate the data.
template <class Scalar, class Prior, class DX, class DY>
InformationCriteria<Scalar>
information_criteria(const Path<Scalar, Prior>& path, const Eigen::MatrixBase<DX>& X,
                     const Eigen::MatrixBase<DY>& y, Scalar noise_variance = Scalar(-1)) {
    using T = detail::compute_scalar_t<Scalar>;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    detail::require_training_data(X, y);
    if (X.cols() != path.coefs().rows())
        throw InvalidInput("information_criteria: X has " + std::to_string(X.cols()) +
                           " columns but the path has " + std::to_string(path.coefs().rows()));
    const auto& model = path.estimator();
    if (!model.coefficient_bounds().empty())
        throw std::logic_error("priorreg: information_criteria counts the degrees of freedom of "
                               "an unconstrained fit; a coefficient held at a bound has none, "
                               "which it does not model");
    const Eigen::Index n = X.rows(), p = X.cols(), L = path.size();
    const T intercept_df = model.fit_intercept() ? T(1) : T(0);
    InformationCriteria<Scalar> ic;
    ic.lambdas = path.lambdas();
    ic.degrees_of_freedom.resize(L);
    ic.rss.resize(L);
    ic.aic.resize(L);
    ic.bic.resize(L);

    const Matrix residuals = (-path.predict(X)).colwise() + y;
    // The Gram of the standardized columns, needed only when a ridge part shrinks the count.
    const T alpha = T(model.alpha());
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> gram;
    Eigen::Matrix<T, Eigen::Dynamic, 1> factors = Eigen::Matrix<T, Eigen::Dynamic, 1>::Ones(p);
    if (model.penalty_factors().size() == p)
        factors = model.penalty_factors().template cast<T>();
    if (alpha < T(1)) {
        const auto problem =
            detail::standardize<T>(Eigen::Ref<const Matrix>(X),
                                   Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>>(y),
                                   Eigen::Matrix<T, Eigen::Dynamic, 1>::Constant(n, T(1) / T(n)),
                                   model.fit_intercept(), model.standardize());
        gram = detail::symmetric_gram<T>(problem.design.transpose(),
                                         detail::resolve_threads(model.threads()));
    }
    for (Eigen::Index k = 0; k < L; ++k) {
        std::vector<Eigen::Index> active;
        for (Eigen::Index j = 0; j < p; ++j)
            if (path.coefs()(j, k) != Scalar(0))
                active.push_back(j);
        T df = T(active.size());
        if (alpha < T(1) && !active.empty()) {
            const auto m = static_cast<Eigen::Index>(active.size());
            Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> g(m, m);
            for (Eigen::Index a = 0; a < m; ++a)
                for (Eigen::Index b = 0; b < m; ++b)
                    g(a, b) = gram(active[static_cast<std::size_t>(a)],
                                   active[static_cast<std::size_t>(b)]);
            Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> system = g;
            for (Eigen::Index a = 0; a < m; ++a)
                system(a, a) += T(ic.lambdas(k)) * (T(1) - alpha) *
                                factors(active[static_cast<std::size_t>(a)]);
            df = system.ldlt().solve(g).trace();
        }
        ic.degrees_of_freedom(k) = static_cast<Scalar>(df + intercept_df);
        ic.rss(k) = residuals.col(k).squaredNorm();
    }

    T sigma2 = T(noise_variance);
    if (!(sigma2 > T(0))) {
        MapRegression<FlatPrior<double>> ols;
        ols.set_fit_intercept(model.fit_intercept())
            .fit(X.template cast<double>(), y.template cast<double>());
        const T rank = T(ols.rank());
        if (T(n) > rank) {
            const Eigen::VectorXd r =
                y.template cast<double>() - ols.predict(X.template cast<double>());
            sigma2 = T(r.squaredNorm()) / (T(n) - rank);
        }
    }
    ic.noise_variance = sigma2 > T(0) ? static_cast<Scalar>(sigma2) : Scalar(-1);
    const T log_n = std::log(T(n)), two_pi = T(2) * T(EIGEN_PI);
    for (Eigen::Index k = 0; k < L; ++k) {
        const T df = T(ic.degrees_of_freedom(k)), rss = T(ic.rss(k));
        T fit_term;
        if (sigma2 > T(0)) {
            fit_term = T(n) * std::log(two_pi * sigma2) + rss / sigma2;
        } else if (df < T(n - 1) && rss > T(0)) {
            fit_term = T(n) * std::log(two_pi * rss / T(n)) + T(n);
        } else {
            fit_term = std::numeric_limits<T>::infinity();
        }
        ic.aic(k) = static_cast<Scalar>(fit_term + T(2) * df);
        ic.bic(k) = static_cast<Scalar>(fit_term + log_n * df);
    }
    ic.aic.minCoeff(&ic.best_aic);
    ic.bic.minCoeff(&ic.best_bic);
    return ic;
}

} // namespace priorreg

#endif // PRIORREG_SELECTION_INFORMATION_CRITERIA_HPP
