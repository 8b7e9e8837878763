// Writes the benchmark CSV of bench/compare/stream/run.sh to stdout: a header x1..xP,y and N
// rows of P correlated features (a common factor plus AR(1) along the columns, column means
// 0, 10, ..., 10 (P - 1)) and y = 1 + X beta + noise with every fifth coefficient in [-2, 2]
// and the others zero; 7 significant digits per cell (about 10 bytes). Seeded: the same file
// on every machine with the same standard library.
//
//   make_large_csv ROWS COLS SEED > file.csv
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: make_large_csv ROWS COLS SEED\n");
        return 2;
    }
    const long long rows = std::atoll(argv[1]);
    const int cols = std::atoi(argv[2]);
    std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform(-2.0, 2.0);
    std::vector<double> beta(static_cast<std::size_t>(cols), 0.0), x(beta.size());
    for (int j = 0; j < cols; j += 5)
        beta[static_cast<std::size_t>(j)] = uniform(rng);
    std::string out;
    for (int j = 0; j < cols; ++j)
        out += "x" + std::to_string(j + 1) + ",";
    out += "y\n";
    char cell[32];
    const auto put = [&](double value, char end) {
        const auto r =
            std::to_chars(cell, cell + sizeof cell, value, std::chars_format::general, 7);
        out.append(cell, r.ptr);
        out += end;
    };
    for (long long i = 0; i < rows; ++i) {
        const double common = normal(rng);
        double previous = normal(rng), y = 1.0;
        for (int j = 0; j < cols; ++j) {
            previous = 0.5 * previous + 0.866 * normal(rng);
            const double value = 10.0 * j + 0.6 * common + 0.8 * previous;
            x[static_cast<std::size_t>(j)] = value;
            y += beta[static_cast<std::size_t>(j)] * (value - 10.0 * j);
            put(value, ',');
        }
        put(y + normal(rng), '\n');
        if (out.size() > (1u << 20)) {
            std::fwrite(out.data(), 1, out.size(), stdout);
            out.clear();
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::ferror(stdout) ? 1 : 0;
}
