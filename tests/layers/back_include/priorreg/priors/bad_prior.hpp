// Fixture of the include-layer check: a prior that includes a solver (a layer above it).
#include "../solvers/some_solver.hpp"
