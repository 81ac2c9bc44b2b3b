// gthread workers (sim/gthread_workers.hpp) against exact queueing results and hand-derived
// bounds. Textbook cases set the main loop's costs to 0 (main_loop_pass_s, main_wake_s,
// thread_start_s), so a connection reaches a pool thread the instant it arrives; the keep-alive case keeps the
// defaults, which decide the accept race. Stochastic cases replicate and accept a difference
// within Student's t at a false alarm once in 16,000 (tests/sim/replication_estimate.hpp).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "sim/simulator.hpp"
#include "tests/sim/replication_estimate.hpp"

using namespace workersim;
using workersim::testing::Estimate;
using workersim::testing::estimate_of;

namespace {

Phase io(Distribution d) { return {PhaseKind::io, PhaseOwner::worker, d}; }
Phase python(Distribution d, double gil_free_share = 0) {
    return {PhaseKind::cpu, PhaseOwner::worker, d, gil_free_share};
}

Scenario gthread(int processes, int threads, int cores) {
    Scenario s;
    s.host.cores = cores;
    s.server.worker_class = WorkerClass::gthread;
    s.server.workers = processes;
    s.server.threads = threads;
    s.server.timeout_s = 0;
    s.server.main_loop_pass_s = 0;
    s.server.main_wake_s = 0;
    s.server.thread_start_s = 0;
    return s;
}

Scenario closed(Scenario s, int clients, std::int64_t requests, std::vector<Phase> request) {
    s.request = std::move(request);
    s.load.kind = LoadKind::closed;
    s.load.clients = clients;
    s.load.requests = requests;
    return s;
}

template <class Metric>
Estimate replicate(const Scenario& s, int replications, Metric metric) {
    std::vector<double> values;
    for (int r = 0; r < replications; ++r) values.push_back(metric(simulate(s, 2000 + r)));
    return estimate_of(values);
}

// Independent replications of two scenarios: the difference of their means and its standard
// error (the two samples' variances add).
struct Difference {
    double mean, standard_error, tolerance;
};
Difference difference(const Estimate& a, const Estimate& b) {
    const double se = std::sqrt(a.standard_error * a.standard_error + b.standard_error * b.standard_error);
    // Welch's degrees of freedom would be at least min(df_a, df_b): the smaller is conservative.
    const int df = std::min(a.degrees_of_freedom, b.degrees_of_freedom);
    return {a.mean - b.mean, se, workersim::testing::student_t_quantile(workersim::testing::kFalseAlarmRate, df) * se};
}

double erlang_c_response_s(int c, double lambda, double service_s) {
    const double a = lambda * service_s;
    const double rho = a / c;
    double term = 1, sum = 1;
    for (int k = 1; k < c; ++k) {
        term *= a / k;
        sum += term;
    }
    const double last = term * a / c / (1 - rho);
    const double p_wait = last / (sum + last);
    return service_s + p_wait * service_s / (c * (1 - rho));
}

double busiest_share(const Result& r) {
    const auto& v = r.served_by_worker;
    return static_cast<double>(*std::max_element(v.begin(), v.end())) / static_cast<double>(r.completed);
}

}  // namespace

TEST_CASE("one process with T threads serves Poisson pure-IO requests as an M/M/T queue", "[long]") {
    // IO releases the GIL, so the 8 threads wait in parallel; the process's FIFO is the queue.
    Scenario s = gthread(1, 8, 1);
    s.request = {io(Distribution::exponential(0.1))};
    s.load.kind = LoadKind::open;
    s.load.rate_per_s = 72;
    s.load.requests = 200000;
    s.server.backlog = 1000000;
    const double exact = erlang_c_response_s(8, 72, 0.1);
    const Estimate e = replicate(s, 20, [](const Result& r) { return r.latency.mean_s; });
    const double start_bias_s = 10.4 / 200000;  // the M/M/8's start-up bias (simulator_test.cpp)
    CAPTURE(exact, e.mean, e.standard_error);
    REQUIRE(std::abs(e.mean - exact) < e.tolerance() + start_bias_s);
}

TEST_CASE("100% IO on one process with T threads equals T sync workers, with keep-alive or without") {
    Scenario sync;
    sync.host.cores = 2;
    sync.server.workers = 5;
    sync.server.timeout_s = 0;
    sync = closed(sync, 30, 300, {io(Distribution::deterministic(1.0))});
    const Result expected = simulate(sync, 1);
    REQUIRE(expected.throughput_rps == Approx(5.0));
    for (const bool keep_alive : {true, false}) {
        Scenario s = closed(gthread(1, 5, 2), 30, 300, {io(Distribution::deterministic(1.0))});
        s.load.keep_alive = keep_alive;
        const Result r = simulate(s, 1);
        CAPTURE(keep_alive);
        REQUIRE(r.completed == 300);
        REQUIRE(r.throughput_rps == Approx(expected.throughput_rps).epsilon(1e-12));
        REQUIRE(r.latency.mean_s == Approx(expected.latency.mean_s).epsilon(1e-12));
        REQUIRE(r.served_by_worker == std::vector<std::int64_t>{300});
    }
}

TEST_CASE("`-k sync --threads 4` runs gthread, as Gunicorn's config does") {
    ServerConfig server;
    server.threads = 4;
    REQUIRE(effective_worker_class(server) == WorkerClass::gthread);
    server.threads = 1;
    REQUIRE(effective_worker_class(server) == WorkerClass::sync);
    Scenario s = closed(gthread(1, 4, 2), 8, 80, {io(Distribution::deterministic(1.0))});
    s.server.worker_class = WorkerClass::sync;
    REQUIRE(simulate(s, 1).throughput_rps == Approx(4.0));  // 4 threads, not 1 sync worker
}

TEST_CASE("a process starts a pool thread only when a job finds none idle, and waits for its bootstrap") {
    // One process, 2 threads, 2 clients, 1 s of IO per request, a 10 ms bootstrap. The first
    // accept starts thread A, whose bootstrap holds the GIL until 0.01 s; only then does the
    // main thread accept the second connection and start thread B (bootstrap until 0.02 s).
    // The next requests find A and B idle: no bootstrap, 1 s each.
    Scenario s = closed(gthread(1, 2, 2), 2, 4, {io(Distribution::deterministic(1.0))});
    s.load.keep_alive = false;
    s.server.thread_start_s = 0.01;
    const Result r = simulate(s, 1);
    REQUIRE(r.completed == 4);
    REQUIRE(r.latency.min_s == Approx(1.0).epsilon(1e-12));
    REQUIRE(r.latency.max_s == Approx(1.02).epsilon(1e-12));
    REQUIRE(r.latency.mean_s == Approx((1.01 + 1.02 + 1.0 + 1.0) / 4).epsilon(1e-12));
    REQUIRE(r.makespan_s == Approx(2.02).epsilon(1e-12));
}

TEST_CASE("pure-Python CPU-bound requests run on at most one core per process, whatever the threads") {
    // One GIL per process: P processes keep min(P, C) cores busy, so 100 ms requests are served
    // at min(P, C) / 0.1 s. Every thread always has work, so only the run's last round (at most
    // one request's CPU per core, 0.1 s of a run of n * 0.1 / min(P, C) s) is below that rate.
    struct Case {
        int processes, threads, cores;
    };
    for (const Case c : {Case{1, 4, 2}, Case{2, 4, 2}, Case{2, 1, 2}, Case{4, 4, 2}, Case{1, 8, 4}}) {
        const std::int64_t n = 2000;
        const Scenario s =
            closed(gthread(c.processes, c.threads, c.cores), 16, n, {python(Distribution::deterministic(0.1))});
        const Result r = simulate(s, 1);
        const double busy_cores = std::min(c.processes, c.cores);
        const double rate = busy_cores / 0.1;
        CAPTURE(c.processes, c.threads, c.cores, r.throughput_rps);
        REQUIRE(r.completed == n);
        REQUIRE(r.throughput_rps <= rate * (1 + 1e-9));
        REQUIRE(r.throughput_rps >= rate * (1 - 0.1 / (n * 0.1 / busy_cores)) * (1 - 1e-9));
    }
}

TEST_CASE("threads add nothing to P processes' throughput of pure-Python CPU-bound requests") {
    const auto throughput = [](int threads) {
        // Without keep-alive: each request's connection is accepted anew, so how the first
        // burst of connections split over the processes (the keep-alive case below) stays out.
        Scenario s = closed(gthread(2, threads, 4), 16, 4000, {python(Distribution::exponential(0.05))});
        s.load.keep_alive = false;
        return replicate(s, 10, [](const Result& r) { return r.throughput_rps; });
    };
    const Estimate one = throughput(1), four = throughput(4);
    const Difference d = difference(four, one);
    CAPTURE(one.mean, four.mean, d.mean, d.tolerance);
    REQUIRE(std::abs(d.mean) < d.tolerance);
    REQUIRE(one.mean == Approx(2 / 0.05).epsilon(0.01));  // two busy cores' worth
}

TEST_CASE("the GIL-free share of a CPU phase runs beside the process's other threads") {
    // One process, 4 threads, 2 cores, 100 ms of CPU per request. All Python: one core, 10/s.
    // All GIL-free C: both cores, 20/s. Half and half: the GIL passes at most 1 / 0.05 = 20/s
    // and the cores 2 / 0.1 = 20/s; with both near saturation it lies strictly between.
    const auto rate = [](double share) {
        const Scenario s = closed(gthread(1, 4, 2), 16, 2000, {python(Distribution::deterministic(0.1), share)});
        return simulate(s, 1).throughput_rps;
    };
    const double all_python = rate(0), all_free = rate(1), half = rate(0.5);
    CAPTURE(all_python, all_free, half);
    REQUIRE(all_python == Approx(10).epsilon(0.01));
    REQUIRE(all_free == Approx(20).epsilon(0.01));
    REQUIRE(half > all_python * 1.1);
    REQUIRE(half <= all_free * (1 + 1e-9));
}

TEST_CASE("keep-alive binds each client to the process that won its accept, unevenly, and lowers throughput") {
    // The case: 4 processes x 4 threads on 2 cores, hey -n 96 -c 32, the article's
    // 90% IO / 10% CPU request (a PostgreSQL connection's client and backend CPU, 0.9 s of
    // pg_sleep, 90 ms of Python), the load generator on the same cores; the main loop's
    // default costs. Measured: 5.1 req/s with keep-alive, one process serving 60 of 96;
    // 10.1 req/s with -disable-keepalive.
    Scenario s;
    s.host.cores = 2;
    s.host.scheduler = CpuScheduler::per_core_queues;
    s.server.worker_class = WorkerClass::gthread;
    s.server.workers = 4;
    s.server.threads = 4;
    s = closed(s, 32, 96,
               {python(Distribution::deterministic(0.0106)),
                {PhaseKind::cpu, PhaseOwner::database, Distribution::deterministic(0.0101)},
                io(Distribution::deterministic(0.9)), python(Distribution::deterministic(0.09))});
    s.load.loadgen_cpu_s = 0.0008;
    const int replications = 20;

    std::vector<double> kept_rps, kept_share, closed_rps, closed_share;
    for (int r = 0; r < replications; ++r) {
        s.load.keep_alive = true;
        const Result kept = simulate(s, 3000 + r);
        // Every client's 3 requests went to one process: each process served a multiple of 3.
        for (const std::int64_t served : kept.served_by_worker) REQUIRE(served % 3 == 0);
        REQUIRE(std::accumulate(kept.served_by_worker.begin(), kept.served_by_worker.end(), std::int64_t{0}) == 96);
        kept_rps.push_back(kept.throughput_rps);
        kept_share.push_back(busiest_share(kept));
        s.load.keep_alive = false;
        const Result fresh = simulate(s, 3000 + r);
        closed_rps.push_back(fresh.throughput_rps);
        closed_share.push_back(busiest_share(fresh));
    }
    const Difference rps = difference(estimate_of(closed_rps), estimate_of(kept_rps));
    const Difference share = difference(estimate_of(kept_share), estimate_of(closed_share));
    CAPTURE(estimate_of(kept_rps).mean, estimate_of(closed_rps).mean, estimate_of(kept_share).mean,
            estimate_of(closed_share).mean);
    REQUIRE(rps.mean > rps.tolerance);      // keep-alive serves fewer per second
    REQUIRE(share.mean > share.tolerance);  // and its busiest process serves a larger share
    // Even spreading would give each process a quarter; the busiest gets more than that.
    const Estimate kept_busiest = estimate_of(kept_share);
    REQUIRE(kept_busiest.mean - 0.25 > kept_busiest.tolerance());
}

TEST_CASE("a 40 s request does not trip a 30 s timeout under gthread, but does under sync") {
    // gthread's main loop notifies at least once a second whatever its threads do
    // (gthread.py:193-200); a sync worker notifies only between requests (sync.py).
    for (const bool in_python : {false, true}) {
        const Phase long_phase =
            in_python ? python(Distribution::deterministic(40.0)) : io(Distribution::deterministic(40.0));
        Scenario g = closed(gthread(1, 2, 2), 2, 2, {long_phase});
        g.server.timeout_s = 30;
        const Result gr = simulate(g, 1);
        CAPTURE(in_python);
        REQUIRE(gr.completed == 2);
        REQUIRE(gr.errors.worker_timeout == 0);
        REQUIRE(gr.worker_restarts == 0);

        Scenario s = g;
        s.server.worker_class = WorkerClass::sync;
        s.server.threads = 1;
        s.server.workers = 2;
        const Result sr = simulate(s, 1);
        REQUIRE(sr.completed == 0);
        REQUIRE(sr.errors.worker_timeout == 2);
    }
}

TEST_CASE("a killed gthread process loses every request it holds, running and queued") {
    // A --timeout below select()'s 1 s makes an idle main loop look stale (gthread.py:200):
    // after taking all 6 connections at t = 0 (2 on its threads, 4 in its FIFO, 10 s requests)
    // the main thread notifies at 1, 2, 3 ... s, and the master, whose loop runs at phase
    // phi ~ U(0, 1) (arbiter.py:204-211), finds it phi s stale on every pass. phi > 0.5: SIGABRT
    // on the first pass, SIGKILL on the next, all 6 requests lost. phi < 0.5: never stale, all 6
    // served. Nothing in between; over 20 seeds both happen but with chance 2^-19.
    Scenario s = closed(gthread(1, 2, 2), 6, 6, {io(Distribution::deterministic(10.0))});
    s.server.timeout_s = 0.5;
    int killed = 0, spared = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const Result r = simulate(s, seed);
        CAPTURE(seed, r.completed, r.errors.worker_timeout);
        if (r.errors.worker_timeout > 0) {
            ++killed;
            REQUIRE(r.completed == 0);
            REQUIRE(r.errors.worker_timeout == 6);
            REQUIRE(r.worker_restarts >= 1);
        } else {
            ++spared;
            REQUIRE(r.completed == 6);
        }
    }
    REQUIRE(killed > 0);
    REQUIRE(spared > 0);
}

TEST_CASE("max_requests counts per process: each incarnation serves max_requests to max_requests + 3") {
    // 2 processes x 2 threads, 4 clients: a process holds at most 4 connections, so after its
    // 10th request starts (gthread.py:311-316) at most 3 more that it already holds run.
    Scenario s = closed(gthread(2, 2, 2), 4, 400, {io(Distribution::deterministic(0.1))});
    s.server.max_requests = 10;
    for (const bool keep_alive : {true, false}) {
        s.load.keep_alive = keep_alive;
        const Result r = simulate(s, 1);
        CAPTURE(keep_alive, r.worker_restarts);
        REQUIRE(r.completed == 400);
        REQUIRE(r.errors.total() == 0);
        // Every process ended after >= 10 and <= 13 requests; the last incarnations of the two
        // processes may still be running when the run ends.
        REQUIRE(r.worker_restarts <= 400 / 10);
        REQUIRE(r.worker_restarts >= 400 / 13 - 2);
    }
}

TEST_CASE("a new connection costs connection_cpu_s once; a kept one's next request does not") {
    // One process, one thread, one client: 10 requests of 100 ms IO each, and 10 ms of
    // Python per new connection. With keep-alive only the first request opens one:
    // 10 x 0.1 + 0.01 s; without, every request does: 10 x 0.11 s.
    const auto makespan_s = [](bool keep_alive) {
        Scenario s = closed(gthread(1, 1, 1), 1, 10, {io(Distribution::deterministic(0.1))});
        s.server.connection_cpu_s = 0.01;
        s.load.keep_alive = keep_alive;
        return simulate(s, 1).makespan_s;
    };
    CHECK(makespan_s(true) == Approx(1.01).epsilon(1e-9));
    CHECK(makespan_s(false) == Approx(1.10).epsilon(1e-9));
}

TEST_CASE("a herd woken in boot order sends every new connection to the first-booted process while its GIL is free") {
    // Pure IO: no thread ever holds the GIL for long, so the first woken always reaches
    // accept() first, however many connections it already queues (its FIFO, not its threads,
    // takes them). Two clients without keep-alive each wait for the other's request: 2 s each.
    Scenario s = closed(gthread(2, 1, 2), 2, 20, {io(Distribution::deterministic(1.0))});
    s.load.keep_alive = false;
    s.server.main_wake_order_s = 1e-3;
    const Result r = simulate(s, 1);
    REQUIRE(r.served_by_worker.size() == 2);
    CHECK(r.served_by_worker[0] == 20);
    CHECK(r.served_by_worker[1] == 0);
    CHECK(r.latency.mean_s == Approx(1.95).epsilon(0.03));
}

TEST_CASE("without a wake order the same herd spreads the connections over both processes") {
    Scenario s = closed(gthread(2, 1, 2), 2, 200, {io(Distribution::deterministic(1.0))});
    s.load.keep_alive = false;
    s.server.main_wake_s = 1e-3;
    const Result r = simulate(s, 1);
    REQUIRE(r.served_by_worker.size() == 2);
    // Each connection a fair coin between two processes at most: far from all on one.
    CHECK(r.served_by_worker[0] > 40);
    CHECK(r.served_by_worker[1] > 40);
}
