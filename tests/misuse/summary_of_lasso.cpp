// expect: summary() is the inference of least squares
// The OLS inference asked of a penalized model.
#include <priorreg/priorreg.hpp>
int main() {
    const Eigen::MatrixXd X = Eigen::MatrixXd::Ones(4, 2);
    const Eigen::VectorXd y = Eigen::VectorXd::Ones(4);
    priorreg::Lasso lasso(0.1);
    const auto s = lasso.fit(X, y).summary(X, y);
    (void)s;
}
