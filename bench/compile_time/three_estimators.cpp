// Compile-time probe: a program that fits Ridge, Lasso and ElasticNet and runs a cross-validated
// Lasso path.
#include <iostream>
#include <priorreg/priorreg.hpp>

int main() {
    const Eigen::MatrixXd X = Eigen::MatrixXd::Random(200, 10);
    const Eigen::VectorXd y = Eigen::VectorXd::Random(200);
    priorreg::Ridge ridge(0.1);
    priorreg::Lasso lasso(0.01);
    priorreg::ElasticNet net(0.01, 0.5);
    ridge.fit(X, y);
    lasso.fit(X, y);
    net.fit(X, y);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(lasso);
    cv.fit(X, y);
    std::cout << ridge.coef().transpose() << "\n"
              << lasso.coef().transpose() << "\n"
              << net.coef().transpose() << "\n"
              << cv.lambda_min() << "\n";
}
