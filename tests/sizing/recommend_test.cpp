// Issue 4's acceptance cases for the sizing engine.

#include <catch2/catch.hpp>

#include "model/invalid_field.hpp"
#include "model/mva.hpp"
#include "sizing/recommend.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

// A fixed host in the image of the measured one (2 cores, the article's loop at 0.9 s of
// CPU, a new PostgreSQL connection for each request with IO, about 7 MiB per worker, a
// gthread process 550 KiB more and each of its threads 125 KiB), built here so that a
// re-calibration cannot move what these tests expect.
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
    p.memory = MemoryModel{6500, 7500, 22800, 550, 125};
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

TEST_CASE("a baseline runs on the search's own scenario and seed: at the rule of thumb's size it predicts the same") {
    RecommendQuery q = cpu_bound_closed();
    q.baseline = Baseline{WorkerClass::sync, 5, 1};
    const Recommendation rec = recommend(q);
    REQUIRE(rec.baseline_predicted);
    CHECK(rec.baseline_predicted->throughput_rps == rec.rule_of_thumb_predicted.throughput_rps);
    CHECK(rec.baseline_predicted->latency.p99_s == rec.rule_of_thumb_predicted.latency.p99_s);
    CHECK(rec.simulations == recommend(cpu_bound_closed()).simulations + 1);
}

TEST_CASE("a gthread baseline is simulated as gthread, its memory held to the budget") {
    RecommendQuery q = io_bound_open(2, 20 * kMiB);
    q.baseline = Baseline{WorkerClass::gthread, 2, 8};
    const Recommendation rec = recommend(q);
    REQUIRE(rec.baseline_predicted);
    const MemoryModel& m = q.profile.memory;
    ServerConfig server;
    server.worker_class = WorkerClass::gthread;
    server.workers = 2;
    server.threads = 8;
    CHECK(rec.baseline_predicted->memory.total_kib == Approx(m.total_pss_kib(server)));
    CHECK(rec.baseline_fits_memory == (m.total_pss_kib(server) <= 20 * kMiB));
    CHECK_FALSE(recommend(io_bound_open(2, 20 * kMiB)).baseline_predicted);
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

// ---- gthread and `any` (issue 13) ----

namespace {

RecommendQuery io_bound_closed(int clients) {
    RecommendQuery q;
    q.profile = test_host();
    q.what_if.cores = 2;
    q.what_if.workload.io_pct = 100;
    q.what_if.load.clients = clients;
    q.what_if.load.requests = 100 * clients;
    return q;
}

RecommendQuery as_class(RecommendQuery q, WorkerClassSearch worker_class) {
    q.worker_class = worker_class;
    return q;
}

}  // namespace

TEST_CASE("for 100% IO, gthread's threads carry what 8 sync workers do in fewer processes and less memory", "[long]") {
    const RecommendQuery q = io_bound_closed(8);
    const Recommendation sync = recommend(q);
    const Recommendation gthread = recommend(as_class(q, WorkerClassSearch::gthread));
    REQUIRE(sync.feasible);
    REQUIRE(gthread.feasible);
    CHECK(sync.workers == 8);
    CHECK(gthread.worker_class == WorkerClass::gthread);
    CHECK(gthread.workers * gthread.threads >= 8);  // a thread per client
    // Fewer processes: each process's main loop and GIL cost a little (its pass, 180 us of
    // Python per request at the embedded profile's speed), so the search may take a few.
    CHECK(gthread.workers <= 4);
    CHECK(gthread.predicted.throughput_rps >= 0.99 * sync.predicted.throughput_rps);
    CHECK(gthread.predicted.memory.total_kib < sync.predicted.memory.total_kib);
}

TEST_CASE("for 100% CPU, threads buy nothing: gthread needs a process per core and does no better than sync", "[long]") {
    RecommendQuery q = cpu_bound_closed();
    q.steady_requests = 3000;  // each request is 180 GIL switch intervals of CPU: long runs are slow
    const Recommendation sync = recommend(q);
    const Recommendation gthread = recommend(as_class(q, WorkerClassSearch::gthread));
    REQUIRE(gthread.feasible);
    CHECK(gthread.limited_by == Limit::cores);
    CHECK(gthread.workers >= 2);  // a GIL per core
    CHECK(gthread.workers <= sync.workers + 1);
    CHECK(gthread.predicted.throughput_rps <= 1.01 * sync.predicted.throughput_rps);
    for (const ThreadCountResult& t : gthread.by_threads) {
        INFO("threads " << t.threads);
        CHECK(t.processes >= 2);  // however many threads, one process passes one core of Python
    }
}

TEST_CASE("any returns the best sync and the best gthread configuration, each beside the rule of thumb") {
    const RecommendQuery q = as_class(io_bound_closed(8), WorkerClassSearch::any);
    const WorkerClassComparison both = compare_worker_classes(q);
    CHECK(both.sync.worker_class == WorkerClass::sync);
    CHECK(both.sync.threads == 1);
    CHECK(both.gthread.worker_class == WorkerClass::gthread);
    CHECK(both.sync.workers == recommend(as_class(q, WorkerClassSearch::sync)).workers);
    CHECK(both.gthread.workers * both.gthread.threads >= 8);
    CHECK(both.sync.rule_of_thumb_workers == 5);
    CHECK(both.gthread.rule_of_thumb_workers == 5);
    CHECK(both.gthread.rule_of_thumb_predicted.throughput_rps == both.sync.rule_of_thumb_predicted.throughput_rps);
}

TEST_CASE("recommend refuses any: it answers one class, compare_worker_classes both") {
    CHECK_THROWS_AS(recommend(as_class(cpu_bound_closed(), WorkerClassSearch::any)), std::invalid_argument);
}

TEST_CASE("an open 100% IO load under a p99 SLO is met by the fewest gthread processes at the chosen thread count", "[long]") {
    RecommendQuery q = as_class(io_bound_open(2, 4 * kGiB), WorkerClassSearch::gthread);
    q.threads = {2, 4};
    const Recommendation rec = recommend(q);
    REQUIRE(rec.feasible);
    CHECK(rec.limited_by == Limit::slo);
    CHECK(rec.predicted.latency.p99_s <= 2.0);
    CHECK_FALSE(rec.predicted.unstable);
    REQUIRE(rec.workers > 1);
    WhatIf fewer = q.what_if;
    fewer.server.worker_class = WorkerClass::gthread;
    fewer.server.threads = rec.threads;
    fewer.workers = rec.workers - 1;
    fewer.load.requests = q.steady_requests;
    const Result r = simulate(build_scenario(q.profile, fewer), q.seed);
    CHECK((r.latency.p99_s > 2.0 || r.unstable || r.errors.total() > 0));
}

TEST_CASE("every gthread configuration recommended or listed fits the memory budget") {
    RecommendQuery q = as_class(io_bound_open(2, 60 * kMiB), WorkerClassSearch::gthread);
    const Recommendation rec = recommend(q);
    REQUIRE(rec.feasible);
    CHECK(rec.predicted.memory.total_kib <= 60 * kMiB);
    for (const ThreadCountResult& t : rec.by_threads) {
        INFO("threads " << t.threads);
        CHECK(t.memory_kib <= 60 * kMiB);
        CHECK(t.processes <= t.max_processes_in_memory);
        CHECK(t.max_processes_in_memory < 64);  // the budget binds
    }
}

TEST_CASE("a budget below one gthread process is infeasible and advises the memory a configuration needs") {
    RecommendQuery q = as_class(io_bound_open(2, 30 * kMiB), WorkerClassSearch::gthread);
    q.threads = {4, 8};
    const Recommendation rec = recommend(q);
    CHECK_FALSE(rec.feasible);
    CHECK(rec.workers == 0);
    CHECK(rec.limited_by == Limit::memory);
    REQUIRE(rec.advice.size() == 1);
    CHECK(rec.advice[0].remedy == Remedy::add_memory);
    CHECK(rec.advice[0].threads > 0);
    CHECK(rec.advice[0].memory_kib > 30 * kMiB);
}

TEST_CASE("the same seed gives the same gthread recommendation") {
    RecommendQuery q = as_class(io_bound_closed(8), WorkerClassSearch::gthread);
    q.threads = {2, 8};
    const Recommendation a = recommend(q), b = recommend(q);
    CHECK(a.workers == b.workers);
    CHECK(a.threads == b.threads);
    CHECK(a.simulations == b.simulations);
    CHECK(a.predicted.throughput_rps == b.predicted.throughput_rps);
    CHECK(a.predicted.latency.p99_s == b.predicted.latency.p99_s);
    REQUIRE(a.by_threads.size() == b.by_threads.size());
    for (std::size_t i = 0; i < a.by_threads.size(); ++i) CHECK(a.by_threads[i].processes == b.by_threads[i].processes);
}

TEST_CASE("thread counts outside 1..10000 are refused naming the field and the range") {
    RecommendQuery q = as_class(cpu_bound_closed(), WorkerClassSearch::gthread);
    q.threads = {4, 0};
    try {
        recommend(q);
        FAIL("accepted threads 0");
    } catch (const InvalidField& e) {
        CHECK(e.field == "threads");
        CHECK(e.value == 0);
        CHECK(e.expected == "1..10000");
    }
}
