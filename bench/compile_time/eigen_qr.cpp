// Compile-time baseline: an Eigen-only program that solves least squares by column-pivoting QR.
#include <Eigen/Dense>
#include <iostream>

int main() {
    const Eigen::MatrixXd X = Eigen::MatrixXd::Random(200, 10);
    const Eigen::VectorXd y = Eigen::VectorXd::Random(200);
    const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(y);
    std::cout << beta.transpose() << "\n";
}
