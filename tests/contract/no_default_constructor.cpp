// Must not compile: the penalty form (a lambda) of a prior without a default constructor.
#include <priorreg/map_regression.hpp>
#include <priorreg/priors/elastic_net_penalty.hpp>

struct ScaledPrior : priorreg::ElasticNetPenalty {
    using Scalar = double;
    explicit ScaledPrior(double b) : b_(b) {}
    template <class D> double log_density(const Eigen::MatrixBase<D>& beta) const {
        return -beta.template lpNorm<1>() / b_;
    }
    priorreg::PenaltyParameters<double> penalty_parameters(double sigma, double n) const {
        return {sigma * sigma / (n * b_), 1.0};
    }
    double b_;
};

int main() {
    priorreg::MapRegression<ScaledPrior> map_form(ScaledPrior(2.0), 1.0); // fine
    priorreg::MapRegression<ScaledPrior> penalty_form(0.1);               // refused
    return map_form.is_map_form() && !penalty_form.is_map_form() ? 0 : 1;
}
