// A downstream that queues (Phase::slowdown_per_caller): each IO call takes longer by the share
// per caller already waiting on the same URL's downstream.

#include <catch2/catch.hpp>

#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Phase queueing_io(double s, double slowdown_per_caller) {
    Phase p{PhaseKind::io, PhaseOwner::worker, Distribution::deterministic(s)};
    p.slowdown_per_caller = slowdown_per_caller;
    return p;
}

Scenario two_clients_on_two_workers(double slowdown_per_caller) {
    Scenario s;
    s.host.cores = 1;
    s.server.workers = 2;
    s.server.timeout_s = 0;
    s.request = {queueing_io(1.0, slowdown_per_caller)};
    s.load.clients = 2;
    s.load.requests = 2000;
    return s;
}

}  // namespace

TEST_CASE("a call that finds another caller at a queueing downstream takes one share longer per caller") {
    // Hand timeline, 1 s calls, slowdown 1 per caller: both clients call at t = 0; the first
    // finds nobody (1 s, done at 1), the second one caller (2 s, done at 2). From then on each
    // call finds the other client's call under way: 2 s each. Client A answers at 1, 3, 5, ...,
    // client B at 2, 4, 6, ...: means (1 + 2 x 999) / 1000 and 2, the last answer at 2000 s.
    const Result r = simulate(two_clients_on_two_workers(1.0), 1);
    REQUIRE(r.completed == 2000);
    CHECK(r.latency.mean_s == Approx((1.999 + 2.0) / 2).epsilon(1e-12));
    CHECK(r.latency.max_s == Approx(2.0).epsilon(1e-12));
    CHECK(r.makespan_s == Approx(2000.0).epsilon(1e-12));
}

TEST_CASE("a downstream that does not queue takes every call at its own time") {
    const Result r = simulate(two_clients_on_two_workers(0.0), 1);
    CHECK(r.latency.mean_s == Approx(1.0).epsilon(1e-12));
    CHECK(r.makespan_s == Approx(1000.0).epsilon(1e-12));
}

TEST_CASE("one sync worker never has two calls at its downstream") {
    Scenario s = two_clients_on_two_workers(1.0);
    s.server.workers = 1;
    const Result r = simulate(s, 1);
    CHECK(r.throughput_rps == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("gthread's pool threads count at the downstream as sync workers do") {
    Scenario s = two_clients_on_two_workers(1.0);
    s.server.worker_class = WorkerClass::gthread;
    s.server.workers = 1;
    s.server.threads = 2;
    s.server.main_loop_pass_s = 0;
    s.server.main_wake_s = 0;
    s.server.thread_start_s = 0;
    const Result r = simulate(s, 1);
    REQUIRE(r.completed == 2000);
    CHECK(r.latency.mean_s == Approx((1.999 + 2.0) / 2).epsilon(1e-9));
}

TEST_CASE("a slowdown on a CPU phase is refused, naming the field and the range") {
    Scenario s = two_clients_on_two_workers(0.0);
    s.request.front().kind = PhaseKind::cpu;
    s.request.front().slowdown_per_caller = 0.5;
    CHECK_THROWS_WITH(simulate(s, 1), Catch::Contains("slowdown_per_caller") && Catch::Contains("on an IO phase"));
}
