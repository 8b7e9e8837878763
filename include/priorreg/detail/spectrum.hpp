#ifndef PRIORREG_DETAIL_SPECTRUM_HPP
#define PRIORREG_DETAIL_SPECTRUM_HPP

/// \file spectrum.hpp
/// \brief The eigenpairs of a Gram matrix that carry information: those above the rounding
/// level of the largest, largest first. The spectral ridge estimators (leave-one-out ridge,
/// Bayesian ridge) read the thin SVD of their design from the smaller of \f$A^TA\f$ and
/// \f$AA^T\f$ this way.

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <limits>

#include "numeric.hpp"

namespace priorreg::detail {

/// Eigenvalues (decreasing) and eigenvectors (as columns) of a symmetric positive
/// semidefinite matrix, without those at its rounding level.
template <class T> struct PositiveSpectrum {
    Vector<T> values;
    Matrix<T> vectors;
    bool ok = true; ///< false when the eigensolver did not converge (both are then empty)
};

/// The spectrum of the symmetric matrix whose lower triangle is `lower` (m x m): eigenvalues
/// at most \f$m\,\epsilon\f$ times the largest are dropped, since rounding alone reaches them
/// in a Gram formed in this precision.
template <class T> PositiveSpectrum<T> positive_spectrum(const Matrix<T>& lower) {
    const Eigen::Index m = lower.rows();
    PositiveSpectrum<T> spectrum;
    spectrum.vectors.resize(m, 0);
    if (m == 0)
        return spectrum;
    // The eigensolver reads the lower triangle only.
    const Eigen::SelfAdjointEigenSolver<Matrix<T>> eigen(lower);
    if (eigen.info() != Eigen::Success) {
        spectrum.ok = false;
        return spectrum;
    }
    const auto& values = eigen.eigenvalues(); // ascending
    const T top = std::max(values(m - 1), T(0));
    const T floor = top * T(m) * std::numeric_limits<T>::epsilon();
    Eigen::Index kept = 0;
    while (kept < m && values(m - 1 - kept) > floor)
        ++kept;
    spectrum.values.resize(kept);
    spectrum.vectors.resize(m, kept);
    for (Eigen::Index k = 0; k < kept; ++k) {
        spectrum.values(k) = values(m - 1 - k);
        spectrum.vectors.col(k) = eigen.eigenvectors().col(m - 1 - k);
    }
    return spectrum;
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_SPECTRUM_HPP
