#ifndef PRIORREG_SOLVERS_WORKSPACES_HPP
#define PRIORREG_SOLVERS_WORKSPACES_HPP

/// \file workspaces.hpp
/// \brief The two ways coordinate descent keeps the gradient \f$g = A^T r\f$ current.
///
/// - `NaiveWorkspace` ("naive" mode, for \f$p \gtrsim n\f$): never forms the \f$p \times p\f$
///   Gram. Coordinate descent runs on the working set through the Gram of its members only;
///   the residual is formed when the solver needs the full gradient, which costs a pass over
///   \f$A\f$ (split over threads by column blocks). Between passes the solver bounds how far
///   each \f$A_j^T r\f$ can have moved (`drift`) and asks for exact values only where the
///   bound does not settle the KKT check (`exact_gradient`).
/// - `GramWorkspace` ("covariance" mode, for \f$n \gg p\f$): keeps the full gradient through
///   the Gram columns of the features that have entered, \f$g = A^Tb - G\beta\f$. A coordinate
///   update costs \f$O(p)\f$ and the full gradient is free. Gram columns are built only when
///   features enter, a block at a time by matrix products; entered features are moved to a
///   prefix of the working copy so that each block only needs the rows of features that have
///   not entered yet (the rest follows from symmetry).
///
/// Both expose the same members, indexed by feature: `start()`, `correlation(j)`,
/// `correlation_cost()`, `apply(j, delta)`, `prepare(features)`, `gram_block(features, block)`
/// (block sized m x m by the caller), `gram_column(features, j, out)`, `gram_entry_cost()`,
/// `gradient(g)`, `combination_gradient(features, eta, out)`, `response_correlation(j)`,
/// `residual_norm2(beta, g)`, `response_dot_residual(beta)`, and `checkpoint(features)` with
/// `rollback()` (one state held at a time, restored exactly, for a trial move that is refused);
/// `gradient_is_free` tells the solver which kind it has.

#include "gram_workspace.hpp"
#include "naive_workspace.hpp"

#endif // PRIORREG_SOLVERS_WORKSPACES_HPP
