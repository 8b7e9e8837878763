// expect: must hold the model's Scalar
// Cross-validation and the alpha selection on an integer design.
#include <priorreg/priorreg.hpp>
int main() {
    const Eigen::MatrixXi X = Eigen::MatrixXi::Ones(20, 2);
    const Eigen::VectorXd y = Eigen::VectorXd::Ones(20);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> cv(priorreg::Lasso(0.1));
    cv.fit(X, y);
}
