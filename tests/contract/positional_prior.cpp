// Must not compile: a prior written for the 0.1 contract (weights l1, l2 passed positionally).
// The test expects the migration sentence of priors/prior_contract.hpp.
#include <cmath>
#include <priorreg/map_regression.hpp>

struct OldStylePrior {
    using Scalar = double;
    template <class T> T penalty(T beta, T l1, T l2) const {
        return l1 * std::abs(beta) + T(0.5) * l2 * beta * beta;
    }
    template <class T> T proximal_step(T z, T c, T l1, T l2) const {
        return (z > l1 ? z - l1 : z < -l1 ? z + l1 : T(0)) / (c + l2);
    }
    template <class T> T conjugate(T, T, T) const { return T(0); }
    template <class T> T dual_scale(T, T, T) const { return T(1); }
    template <class T> T zero_threshold(T g) const { return std::abs(g); }
    template <class D> double log_density(const Eigen::MatrixBase<D>&) const { return 0; }
    priorreg::PenaltyParameters<double> penalty_parameters(double, double) const { return {0, 1}; }
};

int main() {
    priorreg::MapRegression<OldStylePrior> model(OldStylePrior{}, 1.0);
    return model.is_map_form() ? 0 : 1;
}
