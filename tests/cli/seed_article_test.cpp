// The seed article's two measured hey runs (4-core machine, load generator elsewhere),
// predicted with the embedded calibration. The bars are the issue's: within 3% (means 5%).

#include <catch2/catch.hpp>

#include "cli/embedded_profile.hpp"
#include "model/what_if.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {
Result predict_seed_run(int workers, int clients_and_requests) {
    WhatIf q;
    q.workers = workers;
    q.cores = 4;
    q.workload.io_pct = 100;
    q.load.clients = clients_and_requests;
    q.load.requests = clients_and_requests;
    q.loadgen_shared = false;
    return simulate(build_scenario(cli::embedded_profile(), q), 1);
}
}  // namespace

TEST_CASE("one worker, 100% IO, hey -n 10 -c 10 matches the seed article's run") {
    const Result r = predict_seed_run(1, 10);
    CHECK(r.makespan_s == Approx(10.1290).epsilon(0.03));
    CHECK(r.throughput_rps == Approx(0.9873).epsilon(0.03));
    CHECK(r.latency.mean_s == Approx(5.5698).epsilon(0.05));
    CHECK(r.latency.min_s == Approx(1.0094).epsilon(0.03));
}

TEST_CASE("five workers, 100% IO, hey -n 30 -c 30 matches the seed article's run") {
    const Result r = predict_seed_run(5, 30);
    CHECK(r.makespan_s == Approx(6.1011).epsilon(0.03));
    CHECK(r.throughput_rps == Approx(4.9171).epsilon(0.03));
    CHECK(r.latency.mean_s == Approx(3.5539).epsilon(0.05));
    CHECK(r.latency.max_s == Approx(6.0951).epsilon(0.03));
}
