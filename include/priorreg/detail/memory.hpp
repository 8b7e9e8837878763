#ifndef PRIORREG_DETAIL_MEMORY_HPP
#define PRIORREG_DETAIL_MEMORY_HPP

/// \file memory.hpp
/// \brief A hint for large working arrays: back them by transparent huge pages where Linux
/// offers them on request ("madvise" mode). First-touch page faults on a fresh working copy
/// of the design otherwise cost as much as a pass of computation over it.

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace priorreg::detail {

/// Advises the kernel that [data, data + bytes) will be used densely. Call before the first
/// write. Only a hint: errors are ignored and other systems do nothing. It covers the aligned
/// 2 MB blocks inside the range, and is skipped when none fits (a range of 2 to 4 MB may hold
/// one: H02's path coefficients, 3.2 MB, are 800 first-touch faults on 4 KB pages).
inline void advise_huge_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::size_t huge = std::size_t(1) << 21;
    if (bytes < huge)
        return;
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t aligned = (begin + huge - 1) & ~(std::uintptr_t(huge) - 1);
    const std::uintptr_t end = (begin + bytes) & ~(std::uintptr_t(huge) - 1);
    if (end > aligned)
        static_cast<void>(
            ::madvise(reinterpret_cast<void*>(aligned), end - aligned, MADV_HUGEPAGE));
#else
    static_cast<void>(data);
    static_cast<void>(bytes);
#endif
}

/// `advise_huge_pages` for the storage of a dense Eigen object.
template <class Dense> void advise_huge_pages(Dense& matrix) {
    advise_huge_pages(matrix.data(),
                      static_cast<std::size_t>(matrix.size()) * sizeof(typename Dense::Scalar));
}

/// `matrix.resize(rows, cols)` (its values are lost), with huge pages advised for the new
/// storage before anything writes to it.
template <class Dense>
void resize_densely_used(Dense& matrix, Eigen::Index rows, Eigen::Index cols) {
    matrix.resize(rows, cols);
    advise_huge_pages(matrix);
}

/// A rows x cols scratch matrix on `storage`, which keeps its allocation from call to call and
/// grows by doubling, to at most `limit` entries where that holds the request: the working sets of
/// a path grow a few features at a time, and a fresh allocation of each new size is, above the
/// allocator's mmap threshold, fresh pages, each faulted in on first touch (on the hard design H09,
/// 3,600 faults and a sixth of the path's time; bench/RESULTS_NOTES.md, "Scratch that keeps its
/// pages"). Values are not kept.
template <class Storage>
Eigen::Map<Eigen::Matrix<typename Storage::Scalar, Eigen::Dynamic, Eigen::Dynamic>>
scratch_matrix(Storage& storage, Eigen::Index rows, Eigen::Index cols,
               Eigen::Index limit = Eigen::NumTraits<Eigen::Index>::highest()) {
    const Eigen::Index needed = rows * cols;
    if (storage.size() < needed) {
        const Eigen::Index doubled =
            storage.size() > limit / 2 ? limit : std::min(2 * storage.size(), limit);
        resize_densely_used(storage, std::max(needed, doubled), 1);
    }
    return {storage.data(), rows, cols};
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_MEMORY_HPP
