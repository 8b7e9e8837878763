// The speed of priorreg-fit's chunked CSV reader alone (tools/priorreg-fit/csv_chunks.hpp): reads
// FILE in chunks of CHUNK bytes (default 16 MiB), parsing every cell and nothing else; prints
// the bytes, rows, seconds and MB/s (10^6 bytes per second), and the sum of the cells so that
// nothing is optimized away.
//
//   parse_only FILE [CHUNK]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "csv_chunks.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: parse_only FILE [CHUNK]\n");
        return 2;
    }
    const std::size_t chunk =
        argc > 2 ? std::strtoull(argv[2], nullptr, 10) : std::size_t(16) << 20;
    const auto start = std::chrono::steady_clock::now();
    try {
        priorreg_fit::CsvChunkReader reader(argv[1], {}, chunk);
        priorreg_fit::CsvTable table;
        double sum = 0;
        std::size_t rows = 0;
        while (reader.next(table)) {
            rows += table.rows();
            for (const double value : table.values)
                sum += value;
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("bytes %llu rows %zu seconds %.3f MB/s %.1f sum %.6g\n",
                    static_cast<unsigned long long>(reader.bytes_read()), rows, seconds,
                    static_cast<double>(reader.bytes_read()) / seconds / 1e6, sum);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parse_only: %s\n", e.what());
        return 1;
    }
    return 0;
}
