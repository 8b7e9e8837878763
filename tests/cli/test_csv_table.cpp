// The CSV reader of priorreg-fit: what it accepts, what it rejects and where it says the
// problem is.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>

#include "cli_test_support.hpp"
#include "csv_table.hpp"
#include "json_writer.hpp"

using priorreg_fit::CsvError;
using priorreg_fit::parse_csv;

namespace {

/// The error `text` raises: its line, column and message.
CsvError error_of(const std::string& text) {
    try {
        parse_csv(text, "t.csv");
    } catch (const CsvError& e) {
        return e;
    }
    FAIL("no CsvError for: " << text);
    throw std::logic_error("unreachable");
}

void require_error(const std::string& text, std::size_t line, std::size_t column,
                   const std::string& phrase) {
    INFO("input: " << text);
    const CsvError e = error_of(text);
    CHECK(e.source() == "t.csv");
    CHECK(e.line() == line);
    CHECK(e.column() == column);
    CHECK_THAT(e.message(), Catch::Contains(phrase));
    // what() is the one-line "file:line:column: message".
    const std::string prefix =
        "t.csv:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    CHECK(std::string(e.what()).rfind(prefix, 0) == 0);
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
}

} // namespace

TEST_CASE("CSV: header names and row-major values", "[cli][csv]") {
    const auto t = parse_csv("a,b,c\n1,2,3\n4,5,6\n");
    REQUIRE(t.cols() == 3);
    REQUIRE(t.rows() == 2);
    CHECK(t.names == std::vector<std::string>{"a", "b", "c"});
    CHECK(t.values == std::vector<double>{1, 2, 3, 4, 5, 6});
    CHECK(t(1, 0) == 4);
    CHECK(t.row_lines == std::vector<std::size_t>{2, 3});
    CHECK(t.find("b") == std::optional<std::size_t>(1));
    CHECK_FALSE(t.find("B").has_value());
}

TEST_CASE("CSV: line ends, whitespace, BOM, quotes, signs, blank lines", "[cli][csv]") {
    SECTION("CRLF and no final line end") {
        const auto t = parse_csv("x,y\r\n1,2\r\n3,4");
        CHECK(t.values == std::vector<double>{1, 2, 3, 4});
        CHECK(t.row_lines == std::vector<std::size_t>{2, 3});
    }
    SECTION("old Mac CR line ends") {
        const auto t = parse_csv("x,y\r1,2\r3,4\r");
        CHECK(t.values == std::vector<double>{1, 2, 3, 4});
    }
    SECTION("spaces and tabs around cells and names") {
        const auto t = parse_csv("  x ,\ty \n 1 ,\t2\t\n");
        CHECK(t.names == std::vector<std::string>{"x", "y"});
        CHECK(t.values == std::vector<double>{1, 2});
    }
    SECTION("a UTF-8 byte-order mark") {
        const auto t = parse_csv("\xEF\xBB\xBFx,y\n1,2\n");
        CHECK(t.names.front() == "x");
    }
    SECTION("quoted names with commas, quotes and spaces; quoted numbers") {
        const auto t = parse_csv("\"a, b\",\"say \"\"hi\"\"\", \" c \"\n\"1.5\", 2 ,\"-3\"\n");
        CHECK(t.names == std::vector<std::string>{"a, b", "say \"hi\"", " c "});
        CHECK(t.values == std::vector<double>{1.5, 2, -3});
    }
    SECTION("signs, exponents, leading dots") {
        const auto t = parse_csv("a,b,c,d\n+1.5,-2e-3,.5,1E+2\n");
        CHECK(t.values == std::vector<double>{1.5, -2e-3, 0.5, 100});
    }
    SECTION("blank and whitespace-only lines are skipped; rows keep their line numbers") {
        const auto t = parse_csv("\n\nx,y\n\n1,2\n   \n3,4\n\n\n");
        CHECK(t.values == std::vector<double>{1, 2, 3, 4});
        CHECK(t.row_lines == std::vector<std::size_t>{5, 7});
    }
    SECTION("a header without rows is a table with no rows") {
        const auto t = parse_csv("x,y\n");
        CHECK(t.rows() == 0);
        CHECK(t.cols() == 2);
    }
}

TEST_CASE("CSV: numbers read back exactly as written", "[cli][csv]") {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::uint64_t> bits;
    std::string text = "a,b,c,d\n";
    std::vector<double> written;
    while (written.size() < 4000) {
        // Random finite bit patterns: every exponent, subnormals, both signs.
        const std::uint64_t word = bits(rng);
        double value;
        std::memcpy(&value, &word, sizeof value);
        if (!std::isfinite(value))
            continue;
        written.push_back(value);
        text += priorreg_fit::format_number(value) + (written.size() % 4 == 0 ? "\n" : ",");
    }
    const auto t = parse_csv(text);
    REQUIRE(t.values.size() == written.size());
    for (std::size_t i = 0; i < written.size(); ++i)
        REQUIRE(std::memcmp(&t.values[i], &written[i], sizeof(double)) == 0);
}

TEST_CASE("CSV: every malformed input names its line and column", "[cli][csv]") {
    SECTION("empty input") {
        for (const char* text : {"", "\n\n", "  \r\n\t\n", "\xEF\xBB\xBF"}) {
            const CsvError e = error_of(text);
            CHECK(e.line() == 0);
            CHECK_THAT(e.message(), Catch::Contains("empty file"));
            CHECK(std::string(e.what()) == "t.csv: empty file (no header row)");
        }
    }
    SECTION("ragged rows") {
        require_error("a,b,c\n1,2,3\n4,5\n", 3, 3, "row has 2 fields but the header has 3");
        require_error("a,b,c\n1\n", 2, 2, "row has 1 field but the header has 3");
        require_error("a,b\n1,2\n3,4\n5,6,7,8\n", 4, 3, "row has 4 fields but the header has 2");
        require_error("a,b\r\n1,2\r\n3,4,5\r\n", 3, 3, "row has 3 fields");
    }
    SECTION("non-finite and out-of-range numbers") {
        require_error("a,b\n1,inf\n", 2, 2, "non-finite value \"inf\"");
        require_error("a,b\n-inf,1\n", 2, 1, "non-finite value");
        require_error("a,b\n1,\"-Infinity\"\n", 2, 2, "non-finite value");
        require_error("a,b\n1,1e999\n", 2, 2, "number out of range \"1e999\"");
    }
    SECTION("header problems") {
        require_error("a,,c\n1,2,3\n", 1, 2, "empty column name");
        require_error("\"\"\n1\n", 1, 1, "empty column name"); // an index needs a column
        require_error(",,a\n1,2,3\n", 1, 2, "empty column name");
        require_error("a,b,\n1,2,3\n", 1, 3, "empty column name");
        require_error("a,b,a\n1,2,3\n", 1, 3, "duplicate column name \"a\" (also column 1)");
        require_error("\"a,b\n1,2\n", 1, 1, "line break inside a quoted field");
        require_error("\"a\" x,b\n1,2\n", 1, 1, "unexpected character 'x'");
        require_error("a\"b,c\n1,2\n", 1, 1, "stray quote");
    }
    SECTION("line numbers count skipped blank lines and CRLF correctly") {
        require_error("a,b\r\n\r\n1,2\r\n\r\n\r\n3,4,5\r\n", 6, 3, "row has 3 fields");
    }
    SECTION("long cells are shortened in the message") {
        const CsvError e = error_of("a\n1" + std::string(100, '0') + "e999\n");
        CHECK(e.message().size() < 80);
    }
}

TEST_CASE("CSV: missing and text cells, their codes and levels", "[cli][csv]") {
    using priorreg_fit::CsvColumn;
    SECTION("missing tokens are NaN and counted; a numeric column keeps no codes") {
        const auto t = parse_csv("a,b\n1,\n NA ,2\nnan,\"\"\nNULL,-nan\n#N/A,N/A\n");
        REQUIRE(t.rows() == 5);
        CHECK(t.columns[0].missing == 4);
        CHECK(t.columns[1].missing == 4);
        CHECK(t.columns[0].numbers == 1);
        CHECK(t.columns[0].codes.empty());
        CHECK(t(0, 0) == 1);
        CHECK(t(1, 1) == 2);
        for (std::size_t i = 1; i < 5; ++i)
            CHECK(t.is_missing(i, 0));
        CHECK_FALSE(t.is_missing(1, 1));
    }
    SECTION("text cells get level codes in order of appearance; earlier rows are filled in") {
        const auto t = parse_csv("x,g\n1,NA\n2,red\n3,\"blue, dark\"\n4,red\n5,7\n");
        const CsvColumn& g = t.columns[1];
        CHECK(g.levels == std::vector<std::string>{"red", "blue, dark"});
        CHECK(g.codes ==
              std::vector<std::int32_t>{CsvColumn::missing_code, 0, 1, 0, CsvColumn::number_code});
        CHECK(g.texts == 3);
        CHECK(g.numbers == 1);
        CHECK(g.missing == 1);
        CHECK(g.first_text_row == 1);
        CHECK(std::isnan(t(1, 1)));
        CHECK_FALSE(t.is_missing(1, 1));
        CHECK(t.is_missing(0, 1));
        CHECK(t(4, 1) == 7);
    }
    SECTION("rows before the first text cell keep their kind, however many") {
        const auto t = parse_csv("g\nNA\nNaN\n1\nred\n");
        CHECK(t.columns[0].codes == std::vector<std::int32_t>{CsvColumn::missing_code,
                                                              CsvColumn::missing_code,
                                                              CsvColumn::number_code, 0});
    }
    SECTION("what does not parse whole is text") {
        const auto t = parse_csv("a,b,c,d\n1.5x,1 2,--2,0x10\n");
        CHECK(t.columns[0].levels == std::vector<std::string>{"1.5x"});
        CHECK(t.columns[1].levels == std::vector<std::string>{"1 2"});
        CHECK(t.columns[2].levels == std::vector<std::string>{"--2"});
        CHECK(t.columns[3].levels == std::vector<std::string>{"0x10"});
    }
}

TEST_CASE("CSV: separators, decimal commas and index columns", "[cli][csv]") {
    using priorreg_fit::CsvFormat;
    SECTION("the separator is the most frequent of , ; tab on the header line") {
        CHECK(parse_csv("a;b;c\n1;2;3\n").separator == ';');
        CHECK(parse_csv("a\tb\n1\t2\n").separator == '\t');
        CHECK(parse_csv("\"x,y\";b\n1;2\n").separator == ';'); // quoted commas do not count
        CHECK(parse_csv("a\n1\n").separator == ',');
        const auto tabbed = parse_csv("a\tb c\n 1\t 2 \n");
        CHECK(tabbed.names == std::vector<std::string>{"a", "b c"});
        CHECK(tabbed.values == std::vector<double>{1, 2});
    }
    SECTION("a given separator wins over detection") {
        const auto t = parse_csv("a,b;c\n1,2;3\n", "t.csv", CsvFormat{';', '.'});
        CHECK(t.names == std::vector<std::string>{"a,b", "c"});
        CHECK(t.columns[0].levels == std::vector<std::string>{"1,2"});
    }
    SECTION("a decimal comma, with ; detected") {
        const auto t = parse_csv("a;b\n1,5;-2,25e1\n\"3,0\";4\n", "t.csv", CsvFormat{0, ','});
        CHECK(t.separator == ';');
        CHECK(t.values == std::vector<double>{1.5, -22.5, 3, 4});
    }
    SECTION("an empty first name is an index column, skipped (R's write.csv, pandas' to_csv)") {
        const auto r = parse_csv("\"\",\"mpg\",\"cyl\"\n\"Mazda RX4\",21,6\n\"Valiant\",18.1,6\n");
        CHECK(r.index_column);
        CHECK(r.names == std::vector<std::string>{"mpg", "cyl"});
        CHECK(r.values == std::vector<double>{21, 6, 18.1, 6});
        CHECK(r.columns[0].field == 2);
        const auto pandas = parse_csv(",a,b\n0,1,2\n1,3,4\n");
        CHECK(pandas.names == std::vector<std::string>{"a", "b"});
        CHECK(pandas.values == std::vector<double>{1, 2, 3, 4});
        // Errors count the fields of the file, the index included.
        require_error(",a,b\n0,1\n", 2, 3, "row has 2 fields but the header has 3");
        require_error(",a,a\n0,1,2\n", 1, 3, "duplicate column name \"a\" (also column 2)");
    }
}

TEST_CASE("CSV: a wide header over many short lines reserves no more than the text can fill",
          "[cli][csv]") {
    // The reader reserves the table from the number of line ends; it used to reserve lines x
    // columns doubles (160 GB here, for 2 MB of text: std::bad_alloc instead of a result).
    std::string header;
    for (int j = 0; j < 20000; ++j)
        header += (j > 0 ? ",c" : "c") + std::to_string(j);
    header += '\n';
    const auto blank = parse_csv(header + std::string(1000000, '\n'));
    CHECK(blank.cols() == 20000);
    CHECK(blank.rows() == 0);
    std::string short_rows = header;
    for (int i = 0; i < 1000000; ++i)
        short_rows += "1\n";
    const CsvError e = error_of(short_rows);
    CHECK(e.line() == 2);
    CHECK(e.column() == 2);
    CHECK_THAT(e.message(), Catch::Contains("row has 1 field but the header has 20000"));
}

TEST_CASE("CSV files: one read, the same table; file-level errors", "[cli][csv]") {
    cli_test::TempDir dir;
    const std::string text = "x1,x2,y\r\n0.5,1,2\r\n-1,3e2,4\r\n";
    cli_test::write_text(dir / "d.csv", text);
    const auto from_file = priorreg_fit::read_csv_file(dir / "d.csv");
    const auto from_text = parse_csv(text);
    CHECK(from_file.names == from_text.names);
    CHECK(from_file.values == from_text.values);
    CHECK(from_file.source == dir / "d.csv");

    auto file_error = [](const std::string& path) -> CsvError {
        try {
            priorreg_fit::read_csv_file(path);
        } catch (const CsvError& e) {
            return e;
        }
        FAIL("no CsvError for " << path);
        throw std::logic_error("unreachable");
    };
    const CsvError missing = file_error(dir / "missing.csv");
    CHECK(missing.line() == 0);
    CHECK_THAT(missing.what(), Catch::StartsWith(dir / "missing.csv: cannot open"));
    CHECK_THAT(file_error(dir.path().string()).message(), Catch::Contains("is a directory"));
    cli_test::write_text(dir / "empty.csv", "");
    CHECK_THAT(file_error(dir / "empty.csv").message(), Catch::Contains("empty file"));
    cli_test::write_text(dir / "bad.csv", "a,b\n1,2\n3,4,5\n");
    const CsvError bad = file_error(dir / "bad.csv");
    CHECK(std::string(bad.what()) == dir / "bad.csv:3:3: row has 3 fields but the header has 2");
}

TEST_CASE("CSV: mutated inputs parse consistently or throw CsvError, nothing else",
          "[cli][csv][fuzz]") {
    // Random edits of valid tables, with the characters the grammar cares about. Each input is
    // parsed from an exactly sized heap buffer (under a sanitizer, a read past the end shows).
    std::mt19937_64 rng(99);
    const std::string seeds[] = {"a,b,c\n1,2,3\n4,5,6\n", "\"x, y\",z\r\n1.5,\"2\"\r\n",
                                 "a\n1\n\n2\n", "a,b\n+1,-2e-3\n"};
    int parsed = 0, rejected = 0;
    for (int iteration = 0; iteration < 20000; ++iteration) {
        std::string text = seeds[iteration % 4];
        cli_test::mutate_csv(text, rng);
        const std::unique_ptr<char[]> buffer(new char[text.size() + 1]);
        std::memcpy(buffer.get(), text.data(), text.size());
        INFO("input: " << text);
        try {
            const auto t = parse_csv(std::string_view(buffer.get(), text.size()), "f");
            REQUIRE(t.values.size() == t.rows() * t.cols());
            REQUIRE(t.cols() >= 1);
            ++parsed;
        } catch (const CsvError& e) {
            // Only an empty input has no line to point at.
            if (e.line() == 0)
                REQUIRE_THAT(e.message(), Catch::Contains("empty file"));
            ++rejected;
        }
    }
    CHECK(parsed > 1000);
    CHECK(rejected > 1000);
}
