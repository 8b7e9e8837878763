#ifndef PRIORREG_DETAIL_STANDARDIZE_HPP
#define PRIORREG_DETAIL_STANDARDIZE_HPP

/// \file standardize.hpp
/// \brief Weighted centering and scaling of the design, and the way back to the original scale.
///
/// Every solver works on the weighted, centered, scaled problem
/// \f[ \min_{\tilde\beta} \tfrac12\|b - A\tilde\beta\|^2 + \sum_j \psi_j(\tilde\beta_j),\quad
///     A_{ij} = \sqrt{v_i}\,(x_{ij} - \bar x_j)/s_j,\quad b_i = \sqrt{v_i}\,(y_i - \bar y), \f]
/// with \f$v = w/\sum w\f$. Then \f$\tfrac12\|b - A\tilde\beta\|^2\f$ equals the data term
/// \f$\frac{1}{2\sum w}\sum_i w_i (y_i - \beta_0 - x_i^T\beta)^2\f$ at the optimal intercept,
/// \f$\beta_j = \tilde\beta_j / s_j\f$ and \f$\beta_0 = \bar y - \bar x^T\beta\f$.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "column_maps.hpp"
#include "memory.hpp"
#include "numeric.hpp"
#include "parallel.hpp"
#include "validate.hpp"

namespace priorreg::detail {

/// The weighted, centered, scaled problem and the statistics to undo it.
template <class T> struct StandardizedProblem {
    Matrix<T> design;    ///< A: n x p working copy
    Vector<T> response;  ///< b
    Vector<T> x_center;  ///< column means (0 without intercept)
    Vector<T> x_scale;   ///< column scales s_j (1 without standardization)
    T y_center = T(0);   ///< weighted mean of y (0 without intercept)
    Vector<T> curvature; ///< c_j = ||A_j||^2; 0 marks a column held at coefficient 0
    T null_deviance = 0; ///< ||b||^2: the weighted mean squared deviation of y
    /// y varies but ||b||^2 underflows: too small for a solver that works with squares.
    bool response_underflows = false;
    /// Optional sufficient statistics in place of `design` (covariance mode only): the Gram
    /// A^T A (p x p) and A^T b. Cross-validation builds them by downdating the full data's.
    Matrix<T> gram;
    Vector<T> correlation;
    /// Optional in place of `design` (closed-form ridge, p > n): the lower triangle of the
    /// kernel A diag(f)^2 A^T (n x n), f the `kernel_factors` given to `standardize`.
    Matrix<T> kernel;
    /// How each working column is formed from X's (`map_rows`, `working_transpose_product`).
    std::vector<ColumnMap<T>> maps;
    Vector<T> root_weights; ///< sqrt(v)
    bool uniform_weights = true;
    Eigen::Index rows = 0; ///< n: the rows the problem summarizes (also without `design`)
    /// The box of the working coefficients, \f$a_j \le 0 \le b_j\f$ (`box_columns`); both
    /// empty when there is none.
    Vector<T> lower, upper;
    /// The same box on the original scale: `back_transform` reports a coefficient at an end
    /// exactly there (a bound times the scale, divided by it, may round off it).
    Vector<T> original_lower, original_upper;

    /// Whether working column j carries data. One that does not (zero curvature: a constant
    /// column, one whose entries all lie on rows of weight 0, or an excluded one) is held at
    /// coefficient 0 by every solver.
    bool has_data(Eigen::Index j) const { return curvature(j) > T(0); }
};

/// Rows [begin, begin + out.size()) of the working column of map `map`, from the same rows x of
/// its column of X.
template <class T, class DX, class Out>
void map_rows(const StandardizedProblem<T>& problem, const ColumnMap<T>& map,
              const Eigen::MatrixBase<DX>& x, Eigen::Index begin, Out&& out) {
    const auto v = problem.root_weights.segment(begin, out.size()).array();
    const auto counted = v > T(0); // rows that take part
    if (map.held)
        out.setZero();
    else if (map.divide_first)
        out = counted.select((x.array() / map.scale - map.shift / map.scale) * v, T(0));
    else if (!map.safe) // a weightless row's quotient may overflow
        out = counted.select((((x.array() - map.shift) - map.correction) / map.scale) * v, T(0));
    else if (problem.uniform_weights)
        out = ((x.array() - map.shift) - map.correction) * (problem.root_weights(0) / map.scale);
    else
        out = counted.select((((x.array() - map.shift) - map.correction) * v) * (T(1) / map.scale),
                             T(0));
}

/// What `standardize` builds: the working design A, or, without a working copy of X and with
/// `design` left empty, only its Gram A^T A and A^T b (`gram`, `correlation`: summed over panels
/// of rows of X) or its kernel A diag(f)^2 A^T (`kernel`: summed over panels of columns).
enum class WorkingForm { design, gram, kernel };

/// The Gram form pays where the Gram is wanted whole (closed-form ridge, n >= p) and is narrow
/// enough for its sums to stay in cache: beyond about 640 columns the working copy and the
/// blocked Gram are faster (bench/RESULTS.md, "Working forms of closed-form ridge").
inline constexpr Eigen::Index gram_form_max_columns = 640;

/// The kernel form pays for closed-form ridge with p > n while its sums stay in cache: beyond
/// about 600 rows the blocked product is faster (bench/RESULTS.md, "Working forms of
/// closed-form ridge").
inline constexpr Eigen::Index kernel_form_max_rows = 600;

/// Fits column j's map (x is the column) into `problem`.
template <class T>
void fit_column_map(const WeightedColumns<T>& columns, Eigen::Index j, const Vector<T>& x,
                    Vector<T>& deviations, StandardizedProblem<T>& problem) {
    ColumnMap<T>& map = problem.maps[static_cast<std::size_t>(j)];
    map = columns.fit(j, x, deviations);
    problem.x_center(j) = map.shift + map.correction;
    problem.x_scale(j) = map.scale;
}

/// Forms column j's working column (x is the column) into `column`, and its curvature.
template <class T, class Column>
void form_working_column(StandardizedProblem<T>& problem, Eigen::Index j, const Vector<T>& x,
                         Column&& column) {
    const ColumnMap<T>& map = problem.maps[static_cast<std::size_t>(j)];
    map_rows(problem, map, x, 0, column);
    if (!map.held) {
        problem.curvature(j) = column.squaredNorm();
        require_normal_curvature(j, problem.curvature(j));
    }
}

/// The column maps (and, with `form_design`, the working design), columns spread over the
/// threads; each column's result does not depend on their number.
template <class T, class DX>
void fit_columns(const Eigen::MatrixBase<DX>& X, const WeightedColumns<T>& columns,
                 bool form_design, int threads, StandardizedProblem<T>& problem) {
    const Eigen::Index n = X.rows(), p = X.cols();
    // A column costs a few passes over its n entries. Each is first copied to an aligned
    // buffer, one per thread: the vectorized sums then add in the same order wherever the
    // caller's data lies, and a fresh buffer per column would be page-faulted anew each time.
    parallel_chunks(p, threads_for(4.0 * static_cast<double>(n) * static_cast<double>(p), threads),
                    [&](Eigen::Index begin, Eigen::Index end) {
                        Vector<T> x(n), deviations;
                        for (Eigen::Index j = begin; j < end; ++j) {
                            x = X.col(j).template cast<T>();
                            fit_column_map(columns, j, x, deviations, problem);
                            if (form_design)
                                form_working_column(problem, j, x, problem.design.col(j));
                        }
                    });
}

/// The kernel \f$A\,\mathrm{diag}(f)^2A^T\f$ over panels of 128 working columns (measured
/// fastest, as for the Gram's panels of rows), one symmetric rank update each, in two fixed
/// halves of the columns with sums of their own. Each column is read from X once, for its map
/// and its panel.
template <class T, class DX>
void form_kernel(const Eigen::MatrixBase<DX>& X, const WeightedColumns<T>& columns,
                 const Vector<T>& kernel_factors, int threads, StandardizedProblem<T>& problem) {
    const Eigen::Index n = X.rows(), p = X.cols();
    constexpr Eigen::Index panel = 128;
    const Eigen::Index halves = p >= 4 * panel ? 2 : 1;
    std::vector<Matrix<T>> kernels(static_cast<std::size_t>(halves));
    const double work =
        0.5 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(p);
    parallel_tasks(
        halves, threads_for(work, threads, parallel_product_threshold), [&](Eigen::Index half) {
            Matrix<T>& kernel = kernels[static_cast<std::size_t>(half)];
            kernel = Matrix<T>::Zero(n, n);
            Matrix<T> block(n, panel);
            Vector<T> x(n), deviations;
            const Eigen::Index end = (half + 1) * p / halves;
            for (Eigen::Index c = half * p / halves; c < end; c += panel) {
                const Eigen::Index m = std::min(panel, end - c);
                for (Eigen::Index k = 0; k < m; ++k) {
                    x = X.col(c + k).template cast<T>();
                    fit_column_map(columns, c + k, x, deviations, problem);
                    form_working_column(problem, c + k, x, block.col(k));
                    if (kernel_factors.size() > 0)
                        block.col(k) *= kernel_factors(c + k);
                }
                kernel.template selfadjointView<Eigen::Lower>().rankUpdate(block.leftCols(m));
            }
        });
    problem.kernel = std::move(kernels[0]);
    if (halves == 2)
        problem.kernel += kernels[1];
}

/// The working response b, its center and the null deviance. A response whose spread is at
/// rounding level is constant, as for columns: otherwise the rounding of its mean would be
/// fitted (a path would start at a lambda_max of 1e-17). The spread is recomputed without
/// underflow or overflow when the null deviance is not a normal number.
template <class T, class DY>
void center_response(const Eigen::MatrixBase<DY>& y, const WeightedColumns<T>& columns,
                     bool fit_intercept, StandardizedProblem<T>& problem) {
    const auto& counted = columns.counted();
    const Eigen::Index first = columns.first_counted();
    const Vector<T> response = y.template cast<T>();
    const T y_magnitude = counted.select(response.cwiseAbs(), T(0)).maxCoeff();
    const bool y_exactly_constant = counted.select(response.array() == response(first), true).all();
    problem.y_center = !fit_intercept       ? T(0)
                       : y_exactly_constant ? response(first)
                                            : columns.mean(response, y_magnitude);
    problem.response =
        (problem.root_weights.array() * (response.array() - problem.y_center)).matrix();
    problem.null_deviance = problem.response.squaredNorm();
    const bool normal_deviance = problem.null_deviance >= std::numeric_limits<T>::min() &&
                                 problem.null_deviance <= std::numeric_limits<T>::max();
    const T y_spread = normal_deviance      ? std::sqrt(problem.null_deviance)
                       : y_magnitude > T(0) ? columns.norm(response, problem.y_center, y_magnitude)
                                            : T(0);
    if (fit_intercept && is_negligible_spread(y_spread, y_magnitude)) {
        problem.response.setZero();
        problem.null_deviance = T(0);
    } else {
        problem.response_underflows =
            y_spread > T(0) && problem.null_deviance < std::numeric_limits<T>::min();
    }
}

/// \f$A^TA\f$ and \f$A^Tb\f$ over panels of 128 rows (measured fastest: the panel and the sums
/// stay in cache), one symmetric rank update each, in two fixed halves of the rows with sums
/// of their own. Needs the maps and the response.
template <class T, class DX>
void form_gram(const Eigen::MatrixBase<DX>& X, int threads, StandardizedProblem<T>& problem) {
    const Eigen::Index n = X.rows(), p = X.cols();
    constexpr Eigen::Index panel = 128;
    const Eigen::Index halves = n >= 4 * panel ? 2 : 1;
    std::vector<Matrix<T>> grams(static_cast<std::size_t>(halves));
    std::vector<Vector<T>> correlations(static_cast<std::size_t>(halves));
    const double work =
        0.5 * static_cast<double>(n) * static_cast<double>(p) * static_cast<double>(p);
    parallel_tasks(
        halves, threads_for(work, threads, parallel_product_threshold), [&](Eigen::Index half) {
            Matrix<T>& gram = grams[static_cast<std::size_t>(half)];
            Vector<T>& correlation = correlations[static_cast<std::size_t>(half)];
            gram = Matrix<T>::Zero(p, p);
            correlation = Vector<T>::Zero(p);
            Matrix<T> rows(panel, p);
            const Eigen::Index end = (half + 1) * n / halves;
            for (Eigen::Index r = half * n / halves; r < end; r += panel) {
                const Eigen::Index m = std::min(panel, end - r);
                for (Eigen::Index j = 0; j < p; ++j)
                    map_rows(problem, problem.maps[static_cast<std::size_t>(j)],
                             X.col(j).segment(r, m).template cast<T>(), r, rows.col(j).head(m));
                const auto block = rows.topRows(m);
                gram.template selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
                correlation.noalias() += block.transpose() * problem.response.segment(r, m);
            }
        });
    problem.gram = std::move(grams[0]);
    problem.correlation = std::move(correlations[0]);
    if (halves == 2) {
        problem.gram += grams[1];
        problem.correlation += correlations[1];
    }
    problem.gram.template triangularView<Eigen::StrictlyUpper>() = problem.gram.transpose();
    problem.curvature = problem.gram.diagonal();
    for (Eigen::Index j = 0; j < p; ++j)
        if (!problem.maps[static_cast<std::size_t>(j)].held)
            require_normal_curvature(j, problem.curvature(j));
}

/// An empty problem for p columns with the weights' square roots.
template <class T>
StandardizedProblem<T> start_problem(const Vector<T>& unit_weights, Eigen::Index p) {
    StandardizedProblem<T> problem;
    problem.rows = unit_weights.size();
    problem.root_weights = unit_weights.cwiseSqrt();
    problem.uniform_weights = (unit_weights.array() == unit_weights(0)).all();
    problem.maps.resize(static_cast<std::size_t>(p));
    problem.x_center = Vector<T>::Zero(p);
    problem.x_scale = Vector<T>::Ones(p);
    problem.curvature = Vector<T>::Zero(p);
    return problem;
}

/// Builds the working problem (see `WeightedColumns::fit` for the rules of each column). With
/// `WorkingForm::gram` (rows) or `WorkingForm::kernel` (columns, each scaled by its
/// `kernel_factors` entry, if any), the data are spread over the threads in two fixed halves,
/// so the sums do not depend on the thread count either.
template <class T, class DX, class DY>
StandardizedProblem<T>
standardize(const Eigen::MatrixBase<DX>& X, const Eigen::MatrixBase<DY>& y,
            const Vector<T>& unit_weights, bool fit_intercept, bool scale_columns, int threads = 1,
            WorkingForm form = WorkingForm::design, const Vector<T>& kernel_factors = Vector<T>()) {
    StandardizedProblem<T> problem = start_problem(unit_weights, X.cols());
    if (form == WorkingForm::design) {
        resize_densely_used(problem.design, X.rows(), X.cols());
    }
    const WeightedColumns<T> columns(unit_weights, fit_intercept, scale_columns);
    if (form == WorkingForm::kernel)
        form_kernel(X, columns, kernel_factors, threads, problem);
    else
        fit_columns(X, columns, form == WorkingForm::design, threads, problem);
    center_response(y, columns, fit_intercept, problem);
    if (form == WorkingForm::gram)
        form_gram(X, threads, problem);
    return problem;
}

/// The column scales \f$s_j\f$ alone (1 without `scale_columns`), without a working copy.
template <class T, class DX>
Vector<T> column_scales(const Eigen::MatrixBase<DX>& X, const Vector<T>& unit_weights,
                        bool fit_intercept, bool scale_columns) {
    StandardizedProblem<T> problem = start_problem(unit_weights, X.cols());
    fit_columns(X, WeightedColumns<T>(unit_weights, fit_intercept, scale_columns), false, 1,
                problem);
    return problem.x_scale;
}

/// Original-scale coefficients and intercept from the working-scale coefficients.
template <class T>
void back_transform(const StandardizedProblem<T>& problem, const Vector<T>& working_coef,
                    Vector<T>& coef, T& intercept) {
    coef = working_coef.cwiseQuotient(problem.x_scale);
    for (Eigen::Index j = 0; j < coef.size(); ++j)
        if (!problem.has_data(j))
            coef(j) = T(0);
    if (problem.original_lower.size() > 0)
        for (Eigen::Index j = 0; j < coef.size(); ++j) {
            if (working_coef(j) == problem.upper(j) || coef(j) > problem.original_upper(j))
                coef(j) = problem.original_upper(j);
            else if (working_coef(j) == problem.lower(j) || coef(j) < problem.original_lower(j))
                coef(j) = problem.original_lower(j);
        }
    intercept = problem.y_center - problem.x_center.dot(coef);
}

} // namespace priorreg::detail

#endif // PRIORREG_DETAIL_STANDARDIZE_HPP
