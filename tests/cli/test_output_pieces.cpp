// The output side of priorreg-fit: round-trip number text, CSV quoting, the JSON writer and the
// all-or-nothing staged files.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <string>

#include "cli_test_support.hpp"
#include "json_writer.hpp"
#include "staged_files.hpp"

using priorreg_fit::JsonWriter;

namespace {

std::set<std::string> listing(const std::filesystem::path& directory) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(directory))
        names.insert(entry.path().filename().string());
    return names;
}

} // namespace

TEST_CASE("Numbers are written shortest and read back exactly", "[cli][output]") {
    CHECK(priorreg_fit::format_number(0.1) == "0.1");
    CHECK(priorreg_fit::format_number(-3.0) == "-3");
    CHECK(priorreg_fit::format_number(1e-7) == "1e-07");
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::uint64_t> bits;
    for (int k = 0; k < 20000; ++k) {
        const std::uint64_t word = bits(rng);
        double value;
        std::memcpy(&value, &word, sizeof value);
        if (!std::isfinite(value))
            continue;
        const double back = cli_test::to_double(priorreg_fit::format_number(value));
        REQUIRE(std::memcmp(&back, &value, sizeof value) == 0);
    }
    for (const double extreme :
         {std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min(), -0.0}) {
        const double back = cli_test::to_double(priorreg_fit::format_number(extreme));
        CHECK(std::memcmp(&back, &extreme, sizeof back) == 0);
    }
}

TEST_CASE("CSV fields are quoted only when needed and split back unchanged", "[cli][output]") {
    CHECK(priorreg_fit::csv_field("x1") == "x1");
    CHECK(priorreg_fit::csv_field("(intercept)") == "(intercept)");
    for (const std::string name : {"a,b", "say \"hi\"", " padded ", "line\nbreak", "plain"}) {
        const auto records = cli_test::split_csv(priorreg_fit::csv_field(name) + ",1\n");
        REQUIRE(records.size() == 1);
        REQUIRE(records[0].size() == 2);
        CHECK(records[0][0] == name);
    }
}

TEST_CASE("The JSON writer produces valid JSON with the values given", "[cli][output][json]") {
    JsonWriter json;
    json.begin_object();
    json.member("name", std::string("quote \" backslash \\ newline \n tab \t bell \x07"));
    json.member("pi", 3.141592653589793);
    json.member("tiny", 5e-324);
    json.member("count", std::int64_t{-42});
    json.member("yes", true);
    json.member("no", false);
    json.member("nan", std::nan(""));
    json.member("inf", std::numeric_limits<double>::infinity());
    json.key("nothing").null();
    json.key("empty_array").begin_array().end_array();
    json.key("empty_object").begin_object().end_object();
    json.key("nested").begin_array();
    json.value(1.0)
        .begin_object()
        .member("k", "v")
        .end_object()
        .begin_array()
        .value(2.5)
        .end_array();
    json.end_array();
    json.end_object();
    const std::string text = json.str();

    const cli_test::Json doc = cli_test::parse_json(text);
    CHECK(doc["name"].str() == "quote \" backslash \\ newline \n tab \t bell \x07");
    CHECK(doc["pi"].num() == 3.141592653589793);
    CHECK(doc["tiny"].num() == 5e-324);
    CHECK(doc["count"].num() == -42);
    CHECK(doc["yes"].type == cli_test::Json::Type::boolean);
    CHECK(doc["yes"].boolean);
    CHECK_FALSE(doc["no"].boolean);
    // JSON has no NaN or infinity: non-finite numbers are null.
    CHECK(doc["nan"].type == cli_test::Json::Type::null);
    CHECK(doc["inf"].type == cli_test::Json::Type::null);
    CHECK(doc["nothing"].type == cli_test::Json::Type::null);
    CHECK(doc["empty_array"].array.empty());
    CHECK(doc["empty_object"].object.empty());
    REQUIRE(doc["nested"].array.size() == 3);
    CHECK(doc["nested"][1]["k"].str() == "v");
    CHECK(doc["nested"][2][0].num() == 2.5);
}

TEST_CASE("The JSON writer refuses malformed documents", "[cli][output][json]") {
    JsonWriter missing_key;
    missing_key.begin_object();
    CHECK_THROWS_AS(missing_key.value(1.0), std::logic_error);

    JsonWriter unbalanced;
    unbalanced.begin_array();
    CHECK_THROWS_AS(unbalanced.end_object(), std::logic_error);
    CHECK_THROWS_AS(unbalanced.str(), std::logic_error);

    JsonWriter key_in_array;
    key_in_array.begin_array();
    CHECK_THROWS_AS(key_in_array.key("k"), std::logic_error);

    JsonWriter two_documents;
    two_documents.value(1.0);
    CHECK_THROWS_AS(two_documents.value(2.0), std::logic_error);
}

TEST_CASE("Staged files appear only on commit; otherwise nothing is left", "[cli][output]") {
    cli_test::TempDir dir;
    const auto before = listing(dir.path());

    SECTION("commit renames every staged file into place") {
        priorreg_fit::StagedFiles staged;
        const std::string temporary = staged.write(dir / "out.csv", "a,b\n");
        const std::string reserved = staged.reserve(dir / "plot.png");
        CHECK(std::filesystem::exists(temporary));
        CHECK_FALSE(std::filesystem::exists(dir / "out.csv"));
        cli_test::write_text(reserved, "PNG");
        staged.commit();
        CHECK(cli_test::read_text(dir / "out.csv") == "a,b\n");
        CHECK(cli_test::read_text(dir / "plot.png") == "PNG");
        CHECK(listing(dir.path()) == std::set<std::string>{"out.csv", "plot.png"});
    }
    SECTION("without commit, the temporaries are removed and an old file is untouched") {
        cli_test::write_text(dir / "out.csv", "old");
        {
            priorreg_fit::StagedFiles staged;
            staged.write(dir / "out.csv", "new content");
            staged.reserve(dir / "plot.png");
            CHECK(listing(dir.path()).size() == 3);
        }
        CHECK(cli_test::read_text(dir / "out.csv") == "old");
        CHECK(listing(dir.path()) == std::set<std::string>{"out.csv"});
    }
    SECTION("a symbolic link stays a link; the file it points to is replaced") {
        cli_test::write_text(dir / "target.csv", "old");
        std::filesystem::create_symlink(dir / "target.csv", dir / "link.csv");
        priorreg_fit::StagedFiles staged;
        staged.write(dir / "link.csv", "new");
        staged.commit();
        CHECK(std::filesystem::is_symlink(dir / "link.csv"));
        CHECK(cli_test::read_text(dir / "target.csv") == "new");
    }
    SECTION("a FIFO (or a device such as /dev/null) is refused, not replaced") {
        REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
        priorreg_fit::StagedFiles staged;
        CHECK_THROWS_WITH(staged.write(dir / "fifo", "x"), Catch::Contains("not a regular file"));
        CHECK(std::filesystem::is_fifo(dir / "fifo"));
        CHECK(listing(dir.path()) == std::set<std::string>{"fifo"});
    }
    SECTION("unwritable destinations throw and leave nothing") {
        priorreg_fit::StagedFiles staged;
        CHECK_THROWS_AS(staged.write(dir / "no/such/dir/out.csv", "x"), priorreg_fit::OutputError);
        CHECK_THROWS_AS(staged.write(dir.path().string(), "x"), priorreg_fit::OutputError);
        CHECK(listing(dir.path()) == before);
    }
}
