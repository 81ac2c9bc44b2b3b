// calibrate --app's records: the hooks' per-request lines and the runs file's JSON.

#include <catch2/catch.hpp>

#include "calibrate/records/app_run.hpp"

using namespace workersim;

TEST_CASE("a request log line gives the request's CPU, wall, waits and its IO as wall minus CPU minus run delay") {
    const auto samples = parse_request_log("/orders\t200\t0.004\t0.030\t3\t0.001\n/search\t404\t0.01\t0.01\t0\t0.002\n");
    REQUIRE(samples.size() == 2);
    CHECK(samples[0].path == "/orders");
    CHECK(samples[0].status == 200);
    CHECK(samples[0].voluntary_switches == 3);
    CHECK(samples[0].io_s() == Approx(0.025));
    CHECK(samples[1].io_s() == 0.0);  // clock granularity can make it negative: never below 0
}

TEST_CASE("a request log line of another form is refused, naming its line") {
    CHECK_THROWS_WITH(parse_request_log("/a\t200\t0.1\t0.2\t1\t0\nnonsense\n"), Catch::Contains("line 2"));
}

TEST_CASE("an app run survives its JSON") {
    AppRun run;
    run.id = "memory w2 preload";
    run.kind = AppRunKind::memory;
    run.workers = 2;
    run.preload = true;
    run.master_pss_kib = 1234;
    run.worker_pss_kib = {10, 20};
    run.cpu_s = {0.1, 0.2};
    const AppRun back = app_run_from_json(to_json(run), "runs.jsonl line 1");
    CHECK(back.id == run.id);
    CHECK(back.kind == AppRunKind::memory);
    CHECK(back.preload);
    CHECK(*back.master_pss_kib == 1234);
    CHECK(back.worker_pss_kib == run.worker_pss_kib);
    CHECK(back.cpu_s == run.cpu_s);
    CHECK_FALSE(back.master_pss_boot_kib);
}

TEST_CASE("a mix run's placement, probes, hey CPU and per-URL loads survive JSON") {
    AppRun r;
    r.id = "mix w2 c6 2 cores shared";
    r.kind = AppRunKind::mix;
    r.cores = 2;
    r.loadgen_shared = true;
    r.probe_before_ns = 71.5;
    r.probe_after_ns = 73;
    r.loadgen_cpu_s = 0.42;
    r.hooks_wall_s = 1.5;
    r.hooks_run_delay_s = 0.25;
    r.per_url = {{"/a", 4, 32, 32, 10.5, 0.2, 0.4}, {"/b", 2, 16, 15, 5, 0.1, 0.3}};
    const AppRun back = app_run_from_json(to_json(r), "test");
    CHECK(back.kind == AppRunKind::mix);
    CHECK(back.cores == 2);
    CHECK(back.loadgen_shared);
    CHECK(back.probe_after_ns == 73);
    CHECK(back.loadgen_cpu_s == 0.42);
    CHECK(back.hooks_wall_s == 1.5);
    CHECK(back.hooks_run_delay_s == 0.25);
    REQUIRE(back.per_url.size() == 2);
    CHECK(back.per_url[1].path == "/b");
    CHECK(back.per_url[1].completed == 15);
    CHECK(back.per_url[0].latency_p99_s == 0.4);
}

TEST_CASE("a run made before pinning has no cores") {
    AppRun r;
    r.id = "serial /a";
    CHECK_FALSE(app_run_from_json(to_json(r), "test").cores);
}
