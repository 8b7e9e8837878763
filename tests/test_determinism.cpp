// Determinism: the same input and options give bit-identical results, across fresh model
// objects and fresh copies of the data at other addresses (what a second run of a program
// sees). Thread-count invariance with real thread splits is checked, bit for bit, by the
// thread-safety program (tests/thread_safety), which also runs under ThreadSanitizer.
#include <catch2/catch.hpp>

#include <memory>
#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

namespace determinism_support {

/// A copy of `X` in freshly allocated storage at an offset of `shift` doubles, so that its
/// address (and alignment) differs from the original's.
struct ShiftedCopy {
    std::unique_ptr<double[]> storage;
    Eigen::Map<Eigen::MatrixXd> view;
    ShiftedCopy(const Eigen::MatrixXd& X, Eigen::Index shift)
        : storage(new double[static_cast<std::size_t>(X.size() + shift)]),
          view(storage.get() + shift, X.rows(), X.cols()) {
        view = X;
    }
};

template <class Model>
void check_repeatable(const Model& prototype, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
    Model first = prototype;
    first.fit(X, y);
    for (const Eigen::Index shift : {0, 1, 3}) {
        const ShiftedCopy copy(X, shift);
        const Eigen::VectorXd y_copy = y;
        Model again = prototype;
        again.fit(copy.view, y_copy);
        INFO("shift " << shift);
        CHECK(again.coef() == first.coef());
        CHECK(again.intercept() == first.intercept());
        CHECK(again.iterations() == first.iterations());
    }
}

} // namespace determinism_support

TEST_CASE("Fits are bit-identical across fresh objects and data copies", "[determinism]") {
    const auto d = test_support::make_dataset(90, 25, 6, 601, 0.6);
    for (const auto mode : {priorreg::SolverMode::covariance, priorreg::SolverMode::naive}) {
        determinism_support::check_repeatable(priorreg::LinearRegression(), d.X, d.y);
        determinism_support::check_repeatable(priorreg::Ridge(0.3), d.X, d.y);
        determinism_support::check_repeatable(priorreg::Lasso(0.03).set_solver_mode(mode), d.X,
                                              d.y);
        determinism_support::check_repeatable(priorreg::ElasticNet(0.03, 0.4).set_solver_mode(mode),
                                              d.X, d.y);
    }
}

TEST_CASE("Paths and CV are bit-identical across fresh objects", "[determinism]") {
    const auto d = test_support::make_dataset(70, 30, 5, 603, 0.5);
    for (const auto mode : {priorreg::SolverMode::covariance, priorreg::SolverMode::naive}) {
        priorreg::ElasticNet model(1.0, 0.8);
        model.set_solver_mode(mode);
        const auto first = model.fit_path(d.X, d.y);
        const determinism_support::ShiftedCopy copy(d.X, 1);
        const auto second = priorreg::ElasticNet(1.0, 0.8).set_solver_mode(mode).fit_path(
            copy.view, Eigen::VectorXd(d.y));
        CHECK(first.lambdas() == second.lambdas());
        CHECK(first.coefs() == second.coefs());
        CHECK(first.intercepts() == second.intercepts());
    }
    priorreg::CrossValidationOptions options;
    options.folds = 5;
    options.path.n_lambda = 12;
    priorreg::CrossValidation<priorreg::LaplacePrior<>> first(priorreg::Lasso(), options);
    priorreg::CrossValidation<priorreg::LaplacePrior<>> second(priorreg::Lasso(), options);
    first.fit(d.X, d.y);
    second.fit(d.X, d.y);
    CHECK(first.mean_errors() == second.mean_errors());
    CHECK(first.model().coef() == second.model().coef());
}
