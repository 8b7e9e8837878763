// expect: must hold the model's Scalar
// An integer design given to a double model.
#include <priorreg/priorreg.hpp>
int main() {
    const Eigen::MatrixXi X = Eigen::MatrixXi::Ones(4, 2);
    const Eigen::VectorXd y = Eigen::VectorXd::Ones(4);
    priorreg::Lasso lasso(0.1);
    lasso.fit(X, y);
}
