// expect: must be a dense Eigen matrix
// Arrays instead of matrices.
#include <priorreg/priorreg.hpp>
int main() {
    const Eigen::ArrayXXd X = Eigen::ArrayXXd::Ones(4, 2);
    const Eigen::ArrayXd y = Eigen::ArrayXd::Ones(4);
    priorreg::Ridge ridge(0.1);
    ridge.fit(X, y);
}
