// The compiled component: the solvers for FlatPrior (detail::FlatPenalty), double and float
// data; declared `extern template` in <priorreg/compiled.hpp> for programs linked to
// priorreg::compiled.
#define PRIORREG_COMPILED_DEFINITIONS
#include <priorreg/priorreg.hpp>

// Instantiated in compiled_scalar.cpp.
PRIORREG_COMPILED_SCALAR(extern, double);
PRIORREG_COMPILED_SCALAR(extern, float);

PRIORREG_COMPILED_PATH(, ::priorreg::detail::FlatPenalty, double);
PRIORREG_COMPILED_DATA(, ::priorreg::detail::FlatPenalty, double);
PRIORREG_COMPILED_DATA(, ::priorreg::detail::FlatPenalty, float);
