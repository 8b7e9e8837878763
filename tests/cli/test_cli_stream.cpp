// priorreg-fit --stream: the chunked reader yields the table (and the errors) of the whole-file
// reader at every chunk size, the rows counted without parsing (priorreg-fit-mpi's first pass)
// are the rows read, the reader's buffer stays the size of a chunk, and the fits from
// statistics read chunk by chunk equal the in-memory fits on the same rows.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <priorreg/sufficient_statistics.hpp>

#include "cli_test_support.hpp"
#include "csv_chunks.hpp"
#include "csv_table.hpp"
#include "json_writer.hpp"

namespace {

using cli_test::Json;
using cli_test::run_ok;
using cli_test::run_tool;

/// A table reduced to what a reader must agree on: the header, every cell (a number, or
/// "missing", or the text of a text cell) and the line of every row.
struct StreamCells {
    std::vector<std::string> names;
    char separator = 0;
    bool index_column = false;
    std::vector<std::string> cells;
    std::vector<std::size_t> lines;
    std::string error; ///< what() of the CsvError, when reading failed
};

void append_cells(StreamCells& out, const priorreg_fit::CsvTable& t) {
    for (std::size_t i = 0; i < t.rows(); ++i) {
        out.lines.push_back(t.row_lines[i]);
        for (std::size_t j = 0; j < t.cols(); ++j) {
            const double value = t(i, j);
            if (!std::isnan(value)) {
                out.cells.push_back(priorreg_fit::format_number(value));
            } else if (t.is_missing(i, j)) {
                out.cells.push_back("missing");
            } else {
                const auto& column = t.columns[j];
                out.cells.push_back("text:" +
                                    column.levels[static_cast<std::size_t>(column.codes[i])]);
            }
        }
    }
}

StreamCells whole_file_cells(const std::string& path) {
    StreamCells out;
    try {
        const priorreg_fit::CsvTable t = priorreg_fit::read_csv_file(path);
        out.names = t.names;
        out.separator = t.separator;
        out.index_column = t.index_column;
        append_cells(out, t);
    } catch (const priorreg_fit::CsvError& e) {
        out = StreamCells{};
        out.error = e.what();
    }
    return out;
}

/// The file read by `CsvChunkReader` in chunks of `chunk_bytes`; `largest_buffer` is the
/// largest buffer the reader held.
StreamCells chunked_cells(const std::string& path, std::size_t chunk_bytes,
                          std::size_t& largest_buffer) {
    StreamCells out;
    largest_buffer = 0;
    try {
        priorreg_fit::CsvChunkReader reader(path, {}, chunk_bytes);
        out.names = reader.header().names;
        out.separator = reader.header().separator;
        out.index_column = reader.header().index_column;
        priorreg_fit::CsvTable chunk;
        while (reader.next(chunk)) {
            CHECK(chunk.rows() > 0);
            CHECK(chunk.names == out.names);
            append_cells(out, chunk);
            largest_buffer = std::max(largest_buffer, reader.buffer_capacity());
        }
        CHECK(chunk.rows() == 0);
        CHECK_FALSE(reader.next(chunk)); // stays at the end
    } catch (const priorreg_fit::CsvError& e) {
        out = StreamCells{};
        out.error = e.what();
    }
    return out;
}

void require_same_cells(const StreamCells& chunked, const StreamCells& whole) {
    REQUIRE(chunked.error == whole.error);
    REQUIRE(chunked.names == whole.names);
    REQUIRE(chunked.separator == whole.separator);
    REQUIRE(chunked.index_column == whole.index_column);
    REQUIRE(chunked.lines == whole.lines);
    REQUIRE(chunked.cells == whole.cells);
}

} // namespace

TEST_CASE("CSV in chunks: the whole-file table at every chunk size", "[cli][csv][stream]") {
    cli_test::TempDir dir;
    const std::string texts[] = {
        "a,b,c\n1,2,3\n4,5,6\n",
        "a,b,c\n1,2,3\n4,5,6",                                  // no final line end
        "x1,x2,y\r\n0.5,1,2\r\n-1,3e2,4\r\n",                   // CRLF
        "x1;x2;y\r1,5;2;3\r4;5;6\r",                            // CR only
        "\xEF\xBB\xBF\n\n  \na,b\n\n1,2\n \t \n3,4\n\n",        // BOM, blank lines
        ",a,b\n\"r1\",1,2\n\"r2\",3,4\n",                       // index column
        "\"x, y\",z\n\"1,5\",NA\nhello,\"2\"\n, 7 \nworld,8\n", // quotes, text, missing
        "a\tb\n1\t2\n3\t4\n",                                   // tabs
        "a,b\n1,2\n3,4,5\n",                                    // ragged row
        "a,b\n1,\"2\n3,4\n",                                    // line break in quotes
        "",                                                     // empty file
        "\n\n\n",                                               // blank lines only
        "a,b\n1,2\r\n3,4\r5,6\n",                               // mixed line ends
        "a,b\n1e999,2\n",                                       // out of range
    };
    int case_number = 0;
    for (const std::string& text : texts) {
        const std::string path = dir / ("t" + std::to_string(case_number++) + ".csv");
        cli_test::write_text(path, text);
        const StreamCells whole = whole_file_cells(path);
        if (whole.error.empty()) // the rows counted without parsing
            CHECK(priorreg_fit::count_data_rows(path) == whole.lines.size());
        for (const std::size_t chunk : {1, 2, 3, 4, 5, 7, 11, 16, 64, 1 << 16}) {
            INFO("text: " << text << " chunk " << chunk);
            std::size_t largest = 0;
            require_same_cells(chunked_cells(path, chunk, largest), whole);
        }
    }
    // The error names the file's line, past many chunks.
    std::string long_text = "a,b\n";
    for (int i = 0; i < 500; ++i)
        long_text += std::to_string(i) + "," + std::to_string(2 * i) + "\n";
    long_text += "1,2,3\n";
    cli_test::write_text(dir / "long.csv", long_text);
    std::size_t largest = 0;
    const StreamCells chunked = chunked_cells(dir / "long.csv", 50, largest);
    CHECK(chunked.error == dir / "long.csv:502:3: row has 3 fields but the header has 2");
}

TEST_CASE("CSV in chunks: the buffer stays a chunk, longer only for a longer line",
          "[cli][csv][stream]") {
    cli_test::TempDir dir;
    std::string text = "x,y\n";
    for (int i = 0; i < 20000; ++i)
        text += std::to_string(i) + ".25," + std::to_string(-i) + "\n";
    cli_test::write_text(dir / "many.csv", text);
    std::size_t largest = 0;
    const StreamCells chunked = chunked_cells(dir / "many.csv", 1000, largest);
    REQUIRE(chunked.lines.size() == 20000);
    CHECK(largest == 1000); // about 250 kB read through a 1000-byte buffer
    // One line of 5000 bytes: the buffer doubles until it holds it, no further.
    std::string wide = "a,b\n1,\"" + std::string(5000, 'z') + "\"\n2,3\n";
    cli_test::write_text(dir / "wide.csv", wide);
    const StreamCells wide_chunked = chunked_cells(dir / "wide.csv", 1000, largest);
    require_same_cells(wide_chunked, whole_file_cells(dir / "wide.csv"));
    CHECK(largest == 8000);
}

TEST_CASE("CSV in chunks: mutated inputs read as the whole-file reader reads them",
          "[cli][csv][stream][fuzz]") {
    // Random edits of valid tables, each read whole and in random chunk sizes: the same cells,
    // lines and errors.
    cli_test::TempDir dir;
    std::mt19937_64 rng(2026);
    const std::string seeds[] = {"a,b,c\n1,2,3\n4,5,6\n7,8,9\n",
                                 "\"x, y\",z\r\n1.5,\"2\"\r\n3,4\r\n", "a\n1\n\n2\n3\n",
                                 "a,b\n+1,-2e-3\nNA,x\n5,6\n"};
    int parsed = 0, rejected = 0;
    for (int iteration = 0; iteration < 1500; ++iteration) {
        std::string text = seeds[iteration % 4];
        cli_test::mutate_csv(text, rng);
        const std::string path = dir / "m.csv";
        cli_test::write_text(path, text);
        const StreamCells whole = whole_file_cells(path);
        const std::size_t chunk = 1 + rng() % 12;
        INFO("input: " << text << " chunk " << chunk);
        std::size_t largest = 0;
        require_same_cells(chunked_cells(path, chunk, largest), whole);
        if (whole.error.empty())
            REQUIRE(priorreg_fit::count_data_rows(path) == whole.lines.size());
        (whole.error.empty() ? parsed : rejected) += 1;
    }
    CHECK(parsed > 300);
    CHECK(rejected > 300);
}

// ------------------------------------------------------------------------------ the tool

namespace {

/// Correlated columns with means far from zero (1e4 and more), weights, a fold column that
/// reproduces --stream's hashed folds, and a missing cell in a few rows when `with_missing`.
std::string stream_data_csv(int n, bool with_missing, int folds, std::uint64_t seed) {
    std::mt19937_64 rng(17);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform(0.1, 2.0);
    std::string text = "x1,x2,x3,x4,x5,w,fold,y\n";
    int kept = 0;
    for (int i = 0; i < n; ++i) {
        const double common = normal(rng);
        double x[5];
        for (int j = 0; j < 5; ++j)
            x[j] = 1e4 * (j + 1) + (0.9 * common + 0.45 * normal(rng)) * (j + 1);
        const double y = 3 + 1.2 * (x[0] - 1e4) - 0.7 * (x[2] - 3e4) / 3 + normal(rng);
        const bool missing = with_missing && i % 37 == 5;
        // The fold of the kept-row number, as --stream assigns it.
        const int fold =
            missing ? 0 : priorreg::SufficientStatistics<double>::fold_of(kept, folds, seed) + 1;
        kept += missing ? 0 : 1;
        for (int j = 0; j < 5; ++j)
            text +=
                (missing && j == 3 ? std::string("NA") : priorreg_fit::format_number(x[j])) + ",";
        text += priorreg_fit::format_number(uniform(rng)) + "," + std::to_string(fold) + "," +
                priorreg_fit::format_number(y) + "\n";
    }
    return text;
}

/// Every number of a JSON document, depth first (names and strings skipped).
void collect_numbers(const Json& value, std::vector<double>& out) {
    if (value.type == Json::Type::number)
        out.push_back(value.number);
    for (const Json& item : value.array)
        collect_numbers(item, out);
    for (const auto& member : value.object)
        collect_numbers(member.second, out);
}

/// The numbers of two JSON outputs, in document order, agree to `tolerance` relative to the
/// larger magnitude (or 1); names and strings are not compared.
void require_same_json(const std::string& streamed, const std::string& in_memory,
                       double tolerance) {
    const Json a = cli_test::parse_json(streamed), b = cli_test::parse_json(in_memory);
    std::vector<double> na, nb;
    collect_numbers(a, na);
    collect_numbers(b, nb);
    REQUIRE(na.size() == nb.size());
    REQUIRE(na.size() > 5);
    double worst = 0;
    for (std::size_t k = 0; k < na.size(); ++k)
        worst = std::max(worst, std::abs(na[k] - nb[k]) /
                                    std::max({1.0, std::abs(na[k]), std::abs(nb[k])}));
    CHECK(worst <= tolerance);
}

} // namespace

TEST_CASE("Streamed fits, paths and CV equal the in-memory run", "[cli][stream]") {
    cli_test::TempDir dir;
    const int folds = 5;
    const std::uint64_t seed = 7;
    cli_test::write_text(dir / "d.csv", stream_data_csv(400, false, folds, seed));
    cli_test::write_text(dir / "na.csv", stream_data_csv(400, true, folds, seed));
    const std::vector<std::vector<std::string>> runs = {
        {"d.csv", "--drop", "fold,w", "--lambda", "0.05"},
        {"d.csv", "--drop", "fold", "--weights", "w", "--model", "ridge", "--lambda", "0.5"},
        {"d.csv", "--drop", "fold,w", "--model", "enet", "--alpha", "0.3", "--path"},
        {"d.csv", "--drop", "fold", "--weights", "w", "--path", "--no-standardize"},
        {"na.csv", "--drop", "fold,w", "--na", "drop", "--lambda", "0.02", "--penalty-factor",
         "x2=0"},
    };
    for (const auto& base : runs) {
        for (const char* chunk : {"97", "4096"}) {
            auto in_memory = base, streamed = base;
            for (auto* args : {&in_memory, &streamed})
                args->insert(args->end(), {"--format", "json", "--tolerance", "1e-13"});
            streamed.insert(streamed.end(), {"--stream", "--chunk-bytes", chunk});
            INFO("run: " << base.back() << " chunk " << chunk);
            const auto a = run_ok(dir, streamed), b = run_ok(dir, in_memory);
            require_same_json(a.out, b.out, 1e-8);
            CHECK(a.err == b.err); // the same warnings (--na drop's count)
        }
    }
    // CV: --stream's hashed folds, in memory through the fold column that reproduces them.
    for (const std::string file : {"d.csv", "na.csv", "weighted"}) {
        const bool weighted = file == "weighted";
        const std::string path = weighted ? "d.csv" : file;
        std::vector<std::string> streamed_args{path, "--cv", "5", "--seed", "7", "--drop"};
        std::vector<std::string> in_memory_args{path, "--foldid", "fold"};
        streamed_args.push_back(weighted ? "fold" : "fold,w");
        if (weighted) {
            for (auto* args : {&streamed_args, &in_memory_args})
                args->insert(args->end(), {"--weights", "w"});
        } else {
            in_memory_args.insert(in_memory_args.end(), {"--drop", "w"});
        }
        for (auto* args : {&streamed_args, &in_memory_args})
            args->insert(args->end(), {"--na", "drop", "--format", "json", "--tolerance", "1e-13"});
        streamed_args.insert(streamed_args.end(), {"--stream", "--chunk-bytes", "333"});
        const auto streamed = run_ok(dir, streamed_args);
        const auto in_memory = run_ok(dir, in_memory_args);
        INFO(file);
        // The JSON differs in the cv header (seed against foldid): compare the table and the
        // coefficients.
        const Json a = cli_test::parse_json(streamed.out), b = cli_test::parse_json(in_memory.out);
        std::vector<double> na, nb;
        collect_numbers(a["cv"]["table"], na);
        collect_numbers(b["cv"]["table"], nb);
        collect_numbers(a["coefficients"], na);
        collect_numbers(b["coefficients"], nb);
        na.push_back(a["lambda_min"].num());
        nb.push_back(b["lambda_min"].num());
        na.push_back(a["lambda_1se"].num());
        nb.push_back(b["lambda_1se"].num());
        REQUIRE(na.size() == nb.size());
        for (std::size_t k = 0; k < na.size(); ++k)
            CHECK(std::abs(na[k] - nb[k]) <= 1e-8 * std::max({1.0, std::abs(na[k])}));
        CHECK(a["cv"]["folds"].num() == 5);
        CHECK(a["cv"]["seed"].num() == 7);
    }
    // The saved model: each term's mean and standard deviation from the statistics.
    run_ok(dir, {"d.csv", "--drop", "fold", "--weights", "w", "--lambda", "0.1", "--stream",
                 "--chunk-bytes", "500", "--save-model", "s.json"});
    run_ok(dir, {"d.csv", "--drop", "fold", "--weights", "w", "--lambda", "0.1", "--save-model",
                 "m.json"});
    require_same_json(cli_test::read_text(dir / "s.json"), cli_test::read_text(dir / "m.json"),
                      1e-8);
}

TEST_CASE("Streamed reading: bad data and options are typed errors with the line",
          "[cli][stream]") {
    cli_test::TempDir dir;
    std::string text = "x1,x2,y\n";
    for (int i = 0; i < 300; ++i)
        text +=
            std::to_string(i) + "," + std::to_string(i % 7) + "," + std::to_string(i % 5) + "\n";
    cli_test::write_text(dir / "text.csv", text + "4,red,2\n");
    cli_test::write_text(dir / "ragged.csv", text + "4,5\n");
    cli_test::write_text(dir / "one.csv", "x,y\n1,2\n");
    cli_test::write_text(dir / "zero.csv", "x,w,y\n1,0,2\n2,0,3\n3,0,5\n");
    const auto expect = [&](const std::vector<std::string>& args, int status,
                            const std::string& phrase) {
        const auto result = run_tool(dir, args);
        INFO("stderr: " << result.err);
        CHECK(result.status == status);
        CHECK_THAT(result.err, Catch::Contains(phrase));
        CHECK(result.out.empty());
    };
    expect({"text.csv", "--lambda", "1", "--stream", "--chunk-bytes", "64"}, 1,
           "text.csv:302:2: column \"x2\": holds text (\"red\"); --stream reads numeric columns");
    expect({"ragged.csv", "--lambda", "1", "--stream", "--chunk-bytes", "64"}, 1,
           "ragged.csv:302:3: row has 2 fields but the header has 3");
    expect({"one.csv", "--lambda", "1", "--stream"}, 1, "1 data row; at least 2 are needed");
    expect({"zero.csv", "--weights", "w", "--lambda", "1", "--stream"}, 1, "are all zero");
    expect({"text.csv", "--stream"}, 2, "--stream: --model ols needs the rows in memory");
    expect({"text.csv", "--model", "bayes-ridge", "--stream"}, 2, "needs the rows in memory");
    expect({"text.csv", "--cv", "3", "--foldid", "x2", "--stream"}, 2, "--foldid is not available");
    expect({"text.csv", "--lambda", "1", "--no-intercept", "--stream"}, 2, "needs the intercept");
    expect({"text.csv", "--lambda", "1", "--chunk-bytes", "100"}, 2,
           "--chunk-bytes: applies to --stream");
    expect({"missing.csv", "--lambda", "1", "--stream"}, 1, "missing.csv: cannot open");
    // Hashed folds on 5 rows: some fold is empty (the in-memory run's folds never are).
    cli_test::write_text(dir / "five.csv", "x,y\n1,2\n2,1\n3,5\n4,3\n5,6\n");
    expect({"five.csv", "--cv", "5", "--stream"}, 2, "holds none of the 5 rows");
    expect({"text.csv", "--cv", "5000", "--stream"}, 2, "at most 1000 folds");
}
