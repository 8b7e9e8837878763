#ifndef PRIORREG_DETAIL_PARALLEL_HPP
#define PRIORREG_DETAIL_PARALLEL_HPP

/// \file parallel.hpp
/// \brief The two ways priorreg spreads work over threads (std::thread, no thread pool): fixed
/// contiguous chunks, and tasks taken in turn. Both are deterministic in what they compute (a
/// piece of work is the same whichever thread runs it) and carry an exception thrown by the
/// work back to the caller: the one of the lowest chunk or task, as a single thread would.
/// A helper thread that cannot be started (the system is out of threads or memory) is not an
/// error: the calling thread does that work itself.

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

namespace priorreg::detail {

/// Work (multiply-adds) below which a pass over data is not worth a thread.
inline constexpr double parallel_work_threshold = 2e6;

/// Work below which a matrix-matrix product (a Gram block) is not worth a thread. Such a product
/// runs 10-20 times faster per multiply-add than a pass over memory, while a helper thread pays
/// the same start-up and first-touch memory (its allocation arena, the product's packing
/// buffers). The measurements that set it are in bench/RESULTS.md ("Thread thresholds").
inline constexpr double parallel_product_threshold = 5e7;

/// A thread count as the options give it: 0 means every hardware thread.
inline int resolve_threads(int threads) {
    if (threads > 0)
        return threads;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

/// The threads worth starting for `work` multiply-adds, below `threshold` one.
inline int threads_for(double work, int threads, double threshold = parallel_work_threshold) {
    return work > threshold ? threads : 1;
}

/// Helper threads, joined on destruction (also when the caller's own share of the work throws).
class HelperThreads {
public:
    explicit HelperThreads(std::size_t expected) {
        try {
            threads_.reserve(expected);
        } catch (...) {
            // Threads are then added one by one below, each of which may also be refused.
        }
    }
    HelperThreads(const HelperThreads&) = delete;
    HelperThreads& operator=(const HelperThreads&) = delete;
    ~HelperThreads() { join(); }

    /// Starts `body` on a new thread; false when no thread could be started (std::thread's
    /// std::system_error, or no memory for it), in which case the caller must do the work.
    template <class Body> bool start(Body&& body) noexcept {
        try {
            threads_.emplace_back(std::forward<Body>(body));
            return true;
        } catch (...) {
            return false;
        }
    }

    void join() noexcept {
        for (auto& thread : threads_)
            if (thread.joinable())
                thread.join();
    }

private:
    std::vector<std::thread> threads_;
};

/// Runs `work(begin, end)` over [0, count) split into at most `threads` contiguous chunks whose
/// boundaries are multiples of 16 (so that results do not depend on the split).
template <class Work> void parallel_chunks(Eigen::Index count, int threads, Work&& work) {
    constexpr Eigen::Index alignment = 16;
    if (threads <= 1 || count < 2 * alignment) {
        work(Eigen::Index(0), count);
        return;
    }
    const Eigen::Index chunks = std::min<Eigen::Index>(threads, count / alignment);
    const Eigen::Index step =
        ((count + chunks - 1) / chunks + alignment - 1) / alignment * alignment;
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(chunks));
    const auto run = [&work, &failures, step, count](Eigen::Index begin) {
        try {
            work(begin, std::min(begin + step, count));
        } catch (...) {
            failures[static_cast<std::size_t>(begin / step)] = std::current_exception();
        }
    };
    HelperThreads helpers(static_cast<std::size_t>(chunks - 1));
    Eigen::Index not_started = count; // the first chunk no helper took: the caller runs the rest
    for (Eigen::Index begin = step; begin < count; begin += step)
        if (!helpers.start([&run, begin] { run(begin); })) {
            not_started = begin;
            break;
        }
    run(Eigen::Index(0));
    for (Eigen::Index begin = not_started; begin < count; begin += step)
        run(begin);
    helpers.join();
    for (const auto& failure : failures)
        if (failure)
            std::rethrow_exception(failure);
}

/// Runs `task(k)` for every k in [0, count) on up to `threads` threads, each thread taking the
/// next k in turn (so unequal tasks balance themselves; put the largest first).
template <class Task> void parallel_tasks(Eigen::Index count, int threads, Task&& task) {
    std::atomic<Eigen::Index> next{0};
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(count));
    const auto worker = [&] {
        for (Eigen::Index k = next++; k < count; k = next++) {
            try {
                task(k);
            } catch (...) {
                failures[static_cast<std::size_t>(k)] = std::current_exception();
            }
        }
    };
    const Eigen::Index helper_count = std::min<Eigen::Index>(threads, count) - 1;
    HelperThreads helpers(static_cast<std::size_t>(std::max<Eigen::Index>(helper_count, 0)));
    for (Eigen::Index t = 0; t < helper_count && helpers.start(worker); ++t) {
    }
    worker(); // takes whatever tasks no helper takes, all of them if no helper started
    helpers.join();
    for (const auto& failure : failures)
        if (failure)
            std::rethrow_exception(failure);
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_PARALLEL_HPP
