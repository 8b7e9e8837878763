// The validation curve: training error falls along the path, the divergence point is the
// minimum of the validation error, and past it the model overfits.
#include <catch2/catch.hpp>

#include <priorreg/priorreg.hpp>

#include "test_support.hpp"

TEST_CASE("The validation curve and its divergence point", "[curve]") {
    // Few rows, many features, a handful of them relevant: the classic overfitting setting.
    const auto all = test_support::make_dataset(140, 60, 5, 701, 0.2);
    const Eigen::MatrixXd X_train = all.X.topRows(70), X_validation = all.X.bottomRows(70);
    const Eigen::VectorXd y_train = all.y.head(70), y_validation = all.y.tail(70);
    priorreg::Lasso lasso(1.0);
    lasso.set_tolerance(1e-10);
    const auto curve =
        priorreg::validation_curve(lasso, X_train, y_train, X_validation, y_validation);
    const Eigen::Index L = curve.lambdas.size();
    REQUIRE(L == 100);
    // Training error by the definition, from the path's own predictions.
    const auto path = lasso.fit_path(X_train, y_train);
    for (const Eigen::Index k : {Eigen::Index(0), Eigen::Index(50), L - 1}) {
        const Eigen::VectorXd r = y_train - path.predict(X_train).col(k);
        CHECK(curve.training_errors(k) == Approx(r.squaredNorm() / 70).epsilon(1e-10));
    }
    // The lasso fits the training rows ever better as lambda falls.
    for (Eigen::Index k = 1; k < L; ++k)
        CHECK(curve.training_errors(k) <= curve.training_errors(k - 1) * (1 + 1e-8));
    // The divergence point is the validation minimum, strictly inside the path here: past it
    // the training error keeps falling while the validation error rises above the minimum.
    const Eigen::Index d = curve.divergence_index;
    CHECK(curve.divergence_lambda == curve.lambdas(d));
    CHECK(d > 0);
    CHECK(d < L - 1);
    CHECK(curve.validation_errors(d) == curve.validation_errors.minCoeff());
    CHECK(curve.validation_errors(L - 1) > curve.validation_errors(d));
    CHECK(curve.training_errors(L - 1) < curve.training_errors(d));
}
