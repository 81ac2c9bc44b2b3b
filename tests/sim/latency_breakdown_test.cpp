// Where a response's time went (Result::breakdown, sim/time_spent.hpp): the parts on
// hand-computed timelines (a backlog-bound, a core-bound, an IO-bound and a GIL-bound case),
// and the parts adding up to the mean latency wherever a request can go.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/latency_histogram.hpp"
#include "sim/simulator.hpp"
#include "tests/sim/ideal_host.hpp"

using namespace workersim;
using workersim::testing::ideal_host;

namespace {

Phase io(double s) { return {PhaseKind::io, PhaseOwner::worker, Distribution::deterministic(s)}; }
Phase cpu(double s) { return {PhaseKind::cpu, PhaseOwner::worker, Distribution::deterministic(s)}; }

Scenario sync_server(int workers, int cores, std::vector<Phase> request, int clients, std::int64_t requests) {
    Scenario s;
    s.host = ideal_host(cores);
    s.server.workers = workers;
    s.server.timeout_s = 0;
    s.request = std::move(request);
    s.load.clients = clients;
    s.load.requests = requests;
    return s;
}

Result with_breakdown(const Scenario& s, std::uint64_t seed = 1) {
    SimulationOptions options;
    options.seed = seed;
    options.latency_breakdown = true;
    return simulate(s, options).result;
}

double mean_s(const Result& r, LatencyPart part) { return r.breakdown[part].mean_s; }
double p99_s(const Result& r, LatencyPart part) { return r.breakdown[part].p99_s; }

double sum_of_means_s(const Result& r) {
    double sum_s = 0;
    for (const LatencyPartSummary& part : r.breakdown.parts) sum_s += part.mean_s;
    return sum_s;
}

// Three seeds' runs of `s`, each held to the bar: the parts' means add up to the mean
// latency within 0.1% (float clocks and the order of additions are all that may differ).
std::vector<Result> runs_adding_up(const Scenario& s) {
    std::vector<Result> runs;
    for (std::uint64_t seed : {1, 2, 3}) {
        runs.push_back(with_breakdown(s, seed));
        const Result& r = runs.back();
        REQUIRE(r.completed > 0);
        CHECK(sum_of_means_s(r) == Approx(r.latency.mean_s).epsilon(1e-3));
    }
    return runs;
}

// A histogram's quantile is its bucket's midpoint: within this of the exact value.
Approx histogram_approx(double s) { return Approx(s).epsilon(2 * LatencyHistogram::kRelativeError); }

}  // namespace

TEST_CASE("a run not asked for the breakdown reports none") {
    const Result r = simulate(sync_server(1, 1, {io(1.0)}, 2, 2), 1);
    CHECK_FALSE(r.breakdown.measured);
}

TEST_CASE("a request queued behind another on the only sync worker spends that wait in the backlog") {
    // t = 0: both send; one is served 0..1, the other waits in the backlog 0..1 and is served 1..2.
    const Result r = with_breakdown(sync_server(1, 1, {io(1.0)}, 2, 2));
    REQUIRE(r.breakdown.measured);
    REQUIRE(r.completed == 2);
    CHECK(mean_s(r, LatencyPart::backlog) == Approx(0.5));
    CHECK(p99_s(r, LatencyPart::backlog) == histogram_approx(1.0));
    CHECK(mean_s(r, LatencyPart::io) == Approx(1.0));
    CHECK(mean_s(r, LatencyPart::on_core) == 0.0);
    CHECK(mean_s(r, LatencyPart::core_wait) == 0.0);
    CHECK(sum_of_means_s(r) == Approx(r.latency.mean_s).epsilon(1e-9));
}

TEST_CASE("two requests sharing one core each spend half their time waiting for it") {
    // Processor sharing: both run 0..2 at half speed, 1 s of work each.
    const Result r = with_breakdown(sync_server(2, 1, {cpu(1.0)}, 2, 2));
    REQUIRE(r.completed == 2);
    CHECK(r.latency.mean_s == Approx(2.0));
    CHECK(mean_s(r, LatencyPart::on_core) == Approx(1.0));
    CHECK(mean_s(r, LatencyPart::core_wait) == Approx(1.0));
    CHECK(p99_s(r, LatencyPart::core_wait) == histogram_approx(1.0));
    CHECK(mean_s(r, LatencyPart::backlog) == 0.0);
}

TEST_CASE("an IO-bound request with a worker to spare spends all its time on IO") {
    const Result r = with_breakdown(sync_server(4, 2, {io(0.3)}, 2, 20));
    REQUIRE(r.completed == 20);
    CHECK(mean_s(r, LatencyPart::io) == Approx(0.3));
    CHECK(p99_s(r, LatencyPart::io) == histogram_approx(0.3));
    CHECK(sum_of_means_s(r) == Approx(mean_s(r, LatencyPart::io)));
}

TEST_CASE("two gthread pool threads computing in one process each wait for the GIL as long as they run") {
    // 1 process x 2 threads, 2 cores, 1 s of Python each: the GIL passes between them every
    // 5 ms switch interval (and to the main thread when its select(1.0) times out), so both
    // end near t = 2 s, each having held the GIL for its 1 s and waited the rest; the cores,
    // one job at a time, never queue.
    Scenario s = sync_server(1, 2, {cpu(1.0)}, 2, 2);
    s.server.worker_class = WorkerClass::gthread;
    s.server.threads = 2;
    s.server.main_loop_pass_s = 0;
    s.server.main_wake_s = 0;
    s.server.thread_start_s = 0;
    s.load.keep_alive = false;
    const Result r = with_breakdown(s);
    REQUIRE(r.completed == 2);
    CHECK(mean_s(r, LatencyPart::on_core) == Approx(1.0));
    CHECK(r.latency.mean_s == Approx(2.0).margin(4 * s.server.gil_switch_interval_s));
    // The second connection waits in the backlog while the first thread's start holds the
    // main thread off the GIL: one switch interval at most.
    CHECK(p99_s(r, LatencyPart::backlog) <= s.server.gil_switch_interval_s * (1 + 2 * LatencyHistogram::kRelativeError));
    CHECK(mean_s(r, LatencyPart::gil_wait) + mean_s(r, LatencyPart::backlog) ==
          Approx(r.latency.mean_s - 1.0).epsilon(1e-6));
    CHECK(mean_s(r, LatencyPart::core_wait) == Approx(0.0).margin(1e-9));
    CHECK(sum_of_means_s(r) == Approx(r.latency.mean_s).epsilon(1e-6));
}

TEST_CASE("the parts add up to the mean latency through SYN drops, a shared load generator and recycling") {
    Scenario s = sync_server(3, 2, {io(0.05), cpu(0.02), io(0.01)}, 40, 2000);
    s.host = Host{};
    s.host.cores = 2;
    s.server.backlog = 4;
    s.server.max_requests = 50;
    s.server.max_requests_jitter = 10;
    s.load.loadgen_cpu_s = 0.001;
    for (const Result& r : runs_adding_up(s)) {
        CHECK(r.syn_retries > 0);
        CHECK(mean_s(r, LatencyPart::syn_retry) > 0);
        CHECK(mean_s(r, LatencyPart::loadgen) > 0);
    }
}

TEST_CASE("the parts add up to the mean latency under gthread keep-alive, recycling and a GIL-free share") {
    Scenario s = sync_server(3, 2, {io(0.05), {PhaseKind::cpu, PhaseOwner::worker, Distribution::exponential(0.02), 0.3},
                                    {PhaseKind::cpu, PhaseOwner::database, Distribution::deterministic(0.003)}},
                             24, 3000);
    s.server.worker_class = WorkerClass::gthread;
    s.server.threads = 4;
    s.server.max_requests = 40;
    for (const Result& r : runs_adding_up(s)) {
        CHECK(r.worker_restarts > 0);
        CHECK(mean_s(r, LatencyPart::process_queue) > 0);
        CHECK(mean_s(r, LatencyPart::gil_wait) > 0);
    }
}

TEST_CASE("each URL's breakdown is its own: a CPU-bound URL's time on the core, an IO-bound URL's in IO") {
    // Ample workers and cores: nothing waits, so each class spends exactly its own phase.
    Scenario s = sync_server(64, 64, {}, 8, 400);
    s.request_classes = {{"/render", 1, {cpu(0.2)}}, {"/partner", 1, {io(0.5)}}};
    const Result r = with_breakdown(s);
    REQUIRE(r.per_url.size() == 2);
    const UrlResult& render = r.per_url[0];
    const UrlResult& partner = r.per_url[1];
    REQUIRE(render.breakdown.measured);
    CHECK(render.breakdown[LatencyPart::on_core].mean_s == Approx(0.2));
    CHECK(render.breakdown[LatencyPart::io].mean_s == 0.0);
    CHECK(partner.breakdown[LatencyPart::io].mean_s == Approx(0.5));
    CHECK(partner.breakdown[LatencyPart::on_core].mean_s == 0.0);
    CHECK(partner.breakdown[LatencyPart::io].p99_s == histogram_approx(0.5));
}

TEST_CASE("each URL's parts add up to that URL's mean latency") {
    // One worker, one core, a CPU-heavy and an IO-heavy URL: both queue in the backlog and wait
    // for the core, so every part is in play for each class.
    Scenario s = sync_server(2, 1, {}, 6, 3000);
    s.request_classes = {{"/render", 3, {cpu(0.02), io(0.001)}}, {"/partner", 1, {cpu(0.002), io(0.05)}}};
    s.request_classes[0].phases[0].duration = Distribution::exponential(0.02);
    s.request_classes[1].phases[1].duration = Distribution::exponential(0.05);
    for (std::uint64_t seed : {1, 2, 3}) {
        const Result r = with_breakdown(s, seed);
        for (const UrlResult& u : r.per_url) {
            REQUIRE(u.completed > 0);
            double sum_s = 0;
            for (const LatencyPartSummary& part : u.breakdown.parts) sum_s += part.mean_s;
            CHECK(sum_s == Approx(u.latency.mean_s).epsilon(1e-3));
            CHECK(u.breakdown[LatencyPart::backlog].mean_s > 0);
        }
    }
}

TEST_CASE("a run without named URLs has no per-URL breakdown") {
    const Result r = with_breakdown(sync_server(1, 1, {io(0.1)}, 2, 10));
    CHECK(r.per_url.empty());
}
