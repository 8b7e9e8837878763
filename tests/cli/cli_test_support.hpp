#ifndef PRIORREG_CLI_TEST_SUPPORT_HPP
#define PRIORREG_CLI_TEST_SUPPORT_HPP

// Helpers of the priorreg-fit tests: a strict JSON reader (so the tool's JSON is checked
// without python), a CSV splitter for text cells, temporary directories and running the tool.

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <fast_float/fast_float.h>

namespace cli_test {

// ------------------------------------------------------------------------------ JSON

/// A parsed JSON value. Object members keep their order.
struct Json {
    enum class Type { null, boolean, number, string, array, object };
    Type type = Type::null;
    bool boolean = false;
    double number = 0;
    std::string string;
    std::vector<Json> array;
    std::vector<std::pair<std::string, Json>> object;

    /// The member `key` of an object; throws when absent.
    const Json& operator[](const std::string& key) const {
        if (type != Type::object)
            throw std::runtime_error("json: not an object (looking for \"" + key + "\")");
        for (const auto& [name, value] : object)
            if (name == key)
                return value;
        throw std::runtime_error("json: no member \"" + key + "\"");
    }
    const Json& operator[](std::size_t index) const { return array.at(index); }
    double num() const {
        if (type != Type::number)
            throw std::runtime_error("json: not a number");
        return number;
    }
    const std::string& str() const {
        if (type != Type::string)
            throw std::runtime_error("json: not a string");
        return string;
    }
};

/// A strict RFC 8259 reader: one value, surrounded only by whitespace. Throws on anything else.
class JsonReader {
public:
    explicit JsonReader(const std::string& text) : p_(text.data()), end_(p_ + text.size()) {}

    Json document() {
        Json value = parse_value();
        skip_space();
        if (p_ != end_)
            fail("trailing characters");
        return value;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("json: " + what + " at \"" +
                                 std::string(p_, p_ + std::min<std::ptrdiff_t>(end_ - p_, 20)) +
                                 "\"");
    }
    void skip_space() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
            ++p_;
    }
    void expect(char c) {
        skip_space();
        if (p_ == end_ || *p_ != c)
            fail(std::string("expected '") + c + "'");
        ++p_;
    }
    bool literal(const char* word) {
        const std::size_t n = std::char_traits<char>::length(word);
        if (static_cast<std::size_t>(end_ - p_) >= n && std::string(p_, p_ + n) == word) {
            p_ += n;
            return true;
        }
        return false;
    }

    std::string parse_string() {
        expect('"');
        std::string out;
        for (;;) {
            if (p_ == end_)
                fail("unterminated string");
            const char c = *p_++;
            if (c == '"')
                return out;
            if (static_cast<unsigned char>(c) < 0x20)
                fail("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (p_ == end_)
                fail("unterminated escape");
            const char e = *p_++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                out += e;
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                if (end_ - p_ < 4)
                    fail("short \\u escape");
                const unsigned code =
                    static_cast<unsigned>(std::stoul(std::string(p_, p_ + 4), nullptr, 16));
                p_ += 4;
                if (code >= 0x80)
                    fail("non-ASCII \\u escape (not produced by the writer)");
                out += static_cast<char>(code);
                break;
            }
            default:
                fail("bad escape");
            }
        }
    }

    double parse_number() {
        // JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        const char* start = p_;
        auto digits = [&]() {
            const char* begin = p_;
            while (p_ != end_ && *p_ >= '0' && *p_ <= '9')
                ++p_;
            return p_ - begin;
        };
        if (p_ != end_ && *p_ == '-')
            ++p_;
        if (p_ != end_ && *p_ == '0')
            ++p_;
        else if (digits() == 0)
            fail("bad number");
        if (p_ != end_ && *p_ == '.') {
            ++p_;
            if (digits() == 0)
                fail("bad fraction");
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-'))
                ++p_;
            if (digits() == 0)
                fail("bad exponent");
        }
        double value = 0;
        const auto result = fast_float::from_chars(start, p_, value);
        if (result.ec != std::errc() || result.ptr != p_)
            fail("number");
        return value;
    }

    Json parse_value() {
        skip_space();
        if (p_ == end_)
            fail("unexpected end");
        Json value;
        if (*p_ == '{') {
            ++p_;
            value.type = Json::Type::object;
            skip_space();
            if (p_ != end_ && *p_ == '}') {
                ++p_;
                return value;
            }
            for (;;) {
                std::string key = parse_string();
                expect(':');
                value.object.emplace_back(std::move(key), parse_value());
                skip_space();
                if (p_ != end_ && *p_ == ',') {
                    ++p_;
                    continue;
                }
                expect('}');
                return value;
            }
        }
        if (*p_ == '[') {
            ++p_;
            value.type = Json::Type::array;
            skip_space();
            if (p_ != end_ && *p_ == ']') {
                ++p_;
                return value;
            }
            for (;;) {
                value.array.push_back(parse_value());
                skip_space();
                if (p_ != end_ && *p_ == ',') {
                    ++p_;
                    continue;
                }
                expect(']');
                return value;
            }
        }
        if (*p_ == '"') {
            value.type = Json::Type::string;
            value.string = parse_string();
            return value;
        }
        if (literal("null"))
            return value;
        if (literal("true") || literal("false")) {
            value.type = Json::Type::boolean;
            value.boolean = p_[-1] == 'e' && p_[-2] == 'u';
            return value;
        }
        value.type = Json::Type::number;
        value.number = parse_number();
        return value;
    }

    const char* p_;
    const char* end_;
};

inline Json parse_json(const std::string& text) {
    return JsonReader(text).document();
}

// ------------------------------------------------------------------------------ CSV

/// Splits CSV text into records of text fields (RFC 4180 quoting). A blank line is an empty
/// record, so the sections of the CV output stay apart.
inline std::vector<std::vector<std::string>> split_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
            any = true;
        } else if (c == '\n') {
            if (any || !field.empty())
                record.push_back(field);
            records.push_back(record);
            record.clear();
            field.clear();
            any = false;
        } else {
            field += c;
        }
    }
    if (quoted)
        throw std::runtime_error("csv: unterminated quote");
    if (any || !field.empty()) {
        record.push_back(field);
        records.push_back(record);
    }
    return records;
}

/// Sections of CSV text separated by blank lines.
inline std::vector<std::vector<std::vector<std::string>>> csv_sections(const std::string& text) {
    std::vector<std::vector<std::vector<std::string>>> sections(1);
    for (auto& record : split_csv(text)) {
        if (record.empty())
            sections.emplace_back();
        else
            sections.back().push_back(std::move(record));
    }
    return sections;
}

/// A decimal number, the whole text (throws otherwise).
inline double to_double(const std::string& text) {
    double value = 0;
    const auto result = fast_float::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size())
        throw std::runtime_error("not a number: \"" + text + "\"");
    return value;
}

// ------------------------------------------------------------------------------ CSV edits

/// One to four random edits of `text` (insert, erase or replace a character), with the
/// characters a CSV grammar cares about: separators, quotes, line ends, spaces, parts of
/// numbers and of the words NA, nan, inf.
inline void mutate_csv(std::string& text, std::mt19937_64& rng) {
    static const std::string alphabet = ",\"\r\n .-+eE0123456789axin\t";
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        const std::size_t position = rng() % (text.size() + 1);
        const char c = alphabet[rng() % alphabet.size()];
        switch (rng() % 3) {
        case 0:
            text.insert(text.begin() + static_cast<std::ptrdiff_t>(position), c);
            break;
        case 1:
            if (position < text.size())
                text.erase(position, 1);
            break;
        default:
            if (position < text.size())
                text[position] = c;
        }
    }
}

// ------------------------------------------------------------------------------ processes

/// A fresh directory under the system temporary directory, removed with its content.
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "priorreg-cli-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

inline std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

struct RunResult {
    int status = -1;
    std::string out;
    std::string err;
};

/// Runs the priorreg-fit executable with `arguments` in `directory`.
inline RunResult run_tool(const TempDir& directory, const std::vector<std::string>& arguments) {
    std::string command = "cd " + shell_quote(directory.path().string()) + " && " +
                          shell_quote(PRIORREG_FIT_EXECUTABLE);
    for (const std::string& argument : arguments)
        command += " " + shell_quote(argument);
    const std::string out = directory / ".stdout", err = directory / ".stderr";
    command += " > " + shell_quote(out) + " 2> " + shell_quote(err);
    const int raw = std::system(command.c_str());
    RunResult result;
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    result.out = read_text(out);
    result.err = read_text(err);
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return result;
}

/// `run_tool`, required to succeed (its stderr is shown if it does not).
inline RunResult run_ok(const TempDir& directory, const std::vector<std::string>& arguments) {
    const auto result = run_tool(directory, arguments);
    INFO("arguments: " << arguments.front() << " ... stderr: " << result.err);
    REQUIRE(result.status == 0);
    return result;
}

// ------------------------------------------------------------------------------ Comparisons

/// The largest difference, relative to the largest expected magnitude (or 1).
inline double relative_difference(const Eigen::VectorXd& got, const Eigen::VectorXd& expected) {
    REQUIRE(got.size() == expected.size());
    return (got - expected).cwiseAbs().maxCoeff() / std::max(1.0, expected.cwiseAbs().maxCoeff());
}

/// The intercept followed by the coefficients, as the tool's tables list them.
inline Eigen::VectorXd with_intercept(double intercept, const Eigen::VectorXd& coef) {
    Eigen::VectorXd all(coef.size() + 1);
    all << intercept, coef;
    return all;
}

} // namespace cli_test

#endif // PRIORREG_CLI_TEST_SUPPORT_HPP
