// Thread safety and determinism under ThreadSanitizer (built with -DPRIORREG_SANITIZE=thread in
// scripts/test.sh; without it the same checks run unsanitized).
//
// 1. The const members of one fitted model (predict, coef, intercept, log_posterior) and of a
//    path (predict, model) are called from several threads at once; every result must equal,
//    bit for bit, the single-threaded one.
// 2. Fresh models fitted concurrently on the same (shared, read-only) data give bit-identical
//    coefficients.
// 3. The library's own threads (standardization, gradient and Gram blocks, ridge Grams, CV
//    folds) run under the sanitizer: any data race is a report, and threads 1 and 2 give
//    bit-identical results.
// 4. When no thread can be started (pthread_create refused, as when a system is out of threads),
//    the library does the work on the calling thread: no exception, no abort, the same results.
//    pthread_create is replaced in this program for that; not under a sanitizer, whose runtime
//    replaces it too.
// 5. The samplers: chains on the library's threads and a shared const sampler give the draws of
//    one thread.
#include <Eigen/Core>
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include <priorreg/priorreg.hpp>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PRIORREG_TEST_REFUSED_THREADS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PRIORREG_TEST_REFUSED_THREADS 0
#endif
#endif
#ifndef PRIORREG_TEST_REFUSED_THREADS
#define PRIORREG_TEST_REFUSED_THREADS 1
#endif

#if PRIORREG_TEST_REFUSED_THREADS
#include <cerrno>
#include <dlfcn.h>
#include <pthread.h>

namespace {
std::atomic<bool> refuse_threads{false};
std::atomic<int> refused_threads{0};
} // namespace

// Every std::thread of this program (and of the library) starts here.
extern "C" int pthread_create(pthread_t* thread, const pthread_attr_t* attributes,
                              void* (*start)(void*), void* argument) {
    if (refuse_threads.load()) {
        ++refused_threads;
        return EAGAIN;
    }
    using Create = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
    static const auto next = reinterpret_cast<Create>(dlsym(RTLD_NEXT, "pthread_create"));
    return next(thread, attributes, start, argument);
}
#endif

namespace {

std::atomic<int> failures{0};

void expect(bool condition, const char* what) {
    if (!condition) {
        ++failures;
        std::fprintf(stderr, "FAILED: %s\n", what);
    }
}

struct Data {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
};

Data make_data(Eigen::Index n, Eigen::Index p, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    Data d{Eigen::MatrixXd(n, p), Eigen::VectorXd(n)};
    for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
            d.X(i, j) = normal(rng);
    for (Eigen::Index i = 0; i < n; ++i)
        d.y(i) = 1.0 + d.X(i, 0) - 0.5 * d.X(i, 1 % p) + 0.3 * normal(rng);
    return d;
}

template <class Work> void on_threads(int count, Work work) {
    std::vector<std::thread> threads;
    for (int t = 0; t < count; ++t)
        threads.emplace_back([&work, t] { work(t); });
    for (auto& thread : threads)
        thread.join();
}

priorreg::CrossValidationOptions cv_options(int threads) {
    priorreg::CrossValidationOptions options;
    options.folds = 4;
    options.path.n_lambda = 10;
    options.threads = threads;
    return options;
}

constexpr int thread_count = 4;
constexpr int repetitions = 20;

template <class Model> void shared_const_model(Model model, const Data& train, const Data& test) {
    model.fit(train.X, train.y);
    const Eigen::VectorXd predictions = model.predict(test.X);
    const Eigen::VectorXd coef = model.coef();
    const double intercept = model.intercept();
    on_threads(thread_count, [&](int) {
        for (int r = 0; r < repetitions; ++r) {
            expect(model.predict(test.X) == predictions, "concurrent predict");
            expect(model.coef() == coef, "concurrent coef");
            expect(model.intercept() == intercept, "concurrent intercept");
        }
    });
}

} // namespace

int main() {
    const Data train = make_data(200, 12, 1), test = make_data(50, 12, 2);

    // 1. One fitted model, many readers.
    shared_const_model(priorreg::LinearRegression(), train, test);
    shared_const_model(priorreg::Ridge(0.1), train, test);
    shared_const_model(priorreg::Lasso(0.02), train, test);
    shared_const_model(priorreg::ElasticNet(0.02, 0.5), train, test);
    {
        priorreg::Lasso map(priorreg::LaplacePrior<>(0.5), 0.3);
        map.fit(train.X, train.y);
        const double reference = map.log_posterior(train.X, train.y, map.intercept(), map.coef());
        on_threads(thread_count, [&](int) {
            for (int r = 0; r < repetitions; ++r)
                expect(map.log_posterior(train.X, train.y, map.intercept(), map.coef()) ==
                           reference,
                       "concurrent log_posterior");
        });
    }
    {
        priorreg::PathOptions options;
        options.n_lambda = 20;
        const auto path = priorreg::ElasticNet(1.0, 0.7).fit_path(train.X, train.y, options);
        const Eigen::MatrixXd predictions = path.predict(test.X);
        const Eigen::VectorXd at_five = path.model(5).predict(test.X);
        on_threads(thread_count, [&](int) {
            for (int r = 0; r < repetitions; ++r) {
                expect(path.predict(test.X) == predictions, "concurrent Path::predict");
                expect(path.model(5).predict(test.X) == at_five, "concurrent Path::model");
            }
        });
    }

    // 2. Fresh models on shared data, fitted concurrently: bit-identical.
    {
        priorreg::Lasso reference(0.02);
        reference.set_threads(1).fit(train.X, train.y);
        const auto reference_path = priorreg::Lasso().set_threads(1).fit_path(train.X, train.y);
        std::vector<Eigen::VectorXd> coefs(thread_count);
        std::vector<Eigen::MatrixXd> paths(thread_count);
        on_threads(thread_count, [&](int t) {
            priorreg::Lasso model(0.02);
            model.set_threads(1).fit(train.X, train.y);
            coefs[static_cast<std::size_t>(t)] = model.coef();
            paths[static_cast<std::size_t>(t)] =
                priorreg::Lasso().set_threads(1).fit_path(train.X, train.y).coefs();
        });
        for (int t = 0; t < thread_count; ++t) {
            expect(coefs[static_cast<std::size_t>(t)] == reference.coef(), "concurrent fits");
            expect(paths[static_cast<std::size_t>(t)] == reference_path.coefs(),
                   "concurrent paths");
        }
    }

    // 3. The library's own threads: gradient blocks (naive mode; n p above the threading
    //    threshold), Gram blocks (covariance mode), CV folds.
    {
        const Data wide = make_data(60, 40000, 3);
        priorreg::PathOptions options;
        options.n_lambda = 4;
        priorreg::Lasso lasso;
        lasso.set_solver_mode(priorreg::SolverMode::naive);
        const auto one = lasso.set_threads(1).fit_path(wide.X, wide.y, options);
        const auto two = lasso.set_threads(2).fit_path(wide.X, wide.y, options);
        expect(one.coefs() == two.coefs(), "naive path, threads 1 vs 2");
        const Data tall = make_data(20000, 120, 4);
        lasso.set_solver_mode(priorreg::SolverMode::covariance);
        const auto gram_one = lasso.set_threads(1).fit_path(tall.X, tall.y, options);
        const auto gram_two = lasso.set_threads(2).fit_path(tall.X, tall.y, options);
        expect(gram_one.coefs() == gram_two.coefs(), "covariance path, threads 1 vs 2");
        // Closed-form ridge: the Gram (n > p) and the dual kernel (p > n) in halves over threads.
        const Data wide_ridge = make_data(200, 10000, 5);
        for (const Data* data : {&tall, &wide_ridge}) {
            priorreg::Ridge ridge(0.5);
            const Eigen::VectorXd ridge_one = ridge.set_threads(1).fit(data->X, data->y).coef();
            const Eigen::VectorXd ridge_two = ridge.set_threads(2).fit(data->X, data->y).coef();
            expect(ridge_one == ridge_two, "closed-form ridge, threads 1 vs 2");
        }
    }
    {
        priorreg::CrossValidation<priorreg::LaplacePrior<>> serial(priorreg::Lasso(),
                                                                   cv_options(1));
        serial.fit(train.X, train.y);
        priorreg::CrossValidation<priorreg::LaplacePrior<>> parallel(priorreg::Lasso(),
                                                                     cv_options(2));
        parallel.fit(train.X, train.y);
        expect(serial.mean_errors() == parallel.mean_errors(), "CV, threads 1 vs 2");
        expect(serial.model().coef() == parallel.model().coef(), "CV model, threads 1 vs 2");
    }

#if PRIORREG_TEST_REFUSED_THREADS
    // 4. No thread can be started: every piece of threaded work above, on the calling thread.
    {
        const Data tall = make_data(20000, 120, 4), wide = make_data(60, 40000, 3);
        const Data wide_ridge = make_data(200, 10000, 5);
        priorreg::PathOptions options;
        options.n_lambda = 4;
        priorreg::Lasso naive, gram;
        naive.set_solver_mode(priorreg::SolverMode::naive);
        gram.set_solver_mode(priorreg::SolverMode::covariance);
        priorreg::Ridge ridge(0.5);
        priorreg::CrossValidation<priorreg::LaplacePrior<>> serial(priorreg::Lasso(),
                                                                   cv_options(1));
        serial.fit(train.X, train.y);
        const auto naive_one = naive.set_threads(1).fit_path(wide.X, wide.y, options);
        const auto gram_one = gram.set_threads(1).fit_path(tall.X, tall.y, options);
        const Eigen::VectorXd primal_one = ridge.set_threads(1).fit(tall.X, tall.y).coef();
        const Eigen::VectorXd dual_one =
            ridge.set_threads(1).fit(wide_ridge.X, wide_ridge.y).coef();
        priorreg::CrossValidation<priorreg::LaplacePrior<>> refused(priorreg::Lasso(),
                                                                    cv_options(2));
        refuse_threads = true;
        try {
            expect(naive.set_threads(2).fit_path(wide.X, wide.y, options).coefs() ==
                       naive_one.coefs(),
                   "naive path, no thread startable");
            expect(gram.set_threads(2).fit_path(tall.X, tall.y, options).coefs() ==
                       gram_one.coefs(),
                   "covariance path, no thread startable");
            expect(ridge.set_threads(2).fit(tall.X, tall.y).coef() == primal_one,
                   "primal ridge, no thread startable");
            expect(ridge.set_threads(2).fit(wide_ridge.X, wide_ridge.y).coef() == dual_one,
                   "dual ridge, no thread startable");
            refused.fit(train.X, train.y);
            expect(refused.mean_errors() == serial.mean_errors(), "CV, no thread startable");
        } catch (const std::exception& error) {
            expect(false, "an exception when no thread can be started");
            std::fprintf(stderr, "  %s\n", error.what());
        }
        refuse_threads = false;
        // Else the checks above may not have exercised anything.
        expect(refused_threads.load() >= 5, "every threaded step tried to start a thread");
        std::printf("refused thread starts: %d\n", refused_threads.load());
    }
#else
    std::printf("skipped: threads refused (the sanitizer's runtime owns pthread_create)\n");
#endif

    // 5. The samplers' chains on the library's threads, and one const sampler shared by several
    //    threads: the draws are those of one thread, bit for bit.
    {
        priorreg::SamplerOptions options;
        options.draws = 100;
        options.burn_in = 50;
        options.chains = 4;
        options.seed = 3;
        options.threads = 1;
        const priorreg::BayesianLasso lasso(2.0);
        const Eigen::MatrixXd serial = lasso.sample(train.X, train.y, options).draws();
        options.threads = 4;
        expect(lasso.sample(train.X, train.y, options).draws() == serial, "chains on threads");
        on_threads(thread_count, [&](int) {
            expect(lasso.sample(train.X, train.y, options).draws() == serial,
                   "a shared sampler on several threads");
        });
        const Data wide = make_data(30, 60, 4); // p > n: the n x n draws
        options.threads = 1;
        const priorreg::HorseshoeRegression horseshoe;
        const Eigen::MatrixXd wide_serial = horseshoe.sample(wide.X, wide.y, options).draws();
        options.threads = 2;
        expect(horseshoe.sample(wide.X, wide.y, options).draws() == wide_serial,
               "p > n chains on threads");
    }

    if (failures.load() != 0) {
        std::fprintf(stderr, "%d check(s) failed\n", failures.load());
        return 1;
    }
    std::printf("thread safety and determinism: all checks passed\n");
    return 0;
}
