#ifndef PRIORREG_FIT_STAGED_FILES_HPP
#define PRIORREG_FIT_STAGED_FILES_HPP

/// \file staged_files.hpp
/// \brief All-or-nothing output: files are written under temporary names next to their final
/// names and renamed only when everything has succeeded (POSIX).

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace priorreg_fit {

/// \brief An output file that could not be written; the message names it.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// \brief A set of output files committed together.
///
/// `write` and `reserve` create a temporary file in the destination's directory (so the final
/// `rename` is atomic and never crosses file systems); `commit` renames them all. Whatever has
/// not been committed when the object is destroyed — after an error, an exception, a failed
/// external program — is removed, so a failed run leaves no partial file behind and an existing
/// file of the same name untouched.
class StagedFiles {
public:
    StagedFiles() = default;
    StagedFiles(const StagedFiles&) = delete;
    StagedFiles& operator=(const StagedFiles&) = delete;
    ~StagedFiles() { discard(); }

    /// Stages `content` for `path`; returns the temporary's name.
    std::string write(const std::string& path, std::string_view content) {
        const int fd = create_temporary(path);
        std::size_t written = 0;
        while (written < content.size()) {
            const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                const int error = errno;
                ::close(fd);
                throw OutputError(path + ": cannot write: " + std::strerror(error));
            }
            written += static_cast<std::size_t>(n);
        }
        if (::close(fd) != 0)
            throw OutputError(path + ": cannot write: " + std::strerror(errno));
        return staged_.back().temporary;
    }

    /// Stages an empty temporary file for `path` that another program fills in; returns the
    /// temporary's name.
    std::string reserve(const std::string& path) {
        ::close(create_temporary(path));
        return staged_.back().temporary;
    }

    /// Renames every staged file to its final name.
    void commit() {
        for (Entry& entry : staged_) {
            if (std::rename(entry.temporary.c_str(), entry.final_path.c_str()) != 0)
                throw OutputError(entry.final_path +
                                  ": cannot rename the finished file into "
                                  "place: " +
                                  std::strerror(errno));
            entry.committed = true;
        }
        staged_.clear();
    }

    /// Removes every staged, uncommitted file.
    void discard() noexcept {
        for (const Entry& entry : staged_)
            if (!entry.committed)
                std::remove(entry.temporary.c_str());
        staged_.clear();
    }

private:
    struct Entry {
        std::string final_path;
        std::string temporary;
        bool committed = false;
    };

    /// mkstemp in the destination's directory, with the permissions a plain new file would get
    /// (mkstemp makes 0600).
    int create_temporary(const std::string& path) {
        namespace fs = std::filesystem;
        fs::path destination(path);
        if (destination.filename().empty())
            throw OutputError(path + ": not a file name");
        std::error_code ec;
        const fs::file_status status = fs::status(destination, ec);
        if (fs::is_directory(status))
            throw OutputError(path + ": is a directory");
        // A device or a FIFO cannot be replaced by renaming (and must not be: /dev/null).
        if (fs::exists(status) && !fs::is_regular_file(status))
            throw OutputError(path + ": not a regular file (redirect stdout to write there)");
        // Through a symbolic link: replace the file it points to, keep the link.
        if (fs::is_symlink(fs::symlink_status(destination, ec)) && fs::exists(status))
            destination = fs::canonical(destination, ec);
        fs::path directory = destination.parent_path();
        if (directory.empty())
            directory = ".";
        std::string pattern =
            (directory / ("." + destination.filename().string() + ".tmp-XXXXXX")).string();
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0)
            throw OutputError(path + ": cannot create: " + std::strerror(errno));
        staged_.push_back(Entry{destination.string(), pattern, false});
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(fd, static_cast<mode_t>(0666 & ~mask));
        return fd;
    }

    std::vector<Entry> staged_;
};

} // namespace priorreg_fit

#endif // PRIORREG_FIT_STAGED_FILES_HPP
