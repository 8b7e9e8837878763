// libFuzzer harness for the CSV reader of priorreg-fit (tools/priorreg-fit/csv_table.hpp):
// arbitrary bytes -> parse_csv, read in place from libFuzzer's exactly sized buffer (so ASan
// sees a read past the end).
//
// Properties checked (a violation aborts, so libFuzzer reports it as a crash). A small
// reference splits the input into lines independently of the parser: an optional leading
// UTF-8 BOM is dropped, lines end in LF, CRLF or CR, a line of spaces and tabs only is blank.
// - only priorreg_fit::CsvError escapes; any other exception aborts;
// - on CsvError: source() is the given name; what() is "source:line:column: message" with the
//   zero parts left out (up to a NUL byte quoted from the input), on one line; line() == 0 (and
//   column() == 0) exactly when the input has no non-blank line; otherwise line() is a non-blank
//   line, column() >= 1 and at most the number of fields begun on that line plus one
//   (separator candidates , ; tab + 2); on the header line at most that + 1; on a data line at
//   most the header's fields + 1, and the text before that line parses into a table with every
//   earlier data row (the error is about that line);
// - on success: the separator is , ; or tab; at least one name, none empty, all unique;
//   without a quote in the header line the names are the trimmed fields (the first, empty,
//   skipped when the table has an index column); rows() == non-blank lines - 1 and row_lines
//   are their line numbers; values.size() == rows() * cols(); on a data line without quotes
//   every field count is the header's and every cell (trimmed) is a decimal number
//   [+-]?(d+[.d*]|.d+)([eE][+-]?d+)? whose strtod value is bit-identical to the parsed one, or
//   missing (an NA token or a spelling of NaN), or text equal to its level;
// - round trip: the table written back (names and text quoted with "" doubling, values
//   "%.17g", missing cells NA; the line end and a BOM vary with the input size) parses to
//   the same names, bit-identical values, the same missing cells and texts, and row lines
//   2, 3, ...
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "csv_table.hpp"

namespace {

using priorreg_fit::CsvError;
using priorreg_fit::CsvTable;
using priorreg_fit::parse_csv;

const std::string kSource = "fuzz.csv";

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
    std::fprintf(stderr, "fuzz_csv: property violated: %s %s\n", what, detail.c_str());
    std::fflush(stderr);
    std::abort();
}

/// One line of the input as the reference split sees it: [begin, end) in the full text.
struct Line {
    std::size_t begin;
    std::size_t end;
};

std::vector<Line> split_lines(std::string_view text) {
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    std::vector<Line> lines;
    std::size_t start = i;
    while (i < text.size()) {
        const char c = text[i];
        if (c != '\n' && c != '\r') {
            ++i;
            continue;
        }
        lines.push_back({start, i});
        i += c == '\r' && i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
        start = i;
    }
    lines.push_back({start, text.size()}); // empty after a final line end
    return lines;
}

bool is_blank(std::string_view s) {
    for (const char c : s)
        if (c != ' ' && c != '\t')
            return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// Separator candidates on a line: `,` `;` tab.
std::size_t count_separators(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s)
        n += c == ',' || c == ';' || c == '\t' ? 1 : 0;
    return n;
}

/// Spaces (and tabs, unless tab separates) trimmed.
std::string_view trim_for(std::string_view s, char separator) {
    if (separator != '\t')
        return trim(s);
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_fields(std::string_view s, char separator) {
    std::vector<std::string_view> fields;
    for (;;) {
        const std::size_t at = s.find(separator);
        fields.push_back(trim_for(s.substr(0, at), separator));
        if (at == std::string_view::npos)
            return fields;
        s.remove_prefix(at + 1);
    }
}

/// A missing-value token, or a spelling of NaN (with a sign, any case, a payload).
bool spells_missing(std::string_view s) {
    if (priorreg_fit::is_missing_token(s))
        return true;
    if (!s.empty() && (s.front() == '-' || s.front() == '+'))
        s.remove_prefix(1);
    if (s.size() < 3)
        return false;
    std::string head(s.substr(0, 3));
    for (char& c : head)
        c = static_cast<char>(c | 0x20);
    return head == "nan";
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// [+-]?(d+[.d*]|.d+)([eE][+-]?d+)?, the whole of `s`.
bool is_decimal(std::string_view s) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t from = i;
        while (i < s.size() && is_digit(s[i]))
            ++i;
        return i - from;
    };
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    std::size_t mantissa_digits = digits();
    if (i < s.size() && s[i] == '.') {
        ++i;
        mantissa_digits += digits();
    }
    if (mantissa_digits == 0)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (digits() == 0)
            return false;
    }
    return i == s.size();
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

std::string printable(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F && c != '\\') {
            out += c;
        } else {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02X", u);
            out += buffer;
        }
    }
    return out;
}

/// Parses text that must be a valid table (a prefix of a fuzz input, or a written-back table).
CsvTable must_parse(std::string_view text, const char* what) {
    try {
        return parse_csv(text, kSource);
    } catch (const std::exception& e) {
        fail(what, std::string(e.what()) + " for \"" + printable(text) + "\"");
    }
}

void check_error(std::string_view text, const std::vector<Line>& lines,
                 std::optional<std::size_t> header, const CsvError& e) {
    if (e.source() != kSource)
        fail("CsvError::source()", e.source());
    if (e.message().empty())
        fail("CsvError with an empty message");
    std::string expected = kSource;
    if (e.line() > 0) {
        expected += ':' + std::to_string(e.line());
        if (e.column() > 0)
            expected += ':' + std::to_string(e.column());
    }
    expected += ": " + e.message();
    // what() is a C string: a NUL byte quoted from the input ends it.
    expected.resize(std::min(expected.size(), expected.find('\0')));
    const std::string what = e.what();
    if (what != expected)
        fail("CsvError::what() is not source:line:column: message", printable(what));
    if (what.find_first_of("\r\n") != std::string::npos)
        fail("CsvError::what() spans lines", printable(what));

    const std::string where = printable(what);
    if (!header) {
        if (e.line() != 0 || e.column() != 0)
            fail("input without a non-blank line: expected line 0, column 0, got", where);
        return;
    }
    if (e.line() == 0 || e.line() > lines.size())
        fail("CsvError line out of range", where);
    const std::size_t index = e.line() - 1;
    const std::string_view line =
        text.substr(lines[index].begin, lines[index].end - lines[index].begin);
    if (is_blank(line))
        fail("CsvError on a blank line", where);
    const std::size_t separators = count_separators(line);
    if (e.column() < 1 || e.column() > separators + 2)
        fail("CsvError column out of [1, separators + 2]", where);
    if (index == *header) {
        if (e.column() > separators + 1)
            fail("header CsvError column beyond the fields of the line", where);
        return;
    }
    // A data line: everything before it is a valid table with every earlier row.
    const CsvTable before =
        must_parse(text.substr(0, lines[index].begin), "the text before the error line failed:");
    if (e.column() > before.cols() + (before.index_column ? 1 : 0) + 1)
        fail("row CsvError column beyond the header's fields + 1", where);
    std::size_t earlier_rows = 0;
    for (std::size_t k = *header + 1; k < index; ++k)
        earlier_rows +=
            is_blank(text.substr(lines[k].begin, lines[k].end - lines[k].begin)) ? 0 : 1;
    if (before.rows() != earlier_rows)
        fail("the text before the error line has the wrong number of rows", where);
}

std::string quote(const std::string& text) {
    std::string out = "\"";
    for (const char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

/// The text of a text cell, "" for a missing or numeric one.
std::string text_of(const CsvTable& t, std::size_t i, std::size_t j) {
    const auto& codes = t.columns[j].codes;
    if (codes.empty() || codes[i] < 0)
        return {};
    return t.columns[j].levels[static_cast<std::size_t>(codes[i])];
}

std::string write_back(const CsvTable& table, const char* line_end, bool bom) {
    std::string text = bom ? "\xEF\xBB\xBF" : "";
    for (std::size_t j = 0; j < table.names.size(); ++j)
        text += (j > 0 ? "," : "") + quote(table.names[j]);
    text += line_end;
    for (std::size_t i = 0; i < table.rows(); ++i) {
        for (std::size_t j = 0; j < table.cols(); ++j) {
            if (j > 0)
                text += ',';
            if (table.is_missing(i, j)) {
                text += "NA"; // not empty: a one-column row of an empty cell would be blank
            } else if (std::isnan(table(i, j))) {
                text += quote(text_of(table, i, j));
            } else {
                char buffer[40];
                std::snprintf(buffer, sizeof buffer, "%.17g", table(i, j));
                text += buffer;
            }
        }
        text += line_end;
    }
    return text;
}

void check_table(std::string_view text, const std::vector<Line>& lines,
                 std::optional<std::size_t> header, const CsvTable& t) {
    if (!header)
        fail("a table from an input without a non-blank line");
    if (t.source != kSource)
        fail("CsvTable::source", t.source);
    if (t.names.empty())
        fail("a table without columns");
    std::set<std::string> unique;
    for (const auto& name : t.names) {
        if (name.empty())
            fail("an empty column name");
        if (!unique.insert(name).second)
            fail("a duplicate column name", printable(name));
    }
    const std::size_t cols = t.cols();
    const char sep = t.separator;
    if (sep != ',' && sep != ';' && sep != '\t')
        fail("a separator other than , ; tab");
    if (t.columns.size() != cols)
        fail("columns.size() != cols()");
    const std::size_t skip = t.index_column ? 1 : 0;
    const Line& h = lines[*header];
    const std::string_view header_line = text.substr(h.begin, h.end - h.begin);
    if (cols + skip > count_separators(header_line) + 1)
        fail("more names than fields in the header line");
    if (header_line.find('"') == std::string_view::npos) {
        const auto fields = split_fields(header_line, sep);
        if (fields.size() != cols + skip)
            fail("unquoted header: wrong number of names");
        if (skip == 1 && !fields[0].empty())
            fail("an index column with a name");
        for (std::size_t j = 0; j < cols; ++j)
            if (fields[j + skip] != t.names[j])
                fail("unquoted header: name differs from the trimmed field", printable(t.names[j]));
    }

    std::vector<std::size_t> data_lines;
    for (std::size_t k = *header + 1; k < lines.size(); ++k)
        if (!is_blank(text.substr(lines[k].begin, lines[k].end - lines[k].begin)))
            data_lines.push_back(k);
    if (t.rows() != data_lines.size())
        fail("rows() is not the number of non-blank lines after the header",
             std::to_string(t.rows()) + " vs " + std::to_string(data_lines.size()));
    if (t.values.size() != t.rows() * cols)
        fail("values.size() != rows * cols");
    for (std::size_t i = 0; i < data_lines.size(); ++i) {
        if (t.row_lines[i] != data_lines[i] + 1)
            fail("row_lines differ from the reference line numbers",
                 std::to_string(t.row_lines[i]) + " vs " + std::to_string(data_lines[i] + 1));
        const Line& l = lines[data_lines[i]];
        const std::string_view line = text.substr(l.begin, l.end - l.begin);
        if (line.find('"') != std::string_view::npos)
            continue; // quoted cells may hold the separator: the reference split does not apply
        const auto cells = split_fields(line, sep);
        if (cells.size() != cols + skip)
            fail("an accepted row with the wrong number of fields");
        for (std::size_t j = 0; j < cols; ++j) {
            const std::string_view cell = cells[j + skip];
            const std::string copy(cell);
            if (is_decimal(cell)) {
                char* stop = nullptr;
                const double reference = std::strtod(copy.c_str(), &stop);
                if (stop != copy.c_str() + copy.size())
                    fail("strtod does not read the whole accepted cell", copy);
                if (!same_bits(reference, t(i, j))) {
                    char buffer[96];
                    std::snprintf(buffer, sizeof buffer, " parsed %.17g, strtod %.17g", t(i, j),
                                  reference);
                    fail("a cell value differs from strtod:", copy + buffer);
                }
            } else if (t.is_missing(i, j)) {
                if (!spells_missing(cell))
                    fail("a missing cell that does not spell a missing value", printable(copy));
            } else if (!std::isnan(t(i, j)) || text_of(t, i, j) != copy) {
                fail("a text cell that is not its level", printable(copy));
            }
            if (std::isinf(t(i, j)))
                fail("an infinite value", copy);
        }
    }

    // Round trip.
    static const char* const line_ends[] = {"\n", "\r\n", "\r"};
    const std::size_t style = text.size() % 6;
    const std::string again_text = write_back(t, line_ends[style % 3], style >= 3);
    const CsvTable again = must_parse(again_text, "the written-back table failed:");
    if (again.names != t.names)
        fail("round trip: names differ", printable(again_text));
    if (again.rows() != t.rows() || again.values.size() != t.values.size())
        fail("round trip: shape differs", printable(again_text));
    for (std::size_t k = 0; k < t.values.size(); ++k)
        if (!same_bits(again.values[k], t.values[k]))
            fail("round trip: a value differs", printable(again_text));
    for (std::size_t i = 0; i < t.rows(); ++i)
        for (std::size_t j = 0; j < t.cols(); ++j)
            if (again.is_missing(i, j) != t.is_missing(i, j) ||
                text_of(again, i, j) != text_of(t, i, j))
                fail("round trip: a missing or text cell differs", printable(again_text));
    for (std::size_t i = 0; i < again.rows(); ++i)
        if (again.row_lines[i] != i + 2)
            fail("round trip: row_lines are not 2, 3, ...", printable(again_text));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<CsvTable> table;
    std::optional<CsvError> error;
    try {
        table = parse_csv(text, kSource);
    } catch (const CsvError& e) {
        error = e;
    } catch (const std::exception& e) {
        fail("an exception other than CsvError:", e.what());
    } catch (...) {
        fail("a non-standard exception");
    }

    const std::vector<Line> lines = split_lines(text);
    std::optional<std::size_t> header; // index of the first non-blank line
    for (std::size_t k = 0; k < lines.size() && !header; ++k)
        if (!is_blank(text.substr(lines[k].begin, lines[k].end - lines[k].begin)))
            header = k;

    if (error)
        check_error(text, lines, header, *error);
    else
        check_table(text, lines, header, *table);
    return 0;
}
