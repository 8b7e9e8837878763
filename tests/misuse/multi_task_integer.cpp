// expect: X and Y must hold double
// An integer design given to a multi-task model.
#include <priorreg/priorreg.hpp>
int main() {
    const Eigen::MatrixXi X = Eigen::MatrixXi::Ones(4, 2);
    const Eigen::MatrixXd Y = Eigen::MatrixXd::Ones(4, 2);
    priorreg::MultiTaskElasticNet model(0.1);
    model.fit(X, Y);
}
