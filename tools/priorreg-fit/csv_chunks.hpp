#ifndef PRIORREG_FIT_CSV_CHUNKS_HPP
#define PRIORREG_FIT_CSV_CHUNKS_HPP

/// \file csv_chunks.hpp
/// \brief A CSV file read in chunks of whole lines: the reader of `priorreg-fit --stream`.
///
/// The same grammar, values and error messages (with the file's line numbers) as
/// `read_csv_file`, but the file is never held whole: the reader keeps a buffer of about
/// `chunk_bytes` (more only while a single line is longer) and hands out the rows of each
/// buffer's complete lines as a `CsvTable` with the header's columns. A chunk ends after a line
/// end that cannot be the first half of a CRLF pair, so a line is never split; a quoted field
/// cannot span lines in this grammar, so a line end always ends a record. POSIX `read`, so a
/// pipe works as well as a file.

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_table.hpp"

namespace priorreg_fit {

/// \brief Reads a CSV file's rows chunk by chunk (see the file comment).
class CsvChunkReader {
public:
    /// Opens `path` and reads its header; throws `CsvError` when the file is missing,
    /// unreadable, empty or its header malformed.
    explicit CsvChunkReader(const std::string& path, CsvFormat format = {},
                            std::size_t chunk_bytes = std::size_t(16) << 20)
        : file_(path), format_(format), chunk_bytes_(std::max<std::size_t>(chunk_bytes, 1)) {
#ifdef POSIX_FADV_SEQUENTIAL
        ::posix_fadvise(file_.descriptor(), 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
        read_header();
    }
    CsvChunkReader(const CsvChunkReader&) = delete;
    CsvChunkReader& operator=(const CsvChunkReader&) = delete;

    /// The header: names, columns, separator, index column; no rows.
    const CsvTable& header() const {
        return header_;
    }

    /// The rows of the next chunk of whole lines, in `chunk` (replacing what it held; the
    /// header's columns, with counts and text levels of this chunk's cells only). False, with
    /// `chunk` empty, when no row is left. A chunk can hold no row only when it is the last.
    bool next(CsvTable& chunk) {
        for (;;) {
            chunk = header_;
            const std::size_t cut = fill_to_cut();
            if (cut == begin_) // nothing left
                return false;
            detail::CsvParser parser(std::string_view(buffer_.data() + begin_, cut - begin_),
                                     file_.path(), format_, line_);
            parser.parse_rows(chunk);
            line_ = parser.line();
            bytes_ += cut - begin_;
            begin_ = cut;
            if (chunk.rows() > 0)
                return true;
        }
    }

    /// Bytes of the file consumed so far (the header's included).
    std::uint64_t bytes_read() const {
        return bytes_;
    }
    /// The buffer's size: `chunk_bytes` or, after a longer line, about that line's length.
    std::size_t buffer_capacity() const {
        return buffer_.size();
    }

private:
    /// Reads until the buffer holds `chunk_bytes` past `begin_` or the file ends (moving the
    /// unread tail to the front first); grows the buffer only while it holds no line end. The
    /// offset just after the last usable line end (`begin_` when the file is exhausted).
    std::size_t fill_to_cut() {
        if (begin_ > 0) {
            std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        for (;;) {
            if (buffer_.size() < chunk_bytes_)
                buffer_.resize(chunk_bytes_);
            while (!eof_ && end_ < buffer_.size())
                read_some();
            if (eof_)
                return end_;
            const std::size_t cut = last_cut(begin_, end_);
            if (cut > begin_)
                return cut;
            buffer_.resize(buffer_.size() * 2); // one line longer than the buffer
        }
    }

    /// After the last line end in [from, to) that is not a CR in the last byte (which a LF in
    /// the next read could complete to CRLF); `from` when there is none.
    std::size_t last_cut(std::size_t from, std::size_t to) const {
        for (std::size_t i = to; i > from; --i) {
            const char c = buffer_[i - 1];
            if (c == '\n' || (c == '\r' && i < to))
                return i;
        }
        return from;
    }

    void read_some() {
        const std::size_t got = file_.read_some(buffer_.data() + end_, buffer_.size() - end_);
        end_ += got;
        eof_ = got == 0;
    }

    /// Reads whole lines until they hold the header (the first non-blank line), and parses it.
    void read_header() {
        for (;;) {
            const std::size_t cut = fill_to_cut(); // begin_ stays 0 here
            std::string_view lines(buffer_.data(), cut);
            if (lines.substr(0, 3) == "\xEF\xBB\xBF")
                lines.remove_prefix(3);
            if (eof_ || lines.find_first_not_of(" \t\r\n") != std::string_view::npos) {
                detail::CsvParser parser(std::string_view(buffer_.data(), cut), file_.path(),
                                         format_, 1);
                header_ = parser.parse_header();
                line_ = parser.line();
                begin_ = parser.consumed();
                bytes_ = begin_;
                return;
            }
            buffer_.resize(buffer_.size() * 2); // only blank lines so far: read on
        }
    }

    detail::InputFile file_;
    CsvFormat format_;
    std::size_t chunk_bytes_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0; ///< the first unparsed byte in buffer_
    std::size_t end_ = 0;   ///< the end of the bytes read into buffer_
    bool eof_ = false;
    std::size_t line_ = 1; ///< the file's line at begin_
    std::uint64_t bytes_ = 0;
    CsvTable header_;
};

/// The data rows of a CSV file without parsing them: its lines holding anything but spaces and
/// tabs (after a UTF-8 byte-order mark), less the header. The count `CsvChunkReader` (and
/// `read_csv_file`) reach on a file they accept, since a record never spans lines; one pass
/// at memory speed. Throws `CsvError` when the file cannot be read.
inline std::uint64_t count_data_rows(const std::string& path) {
    const detail::InputFile file(path);
    std::vector<char> block(std::size_t(1) << 20);
    std::uint64_t lines = 0, offset = 0;
    bool content = false;
    while (const std::size_t got = file.read_some(block.data(), block.size())) {
        std::size_t start = 0;
        if (offset == 0 && got >= 3 && std::memcmp(block.data(), "\xEF\xBB\xBF", 3) == 0)
            start = 3;
        offset += got;
        for (std::size_t i = start; i < got; ++i) {
            const char c = block[i];
            if (c == '\n' || c == '\r') {
                lines += content ? 1 : 0;
                content = false;
            } else if (c != ' ' && c != '\t') {
                content = true;
            }
        }
    }
    lines += content ? 1 : 0;
    return lines > 0 ? lines - 1 : 0;
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_CSV_CHUNKS_HPP
