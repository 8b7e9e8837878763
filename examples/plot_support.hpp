// Shared by the example programs (not part of the library): command-line arguments, data
// tables written as whitespace-separated .dat files, and PNG rendering through gnuplot.
//
// Every example accepts
//   --small      a quick run (smaller data) for ctest
//   --out DIR    where the .dat, .gp and .png files go (default: the current directory)
// and renders its picture by writing DIR/<name>.gp and running gnuplot in DIR. The gnuplot
// program is $PRIORREG_GNUPLOT if set, else `gnuplot` on the PATH; without it the example
// still runs and says that the plot was skipped.
#ifndef PRIORREG_EXAMPLES_PLOT_SUPPORT_HPP
#define PRIORREG_EXAMPLES_PLOT_SUPPORT_HPP

#include <Eigen/Core>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace plot_support {

namespace fs = std::filesystem;

struct Arguments {
    bool small = false;     ///< --small: the quick run used by ctest
    fs::path out_dir = "."; ///< --out DIR
};

/// Parses `[--small] [--out DIR] [--help]`; prints the usage and exits on anything else.
inline Arguments parse_arguments(int argc, char** argv, const char* summary) {
    auto usage = [&](std::FILE* stream) {
        std::fprintf(stream, "%s\n\nusage: %s [--small] [--out DIR]\n", summary, argv[0]);
        std::fprintf(stream, "  --small    quick run on smaller data (used by ctest)\n"
                             "  --out DIR  directory for the data, gnuplot script and PNG "
                             "(default: .)\n");
    };
    Arguments arguments;
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        if (option == "--small") {
            arguments.small = true;
        } else if (option == "--out" && i + 1 < argc) {
            arguments.out_dir = argv[++i];
        } else if (option == "--help" || option == "-h") {
            usage(stdout);
            std::exit(0);
        } else {
            std::fprintf(stderr, "%s: unknown or incomplete option '%s'\n", argv[0], argv[i]);
            usage(stderr);
            std::exit(2);
        }
    }
    std::error_code error;
    fs::create_directories(arguments.out_dir, error);
    if (error) {
        std::fprintf(stderr, "%s: cannot create %s: %s\n", argv[0],
                     arguments.out_dir.string().c_str(), error.message().c_str());
        std::exit(2);
    }
    return arguments;
}

/// Side-by-side columns as one matrix (all of the same length).
inline Eigen::MatrixXd columns(std::initializer_list<Eigen::VectorXd> list) {
    Eigen::MatrixXd table(list.begin()->size(), static_cast<Eigen::Index>(list.size()));
    Eigen::Index j = 0;
    for (const auto& column : list)
        table.col(j++) = column;
    return table;
}

/// Writes `table` as a whitespace-separated data file with a `# name ...` header line.
inline void write_table(const fs::path& file, const std::vector<std::string>& names,
                        const Eigen::MatrixXd& table) {
    std::ofstream out(file);
    out << '#';
    for (const auto& name : names)
        out << ' ' << name;
    out << '\n';
    char cell[32];
    for (Eigen::Index i = 0; i < table.rows(); ++i) {
        for (Eigen::Index j = 0; j < table.cols(); ++j) {
            std::snprintf(cell, sizeof cell, j ? " %.10g" : "%.10g", table(i, j));
            out << cell;
        }
        out << '\n';
    }
    if (!out)
        throw std::runtime_error("cannot write " + file.string());
}

/// Histogram of `values` on `bins` equal bins over [low, high], as a density (integrates to
/// the share of values inside the range): columns bin centre, density.
inline Eigen::MatrixXd histogram(const Eigen::VectorXd& values, double low, double high, int bins) {
    const double width = (high - low) / bins;
    Eigen::MatrixXd table(bins, 2);
    table.col(1).setZero();
    for (int k = 0; k < bins; ++k)
        table(k, 0) = low + (k + 0.5) * width;
    for (const double v : values) {
        const int k = static_cast<int>((v - low) / width);
        if (v >= low && v <= high)
            table(k < bins ? k : bins - 1, 1) += 1.0;
    }
    table.col(1) /= static_cast<double>(values.size()) * width;
    return table;
}

/// `text` quoted for /bin/sh.
inline std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

inline std::string gnuplot_program() {
    const char* program = std::getenv("PRIORREG_GNUPLOT");
    return program && *program ? program : "gnuplot";
}

inline bool gnuplot_available() {
    static const bool available =
        std::system((shell_quote(gnuplot_program()) + " --version >/dev/null 2>&1").c_str()) == 0;
    return available;
}

/// The PNG terminal: pngcairo (antialiased) when this gnuplot has it, else libgd's png.
inline std::string png_terminal() {
    static const std::string terminal =
        std::system((shell_quote(gnuplot_program()) + " -e 'set terminal pngcairo' >/dev/null 2>&1")
                        .c_str()) == 0
            ? "pngcairo enhanced font 'Sans,10'"
            : "png enhanced";
    return terminal;
}

enum class Plot { rendered, skipped, failed };

/// Writes `out_dir/name.gp` (terminal, output and a common style, then `body`) and runs gnuplot
/// in `out_dir`, so `body` names its data files relative to it. Checks that `name.png` exists
/// and is not empty.
inline Plot render_png(const fs::path& out_dir, const std::string& name, const std::string& body,
                       int width = 800, int height = 500) {
    const fs::path script = out_dir / (name + ".gp");
    const fs::path png = out_dir / (name + ".png");
    const bool available = gnuplot_available();
    {
        std::ofstream out(script);
        out << "# " << name << ".gp: run `gnuplot " << name << ".gp` in this directory\n"
            << "set terminal " << (available ? png_terminal() : "pngcairo enhanced") << " size "
            << width << ',' << height << '\n'
            << "set output '" << name << ".png'\n"
            << "set grid lc rgb '#dddddd'\n"
            << "set key box opaque\n"
            << "set style fill solid 0.6 border -1\n"
            << body;
        if (!out) {
            std::fprintf(stderr, "cannot write %s\n", script.string().c_str());
            return Plot::failed;
        }
    }
    if (!available) {
        std::printf("gnuplot not found: plot skipped (script %s)\n", script.string().c_str());
        return Plot::skipped;
    }
    std::error_code error;
    fs::remove(png, error);
    const std::string command = "cd " + shell_quote(out_dir.string()) + " && " +
                                shell_quote(gnuplot_program()) + ' ' + shell_quote(name + ".gp");
    const int status = std::system(command.c_str());
    const bool written = fs::exists(png, error) && fs::file_size(png, error) > 0;
    if (status != 0 || !written) {
        std::fprintf(stderr, "gnuplot failed on %s: no PNG written\n", script.string().c_str());
        return Plot::failed;
    }
    std::printf("wrote %s\n", png.string().c_str());
    return Plot::rendered;
}

/// The exit status of an example: 0 when its story holds and its plot did not fail.
inline int finish(bool story_holds, Plot plot) {
    if (!story_holds)
        std::printf("unexpected: the story does not hold on this data\n");
    return story_holds && plot != Plot::failed ? 0 : 1;
}

} // namespace plot_support

#endif // PRIORREG_EXAMPLES_PLOT_SUPPORT_HPP
