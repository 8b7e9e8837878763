#ifndef PRIORREG_FIT_CSV_TABLE_HPP
#define PRIORREG_FIT_CSV_TABLE_HPP

/// \file csv_table.hpp
/// \brief A CSV table with a header row: the reader of `priorreg-fit`.
///
/// Independent of the command-line layer (and of priorreg itself) so that it can be unit tested
/// and fuzzed on its own. The whole input is read in one go and parsed in place: a numeric cell
/// is handed straight to `fast_float::from_chars_advanced`, no per-cell string is made. The
/// grammar:
/// - the separator is `,`, `;` or tab: given (`CsvFormat::separator`) or, by default, the one
///   of the three that occurs most often outside quotes in the header line (`,` on a tie or
///   when none occurs; `;` when the decimal mark is `,`);
/// - the first non-blank line is the header: names, each optionally in double quotes (a
///   doubled quote `""` inside quotes is one quote); names must be non-empty and unique, except
///   that an empty first name marks an index column (R's `write.csv` row names, pandas'
///   `to_csv` index), which is skipped: it is not a column of the table;
/// - every further non-blank line is a data row with exactly as many fields as the header;
///   a cell is a number (`1`, `-2.5`, `+3e-7`, with `CsvFormat::decimal` as the decimal mark;
///   optionally in double quotes), missing (empty, `NA`, `N/A`, `NaN`, `nan`, `NULL`, `null`,
///   `#N/A`), or text (anything else; in double quotes it may hold the separator);
/// - spaces (and tabs, unless tab separates) around cells are ignored; lines end in LF, CRLF
///   or CR; a trailing line end, blank (or whitespace-only) lines and a UTF-8 byte-order mark
///   are ignored.
///
/// Missing and text cells are NaN in `values`; a column with text records the text of each
/// row as a level code (`CsvColumn`). Whether a column may hold text or missing cells is the
/// caller's decision. Every violation of the grammar, and an infinite or out-of-range number,
/// throws `CsvError` carrying the source name, the 1-based line and the 1-based column (the
/// field number in the file, not the character offset).

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
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

/// \brief How a CSV file is written: its separator and decimal mark.
struct CsvFormat {
    char separator = 0; ///< ',', ';' or '\t'; 0: detected from the header line
    char decimal = '.'; ///< '.' or ','
};

/// \brief What a column holds besides numbers.
struct CsvColumn {
    /// Code of each row, when the column has text: the index into `levels` of a text cell,
    /// `missing_code` for a missing cell, `number_code` for a number. Empty when the column has
    /// no text cell.
    std::vector<std::int32_t> codes;
    std::vector<std::string> levels; ///< the distinct texts, in order of first appearance
    std::size_t numbers = 0;         ///< cells that are numbers
    std::size_t texts = 0;           ///< cells that are text
    std::size_t missing = 0;         ///< cells that are missing
    std::size_t first_text_row = 0;  ///< the row of the first text cell (when texts > 0)
    std::size_t field = 0;           ///< the 1-based field number in the file

    static constexpr std::int32_t missing_code = -1;
    static constexpr std::int32_t number_code = -2;
};

/// \brief Column names, a row-major block of doubles and what the columns hold.
struct CsvTable {
    std::vector<std::string> names;     ///< the header, one name per column
    std::vector<double> values;         ///< rows() x cols(), row-major; NaN: missing or text
    std::vector<CsvColumn> columns;     ///< per column: text, missing cells, field number
    std::vector<std::size_t> row_lines; ///< the 1-based input line of each data row
    std::string source;                 ///< the file name (or buffer label) it came from
    char separator = ',';               ///< the separator used
    bool index_column = false;          ///< the file's first field (empty name) was skipped

    std::size_t cols() const { return names.size(); }
    std::size_t rows() const { return row_lines.size(); }
    double operator()(std::size_t row, std::size_t col) const {
        return values[row * names.size() + col];
    }
    /// Whether the cell is missing (empty or an NA token).
    bool is_missing(std::size_t row, std::size_t col) const {
        if (!std::isnan((*this)(row, col)))
            return false;
        const CsvColumn& c = columns[col];
        return c.codes.empty() || c.codes[row] == CsvColumn::missing_code;
    }
    /// Index of the column called `name`, if any.
    std::optional<std::size_t> find(std::string_view name) const {
        for (std::size_t j = 0; j < names.size(); ++j)
            if (names[j] == name)
                return j;
        return std::nullopt;
    }
};

/// Whether `text` (trimmed, unquoted) spells a missing value.
inline bool is_missing_token(std::string_view text) {
    static constexpr std::string_view tokens[] = {"",    "NA",   "N/A",  "NaN",
                                                  "nan", "NULL", "null", "#N/A"};
    return std::find(std::begin(tokens), std::end(tokens), text) != std::end(tokens);
}

namespace detail {

/// One pass over the text; `line` and `field` track the location for error messages.
class CsvParser {
public:
    /// A parser of `text`, whose first line is line `first_line` of `source`.
    CsvParser(std::string_view text, std::string source, CsvFormat format,
              std::size_t first_line = 1)
        : p_(text.data()), end_(text.data() + text.size()), source_(std::move(source)),
          separator_(format.separator), decimal_(format.decimal), line_(first_line) {}

    /// The whole text: the header, then every row.
    CsvTable parse() {
        CsvTable table = parse_header();
        parse_rows(table);
        return table;
    }

    /// The header only (after a byte-order mark and blank lines): a table with the names and
    /// no rows. `consumed()` then counts the bytes read, up to the start of the next line.
    CsvTable parse_header() {
        CsvTable table;
        table.source = source_;
        if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0)
            p_ += 3;
        if (!skip_blank_lines())
            throw CsvError(source_, 0, 0, "empty file (no header row)");
        if (separator_ == 0)
            separator_ = detect_separator();
        table.separator = separator_;
        parse_header(table);
        return table;
    }

    /// Every row of the text, appended to `table`, which holds the header of the file the text
    /// continues (`parse_header`'s table, with or without rows).
    void parse_rows(CsvTable& table) {
        const std::size_t cols = table.names.size();
        fields_ = cols + (table.index_column ? 1 : 0);
        separator_ = table.separator;
        levels_.assign(cols, {});
        // Reserve from the number of remaining line ends: one cheap pass saves the reallocation
        // copies of a large table. A row takes at least 2 * fields - 1 bytes, so the bytes left
        // cap it too: blank or short lines under a wide header must not reserve lines x cols.
        const auto remaining_lines = static_cast<std::size_t>(std::count(p_, end_, '\n')) + 1;
        const auto remaining_bytes = static_cast<std::size_t>(end_ - p_);
        const std::size_t max_rows =
            std::min(remaining_lines, (remaining_bytes + 1) / (2 * fields_) + 1);
        table.values.reserve(table.values.size() + max_rows * cols);
        table.row_lines.reserve(table.row_lines.size() + max_rows);
        while (skip_blank_lines()) {
            table.row_lines.push_back(line_);
            parse_row(table);
        }
    }

    /// Bytes of the text parsed so far.
    std::size_t consumed() const { return static_cast<std::size_t>(p_ - begin_); }
    /// The line the parser has reached (1-based, counted from `first_line`).
    std::size_t line() const { return line_; }

private:
    bool is_space(char c) const { return c == ' ' || (c == '\t' && separator_ != '\t'); }
    static bool is_line_end(char c) { return c == '\n' || c == '\r'; }
    bool at_record_end() const { return p_ == end_ || is_line_end(*p_); }
    bool at_field_end() const { return at_record_end() || *p_ == separator_; }

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
            while (p_ != end_ && (*p_ == ' ' || *p_ == '\t'))
                ++p_;
            if (p_ == end_)
                return false;
            if (!is_line_end(*p_)) {
                p_ = start;
                return true;
            }
            consume_line_end();
        }
    }

    /// The most frequent of `,` `;` tab outside quotes on the header line (`,` on a tie or
    /// when there is none; never the decimal mark).
    char detect_separator() const {
        std::size_t counts[3] = {0, 0, 0};
        const char candidates[3] = {',', ';', '\t'};
        bool quoted = false;
        // A quote cannot carry the header past its line (no field spans lines): the count
        // stops at the first line end, so every reader sees the same header text.
        for (const char* c = p_; c != end_ && !is_line_end(*c); ++c) {
            if (*c == '"')
                quoted = !quoted;
            else if (!quoted)
                for (int k = 0; k < 3; ++k)
                    counts[k] += *c == candidates[k] ? 1 : 0;
        }
        char best = decimal_ == ',' ? ';' : ',';
        std::size_t most = 0;
        for (int k = 0; k < 3; ++k)
            if (candidates[k] != decimal_ && counts[k] > most) {
                most = counts[k];
                best = candidates[k];
            }
        return best;
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

    /// An unquoted field from `p_` to the separator or the line end, trimmed; leaves `p_`
    /// there.
    std::string_view unquoted_field() {
        const char* start = p_;
        while (!at_field_end())
            ++p_;
        const char* stop = p_;
        while (stop != start && is_space(stop[-1]))
            --stop;
        return {start, static_cast<std::size_t>(stop - start)};
    }

    /// After a field: a separator (true: another field follows) or the end of the record
    /// (false).
    bool field_separator(std::size_t column, const char* what) {
        skip_spaces();
        if (p_ != end_ && *p_ == separator_) {
            ++p_;
            return true;
        }
        if (at_record_end())
            return false;
        fail(column, std::string("unexpected character '") + *p_ + "' after " + what);
    }

    void parse_header(CsvTable& table) {
        std::vector<std::string>& names = table.names;
        for (bool more = true; more; ++fields_) {
            const std::size_t column = fields_ + 1;
            skip_spaces();
            std::string name;
            bool quoted = false;
            if (p_ != end_ && *p_ == '"') {
                name = quoted_field(column);
                quoted = true;
            } else {
                name = std::string(unquoted_field());
                if (name.find('"') != std::string::npos)
                    fail(column, "stray quote in column name \"" + name + "\"");
            }
            more = field_separator(column, quoted ? "a quoted column name" : "a column name");
            if (name.empty()) {
                // R's and pandas' row names / index: an unnamed first field of several.
                if (column == 1 && more) {
                    table.index_column = true;
                    continue;
                }
                fail(column, "empty column name in the header");
            }
            for (std::size_t j = 0; j < names.size(); ++j)
                if (names[j] == name)
                    fail(column, "duplicate column name \"" + name + "\" (also column " +
                                     std::to_string(table.columns[j].field) + ")");
            names.push_back(std::move(name));
            table.columns.emplace_back();
            table.columns.back().field = column;
        }
        consume_line_end();
    }

    static std::string shortened(std::string text) {
        if (text.size() > 40)
            text = text.substr(0, 37) + "...";
        return text;
    }

    enum class NumberStatus { ok, invalid, out_of_range, non_finite, not_a_number };

    /// Parses a number at the start of [first, last); `stop` is set after it.
    NumberStatus parse_number(const char* first, const char* last, double& value,
                              const char*& stop) const {
        // fast_float follows std::from_chars and rejects a leading '+'; CSV writers emit it.
        if (last - first > 1 && *first == '+' && first[1] != '-' && first[1] != '+')
            ++first;
        const auto result = fast_float::from_chars_advanced(
            first, last, value,
            fast_float::parse_options{fast_float::chars_format::general, decimal_});
        if (result.ec == std::errc::result_out_of_range)
            return NumberStatus::out_of_range;
        if (result.ec != std::errc())
            return NumberStatus::invalid;
        stop = result.ptr;
        if (std::isfinite(value))
            return NumberStatus::ok;
        if (std::isnan(value))
            return NumberStatus::not_a_number;
        // "1e999" overflows to infinity; "inf" is spelled out.
        return std::find_if(first, stop, [](char c) { return c >= '0' && c <= '9'; }) != stop
                   ? NumberStatus::out_of_range
                   : NumberStatus::non_finite;
    }

    /// Classifies the trimmed, unquoted text of a cell that is not a plain number.
    void store_text_cell(CsvTable& table, std::size_t c, std::string_view text) {
        const std::size_t column = table.columns[c].field;
        double value = 0;
        const char* stop = nullptr;
        const char* last = text.data() + text.size();
        const NumberStatus status =
            text.empty() ? NumberStatus::invalid : parse_number(text.data(), last, value, stop);
        if (status == NumberStatus::ok && stop == last)
            return store_number(table, c, value); // a quoted number
        if (status == NumberStatus::out_of_range && stop == last)
            fail(column, "number out of range \"" + shortened(std::string(text)) + "\"");
        if (status == NumberStatus::non_finite && stop == last)
            fail(column, "non-finite value \"" + shortened(std::string(text)) + "\"");
        if (is_missing_token(text) || (status == NumberStatus::not_a_number && stop == last))
            return store_code(table, c, CsvColumn::missing_code);
        CsvColumn& col = table.columns[c];
        if (col.texts++ == 0)
            col.first_text_row = table.rows() - 1;
        auto& known = levels_[c];
        const auto found = known.find(std::string(text));
        std::int32_t code;
        if (found != known.end()) {
            code = found->second;
        } else {
            code = static_cast<std::int32_t>(col.levels.size());
            col.levels.emplace_back(text);
            known.emplace(col.levels.back(), code);
        }
        store_code(table, c, code);
    }

    void store_number(CsvTable& table, std::size_t c, double value) {
        table.values.push_back(value);
        CsvColumn& col = table.columns[c];
        ++col.numbers;
        if (!col.codes.empty())
            col.codes.push_back(CsvColumn::number_code);
    }

    /// A missing or text cell: NaN in `values`, its code in the column (the codes of the
    /// earlier rows, numbers or missing, are filled in when the first text cell appears).
    void store_code(CsvTable& table, std::size_t c, std::int32_t code) {
        table.values.push_back(std::numeric_limits<double>::quiet_NaN());
        CsvColumn& col = table.columns[c];
        if (code == CsvColumn::missing_code)
            ++col.missing;
        if (!col.codes.empty()) {
            col.codes.push_back(code);
        } else if (code != CsvColumn::missing_code) {
            const std::size_t row = table.rows() - 1;
            col.codes.reserve(table.row_lines.capacity());
            for (std::size_t i = 0; i < row; ++i)
                col.codes.push_back(std::isnan(table(i, c)) ? CsvColumn::missing_code
                                                            : CsvColumn::number_code);
            col.codes.push_back(code);
        }
    }

    void parse_row(CsvTable& table) {
        const std::size_t first = table.index_column ? 1 : 0;
        for (std::size_t f = 0; f < fields_; ++f) {
            const std::size_t column = f + 1;
            skip_spaces();
            if (f < first) {
                // The index column: read past, whatever it holds.
                if (p_ != end_ && *p_ == '"')
                    quoted_field(column);
                else
                    unquoted_field();
            } else {
                const std::size_t c = f - first;
                if (p_ != end_ && *p_ == '"') {
                    const std::string text = quoted_field(column);
                    store_text_cell(table, c, text);
                } else {
                    const char* cell = p_;
                    double value = 0;
                    const char* stop = nullptr;
                    const NumberStatus status = at_field_end()
                                                    ? NumberStatus::invalid
                                                    : parse_number(p_, end_, value, stop);
                    bool plain = false;
                    if (status == NumberStatus::ok) {
                        p_ = stop;
                        skip_spaces();
                        plain = at_field_end();
                    }
                    if (plain) {
                        store_number(table, c, value);
                    } else {
                        p_ = cell;
                        store_text_cell(table, c, unquoted_field());
                    }
                }
            }
            skip_spaces();
            if (f + 1 < fields_) {
                if (p_ != end_ && *p_ == separator_) {
                    ++p_;
                    continue;
                }
                if (at_record_end())
                    fail(column + 1, "row has " + count_fields(column) + " but the header has " +
                                         std::to_string(fields_));
            } else {
                if (at_record_end())
                    break;
                if (*p_ == separator_)
                    fail(column + 1, "row has " + count_fields(fields_ + count_extra_fields()) +
                                         " but the header has " + std::to_string(fields_));
            }
            // Something after a closing quote: "a"b.
            fail(column, std::string("unexpected character '") + *p_ + "' after a quoted cell");
        }
        consume_line_end();
    }

    static std::string count_fields(std::size_t count) {
        return std::to_string(count) + (count == 1 ? " field" : " fields");
    }

    /// Fields after the current separator up to the end of the line (for the ragged-row
    /// message; separators inside quotes count too).
    std::size_t count_extra_fields() const {
        std::size_t extra = 0;
        for (const char* c = p_; c != end_ && !is_line_end(*c); ++c)
            extra += *c == separator_ ? 1 : 0;
        return extra;
    }

    const char* p_;
    const char* end_;
    const char* begin_ = p_;
    std::string source_;
    char separator_;
    char decimal_;
    std::size_t line_;
    std::size_t fields_ = 0; ///< fields of the header, the index column included
    /// Per column: text -> level code.
    std::vector<std::unordered_map<std::string, std::int32_t>> levels_;
};

} // namespace detail

namespace detail {

/// A file open for reading, closed with the object. POSIX.
class InputFile {
public:
    /// Opens `path`; CsvError when it cannot.
    explicit InputFile(std::string path)
        : path_(std::move(path)), fd_(::open(path_.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (fd_ < 0)
            throw CsvError(path_, 0, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    ~InputFile() { ::close(fd_); }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    int descriptor() const { return fd_; }
    const std::string& path() const { return path_; }

    /// Up to `size` bytes into `into` (retried when interrupted): the count, 0 at the end of
    /// the file; CsvError when reading fails.
    std::size_t read_some(char* into, std::size_t size) const {
        for (;;) {
            const ssize_t got = ::read(fd_, into, size);
            if (got >= 0)
                return static_cast<std::size_t>(got);
            if (errno != EINTR)
                throw CsvError(path_, 0, 0, std::string("cannot read: ") + std::strerror(errno));
        }
    }

private:
    std::string path_;
    int fd_;
};

} // namespace detail

/// Parses a CSV table held in memory; `source` names it in error messages.
inline CsvTable parse_csv(std::string_view text, const std::string& source = "<buffer>",
                          CsvFormat format = {}) {
    return detail::CsvParser(text, source, format).parse();
}

/// Reads the whole file in one go and parses it in place: a regular file is memory-mapped
/// (no copy; pages pre-faulted with MAP_POPULATE), anything else (a pipe, a device) is read in
/// chunks. POSIX. Throws `CsvError` when the file is missing, unreadable or malformed.
inline CsvTable read_csv_file(const std::string& path, CsvFormat format = {}) {
    const detail::InputFile file(path);
    const int fd = file.descriptor();
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
            return parse_csv(std::string_view(static_cast<const char*>(map), size), path, format);
        }
        // Not mappable (some file systems): read it below.
    }
    std::string text;
    if (S_ISREG(info.st_mode))
        text.reserve(static_cast<std::size_t>(info.st_size));
    char chunk[1 << 16];
    while (const std::size_t got = file.read_some(chunk, sizeof chunk))
        text.append(chunk, got);
    return parse_csv(text, path, format);
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_CSV_TABLE_HPP
