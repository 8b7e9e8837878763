// Catch2 v2 main for priorreg_fit_tests (the priorreg-fit tool). Test cases: tests/cli/test_*.cpp.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
