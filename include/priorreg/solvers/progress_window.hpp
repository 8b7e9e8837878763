#ifndef PRIORREG_SOLVERS_PROGRESS_WINDOW_HPP
#define PRIORREG_SOLVERS_PROGRESS_WINDOW_HPP

/// \file progress_window.hpp
/// \brief When a lambda's coordinate descent stops early without a certificate: its gap
/// falling too slowly to reach the target within the sweep limit.

#include <algorithm>
#include <cmath>

namespace priorreg::detail {

/// Whether a lambda's gap can still reach its target within the sweep limit: at the rate
/// the gap fell over the last window of sweeps (at least 200, a hundredth of the limit),
/// even four times faster, the sweeps left would not get there. Below the rounding of the
/// gradient (a lambda far under lambda_max on near-duplicate columns: 1e-13 of it on the
/// duplicate designs of tests/test_correlated_designs.cpp) the gap grows as sweeps go on,
/// and every sweep up to the limit was spent for nothing (45-150 s per path); stopping
/// early returns the same NoConvergence. A lambda that converges at all does so in far
/// fewer sweeps than a window (at most 73 per lambda on the hard designs of bench/compare).
template <class T> class ProgressWindow {
public:
    explicit ProgressWindow(int max_sweeps)
        : max_sweeps_(max_sweeps), window_(std::max(200, max_sweeps / 100)) {}

    /// At a gap check that missed `target` after `sweeps` sweeps of this lambda.
    bool out_of_reach(T gap, T target, int sweeps) {
        if (start_ < 0) {
            start_ = sweeps;
            start_gap_ = gap;
            return false;
        }
        const int spent = sweeps - start_;
        if (spent < window_)
            return false;
        const T fell = start_gap_ / gap;
        start_ = sweeps;
        start_gap_ = gap;
        if (!(fell > T(1)))
            return true;
        const T windows_left = static_cast<T>(max_sweeps_ - sweeps) / static_cast<T>(spent);
        return std::log(gap / target) > T(4) * windows_left * std::log(fell);
    }

private:
    int max_sweeps_, window_;
    int start_ = -1;
    T start_gap_ = T(0);
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PROGRESS_WINDOW_HPP
