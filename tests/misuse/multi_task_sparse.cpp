// expect: a multi-task model takes dense double matrices
// A sparse design given to a multi-task path.
#include <priorreg/priorreg.hpp>
int main() {
    Eigen::SparseMatrix<double> X(4, 2);
    X.insert(0, 0) = 1.0;
    const Eigen::MatrixXd Y = Eigen::MatrixXd::Ones(4, 2);
    const auto path = priorreg::MultiTaskElasticNet(0.1).fit_path(X, Y);
    (void)path;
}
