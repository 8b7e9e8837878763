#ifndef PRIORREG_FIT_GNUPLOT_HPP
#define PRIORREG_FIT_GNUPLOT_HPP

/// \file gnuplot.hpp
/// \brief Running gnuplot on a script (POSIX): found on PATH, its messages captured so that a
/// failure becomes one line.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace priorreg_fit {

/// \brief gnuplot is missing or failed.
class PlotError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The full path of an executable `name` on PATH, if any.
inline std::optional<std::string> find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path)
        return std::nullopt;
    const std::string directories(path);
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = directories.find(':', start);
        std::string directory = directories.substr(start, colon - start);
        if (directory.empty())
            directory = ".";
        const std::string candidate = directory + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (colon == std::string::npos)
            return std::nullopt;
        start = colon + 1;
    }
}

/// A gnuplot string literal (single quotes; a quote inside is doubled).
inline std::string gnuplot_string(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) {
        if (c == '\'')
            quoted += '\'';
        quoted += c;
    }
    return quoted + "'";
}

/// Runs `gnuplot -e <preamble> <script>`; throws `PlotError` with gnuplot's first message line
/// when it cannot be started or fails.
inline void run_gnuplot(const std::string& script, const std::string& preamble) {
    const std::optional<std::string> gnuplot = find_on_path("gnuplot");
    if (!gnuplot)
        throw PlotError("--plot needs gnuplot, which is not on PATH (Debian: apt-get install "
                        "gnuplot-nox)");

    // gnuplot's stdout and stderr go to an anonymous file, read back on failure.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> log(std::tmpfile(), &std::fclose);
    if (!log)
        throw PlotError(std::string("cannot create a temporary file: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fileno(log.get()), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fileno(log.get()), STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    std::vector<std::string> arguments{*gnuplot, "-e", preamble, script};
    std::vector<char*> argv;
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);

    pid_t pid = 0;
    const int spawned =
        posix_spawn(&pid, gnuplot->c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        throw PlotError("cannot run " + *gnuplot + ": " + std::strerror(spawned));

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            throw PlotError(std::string("waiting for gnuplot: ") + std::strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;

    // The first non-empty line gnuplot printed, trimmed.
    std::rewind(log.get());
    std::string message;
    char line[512];
    while (message.empty() && std::fgets(line, sizeof line, log.get())) {
        message = line;
        const std::size_t first = message.find_first_not_of(" \t\r\n");
        const std::size_t last = message.find_last_not_of(" \t\r\n");
        message = first == std::string::npos ? "" : message.substr(first, last - first + 1);
    }
    if (WIFSIGNALED(status))
        throw PlotError("gnuplot was killed by signal " + std::to_string(WTERMSIG(status)));
    throw PlotError("gnuplot failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")" +
                    (message.empty() ? "" : ": " + message));
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_GNUPLOT_HPP
