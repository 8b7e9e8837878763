#ifndef PRIORREG_SOLVERS_KERNEL_FACTOR_HPP
#define PRIORREG_SOLVERS_KERNEL_FACTOR_HPP

/// \file kernel_factor.hpp
/// \brief Solves with \f$A_S^T A_S + D\f$, \f$D = \mathrm{diag}(l_2)_S > 0\f$, through the
/// \f$n \times n\f$ kernel when the support \f$S\f$ has more members than the data has rows.
///
/// An elastic net on a p > n design can keep more features than rows: at the end of its path
/// the support of a 400-row problem holds a thousand features. The support's own factor
/// (solvers/support_factor.hpp) then costs \f$m^3/3\f$ with m the support's size, where
/// \f$(A_S^T A_S + D)^{-1} = D^{-1} - D^{-1}A_S^T K^{-1} A_S D^{-1}\f$ with
/// \f$K = I + A_S D^{-1} A_S^T\f$ (Woodbury) needs a factor of \f$K\f$, of order n.
///
/// Along a path the ridge weights of an elastic net scale with \f$\lambda\f$ together:
/// \f$D = D_0 / c\f$ for the weights \f$D_0\f$ that \f$M = A_S D_0^{-1} A_S^T\f$ was formed with,
/// so \f$K = I + cM\f$. \f$M\f$ and the factor of \f$K\f$ follow the support by rank-one
/// updates (\f$n^2\f$ each per feature that enters or leaves; a new \f$M\f$ costs
/// \f$n^2 m\f$, a new factor \f$n^3/3\f$). A factor made at \f$c_f\f$ preconditions conjugate
/// gradients at a nearby \f$c\f$: the preconditioned spectrum lies between 1 and
/// \f$c / c_f\f$, about 7 iterations of \f$6n^2\f$ between neighbours of a 100-value path. \f$K
/// \succeq I\f$: the system is well conditioned however dependent the columns are, and exact
/// duplicates share their weight as the ridge part of the penalty wants.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "../detail/numeric.hpp"
#include "conjugate_gradients.hpp"

namespace priorreg::detail {

/// Whether a workspace holds the working design densely (`design()`, n x p).
template <class Workspace, class = void> struct holds_design : std::false_type {};
template <class Workspace>
struct holds_design<Workspace, std::void_t<decltype(std::declval<const Workspace&>().design())>>
    : std::true_type {};

template <class T> class KernelFactor {
public:
    /// Features in the factor's order: the support as last assigned.
    const std::vector<Eigen::Index>& order() const { return order_; }
    Eigen::Index size() const { return static_cast<Eigen::Index>(order_.size()); }
    /// Whether `solve` runs conjugate gradients (the ridge weights' scale is not the factor's).
    bool preconditioned() const { return scale_ != factored_scale_; }

    /// About the flops of `assign` and one `solve` for `support` with ridge weights `ridge`;
    /// infinite where the kernel does not serve: the workspace does not hold the design, the
    /// support is not larger than the number of rows, or a ridge weight is not positive.
    template <class Workspace, class Ridge>
    double cost(const std::vector<Eigen::Index>& support, const Ridge& ridge,
                const Workspace& workspace) {
        constexpr double never = std::numeric_limits<double>::infinity();
        if constexpr (!holds_design<Workspace>::value) {
            return never;
        } else {
            const Matrix<T>& A = workspace.design();
            const auto m = static_cast<double>(support.size());
            if (!(m > static_cast<double>(A.rows())))
                return never;
            for (const Eigen::Index j : support)
                if (!(ridge(j) > T(0)))
                    return never;
            return make_plan(support, ridge, A).flops;
        }
    }

    /// Makes the kernel that of `support` with ridge weights `ridge` (all positive, and the
    /// workspace holding the design: see `cost`). False when it could not be factored.
    template <class Workspace, class Ridge>
    bool assign(const std::vector<Eigen::Index>& support, const Ridge& ridge,
                const Workspace& workspace) {
        if constexpr (!holds_design<Workspace>::value) {
            return false;
        } else {
            const Matrix<T>& A = workspace.design();
            if (!(static_cast<Eigen::Index>(support.size()) > A.rows()) ||
                !std::all_of(support.begin(), support.end(),
                             [&](Eigen::Index j) { return ridge(j) > T(0); }))
                return false; // not the kernel's case (`cost`)
            const Plan plan = make_plan(support, ridge, A);
            design_ = &A;
            // Eigen's LLT reports only its last rank-one update: each is checked.
            bool updated = true;
            if (plan.rebuild) {
                rebuild(support, ridge, A);
            } else {
                // Each feature changes M by x x^T / held, and the factor's K by s_f times
                // that: rank-one updates of both.
                scale_ = plan.ratio;
                for (const Eigen::Index j : leaving_)
                    updated =
                        add(A, j, -T(1) / held_[static_cast<std::size_t>(j)], !plan.refactor) &&
                        updated;
                for (const Eigen::Index j : entering_) {
                    held_[static_cast<std::size_t>(j)] = ridge(j) * scale_;
                    updated =
                        add(A, j, T(1) / held_[static_cast<std::size_t>(j)], !plan.refactor) &&
                        updated;
                }
                updates_ += static_cast<Eigen::Index>(leaving_.size() + entering_.size());
            }
            order_ = support;
            // D^-1 as K holds it: s / held (within rounding of 1 / ridge).
            inverse_ridge_.resize(size());
            for (Eigen::Index a = 0; a < size(); ++a)
                inverse_ridge_(a) =
                    scale_ / held_[static_cast<std::size_t>(order_[static_cast<std::size_t>(a)])];
            if (plan.refactor) {
                system_ = kernel_.template selfadjointView<Eigen::Lower>();
                system_ *= scale_;
                system_.diagonal().array() += T(1);
                factor_.compute(system_);
                factored_scale_ = scale_;
                rent_ = 0;
                updated = true;
            }
            // A failed factor or update leaves factored_ false: the next plan starts afresh.
            factored_ = updated && factor_.info() == Eigen::Success;
            return factored_;
        }
    }

    /// Solves \f$(A_S^T A_S + D) x = b\f$ in place, `b` in `order()`.
    void solve(Vector<T>& b) {
        const Matrix<T>& A = *design_;
        const Eigen::Index m = size();
        Vector<T> scaled = b.cwiseProduct(inverse_ridge_.head(m));
        rows_.setZero(A.rows());
        for (Eigen::Index a = 0; a < m; ++a)
            rows_.noalias() += scaled(a) * A.col(order_[static_cast<std::size_t>(a)]);
        solve_kernel(rows_);
        for (Eigen::Index a = 0; a < m; ++a)
            scaled(a) -= inverse_ridge_(a) * A.col(order_[static_cast<std::size_t>(a)]).dot(rows_);
        b = scaled;
    }

private:
    /// Relative residual at which the conjugate gradients stop, and their iteration limit.
    static constexpr T tolerance = T(64) * std::numeric_limits<T>::epsilon();
    static constexpr int max_iterations = 60;

    struct Plan {
        bool rebuild;  ///< form M anew
        bool refactor; ///< factor K anew (else solve by conjugate gradients, or directly)
        T ratio;       ///< s: of the weights M holds to the ridge weights now
        double flops;  ///< of the assignment and one solve
    };

    /// A new M where the ridge weights no longer share one ratio to those it holds, where half
    /// the support changes, or after as many updates as the support has members (the rounding
    /// of downdates stays bounded); else updates. A new factor of K where s moved so far from
    /// the factor's s_f that the conjugate gradients preconditioned by it would need more than
    /// `max_iterations`, or once they have cost as much as a new factor (renting against buying,
    /// as solvers/support_factor.hpp). Fills `leaving_` and `entering_`.
    template <class Ridge>
    Plan make_plan(const std::vector<Eigen::Index>& support, const Ridge& ridge,
                   const Matrix<T>& A) {
        const auto n = static_cast<double>(A.rows());
        const auto m = static_cast<double>(support.size());
        const double new_factor = n * n * n / 3 + n * n;
        const double solve = 4 * n * m + 2 * n * n;
        const Plan fresh{true, true, T(1), n * n * m + new_factor + solve};
        const auto p = static_cast<std::size_t>(A.cols());
        if (held_.size() != p || design_ != &A || kernel_.rows() != A.rows() || !factored_)
            return fresh;
        mark_.assign(p, 0);
        for (const Eigen::Index j : support)
            mark_[static_cast<std::size_t>(j)] = 1;
        leaving_.clear();
        entering_.clear();
        T ratio = T(0);
        bool uniform = true;
        for (const Eigen::Index j : order_) {
            const auto u = static_cast<std::size_t>(j);
            if (!mark_[u]) {
                leaving_.push_back(j);
                continue;
            }
            mark_[u] = 2;
            const T now = held_[u] / ridge(j);
            if (ratio == T(0))
                ratio = now;
            else if (std::abs(now - ratio) > T(256) * std::numeric_limits<T>::epsilon() * ratio)
                uniform = false;
        }
        for (const Eigen::Index j : support)
            if (mark_[static_cast<std::size_t>(j)] == 1)
                entering_.push_back(j);
        const auto changes = static_cast<double>(leaving_.size() + entering_.size());
        if (!uniform || !(ratio > T(0)) || !(changes < m / 2) ||
            static_cast<double>(updates_) + changes > m)
            return fresh;
        // K(s) preconditioned by K(s_f): its spectrum lies between 1 and s / s_f (M is positive
        // semidefinite).
        const T step = ratio / factored_scale_;
        const double iterations =
            conjugate_gradient_iterations(step > T(1) ? step : T(1) / step, tolerance);
        const double renting = (iterations + 1) * 6 * n * n;
        if (iterations > max_iterations || rent_ + renting > new_factor)
            return {false, true, ratio, changes * n * n + new_factor + solve};
        return {false, false, ratio, 3 * changes * n * n + renting + solve};
    }

    /// K(s) x = b in place, K(s) = I + s M: by the factor where s is its own, else by conjugate
    /// gradients preconditioned with it.
    void solve_kernel(Vector<T>& b) {
        if (scale_ == factored_scale_) {
            factor_.solveInPlace(b);
            return;
        }
        const int k = conjugate_gradients(
            b,
            [&](const Vector<T>& x, Vector<T>& out) {
                out.noalias() = kernel_.template selfadjointView<Eigen::Lower>() * x;
                out = x + scale_ * out;
            },
            [&](Vector<T>& v) { factor_.solveInPlace(v); }, tolerance, max_iterations);
        const auto n = static_cast<double>(b.size());
        rent_ += (k + 1) * 6 * n * n;
    }

    template <class Ridge>
    void rebuild(const std::vector<Eigen::Index>& support, const Ridge& ridge, const Matrix<T>& A) {
        const Eigen::Index n = A.rows();
        const auto m = static_cast<Eigen::Index>(support.size());
        held_.assign(static_cast<std::size_t>(A.cols()), T(0));
        gathered_.resize(n, m);
        for (Eigen::Index a = 0; a < m; ++a) {
            const Eigen::Index j = support[static_cast<std::size_t>(a)];
            held_[static_cast<std::size_t>(j)] = ridge(j);
            gathered_.col(a) = A.col(j) / std::sqrt(ridge(j));
        }
        kernel_.setZero(n, n);
        kernel_.template selfadjointView<Eigen::Lower>().rankUpdate(gathered_);
        gathered_ = Matrix<T>();
        scale_ = T(1);
        updates_ = 0;
    }

    /// M += weight x_j x_j^T, and the factor of K(s_f) with it when `follow`; false when that
    /// update of the factor failed.
    bool add(const Matrix<T>& A, Eigen::Index j, T weight, bool follow) {
        kernel_.template selfadjointView<Eigen::Lower>().rankUpdate(A.col(j), weight);
        if (!follow)
            return true;
        factor_.rankUpdate(A.col(j), factored_scale_ * weight);
        return factor_.info() == Eigen::Success;
    }

    const Matrix<T>* design_ = nullptr;
    std::vector<Eigen::Index> order_;
    std::vector<T> held_;          ///< per feature: the ridge weight M holds it with
    T scale_ = T(1);               ///< s: the ridge weights are held_ / s
    T factored_scale_ = T(1);      ///< s_f: the factor is of K(s_f) = I + s_f M
    double rent_ = 0;              ///< flops of conjugate gradients since the factor
    Eigen::Index updates_ = 0;     ///< rank-one changes since M was formed
    Matrix<T> kernel_;             ///< M, lower triangle
    Matrix<T> system_;             ///< K(s_f), before its factor
    Eigen::LLT<Matrix<T>> factor_; ///< of K(s_f)
    bool factored_ = false;
    Vector<T> inverse_ridge_; ///< 1 / l2 over order()
    Vector<T> rows_;          ///< `solve`'s vector of n
    Matrix<T> gathered_;      ///< scratch for a new M
    std::vector<char> mark_;
    std::vector<Eigen::Index> leaving_, entering_;
};

} // namespace priorreg::detail

#endif // PRIORREG_SOLVERS_KERNEL_FACTOR_HPP
