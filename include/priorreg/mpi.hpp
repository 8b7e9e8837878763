#ifndef PRIORREG_MPI_HPP
#define PRIORREG_MPI_HPP

/// \file mpi.hpp
/// \brief `priorreg::mpi::allreduce`: the sufficient statistics of every rank's rows, merged
/// across an MPI communicator. The optional component `mpi` (CMake target `priorreg::mpi`,
/// `find_package(priorreg COMPONENTS mpi)`); the rest of priorreg does not depend on MPI.
///
/// One `MPI_Allreduce` with a user-defined reduction that performs the exact pairwise merge of
/// `SufficientStatistics::merge` (Chan, Golub and LeVeque) on the statistics' packed form
/// (`SufficientStatistics::pack`), one contiguous datatype of that size. The reduction is
/// declared non-commutative, so MPI applies it in rank order: the result does not depend on
/// how the implementation schedules the messages, and the fit every rank then runs is the
/// same on each rank.

// MPI's C interface only: the deprecated C++ bindings that some implementations still pull in
// do not compile warning-free.
#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "status.hpp"
#include "sufficient_statistics.hpp"

namespace priorreg {
namespace mpi {
namespace detail {

/// The values in one element of `type` (a contiguous block of doubles).
inline std::size_t doubles_per_element(MPI_Datatype* type) {
    int bytes = 0;
    MPI_Type_size(*type, &bytes);
    return static_cast<std::size_t>(bytes) / sizeof(double);
}

/// MPI's reduction: `inout` becomes the merge of `in` (the lower ranks' rows) and `inout`.
inline void merge_packed(void* in, void* inout, int* count, MPI_Datatype* type) {
    const std::size_t size = doubles_per_element(type);
    auto* from = static_cast<double*>(in);
    auto* into = static_cast<double*>(inout);
    for (int k = 0; k < *count; ++k) {
        const double* a = from + static_cast<std::size_t>(k) * size;
        double* b = into + static_cast<std::size_t>(k) * size;
        auto merged = SufficientStatistics<double>::unpack(a, size);
        merged.merge(SufficientStatistics<double>::unpack(b, size));
        const std::vector<double> packed = merged.pack();
        std::copy(packed.begin(), packed.end(), b);
    }
}

inline void check(int code, const char* what) {
    if (code != MPI_SUCCESS)
        throw std::runtime_error(std::string("priorreg::mpi::allreduce: ") + what +
                                 " failed (MPI error " + std::to_string(code) + ")");
}

} // namespace detail

/// Replaces `statistics` on every rank of `comm` with the statistics of all ranks' rows. Every
/// rank must call it with statistics of the same columns, folds and seed (checked: an
/// `InvalidInput` on every rank otherwise). The packed statistics must fit one MPI message
/// (p^2 times the folds below 2^31 doubles, p up to about 14,000 with 10 folds, 46,000
/// without).
inline void allreduce(SufficientStatistics<double>& statistics, MPI_Comm comm) {
    // The same layout everywhere, or no merge: compare the extremes of (p, folds, seed).
    const std::uint64_t layout[3] = {static_cast<std::uint64_t>(statistics.cols()),
                                     static_cast<std::uint64_t>(statistics.folds()),
                                     statistics.seed()};
    std::uint64_t low[3], high[3];
    detail::check(MPI_Allreduce(layout, low, 3, MPI_UINT64_T, MPI_MIN, comm), "MPI_Allreduce");
    detail::check(MPI_Allreduce(layout, high, 3, MPI_UINT64_T, MPI_MAX, comm), "MPI_Allreduce");
    for (int k = 0; k < 3; ++k)
        if (low[k] != high[k])
            throw InvalidInput("mpi::allreduce: the ranks' statistics differ in columns, folds "
                               "or seed");
    std::vector<double> packed = statistics.pack();
    if (packed.size() > static_cast<std::size_t>(INT_MAX))
        throw InvalidInput("mpi::allreduce: the packed statistics (" +
                           std::to_string(packed.size()) +
                           " doubles) exceed one MPI message; use fewer folds or columns");
    std::vector<double> merged(packed.size());
    MPI_Datatype type;
    detail::check(MPI_Type_contiguous(static_cast<int>(packed.size()), MPI_DOUBLE, &type),
                  "MPI_Type_contiguous");
    detail::check(MPI_Type_commit(&type), "MPI_Type_commit");
    MPI_Op merge;
    detail::check(MPI_Op_create(&detail::merge_packed, 0, &merge), "MPI_Op_create");
    const int code = MPI_Allreduce(packed.data(), merged.data(), 1, type, merge, comm);
    MPI_Op_free(&merge);
    MPI_Type_free(&type);
    detail::check(code, "MPI_Allreduce");
    statistics = SufficientStatistics<double>::unpack(merged.data(), merged.size());
}

} // namespace mpi
} // namespace priorreg

#endif // PRIORREG_MPI_HPP
