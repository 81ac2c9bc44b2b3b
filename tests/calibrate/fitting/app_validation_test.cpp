// An app's held-out runs against its profile: each run simulated as it was driven.

#include <catch2/catch.hpp>

#include <cmath>

#include "calibrate/fitting/app_validation.hpp"
#include "model/what_if.hpp"

using namespace workersim;

namespace {

// Two URLs of pure IO (no CPU at all): with more workers than clients nobody waits, so a run's
// mean latency is exactly the mean of its requests' IO.
Profile io_only_app() {
    Profile p = ideal_profile();
    p.host_cores = 2;
    AppProfile app;
    app.callable = "m:app";
    UrlProfile a;
    a.path = "/a";
    a.io = Distribution::deterministic(0.1);
    UrlProfile b;
    b.path = "/b";
    b.io = Distribution::deterministic(0.3);
    app.urls = {a, b};
    p.app = app;
    return p;
}

AppRun mix_run(double mean_a_s, double mean_b_s) {
    AppRun r;
    r.id = "mix w8 c4 2 cores shared";
    r.kind = AppRunKind::mix;
    r.workers = 8;
    r.clients = 4;
    r.cores = 2;
    r.loadgen_shared = true;
    r.requests = 40;  // 10 per client
    // One hey on /a with 1 client, one on /b with 3: /b's hey runs 3 s, /a's 1 s.
    r.per_url = {{"/a", 1, 10, 10, 10 / 3.0, mean_a_s, mean_a_s}, {"/b", 3, 30, 30, 10.0, mean_b_s, mean_b_s}};
    r.completed = 40;
    r.makespan_s = 3;
    r.throughput_rps = 40 / 3.0;
    r.latency_mean_s = (10 * 0.1 + 30 * 0.3) / 40;
    r.latency_p99_s = 0.3;
    return r;
}

}  // namespace

TEST_CASE("a mix run is predicted with each URL's hey as its own clients") {
    const AppValidation v = validate_app_runs(io_only_app(), {mix_run(0.1, 0.3)}, {});
    REQUIRE(v.runs.size() == 1);
    const AppRunComparison& c = v.runs[0];
    // 10 requests of 0.1 s for /a's client, 10 of 0.3 s for each of /b's: exactly as measured.
    CHECK(c.predicted[static_cast<std::size_t>(AppMetric::throughput)] == Approx(40 / 3.0));
    CHECK(c.predicted[static_cast<std::size_t>(AppMetric::latency_mean)] == Approx(0.25));
    CHECK(*c.abs_pct_error[static_cast<std::size_t>(AppMetric::throughput)] == Approx(0).margin(1e-9));
    REQUIRE(c.per_url.size() == 2);
    CHECK(c.per_url[0].predicted_mean_s == Approx(0.1));
    CHECK(c.per_url[1].predicted_mean_s == Approx(0.3));
    CHECK(v.metrics[static_cast<std::size_t>(AppMetric::url_latency_mean)].points == 2);
}

TEST_CASE("a per-URL miss is reported against the run and the URL") {
    const AppValidation v = validate_app_runs(io_only_app(), {mix_run(0.1, 0.2)}, {});
    const AppMetricSummary& s = v.metrics[static_cast<std::size_t>(AppMetric::url_latency_mean)];
    CHECK(s.worst_abs_pct_error == Approx(50));  // 0.3 predicted for 0.2 measured
    CHECK(s.worst == "mix w8 c4 2 cores shared /b");
}

TEST_CASE("a run probed at half the profile's speed is predicted with twice the CPU") {
    Profile p = io_only_app();
    p.host_probe_ns = 50;
    AppRun r = mix_run(0.1, 0.3);
    r.probe_before_ns = 100;
    r.probe_after_ns = 100;
    CHECK(app_run_cpu_time_factor(p, r) == Approx(2));
    AppValidationOptions ignore;
    ignore.host_speed = false;
    CHECK(validate_app_runs(p, {r}, ignore).runs[0].cpu_time_factor == 1);
}

TEST_CASE("the serial and memory runs are the fit's, not held out") {
    AppRun serial;
    serial.kind = AppRunKind::serial;
    serial.completed = 10;
    CHECK(validate_app_runs(io_only_app(), {serial}, {}).runs.empty());
    CHECK_THROWS_AS(validate_app_runs(ideal_profile(), {mix_run(0.1, 0.3)}, {}), std::invalid_argument);
}
