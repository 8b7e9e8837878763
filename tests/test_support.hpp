// Shared helpers for the tests: seeded data and independent computations of the objective.
#ifndef PRIORREG_TEST_SUPPORT_HPP
#define PRIORREG_TEST_SUPPORT_HPP

#include <Eigen/Core>
#include <Eigen/QR>
#include <cmath>
#include <random>
#include <utility>

#include <priorreg/solvers/solver_mode.hpp>

namespace test_support {

/// A seeded Gaussian design with `signal` leading nonzero coefficients, unit noise and an
/// intercept of 2; columns get different scales so standardization matters.
struct Dataset {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    Eigen::VectorXd beta;
};

inline Dataset make_dataset(Eigen::Index n, Eigen::Index p, Eigen::Index signal, unsigned seed,
                            double correlation = 0.0) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    Dataset d;
    d.X.resize(n, p);
    for (Eigen::Index i = 0; i < n; ++i) {
        double previous = normal(rng);
        for (Eigen::Index j = 0; j < p; ++j) {
            const double fresh = normal(rng);
            // AR(1) across columns: Toeplitz correlation `correlation`^|j-k|.
            const double value =
                j == 0 ? previous
                       : correlation * previous + std::sqrt(1 - correlation * correlation) * fresh;
            previous = value;
            d.X(i, j) = value * (1.0 + 0.5 * static_cast<double>(j % 4));
        }
    }
    d.beta = Eigen::VectorXd::Zero(p);
    for (Eigen::Index j = 0; j < std::min(signal, p); ++j)
        d.beta(j) = (j % 2 == 0 ? 1.0 : -1.0) * (1.0 + 0.25 * static_cast<double>(j));
    d.y = d.X * d.beta;
    for (Eigen::Index i = 0; i < n; ++i)
        d.y(i) += 2.0 + normal(rng);
    return d;
}

/// Weighted column means and 1/n standard deviations, as the objective defines them.
struct ColumnScaling {
    Eigen::VectorXd mean;
    Eigen::VectorXd scale;
};

inline ColumnScaling column_scaling(const Eigen::MatrixXd& X, const Eigen::VectorXd& w,
                                    bool standardize) {
    const Eigen::VectorXd v = w / w.sum();
    ColumnScaling s;
    s.mean = X.transpose() * v;
    s.scale = Eigen::VectorXd::Ones(X.cols());
    if (standardize) {
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            s.scale(j) = std::sqrt(v.dot((X.col(j).array() - s.mean(j)).square().matrix()));
    }
    return s;
}

/// The elastic-net objective of the README, evaluated directly on the original scale.
inline double objective(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                        const Eigen::VectorXd& w, double lambda, double alpha,
                        const Eigen::VectorXd& pf, bool standardize, double intercept,
                        const Eigen::VectorXd& coef) {
    const ColumnScaling s = column_scaling(X, w, standardize);
    const Eigen::VectorXd r = (y - X * coef).array() - intercept;
    double value = w.dot(r.cwiseAbs2()) / (2 * w.sum());
    for (Eigen::Index j = 0; j < coef.size(); ++j) {
        const double b = coef(j) * s.scale(j);
        value += lambda * pf(j) * (0.5 * (1 - alpha) * b * b + alpha * std::abs(b));
    }
    return value;
}

/// Gradient of the data term with respect to the standardized coefficients, at the optimal
/// intercept: g_j = (1 / s_j) sum_i v_i x_ij r_i, since beta_j = b_j / s_j.
inline Eigen::VectorXd standardized_gradient(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                             const Eigen::VectorXd& w, bool standardize,
                                             double intercept, const Eigen::VectorXd& coef) {
    const ColumnScaling s = column_scaling(X, w, standardize);
    const Eigen::VectorXd v = w / w.sum();
    const Eigen::VectorXd r = (y - X * coef).array() - intercept;
    return (X.transpose() * v.cwiseProduct(r)).cwiseQuotient(s.scale);
}

/// Ridge by column-pivoted QR of the augmented least-squares problem [sqrt(V) Z;
/// sqrt(lambda P)] b = [sqrt(V)(y - ybar); 0]: an independent, backward-stable closed form (with
/// an intercept).
struct RidgeReference {
    Eigen::VectorXd coef;
    double intercept;
};

inline RidgeReference ridge_by_augmented_qr(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                            const Eigen::VectorXd& w, double lambda,
                                            const Eigen::VectorXd& pf, bool standardize) {
    const Eigen::Index n = X.rows(), p = X.cols();
    const auto s = column_scaling(X, w, standardize);
    const Eigen::VectorXd root_v = (w / w.sum()).cwiseSqrt();
    const double ybar = w.dot(y) / w.sum();
    Eigen::MatrixXd augmented = Eigen::MatrixXd::Zero(n + p, p);
    Eigen::VectorXd target = Eigen::VectorXd::Zero(n + p);
    for (Eigen::Index j = 0; j < p; ++j) {
        augmented.col(j).head(n) =
            root_v.cwiseProduct((X.col(j).array() - s.mean(j)).matrix()) / s.scale(j);
        augmented(n + j, j) = std::sqrt(lambda * pf(j));
    }
    target.head(n) = root_v.cwiseProduct((y.array() - ybar).matrix());
    const Eigen::VectorXd standardized = augmented.colPivHouseholderQr().solve(target);
    RidgeReference r;
    r.coef = standardized.cwiseQuotient(s.scale);
    r.intercept = ybar - s.mean.dot(r.coef);
    return r;
}

/// The same path fitted in covariance mode and in naive mode (first and second), which must
/// agree; leaves `model` in naive mode.
template <class Model, class Options>
auto paths_in_both_modes(Model& model, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                         const Options& options) {
    auto gram = model.set_solver_mode(priorreg::SolverMode::covariance).fit_path(X, y, options);
    auto naive = model.set_solver_mode(priorreg::SolverMode::naive).fit_path(X, y, options);
    return std::make_pair(std::move(gram), std::move(naive));
}

} // namespace test_support

#endif
