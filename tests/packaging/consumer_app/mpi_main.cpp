// The MPI component's consumer: statistics of a few rows merged across the (one-process) world
// must count those rows; exit 0 when they do.
#include <priorreg/mpi.hpp>

#include <cmath>
#include <cstdio>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    priorreg::SufficientStatistics<double> statistics(2);
    Eigen::MatrixXd X(3, 2);
    X << 1, 2, 3, 4, 5, 7;
    statistics.add(X, Eigen::VectorXd::LinSpaced(3, 0, 1));
    priorreg::mpi::allreduce(statistics, MPI_COMM_WORLD);
    const bool ok = statistics.rows() == 3 &&
                    std::abs(statistics.cross_products().center(1) - 13.0 / 3) < 1e-12;
    std::printf("mpi consumer: %s\n", ok ? "ok" : "wrong statistics");
    MPI_Finalize();
    return ok ? 0 : 1;
}
