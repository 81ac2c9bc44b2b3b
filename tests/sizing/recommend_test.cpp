// Issue 4's acceptance cases for the sizing engine.

#include <catch2/catch.hpp>

#include "model/invalid_field.hpp"
#include "model/mva.hpp"
#include "sizing/recommend.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

// A fixed host in the image of the measured one (2 cores, the article's loop at 0.9 s of
// CPU, a new PostgreSQL connection for each request with IO, about 7 MiB per worker), built
// here so that a re-calibration cannot move what these tests expect.
Profile test_host() {
    Profile p;
    p.name = "test-host";
    p.host_cores = 2;
    p.cpu_scheduler = CpuScheduler::per_core_queues;
    p.core_capacity = {1.0, 1.86};
    p.loop_cpu_s = 0.9;
    p.request_cpu_s = 0.0;
    p.db_client_cpu_s = 0.01;
    p.db_backend_cpu_s = 0.01;
    p.db_connect_s = 0.0;
    p.cpu_cv = 0.15;
    p.loadgen_cpu_s = 0.0008;
    p.boot_s = 0.055;
    p.memory = MemoryModel{6500, 7500, 22800};
    return p;
}

RecommendQuery cpu_bound_closed() {
    RecommendQuery q;
    q.profile = test_host();
    q.what_if.cores = 2;
    q.what_if.workload.cpu_pct = 100;
    q.what_if.load.clients = 30;
    q.what_if.load.requests = 3000;
    return q;
}

RecommendQuery io_bound_open(int cores, double memory_kib) {
    RecommendQuery q;
    q.profile = test_host();
    q.what_if.cores = cores;
    q.what_if.workload.io_pct = 100;
    q.what_if.load.kind = LoadKind::open;
    q.what_if.load.rate_per_s = 20;
    q.what_if.load.requests = 20000;
    q.memory_kib = memory_kib;
    q.slo_p99_s = 2.0;
    return q;
}

constexpr double kMiB = 1024, kGiB = 1024 * 1024;

}  // namespace

TEST_CASE("100% CPU on 2 cores with 30 clients: 2 to 4 workers, within 5% of the best of 1..16") {
    const RecommendQuery q = cpu_bound_closed();
    const Recommendation rec = recommend(q);
    CHECK(rec.feasible);
    CHECK(rec.workers >= 2);
    CHECK(rec.workers <= 4);
    CHECK(rec.limited_by == Limit::cores);
    // The best of any count, by the simulator itself (the same steady runs the engine uses).
    double best = 0;
    for (int n = 1; n <= 16; ++n) {
        Scenario s = build_scenario(q.profile, [&] {
            WhatIf w = q.what_if;
            w.workers = n;
            w.load.requests = q.steady_requests;
            return w;
        }());
        best = std::max(best, simulate(s, q.seed).throughput_rps);
    }
    CHECK(rec.predicted.throughput_rps >= 0.95 * best);
}

TEST_CASE("the rule of thumb is shown with its own predictions") {
    const Recommendation rec = recommend(cpu_bound_closed());
    CHECK(rec.rule_of_thumb_workers == 5);
    CHECK(rec.rule_of_thumb_predicted.completed > 0);
    CHECK(rec.rule_of_thumb_predicted.memory.total_kib > rec.predicted.memory.total_kib);
    CHECK(rec.rule_of_thumb_fits_memory);
}

TEST_CASE("100% IO at 20 req/s with p99 <= 2 s on 2 cores and 4 GiB: 21 to 40 workers, feasible") {
    const Recommendation rec = recommend(io_bound_open(2, 4 * kGiB));
    CHECK(rec.feasible);
    CHECK(rec.limited_by == Limit::slo);
    CHECK(rec.workers >= 21);
    CHECK(rec.workers <= 40);
    CHECK(rec.predicted.latency.p99_s <= 2.0);
    CHECK_FALSE(rec.predicted.unstable);
}

TEST_CASE("the SLO answer is the fewest simulated workers that meet it") {
    RecommendQuery q = io_bound_open(2, 4 * kGiB);
    const Recommendation rec = recommend(q);
    REQUIRE(rec.feasible);
    WhatIf w = q.what_if;
    w.workers = rec.workers - 1;
    const Result fewer = simulate(build_scenario(q.profile, w), q.seed);
    CHECK((fewer.latency.p99_s > 2.0 || fewer.unstable || fewer.errors.total() > 0));
}

TEST_CASE("1 core, 1 GiB and 100 MiB workers cannot carry 20 req/s of 1 s IO: memory limits it") {
    RecommendQuery q = io_bound_open(1, 1 * kGiB);
    q.worker_kib = 100 * kMiB;
    const Recommendation rec = recommend(q);
    CHECK(rec.max_workers_in_memory <= 10);
    CHECK_FALSE(rec.feasible);
    CHECK(rec.limited_by == Limit::memory);
    CHECK(rec.workers == rec.max_workers_in_memory);
    REQUIRE(rec.advice.size() == 2);
    const Advice& memory = rec.advice[0];
    CHECK(memory.remedy == Remedy::add_memory);
    CHECK(memory.workers > rec.max_workers_in_memory);
    CHECK(memory.memory_kib > *q.memory_kib);
    CHECK_FALSE(memory.beyond_max_workers);
    CHECK(rec.advice[1].remedy == Remedy::overlap_io);  // the waiting is IO: threads would hold it
    CHECK_FALSE(rec.rule_of_thumb_fits_memory == false);  // 3 workers x 100 MiB fit in 1 GiB
}

TEST_CASE("a CPU-bound open load beyond the cores asks for more cores, not memory") {
    RecommendQuery q;
    q.profile = test_host();
    q.what_if.cores = 1;
    q.what_if.workload.cpu_pct = 100;
    q.what_if.load.kind = LoadKind::open;
    q.what_if.load.rate_per_s = 1.5 / q.profile.loop_cpu_s;  // half again what one core can do
    q.what_if.load.requests = 2000;
    q.slo_p99_s = 5.0;
    const Recommendation rec = recommend(q);
    CHECK_FALSE(rec.feasible);
    CHECK(rec.limited_by == Limit::cores);
    REQUIRE(rec.advice.size() == 1);
    CHECK(rec.advice.front().remedy == Remedy::add_cores);
    CHECK(rec.advice.front().cores >= 2);  // the load is 1.5 cores' worth
}

TEST_CASE("a max_workers outside 1..4096 is refused naming the field and the range") {
    RecommendQuery q = cpu_bound_closed();
    q.max_workers = 5000;
    try {
        recommend(q);
        FAIL("accepted max_workers 5000");
    } catch (const InvalidField& e) {
        CHECK(e.field == "max_workers");
        CHECK(e.value == 5000);
        CHECK(e.expected == "1..4096");
    }
}

TEST_CASE("more workers than the query screens would do: the advice says so and max_workers limits it") {
    RecommendQuery q;
    q.profile = ideal_profile();
    q.what_if.workload.io_s = 0.1;
    q.what_if.load.kind = LoadKind::open;
    q.what_if.load.rate_per_s = 50;  // 5 workers' worth of IO
    q.what_if.load.requests = 2000;
    q.slo_p99_s = 1.0;
    q.max_workers = 4;
    const Recommendation rec = recommend(q);
    CHECK_FALSE(rec.feasible);
    CHECK(rec.limited_by == Limit::max_workers);
    REQUIRE_FALSE(rec.advice.empty());
    CHECK(rec.advice.front().remedy == Remedy::add_memory);
    CHECK(rec.advice.front().workers > 4);
    CHECK(rec.advice.front().beyond_max_workers);
}
