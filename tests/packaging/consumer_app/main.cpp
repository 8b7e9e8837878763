// Packaging smoke test: fit a tiny ridge regression through the public API.
#include <priorreg/priorreg.hpp>

#include <Eigen/Dense>

int main() {
    const Eigen::Index n = 20;
    const Eigen::Index p = 3;
    Eigen::MatrixXd X(n, p);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double t = static_cast<double>(i);
        X(i, 0) = 1.0 + 0.1 * t;
        X(i, 1) = (i % 2 == 0) ? 0.5 * t : -0.25 * t;
        X(i, 2) = static_cast<double>((i * 7) % 5) - 2.0;
    }
    const Eigen::Vector3d beta(1.5, -2.0, 0.5);
    const Eigen::VectorXd y = X * beta;

    priorreg::Ridge ridge(0.1);
    ridge.fit(X, y);
    return ridge.coef().allFinite() ? 0 : 1;
}
