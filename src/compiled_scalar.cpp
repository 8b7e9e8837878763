// The compiled component: the prior-independent steps (the working problem from the rows) for
// double and float data, declared `extern template` in <priorreg/compiled.hpp>.
#define PRIORREG_COMPILED_DEFINITIONS
#include <priorreg/priorreg.hpp>

PRIORREG_COMPILED_SCALAR(, double);
PRIORREG_COMPILED_SCALAR(, float);
