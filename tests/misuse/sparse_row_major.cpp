// expect: a row-major or expression sparse X as Eigen::SparseMatrix<Scalar>(X)
// A row-major sparse X: the estimators read columns, so they take the column-major form.
#include <priorreg/priorreg.hpp>
int main() {
    Eigen::SparseMatrix<double, Eigen::RowMajor> X(4, 2);
    X.insert(0, 0) = 1.0;
    const Eigen::VectorXd y = Eigen::VectorXd::Ones(4);
    priorreg::Lasso lasso(0.1);
    lasso.fit(X, y);
}
