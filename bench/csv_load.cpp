// Load speed of priorreg-fit's CSV reader (tools/priorreg-fit/csv_table.hpp).
//
//   bench_csv_load                            all benchmarks (writes ~100 MB files under /tmp)
//   bench_csv_load --benchmark_filter=File    only the 100 MB file loads
//   bench_csv_load --write-csv=FILE [MB]      write the full-precision test file and exit
//
// Parse: a generated table already in memory (rows x 11 columns). File: a ~100 MB file on disk
// read with read_csv_file (one read, then the in-place parse), hot in the page cache after the
// first iteration. Cells are either full-precision doubles (shortest round-trip text, ~19
// bytes) or short decimals ("%.3f", ~6 bytes: twice as many cells per MB). Counters: rows/s
// and bytes/s; the time per iteration of the file benchmarks is the 100 MB load time.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "csv_table.hpp"

namespace {

constexpr int kColumns = 11; // 10 features and a response

/// A CSV text of about `bytes` bytes with a header and rows of kColumns seeded normal numbers.
std::string make_csv(std::size_t bytes, bool full_precision, std::uint64_t seed = 2024) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 10.0);
    std::string text;
    text.reserve(bytes + 512);
    for (int j = 0; j < kColumns; ++j)
        text +=
            (j ? "," : "") + (j + 1 < kColumns ? "x" + std::to_string(j + 1) : std::string("y"));
    text += '\n';
    char cell[64];
    while (text.size() < bytes) {
        for (int j = 0; j < kColumns; ++j) {
            const double value = normal(rng);
            int length;
            if (full_precision)
                length =
                    static_cast<int>(std::to_chars(cell, cell + sizeof cell, value).ptr - cell);
            else
                length = std::snprintf(cell, sizeof cell, "%.3f", value);
            if (j)
                text += ',';
            text.append(cell, static_cast<std::size_t>(length));
        }
        text += '\n';
    }
    return text;
}

void BM_ParseBuffer(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    const std::string text = make_csv(rows * 210, true);
    std::size_t parsed_rows = 0;
    for (auto _ : state) {
        const auto table = priorreg_fit::parse_csv(text);
        parsed_rows = table.rows();
        benchmark::DoNotOptimize(table.values.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["rows"] = static_cast<double>(parsed_rows);
    state.counters["rows/s"] = benchmark::Counter(static_cast<double>(parsed_rows) *
                                                      static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseBuffer)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Loads a ~100 MB file; arg 1: full-precision cells, 0: short cells.
void BM_LoadFile100MB(benchmark::State& state) {
    const bool full_precision = state.range(0) != 0;
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() /
        (full_precision ? "priorreg_bench_100MB_full.csv" : "priorreg_bench_100MB_short.csv");
    {
        const std::string text = make_csv(100u << 20, full_precision);
        std::ofstream out(path, std::ios::binary);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!out) {
            state.SkipWithError("cannot write the test file");
            return;
        }
    }
    const auto bytes = std::filesystem::file_size(path);
    std::size_t rows = 0, cells = 0;
    for (auto _ : state) {
        const auto table = priorreg_fit::read_csv_file(path.string());
        rows = table.rows();
        cells = table.values.size();
        benchmark::DoNotOptimize(table.values.data());
    }
    std::filesystem::remove(path);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
    state.counters["MB"] = static_cast<double>(bytes) / (1 << 20);
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["cells"] = static_cast<double>(cells);
    state.counters["rows/s"] =
        benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LoadFile100MB)
    ->ArgName("full_precision")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(5);

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (argc >= 2 && std::string(argv[1]).rfind("--write-csv=", 0) == 0) {
        const std::string path = std::string(argv[1]).substr(12);
        const std::size_t megabytes = argc >= 3 ? std::strtoul(argv[2], nullptr, 10) : 100;
        const std::string text = make_csv(megabytes << 20, true);
        std::ofstream out(path, std::ios::binary);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        return out ? 0 : 1;
    }
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
