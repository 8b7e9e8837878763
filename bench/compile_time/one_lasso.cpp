// Compile-time probe: a program that fits one Lasso (built header-only, and with
// -DPRIORREG_COMPILED against the compiled component).
#include <iostream>
#include <priorreg/priorreg.hpp>

int main() {
    const Eigen::MatrixXd X = Eigen::MatrixXd::Random(200, 10);
    const Eigen::VectorXd y = Eigen::VectorXd::Random(200);
    priorreg::Lasso lasso(0.01);
    lasso.fit(X, y);
    std::cout << lasso.coef().transpose() << "\n";
}
