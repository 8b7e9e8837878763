#ifndef PRIORREG_SOLVERS_CONJUGATE_GRADIENTS_HPP
#define PRIORREG_SOLVERS_CONJUGATE_GRADIENTS_HPP

/// \file conjugate_gradients.hpp
/// \brief Preconditioned conjugate gradients, for a system next to one already factored: the
/// support's system at new ridge weights (solvers/support_factor.hpp) and the kernel's at a new
/// scale (solvers/kernel_factor.hpp), each preconditioned by the factor of the old one.

#include <Eigen/Core>
#include <cmath>
#include <limits>

#include "../detail/numeric.hpp"

namespace priorreg::detail {

/// Solves \f$Sx = b\f$ in place (`b` becomes x), S symmetric positive definite, from the
/// preconditioned start \f$P^{-1}b\f$, to a residual of `tolerance` times \f$\|b\|\f$ or
/// `max_iterations`; `product(v, out)` sets out = S v and `precondition(v)` applies
/// \f$P^{-1}\f$ in place. Returns the iterations taken.
template <class T, class Product, class Precondition>
int conjugate_gradients(Vector<T>& b, const Product& product, const Precondition& precondition,
                        T tolerance, int max_iterations) {
    const T target = tolerance * b.norm();
    Vector<T> x = b;
    precondition(x);
    Vector<T> image(b.size());
    product(x, image);
    Vector<T> residual = b - image;
    Vector<T> z = residual;
    precondition(z);
    Vector<T> direction = z;
    T rz = residual.dot(z);
    int k = 0;
    for (; k < max_iterations && residual.norm() > target; ++k) {
        product(direction, image);
        const T curvature = direction.dot(image);
        if (!(curvature > T(0)))
            break;
        const T step = rz / curvature;
        x += step * direction;
        residual -= step * image;
        z = residual;
        precondition(z);
        const T next = residual.dot(z);
        direction = z + (next / rz) * direction;
        rz = next;
    }
    b = x;
    return k;
}

/// Iterations of conjugate gradients to a residual of `tolerance` (relative) when the
/// preconditioned spectrum spans the ratio `spread` (its largest to its least value, at least
/// 1): 0 when it is 1, infinite when it is.
template <class T> double conjugate_gradient_iterations(T spread, T tolerance) {
    if (spread == T(1))
        return 0;
    if (!(spread < std::numeric_limits<T>::infinity()))
        return std::numeric_limits<double>::infinity();
    const double root = std::sqrt(static_cast<double>(spread));
    const double rate = (root - 1) / (root + 1);
    return rate > 0 ? std::ceil(std::log(static_cast<double>(tolerance)) / std::log(rate)) : 1;
}

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_CONJUGATE_GRADIENTS_HPP
