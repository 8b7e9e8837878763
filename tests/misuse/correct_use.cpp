// expect: (compiles)
// The control: the same calls with the right types compile, so a failure above is the check's.
#include <priorreg/priorreg.hpp>
int main() {
    const Eigen::MatrixXi Xi = Eigen::MatrixXi::Ones(4, 2);
    const Eigen::MatrixXd X = Xi.cast<double>();
    const Eigen::ArrayXd y = Eigen::ArrayXd::Ones(4);
    priorreg::Ridge ridge(0.1);
    ridge.fit(X, y.matrix());
    priorreg::LinearRegression ols;
    const auto s = ols.fit(X, y.matrix()).summary(X, y.matrix());
    (void)s;
    const Eigen::SparseMatrix<double> sparse = X.sparseView();
    priorreg::Lasso lasso(0.1);
    lasso.fit(sparse, y.matrix());
}
