// Results of the shipped priors do not move under refactoring: a fixed set of fits, paths and
// selections (tests/reference/reference_cases.hpp) against the values recorded from an earlier
// version (tests/data/reference_fits.txt), to 1e-12 of each record's largest entry.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include "reference/reference_cases.hpp"

TEST_CASE("Fits, paths and selections of the shipped priors match the recorded reference",
          "[reference]") {
    std::ifstream file(std::string(PRIORREG_TEST_DATA_DIR) + "/reference_fits.txt");
    REQUIRE(file.good());
    const auto recorded = reference::parse(file);
    const auto computed = reference::compute(PRIORREG_TEST_DATA_DIR);
    REQUIRE(recorded.size() == computed.size());
    for (const auto& [name, values] : computed) {
        INFO("record " << name);
        const auto found = recorded.find(name);
        REQUIRE(found != recorded.end());
        const auto& expected = found->second;
        REQUIRE(values.size() == expected.size());
        double scale = 0;
        for (const double v : expected)
            scale = std::max(scale, std::abs(v));
        double worst = 0;
        std::size_t at = 0;
        for (std::size_t k = 0; k < values.size(); ++k) {
            const double difference = std::abs(values[k] - expected[k]);
            if (!(difference <= worst)) {
                worst = difference;
                at = k;
            }
        }
        INFO("largest difference " << worst << " at entry " << at << " (record scale " << scale
                                   << ")");
        CHECK(worst <= 1e-12 * scale);
    }
}
