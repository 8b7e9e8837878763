// Writes the reference values of reference_cases.hpp to standard output:
//   record_reference <tests/data directory> > tests/data/reference_fits.txt
#include <iostream>

#include "reference_cases.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: record_reference <tests/data directory>\n";
        return 2;
    }
    std::cout << reference::format(reference::compute(argv[1]));
    return 0;
}
