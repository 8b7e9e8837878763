#ifndef PRIORREG_STATUS_HPP
#define PRIORREG_STATUS_HPP

/// \file status.hpp
/// \brief Outcome of a fit and the exception type for bad input.

#include <ostream>
#include <stdexcept>
#include <string>

namespace priorreg {

/// \brief What a fit achieved, reported by `info()`.
///
/// Numerical outcomes are values, not exceptions: a fit that runs out of iterations keeps its
/// last iterate and says so here.
enum class Status {
    Success, ///< converged to the requested tolerance (or solved in closed form)
    /// the iteration limit was reached, or no certificate exists (a block of unpenalized
    /// features too large to settle: the duality gap is then infinite); the last iterate is kept
    NoConvergence,
    NumericalIssue ///< the result could not be represented (overflow, non-finite values)
};

/// \brief The enumerator's name: `"Success"`, `"NoConvergence"` or `"NumericalIssue"`
/// (`"Status(k)"` for a value outside the enumeration).
inline std::string to_string(Status status) {
    switch (status) {
    case Status::Success:
        return "Success";
    case Status::NoConvergence:
        return "NoConvergence";
    case Status::NumericalIssue:
        return "NumericalIssue";
    }
    return "Status(" + std::to_string(static_cast<int>(status)) + ")";
}

/// \brief Writes `to_string(status)`.
inline std::ostream& operator<<(std::ostream& out, Status status) {
    return out << to_string(status);
}

/// \brief Thrown for invalid arguments: shapes, non-finite values, out-of-range parameters.
///
/// Derives from `std::invalid_argument`; the message names the offending argument.
class InvalidInput : public std::invalid_argument {
public:
    explicit InvalidInput(const std::string& what) : std::invalid_argument("priorreg: " + what) {}
};

/// \brief Thrown when a method is called out of order (for example `predict` before `fit`).
class NotFitted : public std::logic_error {
public:
    explicit NotFitted(const std::string& what) : std::logic_error("priorreg: " + what) {}
};

} // namespace priorreg

#endif // PRIORREG_STATUS_HPP
