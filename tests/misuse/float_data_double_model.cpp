// expect: must hold the model's Scalar
// float data given to a double model's path.
#include <priorreg/priorreg.hpp>
int main() {
    const Eigen::MatrixXf X = Eigen::MatrixXf::Ones(4, 2);
    const Eigen::VectorXf y = Eigen::VectorXf::Ones(4);
    const auto path = priorreg::ElasticNet(1.0, 0.5).fit_path(X, y);
    (void)path;
}
