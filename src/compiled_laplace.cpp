// The compiled component: the solvers for LaplacePrior (double and float data), declared
// `extern template` in <priorreg/compiled.hpp> for programs linked to priorreg::compiled.
#define PRIORREG_COMPILED_DEFINITIONS
#include <priorreg/priorreg.hpp>

PRIORREG_COMPILED_PRIOR(, ::priorreg::LaplacePrior<double>, double);
PRIORREG_COMPILED_PRIOR(, ::priorreg::LaplacePrior<float>, float);
