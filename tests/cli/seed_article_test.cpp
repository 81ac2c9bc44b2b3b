// The seed article's two measured hey runs (4-core machine, load generator elsewhere),
// predicted with the embedded calibration.
//
// The embedded profile was measured on this project's reference machine, where opening a
// PostgreSQL connection costs about 40 ms of CPU (fork alone takes ~20 ms on that VM); on
// the article's machine it cost about 9 ms (its fastest 100% IO request took 1.0094 s). So
// the absolute figures differ by that machine difference (about 3-4%, reported in the
// calibration note), and these tests hold the queueing to the article's bars (3%, means 5%)
// in units of each machine's own fastest request: hey's n/c semantics, one worker serving
// ten clients one at a time, five workers serving thirty in six rounds.

#include <catch2/catch.hpp>

#include "cli/embedded_profile.hpp"
#include "model/what_if.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Result predict_seed_run(int workers, int clients, std::int64_t requests) {
    WhatIf q;
    q.workers = workers;
    q.cores = 4;
    q.workload.io_pct = 100;
    q.load.clients = clients;
    q.load.requests = requests;
    q.loadgen_shared = false;
    return simulate(build_scenario(cli::embedded_profile(), q), 1);
}

Result predict_seed_run(int workers, int clients_and_requests) {
    return predict_seed_run(workers, clients_and_requests, clients_and_requests);
}

// The profile's uncontended 100% IO request: what "fastest" is on the calibrated machine.
// Its mean, not one draw: the IO phase keeps its measured spread (about 1.5%).
double service_s() { return predict_seed_run(1, 1, 1000).latency.mean_s; }

}  // namespace

TEST_CASE("one worker serves hey -n 10 -c 10 one at a time, as in the seed article's run") {
    const double article_fastest_s = 1.0094, s = service_s();
    const Result r = predict_seed_run(1, 10);
    CHECK(r.makespan_s / s == Approx(10.1290 / article_fastest_s).epsilon(0.03));
    CHECK(r.throughput_rps * s == Approx(0.9873 * article_fastest_s).epsilon(0.03));
    CHECK(r.latency.mean_s / s == Approx(5.5698 / article_fastest_s).epsilon(0.05));
    CHECK(r.latency.min_s / s == Approx(1.0).epsilon(0.03));
}

TEST_CASE("five workers serve hey -n 30 -c 30 in six rounds, as in the seed article's run") {
    const double article_fastest_s = 1.0144, s = service_s();
    const Result r = predict_seed_run(5, 30);
    CHECK(r.makespan_s / s == Approx(6.1011 / article_fastest_s).epsilon(0.03));
    CHECK(r.throughput_rps * s == Approx(4.9171 * article_fastest_s).epsilon(0.03));
    CHECK(r.latency.mean_s / s == Approx(3.5539 / article_fastest_s).epsilon(0.05));
    CHECK(r.latency.max_s / s == Approx(6.0951 / article_fastest_s).epsilon(0.03));
}

TEST_CASE("the embedded profile's uncontended IO request is one second plus a connection") {
    // A sanity bound, not the article's bar: pg_sleep(1) plus tens of milliseconds.
    const double s = service_s();
    CHECK(s > 1.0);
    CHECK(s < 1.1);
}
