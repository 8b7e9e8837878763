// Must not compile: a prior without `conjugate`. The test expects the sentence naming it.
#include <cmath>
#include <priorreg/map_regression.hpp>

struct NoConjugatePrior {
    using Scalar = double;
    template <class T> T penalty(T beta, const priorreg::CoordinatePenalty<T>& w) const {
        return w.l1 * std::abs(beta);
    }
    template <class T> T proximal_step(T z, T c, const priorreg::CoordinatePenalty<T>& w) const {
        return (z > w.l1 ? z - w.l1 : z < -w.l1 ? z + w.l1 : T(0)) / c;
    }
    template <class T> T dual_scale(T, const priorreg::CoordinatePenalty<T>&) const { return T(1); }
    template <class T> T zero_threshold(T g, const priorreg::CoordinatePenalty<T>&) const {
        return std::abs(g);
    }
    template <class D> double log_density(const Eigen::MatrixBase<D>&) const { return 0; }
    priorreg::PenaltyParameters<double> penalty_parameters(double, double) const { return {0, 1}; }
};

int main() {
    priorreg::MapRegression<NoConjugatePrior> model(NoConjugatePrior{}, 1.0);
    return model.is_map_form() ? 0 : 1;
}
