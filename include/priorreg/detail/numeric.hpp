#ifndef PRIORREG_DETAIL_NUMERIC_HPP
#define PRIORREG_DETAIL_NUMERIC_HPP

/// \file numeric.hpp
/// \brief Scalar promotion rules and the small scalar formulas every solver shares.

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <type_traits>

namespace priorreg::detail {

/// The scalar the solvers compute in: float inputs are solved in double, so that a float
/// model is as accurate as its inputs allow and its tolerance means the same as in double.
template <class Scalar> struct compute_scalar { using type = Scalar; };
template <> struct compute_scalar<float> { using type = double; };
template <class Scalar> using compute_scalar_t = typename compute_scalar<Scalar>::type;

/// A wider scalar for least squares on ill-conditioned designs (x87 extended precision on
/// x86-64: 64-bit significand). Where long double is no wider than double the refinement
/// is skipped.
template <class T>
inline constexpr bool has_wider_long_double = std::is_same_v<T, double> &&
                                              (sizeof(long double) > sizeof(double)) &&
                                              (std::numeric_limits<long double>::digits >
                                               std::numeric_limits<double>::digits);

template <class T> using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T> using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// \f$S(z, t) = \mathrm{sign}(z)\max(|z| - t, 0)\f$, the proximal map of \f$t|\cdot|\f$.
template <class T> T soft_threshold(T z, T threshold) {
    if (z > threshold)
        return z - threshold;
    if (z < -threshold)
        return z + threshold;
    return T(0);
}

/// \f$t \mathrel{-}= \sum_a \delta_a c_a\f$ over the columns \f$c_a\f$ = `column(a)` for
/// `count` changes: four columns per pass, so that \f$t\f$ is read and written once for four
/// of them instead of once each.
template <class Target, class Column, class Deltas>
void subtract_combination(Target&& target, const Column& column, const Deltas& deltas,
                          Eigen::Index count) {
    Eigen::Index a = 0;
    for (; a + 4 <= count; a += 4)
        target -= deltas(a) * column(a) + deltas(a + 1) * column(a + 1) +
                  deltas(a + 2) * column(a + 2) + deltas(a + 3) * column(a + 3);
    for (; a < count; ++a)
        target -= deltas(a) * column(a);
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_NUMERIC_HPP
