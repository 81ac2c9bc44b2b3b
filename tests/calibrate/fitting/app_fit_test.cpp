// calibrate --app's fit: memory from PSS, per-URL distributions from the serial runs.

#include <catch2/catch.hpp>

#include "calibrate/fitting/app_fit.hpp"

using namespace workersim;

namespace {

// PSS as the model has it: private + shared / (workers + 1) for the master and each worker.
AppRun memory_run(int workers, double master_kib, double worker_kib, double shared_kib) {
    AppRun r;
    r.id = "memory w" + std::to_string(workers);
    r.kind = AppRunKind::memory;
    r.workers = workers;
    r.master_pss_kib = master_kib + shared_kib / (workers + 1);
    for (int w = 0; w < workers; ++w) r.worker_pss_kib.push_back(worker_kib + shared_kib / (workers + 1));
    return r;
}

}  // namespace

TEST_CASE("the memory fit recovers private and shared pages from PSS at two worker counts") {
    const auto m = fit_app_memory({memory_run(1, 5000, 30000, 12000), memory_run(2, 5000, 30000, 12000)}, false);
    REQUIRE(m);
    CHECK(m->master_private_kib == Approx(5000));
    CHECK(m->worker_private_kib == Approx(30000));
    CHECK(m->shared_kib == Approx(12000));
}

TEST_CASE("one worker count cannot separate private from shared pages") {
    CHECK_FALSE(fit_app_memory({memory_run(1, 5000, 30000, 12000)}, false));
}

TEST_CASE("each URL's serial samples become its empirical CPU and IO; a URL without a run is left out") {
    AppRun serial;
    serial.id = "serial /a";
    serial.path = "/a";
    serial.cpu_s = {0.01, 0.03};
    serial.io_s = {0.1, 0.1};
    serial.worker_cpu_s = 0.05;
    serial.hooks_cpu_s = 0.04;
    serial.hooked_requests = 10;
    AppFitInput input;
    input.callable = "m:app";
    input.urls = {{"/a", 2}, {"/b", 1}};
    const Profile p = fit_app_profile({serial}, input);
    REQUIRE(p.app);
    REQUIRE(p.app->urls.size() == 1);
    CHECK(p.app->urls[0].cpu.mean_s == Approx(0.02));
    CHECK(p.app->urls[0].io.mean_s == Approx(0.1));
    CHECK(p.request_cpu_s == Approx(0.001));  // (0.05 - 0.04) / 10
    CHECK_THROWS_AS(fit_app_profile({}, input), std::invalid_argument);
}

TEST_CASE("the fit keeps each URL's hey CPU per response and the serial runs' host speed") {
    AppRun serial;
    serial.id = "serial /a";
    serial.path = "/a";
    serial.cpu_s = {0.01};
    serial.io_s = {0.0};
    serial.completed = 20;
    serial.loadgen_cpu_s = 0.1;
    serial.probe_before_ns = 70;
    serial.probe_after_ns = 80;
    AppFitInput input;
    input.callable = "m:app";
    input.urls = {{"/a", 1}};
    const Profile p = fit_app_profile({serial}, input);
    CHECK(p.app->urls[0].loadgen_cpu_s == Approx(0.005));
    CHECK(p.host_probe_ns == Approx(75));
}

namespace {

// 40 IO samples around mean_s (+-5%), as the hooks would see them.
std::vector<double> io_samples(double mean_s) {
    std::vector<double> s;
    for (int i = 0; i < 40; ++i) s.push_back(mean_s * (i % 2 ? 1.05 : 0.95));
    return s;
}

AppRun io_run(AppRunKind kind, int workers, double io_s, double throughput_rps) {
    AppRun r;
    r.kind = kind;
    r.path = "/orders";
    r.workers = r.clients = workers;
    r.io_s = io_samples(io_s);
    r.cpu_s.assign(r.io_s.size(), 0.001);
    r.throughput_rps = throughput_rps;
    return r;
}

}  // namespace

TEST_CASE("an IO that doubles with four workers calling at once grows by a third per caller") {
    // Four workers, pure IO of 0.2 s together (0.1 s alone): each worker's cycle is its 0.2 s
    // IO, so the three others are always at the downstream: (2 - 1) / 3 per caller.
    const auto s = fit_io_slowdown(io_run(AppRunKind::serial, 1, 0.1, 10), io_run(AppRunKind::concurrent, 4, 0.2, 20));
    REQUIRE(s);
    CHECK(s->ratio == Approx(2.0));
    CHECK(s->callers == Approx(3.0));
    CHECK(s->per_caller == Approx(1.0 / 3));
    CHECK(s->per_caller_error > 0);
}

TEST_CASE("an IO that grows less than twice its standard error is taken as not growing") {
    // +-5% samples, 40 each: the ratio's standard error is about 1.1%; 1% growth is noise.
    const auto s = fit_io_slowdown(io_run(AppRunKind::serial, 1, 0.1, 10), io_run(AppRunKind::concurrent, 4, 0.101, 39));
    REQUIRE(s);
    CHECK(s->ratio == Approx(1.01));
    CHECK(s->per_caller == 0);
}

TEST_CASE("the fitted profile gives a URL the slowdown its concurrent run measured") {
    AppRun serial = io_run(AppRunKind::serial, 1, 0.1, 10);
    serial.hooked_requests = 40;
    AppRun concurrent = io_run(AppRunKind::concurrent, 4, 0.2, 20);
    AppFitInput input;
    input.callable = "m:app";
    input.urls = {{"/orders", 1}};
    const Profile p = fit_app_profile({serial, concurrent}, input);
    REQUIRE(p.app);
    CHECK(p.app->urls.front().io_slowdown_per_caller == Approx(1.0 / 3));
    CHECK(p.fit.count("io_slowdown_per_caller /orders") == 1);
}
