// The compiled component: the solvers for the elastic-net penalty, which GaussianPrior,
// LaplacePrior and ElasticNetPrior share (detail::solver_prior_t): the path solver, and the
// entry points for double data; declared `extern template` in <priorreg/compiled.hpp> for
// programs linked to priorreg::compiled.
#define PRIORREG_COMPILED_DEFINITIONS
#include <priorreg/priorreg.hpp>

// Instantiated in compiled_scalar.cpp.
PRIORREG_COMPILED_SCALAR(extern, double);

PRIORREG_COMPILED_PATH(, ::priorreg::ElasticNetPenalty, double);
PRIORREG_COMPILED_DATA(, ::priorreg::ElasticNetPenalty, double);
