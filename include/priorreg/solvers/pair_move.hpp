#ifndef PRIORREG_SOLVERS_PAIR_MOVE_HPP
#define PRIORREG_SOLVERS_PAIR_MOVE_HPP

/// \file pair_move.hpp
/// \brief Moves of weight between two strongly correlated features to the objective's minimum
/// along their difference: in closed form for the elastic net, by line search for any prior.
///
/// Coordinate descent moves weight between two features whose columns are nearly equal only by
/// the square of their correlation per sweep: along \f$d = e_j - s\,e_k\f$ (\f$s\f$ the sign of
/// their correlation) the fit changes by \f$\lVert A_j - sA_k\rVert\f$ per unit, which is tiny,
/// while each coordinate alone sees a steep valley. On a design with near copies of its columns
/// and more nonzeros than rows, the sweeps then ran into thousands per lambda without closing the
/// gap (bench/RESULTS_NOTES.md). Along \f$d\f$ the objective is one-dimensional,
/// \f$\phi(t) = \tfrac12 a t^2 - b t + \psi_j(\beta_j + t) + \psi_k(\beta_k - s t)\f$ with
/// \f$a = \lVert A_j - sA_k\rVert^2\f$ and \f$b = A_j^Tr - s A_k^Tr\f$, and for the elastic net it
/// is quadratic between the two points where a coefficient crosses zero: its minimum is exact.
/// For any other prior \f$\phi\f$ is convex, and a line search on the prior's `penalty` finds
/// its minimum.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "../detail/numeric.hpp"
#include "../priors/prior_contract.hpp"
#include "penalty_weights.hpp"

namespace priorreg::detail {

/// Two features whose columns have \f$|\rho| \ge\f$ `PairMoves::correlation_threshold`.
template <class T> struct CorrelatedPair {
    Eigen::Index first, second;
    T sign;      ///< of their correlation
    T curvature; ///< \f$\lVert A_j - s A_k\rVert^2\f$, the quadratic's coefficient along the move
};

/// The minimizer \f$t\f$ of \f$\phi(t) - \phi(0)\f$ (see the file's description) for the
/// penalty \f$\psi(v) = l_1|v| + l_2v^2/2\f$ of each coordinate, within the box; `decrease`
/// receives \f$\phi(0) - \phi(t) \ge 0\f$. Returns 0 when no move lowers \f$\phi\f$ by more than
/// the rounding of its terms. `x`, `y`: the coefficients of the pair; `slope`: \f$b\f$.
template <class T>
T pair_move_step(const PenaltyWeights<T>& weights, const CorrelatedPair<T>& pair, T x, T y, T slope,
                 T& decrease) {
    decrease = T(0);
    const Eigen::Index j = pair.first, k = pair.second;
    const T s = pair.sign, a = pair.curvature;
    const T l1j = weights.l1(j), l2j = weights.l2(j), l1k = weights.l1(k), l2k = weights.l2(k);
    // One-sided slopes of phi at 0 (a zero coefficient leaves at slope +l1 either way): no move
    // when neither direction descends.
    const T sign_x = x > T(0) ? T(1) : T(-1), sign_y = y > T(0) ? T(1) : T(-1);
    const T up = -slope + l2j * x + (x != T(0) ? sign_x * l1j : l1j) - s * l2k * y +
                 (y != T(0) ? -s * sign_y * l1k : l1k);
    const T down = slope - l2j * x + (x != T(0) ? -sign_x * l1j : l1j) + s * l2k * y +
                   (y != T(0) ? s * sign_y * l1k : l1k);
    if (!(up < T(0)) && !(down < T(0)))
        return T(0);

    const auto psi = [](T v, T l1, T l2) { return l1 * std::abs(v) + l2 * v * v / T(2); };
    const T before = psi(x, l1j, l2j) + psi(y, l1k, l2k);
    const auto change = [&](T t) {
        return a * t * t / T(2) - slope * t + psi(x + t, l1j, l2j) + psi(y - s * t, l1k, l2k) -
               before;
    };
    // The box, as an interval of t.
    T low = -std::numeric_limits<T>::infinity(), high = std::numeric_limits<T>::infinity();
    if (weights.boxed()) {
        low = weights.lowest(j) - x;
        high = weights.highest(j) - x;
        const T at_top = s * (y - weights.highest(k)), at_bottom = s * (y - weights.lowest(k));
        low = std::max(low, std::min(at_top, at_bottom));
        high = std::min(high, std::max(at_top, at_bottom));
    }
    // Between the zero crossings of the two coefficients phi is one quadratic.
    const T cross_x = -x, cross_y = s * y;
    const T inner_low = std::min(cross_x, cross_y), inner_high = std::max(cross_x, cross_y);
    const T pieces[3][2] = {{-std::numeric_limits<T>::infinity(), inner_low},
                            {inner_low, inner_high},
                            {inner_high, std::numeric_limits<T>::infinity()}};
    const T q = a + l2j + l2k;
    T best_t = T(0), best = T(0);
    const auto consider = [&](T t) {
        if (!(t >= low && t <= high) || !std::isfinite(t))
            return;
        const T value = change(t);
        if (value < best) {
            best = value;
            best_t = t;
        }
    };
    for (const auto& piece : pieces) {
        const T lo = std::max(piece[0], low), hi = std::min(piece[1], high);
        if (!(lo <= hi))
            continue;
        consider(lo);
        consider(hi);
        if (!(q > T(0)))
            continue; // phi is linear on the piece: its minimum is at an end
        // The signs on the piece, from a point inside it.
        const T inside = std::isfinite(lo) && std::isfinite(hi) ? (lo + hi) / T(2)
                         : std::isfinite(lo)                    ? lo + T(1)
                         : std::isfinite(hi)                    ? hi - T(1)
                                                                : T(0);
        const T u = x + inside, v = y - s * inside;
        const T sign_u = u > T(0) ? T(1) : u < T(0) ? T(-1) : T(0);
        const T sign_v = v > T(0) ? T(1) : v < T(0) ? T(-1) : T(0);
        const T stationary = (slope - l1j * sign_u + s * l1k * sign_v - l2j * x + s * l2k * y) / q;
        consider(std::min(std::max(stationary, lo), hi));
    }
    // A decrease at the rounding level of phi's terms is no move.
    const T scale = before + std::abs(slope * best_t) + a * best_t * best_t;
    if (!(-best > T(16) * std::numeric_limits<T>::epsilon() * scale))
        return T(0);
    decrease = -best;
    return best_t;
}

/// The minimizer \f$t\f$ of \f$\phi(t) - \phi(0)\f$ for any convex penalty (a user's prior):
/// \f$\phi\f$ is convex, so a bracket grown by doubling from the larger coefficient's size and
/// golden-section search on it find its minimum to \f$\sqrt{\varepsilon}\f$ of the bracket,
/// about as closely as values of \f$\phi\f$ tell points apart. A minimum at a kink, where a
/// coefficient reaches zero or an end of its box, is taken exactly: those points are candidates
/// too: about 50 evaluations of each penalty. Where \f$\phi\f$ is no lower a resolution away
/// on either side (a settled pair) the search is not run. `decrease` and the returned value as
/// for `pair_move_step`.
template <class Prior, class T>
T line_pair_move_step(const Prior& prior, const PenaltyWeights<T>& weights,
                      const CorrelatedPair<T>& pair, T x, T y, T slope, T& decrease) {
    decrease = T(0);
    const Eigen::Index j = pair.first, k = pair.second;
    const T s = pair.sign, a = pair.curvature;
    const T psi_x = box_penalty(prior, weights, j, x), psi_y = box_penalty(prior, weights, k, y);
    const T infinity = std::numeric_limits<T>::infinity();
    const auto change = [&](T t) {
        const T value = a * t * t / T(2) - slope * t +
                        (box_penalty(prior, weights, j, x + t) - psi_x) +
                        (box_penalty(prior, weights, k, y - s * t) - psi_y);
        return std::isnan(value) ? infinity : value; // inf - inf outside the domain
    };
    // A bracket [left, right] around the minimum, with phi(middle) <= phi at both ends.
    if (!std::isfinite(psi_x + psi_y))
        return T(0);
    const T largest = std::max(std::abs(x), std::abs(y)), size = largest > T(0) ? largest : T(1);
    // No lower value within the search's resolution on either side: by convexity the minimum
    // is within it, and no move is worth its update (the common case once the pairs settle).
    const T resolution = std::sqrt(std::numeric_limits<T>::epsilon()) * size;
    if (!(change(resolution) < T(0)) && !(change(-resolution) < T(0)))
        return T(0);
    T left = -size, middle = T(0), right = size, at_middle = T(0);
    for (const T direction : {T(1), T(-1)}) {
        T value = change(direction * size);
        if (!(value < at_middle))
            continue;
        // Downhill: double the step while phi keeps falling.
        left = T(0);
        middle = direction * size;
        at_middle = value;
        right = T(2) * middle;
        for (int doubling = 0; doubling < 64; ++doubling) {
            value = change(right);
            if (!(value < at_middle))
                break;
            left = middle;
            middle = right;
            at_middle = value;
            right = T(2) * middle;
        }
        if (left > right)
            std::swap(left, right);
        break;
    }
    // Golden-section search on the bracket, keeping the least value at `middle` (so that
    // infinite values outside the penalty's domain never tie with the minimum's).
    const T fraction = (T(3) - std::sqrt(T(5))) / T(2);
    const T width = std::sqrt(std::numeric_limits<T>::epsilon()) * (right - left);
    while (right - left > width) {
        const bool right_side = right - middle > middle - left;
        const T trial =
            right_side ? middle + fraction * (right - middle) : middle - fraction * (middle - left);
        const T at_trial = change(trial);
        if (at_trial < at_middle) {
            (right_side ? left : right) = middle;
            middle = trial;
            at_middle = at_trial;
        } else {
            (right_side ? right : left) = trial;
        }
    }
    T best_t = middle, best = at_middle;
    const auto consider = [&](T t, T value) {
        if (value < best) {
            best = value;
            best_t = t;
        }
    };
    // The kinks: a coefficient at zero or at an end of its box.
    const T kinks[] = {-x,
                       s * y,
                       weights.lowest(j) - x,
                       weights.highest(j) - x,
                       s * (y - weights.lowest(k)),
                       s * (y - weights.highest(k))};
    for (T t : kinks) {
        if (!std::isfinite(t) || t == T(0))
            continue;
        // x + (end - x) may round past the end: then the point an ulp inside.
        T value = change(t);
        for (int ulp = 0; ulp < 2 && value == infinity; ++ulp)
            value = change(t = std::nextafter(t, T(0)));
        consider(t, value);
    }
    const T scale =
        std::abs(psi_x) + std::abs(psi_y) + std::abs(slope * best_t) + a * best_t * best_t;
    if (!(-best > T(16) * std::numeric_limits<T>::epsilon() * scale))
        return T(0);
    decrease = -best;
    return best_t;
}

/// The exact move along a pair: in closed form for the elastic net on each orthant, else by
/// line search (`line_pair_move_step`).
template <class Prior, class T>
T pair_move(const Prior& prior, const PenaltyWeights<T>& weights, const CorrelatedPair<T>& pair,
            T x, T y, T slope, T& decrease) {
    if constexpr (capabilities_v<Prior>.elastic_net_on_orthants)
        return pair_move_step(weights, pair, x, y, slope, decrease);
    else
        return line_pair_move_step(prior, weights, pair, x, y, slope, decrease);
}

/// The slope \f$b = A_j^Tr - sA_k^Tr\f$ of a pair as far as it is known: moved toward zero by
/// its rounding. Each gradient entry carries an error of a few \f$\varepsilon\lVert A_j\rVert
/// \lVert b\rVert\f$ at least (`response_norm`: \f$\lVert b\rVert\f$; `curvature`:
/// \f$\lVert A_j\rVert^2\f$), and between near copies \f$b\f$ is a difference of two nearly
/// equal entries: a slope within that error is noise. Divided by the pair's small curvature
/// such noise would be a move of any size, whose updates of the workspace round away more than
/// the data hold (exact copies at a ridge weight of 1e-305 were once moved by 1e44 and left the
/// gradient meaningless). Moving as far as the slope that is certain never passes the minimum.
template <class T>
T certain_slope(T slope, const CorrelatedPair<T>& pair, const Vector<T>& curvature,
                T response_norm) {
    const T rounding = T(8) * std::numeric_limits<T>::epsilon() * response_norm *
                       (std::sqrt(curvature(pair.first)) + std::sqrt(curvature(pair.second)));
    return std::abs(slope) > rounding ? slope - std::copysign(rounding, slope) : T(0);
}

/// One exact move along each pair's difference (`pair_move`, with the slope that is certain:
/// `certain_slope`), applied to `beta` and the workspace. Returns twice the largest decrease,
/// the measure of a coordinate update's change (\f$c\,\delta^2\f$ lowers the objective by about
/// half of it); counts the moves that change a sign in `sign_changes` and their updates' flops
/// in `flops`; a partner that leaves zero joins `active`.
template <class Prior, class T, class Workspace>
T sweep_pairs(const Prior& prior, const std::vector<CorrelatedPair<T>>& pairs,
              const PenaltyWeights<T>& weights, const Vector<T>& curvature, T response_norm,
              Workspace& workspace, Vector<T>& beta, std::vector<Eigen::Index>& active,
              Eigen::Index& sign_changes, double& flops) {
    const auto sign_of = [](T value) { return (value > T(0)) - (value < T(0)); };
    T change = T(0);
    for (const CorrelatedPair<T>& pair : pairs) {
        const Eigen::Index j = pair.first, k = pair.second;
        const T x = beta(j), y = beta(k);
        if (x == T(0) && y == T(0))
            continue;
        const T slope =
            certain_slope(workspace.correlation(j) - pair.sign * workspace.correlation(k), pair,
                          curvature, response_norm);
        T decrease = T(0);
        const T t = pair_move(prior, weights, pair, x, y, slope, decrease);
        if (t == T(0))
            continue;
        // A move to an end of a box lands there to rounding: clamped.
        beta(j) = std::clamp(x + t, weights.lowest(j), weights.highest(j));
        beta(k) = std::clamp(y - pair.sign * t, weights.lowest(k), weights.highest(k));
        workspace.apply(j, beta(j) - x);
        workspace.apply(k, beta(k) - y);
        flops += 2 * workspace.update_cost();
        if (sign_of(x) != sign_of(beta(j)) || sign_of(y) != sign_of(beta(k)))
            ++sign_changes;
        if (y == T(0) && std::find(active.begin(), active.end(), k) == active.end())
            active.push_back(k);
        change = std::max(change, T(2) * decrease);
    }
    return change;
}

/// The strongly correlated partners of each feature, found once per path, and the pairs they
/// form on the working set.
template <class T> class PairMoves {
public:
    /// Near copies: the correlation above which partners are looked up.
    static constexpr double correlation_threshold = 0.9999;
    /// A pair is moved when the objective's curvature along it, \f$a + l_{2,j} + l_{2,k}\f$, is
    /// at most this share of the coordinates' own, \f$\sqrt{c_jc_k}\f$: about coordinate
    /// descent's progress along the pair per sweep. Where the ridge part or the columns' own
    /// difference gives more, the sweeps, the sign-pattern step and extrapolation did better:
    /// with pairs of correlation 0.99, the moves took an AR(1) design's neighbours (H05 of
    /// bench/compare, 600 x 5000, alpha 0.5) and doubled its time with fewer sweeps; on H09
    /// (near copies, alpha 0.5) they took 30 % fewer sweeps and 1.8 times the time.
    static constexpr double flat_share = 1e-4;
    /// Partners kept per feature: the most correlated (a group of near copies has a few).
    static constexpr std::size_t partners_kept = 4;
    /// Sweeps of a loop on the active set without converging before pairs are sought: from the
    /// first sweep the moves broke the steady signs the sign-pattern step waits for (a 60 x 240
    /// elastic net with near copies went from at most 13 sweeps per lambda to 233).
    static constexpr int stall_sweeps = 5;
    /// Where a Gram entry is a pass over two columns (naive mode past the kept Gram), the
    /// sweeps a lambda takes before pairs are sought: on D5 of bench/compare (2000 x 5000,
    /// AR(1) 0.9, at most 19 sweeps a lambda) the lookups at every stall found no pair and made
    /// the path 9 % slower.
    static constexpr int costly_lookup_sweeps = 30;

    /// A new loop on the active set: no pairs until it stalls.
    void restart() {
        loop_sweeps_ = 0;
        sought_ = false;
        pairs_.clear();
    }

    /// Called after each sweep of the loop (`lambda_sweeps`: the lambda's sweeps so far): the
    /// pairs to move, sought once per loop when it stalls (`stall_sweeps`,
    /// `costly_lookup_sweeps`), empty before.
    template <class Workspace>
    const std::vector<CorrelatedPair<T>>&
    after_sweep(const Workspace& workspace, const Vector<T>& curvature,
                const PenaltyWeights<T>& weights, const std::vector<Eigen::Index>& active,
                const std::vector<Eigen::Index>& working_set,
                const std::vector<char>& in_working_set, int lambda_sweeps, double allowance) {
        if (++loop_sweeps_ >= stall_sweeps && !sought_ &&
            (workspace.gram_entry_cost() <= 1 || lambda_sweeps >= costly_lookup_sweeps)) {
            sought_ = true;
            find(workspace, curvature, weights, active, working_set, in_working_set, allowance);
        }
        return pairs_;
    }

private:
    /// The pairs of `active` features and their partners in the working set. A feature's
    /// partners are looked up the first time it is active in a stall, among the features of the
    /// working set then: all of them where the workspace keeps a column of the whole Gram
    /// (covariance mode), else from the working set's Gram (n flops an entry where it is not
    /// kept). The lookups' flops stay within `allowance`.
    template <class Workspace>
    void find(const Workspace& workspace, const Vector<T>& curvature,
              const PenaltyWeights<T>& weights, const std::vector<Eigen::Index>& active,
              const std::vector<Eigen::Index>& working_set, const std::vector<char>& in_working_set,
              double allowance) {
        pairs_.clear();
        const auto p = curvature.size();
        if (found_.empty()) {
            found_.assign(static_cast<std::size_t>(p), 0);
            partners_.resize(static_cast<std::size_t>(p));
        }
        const double lookup_cost =
            Workspace::gradient_is_free
                ? static_cast<double>(p)
                : static_cast<double>(working_set.size()) * workspace.gram_entry_cost();
        const auto flat = [&](Eigen::Index j) {
            return !(weights.l2(j) > T(flat_share) * curvature(j)) && !weights.unweighted(j);
        };
        for (const Eigen::Index j : active) {
            if (!flat(j))
                continue;
            const auto slot = static_cast<std::size_t>(j);
            if (!found_[slot]) {
                if (lookup_flops_ + lookup_cost > allowance)
                    continue;
                lookup_flops_ += lookup_cost;
                find_partners(workspace, curvature, working_set, j);
            }
            for (const CorrelatedPair<T>& pair : partners_[slot]) {
                const Eigen::Index k = pair.second;
                if (in_working_set[static_cast<std::size_t>(k)] && flat(k) &&
                    pair.curvature + weights.l2(j) + weights.l2(k) <=
                        T(flat_share) * std::sqrt(curvature(j) * curvature(k)))
                    pairs_.push_back(pair);
            }
        }
    }

    template <class Workspace>
    void find_partners(const Workspace& workspace, const Vector<T>& curvature,
                       const std::vector<Eigen::Index>& working_set, Eigen::Index j) {
        const auto slot = static_cast<std::size_t>(j);
        found_[slot] = 1;
        std::vector<CorrelatedPair<T>>& mine = partners_[slot];
        const T cj = curvature(j);
        const auto consider = [&](Eigen::Index k, T g) {
            const T ck = curvature(k);
            if (k == j || !(ck > T(0)) ||
                !(std::abs(g) >= T(correlation_threshold) * std::sqrt(cj * ck)))
                return;
            const T s = g > T(0) ? T(1) : T(-1);
            mine.push_back({j, k, s, std::max(T(0), cj + ck - T(2) * s * g)});
        };
        if constexpr (Workspace::gradient_is_free) {
            one_.assign(1, j);
            unit_.setOnes(1);
            workspace.combination_gradient(one_, unit_, column_);
            for (Eigen::Index k = 0; k < curvature.size(); ++k)
                consider(k, column_(k));
        } else {
            workspace.gram_column(working_set, j, column_);
            for (std::size_t a = 0; a < working_set.size(); ++a)
                consider(working_set[a], column_(static_cast<Eigen::Index>(a)));
        }
        if (mine.size() > partners_kept) {
            // The nearest columns: the smallest distance ||A_j - s A_k||^2.
            std::partial_sort(mine.begin(), mine.begin() + partners_kept, mine.end(),
                              [](const CorrelatedPair<T>& u, const CorrelatedPair<T>& v) {
                                  return u.curvature < v.curvature;
                              });
            mine.resize(partners_kept);
        }
    }

    std::vector<char> found_;
    std::vector<std::vector<CorrelatedPair<T>>> partners_;
    std::vector<CorrelatedPair<T>> pairs_;
    std::vector<Eigen::Index> one_;
    Vector<T> unit_, column_;
    double lookup_flops_ = 0;
    int loop_sweeps_ = 0; ///< of the current loop on the active set
    bool sought_ = false; ///< pairs sought in the current loop
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_PAIR_MOVE_HPP
