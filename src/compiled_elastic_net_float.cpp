// The compiled component: the entry points of the elastic-net penalty's solvers for float data
// (their path solver computes in double: compiled_elastic_net.cpp); declared `extern template`
// in <priorreg/compiled.hpp> for programs linked to priorreg::compiled.
#define PRIORREG_COMPILED_DEFINITIONS
#include <priorreg/priorreg.hpp>

// Instantiated in compiled_scalar.cpp and compiled_elastic_net.cpp.
PRIORREG_COMPILED_SCALAR(extern, float);
PRIORREG_COMPILED_PATH(extern, ::priorreg::ElasticNetPenalty, double);

PRIORREG_COMPILED_DATA(, ::priorreg::ElasticNetPenalty, float);
