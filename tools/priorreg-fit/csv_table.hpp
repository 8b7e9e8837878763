#ifndef PRIORREG_FIT_CSV_TABLE_HPP
#define PRIORREG_FIT_CSV_TABLE_HPP

/// \file csv_table.hpp
/// \brief A numeric CSV table with a header row: the reader of `priorreg-fit`.
///
/// Independent of the command-line layer (and of priorreg itself) so that it can be unit tested
/// and fuzzed on its own. The whole input is read in one go and parsed in place: each cell is
/// handed straight to `fast_float::from_chars`, no per-cell string is made. The grammar:
/// - the first non-blank line is the header: comma-separated names, each optionally in double
///   quotes (a doubled quote `""` inside quotes is one quote); names must be non-empty and
///   unique;
/// - every further non-blank line is a data row with exactly as many cells as the header, each
///   a finite decimal number (`1`, `-2.5`, `+3e-7`; optionally in double quotes);
/// - spaces and tabs around cells are ignored; lines end in LF, CRLF or CR; a trailing line end,
///   blank (or whitespace-only) lines and a UTF-8 byte-order mark are ignored.
///
/// Every violation throws `CsvError` carrying the source name, the 1-based line and the 1-based
/// column (the field number, not the character offset).

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fast_float/fast_float.h>

namespace priorreg_fit {

/// \brief A CSV input that cannot be read as a numeric table.
///
/// `line()` and `column()` are 1-based; 0 means "not about a particular line (column)", as for
/// a missing file. `what()` is `source:line:column: message` with the zero parts left out.
class CsvError : public std::runtime_error {
public:
    CsvError(std::string source, std::size_t line, std::size_t column, const std::string& message)
        : std::runtime_error(format(source, line, column, message)), source_(std::move(source)),
          line_(line), column_(column), message_(message) {}

    const std::string& source() const { return source_; }
    std::size_t line() const { return line_; }
    std::size_t column() const { return column_; }
    /// The message without the location prefix.
    const std::string& message() const { return message_; }

private:
    static std::string format(const std::string& source, std::size_t line, std::size_t column,
                              const std::string& message) {
        std::string text = source;
        if (line > 0) {
            text += ':' + std::to_string(line);
            if (column > 0)
                text += ':' + std::to_string(column);
        }
        return text + ": " + message;
    }

    std::string source_;
    std::size_t line_;
    std::size_t column_;
    std::string message_;
};

/// \brief Column names and a row-major block of doubles.
struct CsvTable {
    std::vector<std::string> names;     ///< the header, one name per column
    std::vector<double> values;         ///< rows() x cols(), row-major
    std::vector<std::size_t> row_lines; ///< the 1-based input line of each data row
    std::string source;                 ///< the file name (or buffer label) it came from

    std::size_t cols() const { return names.size(); }
    std::size_t rows() const { return row_lines.size(); }
    double operator()(std::size_t row, std::size_t col) const {
        return values[row * names.size() + col];
    }
    /// Index of the column called `name`, if any.
    std::optional<std::size_t> find(std::string_view name) const {
        for (std::size_t j = 0; j < names.size(); ++j)
            if (names[j] == name)
                return j;
        return std::nullopt;
    }
};

namespace detail {

/// One pass over the text; `line` and `field` track the location for error messages.
class CsvParser {
public:
    CsvParser(std::string_view text, std::string source)
        : p_(text.data()), end_(text.data() + text.size()), source_(std::move(source)) {}

    CsvTable parse() {
        CsvTable table;
        table.source = source_;
        if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0)
            p_ += 3;
        if (!skip_blank_lines())
            throw CsvError(source_, 0, 0, "empty file (no header row)");
        parse_header(table.names);
        const std::size_t cols = table.names.size();
        // Reserve from the number of remaining line ends: one cheap pass saves the reallocation
        // copies of a large table. A row takes at least 2 * cols - 1 bytes, so the bytes left
        // cap it too: blank or short lines under a wide header must not reserve lines x cols.
        const auto remaining_lines = static_cast<std::size_t>(std::count(p_, end_, '\n')) + 1;
        const auto remaining_bytes = static_cast<std::size_t>(end_ - p_);
        const std::size_t max_rows =
            std::min(remaining_lines, (remaining_bytes + 1) / (2 * cols) + 1);
        table.values.reserve(max_rows * cols);
        table.row_lines.reserve(max_rows);
        while (skip_blank_lines()) {
            table.row_lines.push_back(line_);
            parse_row(table.values, cols);
        }
        return table;
    }

private:
    static bool is_space(char c) { return c == ' ' || c == '\t'; }
    static bool is_line_end(char c) { return c == '\n' || c == '\r'; }
    bool at_record_end() const { return p_ == end_ || is_line_end(*p_); }

    void skip_spaces() {
        while (p_ != end_ && is_space(*p_))
            ++p_;
    }

    /// Consumes one line end (LF, CRLF or CR) if there is one.
    void consume_line_end() {
        if (p_ == end_)
            return;
        if (*p_ == '\r') {
            ++p_;
            if (p_ != end_ && *p_ == '\n')
                ++p_;
        } else {
            ++p_;
        }
        ++line_;
    }

    /// Skips empty and whitespace-only lines; false at the end of the input.
    bool skip_blank_lines() {
        for (;;) {
            const char* start = p_;
            skip_spaces();
            if (p_ == end_)
                return false;
            if (!is_line_end(*p_)) {
                p_ = start;
                return true;
            }
            consume_line_end();
        }
    }

    [[noreturn]] void fail(std::size_t column, const std::string& message) const {
        throw CsvError(source_, line_, column, message);
    }

    /// A quoted field starting at the opening quote; leaves `p_` after the closing quote.
    std::string quoted_field(std::size_t column) {
        std::string text;
        ++p_;
        for (;;) {
            const char* quote =
                static_cast<const char*>(std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_)));
            const char* stop = quote ? quote : end_;
            for (const char* c = p_; c != stop; ++c)
                if (is_line_end(*c)) {
                    p_ = c;
                    fail(column, "line break inside a quoted field");
                }
            if (!quote) {
                p_ = end_;
                fail(column, "unterminated quoted field");
            }
            text.append(p_, quote);
            p_ = quote + 1;
            if (p_ != end_ && *p_ == '"') { // "" is one quote
                text += '"';
                ++p_;
                continue;
            }
            return text;
        }
    }

    /// After a field: a comma (true: another field follows) or the end of the record (false).
    bool field_separator(std::size_t column, const char* what) {
        skip_spaces();
        if (p_ != end_ && *p_ == ',') {
            ++p_;
            return true;
        }
        if (at_record_end())
            return false;
        fail(column, std::string("unexpected character '") + *p_ + "' after " + what);
    }

    void parse_header(std::vector<std::string>& names) {
        for (bool more = true; more;) {
            const std::size_t column = names.size() + 1;
            skip_spaces();
            std::string name;
            if (p_ != end_ && *p_ == '"') {
                name = quoted_field(column);
            } else {
                const char* start = p_;
                while (p_ != end_ && *p_ != ',' && !is_line_end(*p_))
                    ++p_;
                const char* stop = p_;
                while (stop != start && is_space(stop[-1]))
                    --stop;
                name.assign(start, stop);
                if (name.find('"') != std::string::npos)
                    fail(column, "stray quote in column name \"" + name + "\"");
            }
            if (name.empty())
                fail(column, "empty column name in the header");
            for (std::size_t j = 0; j < names.size(); ++j)
                if (names[j] == name)
                    fail(column, "duplicate column name \"" + name + "\" (also column " +
                                     std::to_string(j + 1) + ")");
            names.push_back(std::move(name));
            more = field_separator(column, "a quoted column name");
        }
        consume_line_end();
    }

    /// The text of the cell starting at `start` (for messages), shortened if long.
    std::string cell_text(const char* start) const {
        const char* stop = start;
        while (stop != end_ && *stop != ',' && !is_line_end(*stop))
            ++stop;
        while (stop != start && is_space(stop[-1]))
            --stop;
        return shortened(std::string(start, stop));
    }

    static std::string shortened(std::string text) {
        if (text.size() > 40)
            text = text.substr(0, 37) + "...";
        return text;
    }

    enum class NumberStatus { ok, invalid, out_of_range, non_finite };

    /// Parses a number at the start of [first, last); `stop` is set after it.
    static NumberStatus parse_number(const char* first, const char* last, double& value,
                                     const char*& stop) {
        // fast_float follows std::from_chars and rejects a leading '+'; CSV writers emit it.
        if (last - first > 1 && *first == '+' && first[1] != '-' && first[1] != '+')
            ++first;
        const auto result = fast_float::from_chars(first, last, value);
        if (result.ec == std::errc::result_out_of_range)
            return NumberStatus::out_of_range;
        if (result.ec != std::errc())
            return NumberStatus::invalid;
        stop = result.ptr;
        if (std::isfinite(value))
            return NumberStatus::ok;
        // "1e999" overflows to infinity; "inf" and "nan" are spelled out.
        return std::find_if(first, stop, [](char c) { return c >= '0' && c <= '9'; }) != stop
                   ? NumberStatus::out_of_range
                   : NumberStatus::non_finite;
    }

    [[noreturn]] void fail_number(std::size_t column, NumberStatus status,
                                  const std::string& text) const {
        switch (status) {
        case NumberStatus::out_of_range:
            fail(column, "number out of range \"" + text + "\"");
        case NumberStatus::non_finite:
            fail(column, "non-finite value \"" + text + "\"");
        default:
            fail(column, "non-numeric cell \"" + text + "\"");
        }
    }

    void parse_row(std::vector<double>& values, std::size_t cols) {
        for (std::size_t c = 0; c < cols; ++c) {
            const std::size_t column = c + 1;
            skip_spaces();
            // Only the first cell can follow a line start; the others follow a comma, so a
            // record end here is an empty last cell, not a short row.
            if (at_record_end() || *p_ == ',')
                fail(column, "empty cell");
            const char* cell = p_;
            double value = 0;
            const char* stop = nullptr;
            if (*p_ == '"') {
                const std::string text = quoted_field(column);
                const char* text_end = text.data() + text.size();
                const NumberStatus status = parse_number(text.data(), text_end, value, stop);
                if (status != NumberStatus::ok || stop != text_end)
                    fail_number(column, status, shortened(text));
            } else {
                const NumberStatus status = parse_number(p_, end_, value, stop);
                if (status != NumberStatus::ok)
                    fail_number(column, status, cell_text(cell));
                p_ = stop;
            }
            values.push_back(value);
            skip_spaces();
            if (c + 1 < cols) {
                if (p_ != end_ && *p_ == ',') {
                    ++p_;
                    continue;
                }
                if (at_record_end())
                    fail(column + 1, "row has " + fields(column) + " but the header has " +
                                         std::to_string(cols));
            } else {
                if (at_record_end())
                    break;
                if (*p_ == ',')
                    fail(column + 1, "row has " + fields(cols + count_extra_fields()) +
                                         " but the header has " + std::to_string(cols));
            }
            // Something other than a separator right after the number: "1.5abc", "1 2".
            fail(column, "non-numeric cell \"" + cell_text(cell) + "\"");
        }
        consume_line_end();
    }

    static std::string fields(std::size_t count) {
        return std::to_string(count) + (count == 1 ? " field" : " fields");
    }

    /// Fields after the current comma up to the end of the line (for the ragged-row message).
    std::size_t count_extra_fields() const {
        std::size_t extra = 0;
        for (const char* c = p_; c != end_ && !is_line_end(*c); ++c)
            extra += *c == ',' ? 1 : 0;
        return extra;
    }

    const char* p_;
    const char* end_;
    std::string source_;
    std::size_t line_ = 1;
};

} // namespace detail

/// Parses a CSV table held in memory; `source` names it in error messages.
inline CsvTable parse_csv(std::string_view text, const std::string& source = "<buffer>") {
    return detail::CsvParser(text, source).parse();
}

/// Reads the whole file in one go and parses it in place: a regular file is memory-mapped
/// (no copy; pages pre-faulted with MAP_POPULATE), anything else (a pipe, a device) is read in
/// chunks. POSIX. Throws `CsvError` when the file is missing, unreadable or malformed.
inline CsvTable read_csv_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw CsvError(path, 0, 0, std::string("cannot open: ") + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        throw CsvError(path, 0, 0, std::string("cannot read: ") + std::strerror(errno));
    if (S_ISDIR(info.st_mode))
        throw CsvError(path, 0, 0, "cannot read: is a directory");

    if (S_ISREG(info.st_mode) && info.st_size > 0) {
        const auto size = static_cast<std::size_t>(info.st_size);
        void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (map != MAP_FAILED) {
            struct Unmapper {
                void* map;
                std::size_t size;
                ~Unmapper() { ::munmap(map, size); }
            } unmapper{map, size};
            ::madvise(map, size, MADV_SEQUENTIAL);
            return parse_csv(std::string_view(static_cast<const char*>(map), size), path);
        }
        // Not mappable (some file systems): read it below.
    }
    std::string text;
    if (S_ISREG(info.st_mode))
        text.reserve(static_cast<std::size_t>(info.st_size));
    char chunk[1 << 16];
    for (;;) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got == 0)
            break;
        if (got < 0) {
            if (errno == EINTR)
                continue;
            throw CsvError(path, 0, 0, std::string("cannot read: ") + std::strerror(errno));
        }
        text.append(chunk, static_cast<std::size_t>(got));
    }
    return parse_csv(text, path);
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_CSV_TABLE_HPP
