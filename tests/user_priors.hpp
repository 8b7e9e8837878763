// Priors written as a user writes them, shared by the tests: the library's elastic-net maths
// inherited and no capabilities declared, so every fit takes the generic route.
#ifndef PRIORREG_TEST_USER_PRIORS_HPP
#define PRIORREG_TEST_USER_PRIORS_HPP

#include <cmath>

#include <priorreg/priorreg.hpp>

namespace test_support {

/// The Laplace prior written by a user.
struct UserLaplacePrior : priorreg::ElasticNetPenalty {
    using Scalar = double;
    template <class D> double log_density(const Eigen::MatrixBase<D>& beta) const {
        return -beta.template lpNorm<1>() - static_cast<double>(beta.size()) * std::log(2.0);
    }
    priorreg::PenaltyParameters<double> penalty_parameters(double sigma, double n) const {
        return {sigma * sigma / n, 1.0};
    }
};

} // namespace test_support

#endif // PRIORREG_TEST_USER_PRIORS_HPP
