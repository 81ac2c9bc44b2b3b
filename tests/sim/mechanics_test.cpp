// Gunicorn's failure mechanics against hand-computed timelines (gunicorn-mechanics.md §1.6,
// §2.3-2.6, §4.5, §8). Every scenario is an ideal host with deterministic phases, so the only
// randomness is the master's: the phase phi ~ U(0, 1) of its 1 s select() loop and the
// U(0, 0.1) s sleep after each fork. The expected windows below are derived from those ranges.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Phase io(double s) { return {PhaseKind::io, PhaseOwner::worker, Distribution::deterministic(s)}; }
Phase python_cpu(double s) { return {PhaseKind::cpu, PhaseOwner::worker, Distribution::deterministic(s)}; }

// A closed loop: `clients` clients, each sending `per_client` requests one after another.
Scenario closed(int workers, int clients, std::int64_t per_client, std::vector<Phase> request) {
    Scenario s;
    s.host.cores = 2;
    s.server.workers = workers;
    s.server.timeout_s = 0;
    s.request = std::move(request);
    s.load.kind = LoadKind::closed;
    s.load.clients = clients;
    s.load.requests = clients * per_client;
    return s;
}

Simulation run(const Scenario& s, std::uint64_t seed, double interval_s = 0) {
    SimulationOptions o;
    o.seed = seed;
    o.timeline_interval_s = interval_s;
    return simulate(s, o);
}

// The first sampled time at which the cumulative count reaches `count`. The event itself
// happened within one interval before it.
template <class Field>
double first_time(const std::vector<TimelinePoint>& timeline, Field field, std::int64_t count) {
    for (const TimelinePoint& p : timeline)
        if (p.*field >= count) return p.time_s;
    return -1;
}

// Times at which workers were (re)spawned, one entry per restart, at the sampling interval.
std::vector<double> restart_times(const std::vector<TimelinePoint>& timeline) {
    std::vector<double> times;
    std::int64_t seen = 0;
    for (const TimelinePoint& p : timeline) {
        for (; seen < p.worker_restarts; ++seen) times.push_back(p.time_s);
    }
    return times;
}

// Splits sorted times into groups separated by more than `gap_s`.
std::vector<std::vector<double>> clusters(const std::vector<double>& times, double gap_s) {
    std::vector<std::vector<double>> out;
    for (double t : times) {
        if (out.empty() || t - out.back().back() > gap_s) out.emplace_back();
        out.back().push_back(t);
    }
    return out;
}

// The most restarts inside any window shorter than width_s.
std::size_t peak_in_window(const std::vector<double>& times, double width_s) {
    std::size_t best = 0;
    for (std::size_t i = 0, j = 0; j < times.size(); ++j) {
        while (times[j] - times[i] >= width_s) ++i;
        best = std::max(best, j - i + 1);
    }
    return best;
}

constexpr double kSample = 0.001;  // timeline resolution for locating kills (s)

}  // namespace

// ---- worker timeout ------------------------------------------------------------------------

// 2 workers, 4 clients x 1 request of 40 s IO (libpq: SIGABRT waits), timeout 30, boot 0.5.
// t = 0: workers 0 and 1 accept requests 1, 2 (heartbeat 0); 3 and 4 wait in the backlog.
// Master passes at phi + k (phi ~ U(0,1), nothing spawned yet). First pass with now - 0 > 30:
// phi + 30 -> SIGABRT, ignored while in C; next pass phi + 31 -> SIGKILL both: kill1 = phi + 31
// in (31, 32); requests 1, 2 fail. The same pass forks worker 0 at phi + 31 and worker 1 at
// phi + 31 + u1, then sleeps u2: next passes at phi + 32 + u1 + u2 + k.
// Worker 0 boots at phi + 31.5 and accepts request 3 (heartbeat phi + 31.5); worker 1 at
// phi + 31.5 + u1. Worker 0 is stale at the first pass > phi + 61.5: k = 30 since
// 29.5 - u1 - u2 < 30 <= ... (u1 + u2 < 0.2), i.e. phi + 62 + u1 + u2; worker 1 (stale after
// phi + 61.5 + u1) at the same pass (k > 29.5 - u2 -> 30). SIGKILL one pass later:
// kill2 = phi + 63 + u1 + u2 = kill1 + 32 + (u1 + u2), u1 + u2 in [0, 0.2).
// The last failure ends the run: makespan = kill2 in (63, 64.2), 4 timeouts, 4 restarts.
TEST_CASE("requests in C longer than the timeout are killed on the pass after SIGABRT, twice over") {
    Scenario s = closed(2, 4, 1, {io(40)});
    s.server.timeout_s = 30;
    s.server.boot_s = 0.5;
    std::vector<double> phases;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const Simulation sim = run(s, seed, kSample);
        const Result& r = sim.result;
        REQUIRE(r.errors.worker_timeout == 4);
        REQUIRE(r.completed == 0);
        REQUIRE(r.worker_restarts == 4);
        const double kill1 = first_time(sim.timeline, &TimelinePoint::worker_timeouts, 2) - kSample;
        REQUIRE(kill1 > 31 - kSample);
        REQUIRE(kill1 < 32);
        REQUIRE(first_time(sim.timeline, &TimelinePoint::worker_restarts, 2) - kSample == Approx(kill1).margin(kSample));
        REQUIRE(r.makespan_s > 63);
        REQUIRE(r.makespan_s < 64.2);
        REQUIRE(r.makespan_s - kill1 >= 32 - kSample);
        REQUIRE(r.makespan_s - kill1 < 32.2 + kSample);
        phases.push_back(kill1 - 31);
    }
    // The master's phase is really random: 20 draws of U(0,1) spread over more than half of it
    // (the range of 20 uniforms is below 0.5 with probability 20 * 0.5^19 ~ 4e-5).
    const auto [lo, hi] = std::minmax_element(phases.begin(), phases.end());
    REQUIRE(*hi - *lo > 0.5);
}

// The same with 40 s of pure Python on 2 cores: the SIGABRT handler runs at once.
// kill1 = phi + 30 in (30, 31) (first pass after 30, exit at the same instant, SIGCHLD wakes
// the master at once: fork worker 0 at kill1, worker 1 at kill1 + u1, next pass at
// kill1 + 1 + u1 + u2). Worker 0 accepts at kill1 + 0.5, worker 1 at kill1 + 0.5 + u1; both are
// stale at pass k = 30 (1 + u1 + u2 + k > 30.5): kill2 = kill1 + 31 + u1 + u2.
TEST_CASE("requests in Python longer than the timeout exit on the SIGABRT pass itself") {
    Scenario s = closed(2, 4, 1, {python_cpu(40)});
    s.server.timeout_s = 30;
    s.server.boot_s = 0.5;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const Simulation sim = run(s, seed, kSample);
        const Result& r = sim.result;
        REQUIRE(r.errors.worker_timeout == 4);
        const double kill1 = first_time(sim.timeline, &TimelinePoint::worker_timeouts, 2) - kSample;
        // Both replacements are forked at kill1 (SIGCHLD wakes the master); the second pair
        // exits after the master's pass, and that last failure ends the run before the master
        // forks again, so only the first pair's replacements fall inside the run.
        REQUIRE(first_time(sim.timeline, &TimelinePoint::worker_restarts, 2) - kSample == Approx(kill1).margin(kSample));
        REQUIRE(r.worker_restarts >= 2);
        REQUIRE(kill1 > 30 - kSample);
        REQUIRE(kill1 < 31);
        REQUIRE(r.makespan_s > 61);
        REQUIRE(r.makespan_s < 62.2);
        REQUIRE(r.makespan_s - kill1 >= 31 - kSample);
        REQUIRE(r.makespan_s - kill1 < 31.2 + kSample);
    }
}

// A 30.5 s libpq call with timeout 30: the master's first pass after t = 30 is at phi + 30. If
// phi < 0.5 it sends SIGABRT before the call returns, and the handler runs when it does, at
// 30.5: the request fails then, without a response. Otherwise the worker answers at 30.5 and
// notifies before the pass sees it. So it fails with probability 1/2, and ends at 30.5 either
// way. Over 60 seeds the failures are Binomial(60, 1/2): 30 +- 4 sd = 30 +- 15.5.
TEST_CASE("a call just over the timeout fails when the master's pass lands before it returns: half the time") {
    Scenario s = closed(1, 1, 1, {io(30.5)});
    s.server.timeout_s = 30;
    int failed = 0;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const Result r = run(s, seed).result;
        REQUIRE(r.completed + r.errors.worker_timeout == 1);
        REQUIRE(r.makespan_s == Approx(30.5));
        failed += static_cast<int>(r.errors.worker_timeout);
    }
    REQUIRE(failed >= 15);
    REQUIRE(failed <= 45);
}

// Time in the backlog is not silence: the heartbeat is touched at accept(). Three 29.5 s
// requests through one worker, timeout 30: none is killed although the last waits 59 s.
TEST_CASE("queueing time does not count toward the timeout") {
    Scenario s = closed(1, 3, 1, {io(29.5)});
    s.server.timeout_s = 30;
    const Result r = run(s, 1).result;
    REQUIRE(r.completed == 3);
    REQUIRE(r.errors.worker_timeout == 0);
    REQUIRE(r.makespan_s == Approx(88.5));
}

// Requests the worker finishes within the timeout are untouched; timeout 0 disables the check.
TEST_CASE("a timeout of 0 lets 40 s requests finish: two rounds of 40 s, no restarts") {
    Scenario s = closed(2, 4, 1, {io(40)});
    s.server.timeout_s = 0;
    s.server.boot_s = 0.5;
    const Result r = run(s, 1).result;
    REQUIRE(r.completed == 4);
    REQUIRE(r.errors.total() == 0);
    REQUIRE(r.worker_restarts == 0);
    REQUIRE(r.makespan_s == Approx(80));
}

// A boot longer than the timeout never ends (§2.6): the heartbeat file dates from the fork.
// 1 worker, 1 client x 2 requests of 100 s IO, timeout 30, boot 40. Request 1 is killed at
// phi + 31 (as above); the replacement forked then is stale at the first pass after fork + 30,
// which is fork + u + 30 (passes at fork + u + 1 + k, u ~ U(0, 0.1), k = 29), and, booting,
// exits at once: a fork every 30 + u s. Request 2 waits forever; the stall guard stops the run
// once nothing has been resolved for a simulated day (86,400 s) after phi + 31, i.e. after
// 86,400 / 30.1 ... 86,400 / 30 + 1 cycles.
TEST_CASE("a boot slower than the timeout kills every replacement until the stall guard ends the run") {
    Scenario s = closed(1, 1, 2, {io(100)});
    s.server.timeout_s = 30;
    s.server.boot_s = 40;
    const Result r = run(s, 1).result;
    REQUIRE(r.stalled);
    REQUIRE(r.completed == 0);
    REQUIRE(r.errors.worker_timeout == 1);  // only request 1: request 2 is never accepted
    REQUIRE(r.worker_restarts >= static_cast<std::int64_t>(86400 / 30.1));
    REQUIRE(r.worker_restarts <= static_cast<std::int64_t>(86400 / 30.0) + 2);
}

// ---- max_requests recycling ------------------------------------------------------------------

// 8 workers kept busy by 8 clients with 1 s requests, max_requests 10, no jitter: each
// incarnation serves exactly 10 requests back to back. All 8 finish their 10th at t = 10 and
// are forked in the same master pass; each new worker boots 0.5 s later and serves another 10.
// A wave's forks are spread only by the master's sleeps (< 0.1 s per fork), so every wave
// restarts the whole pool within a couple of seconds, 10.5 s apart.
TEST_CASE("max_requests without jitter recycles the whole pool in waves") {
    Scenario s = closed(8, 8, 50, {io(1)});
    s.server.max_requests = 10;
    s.server.boot_s = 0.5;
    const Simulation sim = run(s, 1, 0.01);
    const std::vector<double> times = restart_times(sim.timeline);
    // Wave 1, exactly: nothing before t = 10, all 8 in the pass at t = 10.
    REQUIRE(times.size() >= 32);
    REQUIRE(times[0] > 10 - 0.01);
    REQUIRE(times[7] < 10 + 0.02);
    const auto waves = clusters(times, 3.0);
    REQUIRE(waves.size() >= 4);
    for (std::size_t w = 0; w < 4; ++w) {
        INFO("wave " << w);
        REQUIRE(waves[w].size() == 8);
        REQUIRE(waves[w].back() - waves[w].front() < 2.0);
        REQUIRE(waves[w].front() == Approx(10 + 10.5 * w).margin(1.0 * w + 0.02));
    }
    REQUIRE(peak_in_window(times, 1.0) == 8);
    REQUIRE(sim.result.completed == 400);  // recycling loses no request
}

// With jitter 20 each incarnation's limit is uniform on 10..30. Five or more of 8 workers
// recycle within the same second of the first generation with probability ~0.0065 (two
// adjacent limits holding 5 of 8 uniform draws on 21 values; Monte Carlo, 2e5 trials); a
// fixed seed makes the outcome reproducible.
TEST_CASE("max_requests jitter spreads the restarts out") {
    Scenario s = closed(8, 8, 50, {io(1)});
    s.server.max_requests = 10;
    s.server.max_requests_jitter = 20;
    s.server.boot_s = 0.5;
    const Simulation sim = run(s, 1, 0.01);
    const std::vector<double> times = restart_times(sim.timeline);
    REQUIRE(times.size() >= 8);
    REQUIRE(peak_in_window(times, 1.0) <= 4);
    REQUIRE(times.front() >= 10 - 0.01);  // no limit is below max_requests
    REQUIRE(sim.result.completed == 400);
}

// ---- backlog overflow ------------------------------------------------------------------------

// 1 worker, backlog 1 (the queue holds 2), 10 clients with one 1000 s request each: one is
// served, two queue, seven have their SYN dropped and retry at 1, 3, 7, 15, 31, 63 s, then give
// up at 127 s: 7 failures and 42 retries. The three accepted ones finish at 1000, 2000, 3000.
TEST_CASE("a full backlog drops SYNs: six retries each, then failure at 127 s") {
    Scenario s = closed(1, 10, 1, {io(1000)});
    s.server.backlog = 1;
    const Result r = run(s, 1).result;
    REQUIRE(r.errors.backlog_overflow == 7);
    REQUIRE(r.syn_retries == 42);
    REQUIRE(r.completed == 3);
    REQUIRE(r.max_accept_queue == 2);
    REQUIRE(r.makespan_s == Approx(3000));
    REQUIRE(r.latency.max_s == Approx(3000));
}

// The retry schedule, read off one client's latency. 1 worker, backlog 0 (queue holds 1),
// 3 clients, IO d: A is served on [0, d], B queues and is served on [d, 2d], C is dropped at 0.
// C gets in at its first retry r_k >= d (the queue frees at d); with d = r_{k-1} + 0.25,
// r_k = 2 r_{k-1} + 1 >= 2d, so the worker is idle then and C's latency is r_k + d, after k
// retries. With d = 63.25 the 7th attempt is the give-up at 127 s.
TEST_CASE("dropped SYNs are retried at 1, 3, 7, 15, 31 and 63 s after the first") {
    const double retry_s[] = {0, 1, 3, 7, 15, 31, 63};
    for (int k = 1; k <= 6; ++k) {
        INFO("retry " << k);
        const double d = retry_s[k - 1] + 0.25;
        Scenario s = closed(1, 3, 1, {io(d)});
        s.server.backlog = 0;
        const Result r = run(s, 1).result;
        REQUIRE(r.completed == 3);
        REQUIRE(r.syn_retries == k);
        REQUIRE(r.latency.max_s == Approx(retry_s[k] + d));
    }
    Scenario s = closed(1, 3, 1, {io(63.25)});
    s.server.backlog = 0;
    const Result r = run(s, 1).result;
    REQUIRE(r.completed == 2);
    REQUIRE(r.errors.backlog_overflow == 1);
    REQUIRE(r.syn_retries == 6);
    REQUIRE(r.makespan_s == Approx(127));  // C's failure is the last event; B ended at 126.5
}

// ---- client timeout --------------------------------------------------------------------------

// 1 worker, 1 client x 2 requests of 10 s IO, hey -t 6. Request 1 is given up at 6; the client
// sends request 2 at 6, which queues; the worker finishes request 1 at 10 (nobody listening)
// and takes request 2, given up at 12, which ends the run.
TEST_CASE("a client timeout fails the request but the worker still serves it") {
    Scenario s = closed(1, 1, 2, {io(10)});
    s.load.client_timeout_s = 6;
    const Result r = run(s, 1).result;
    REQUIRE(r.errors.client_timeout == 2);
    REQUIRE(r.served_after_client_left == 1);
    REQUIRE(r.completed == 0);
    REQUIRE(r.makespan_s == Approx(12));
}

// ---- open-loop overload ----------------------------------------------------------------------

// 1000 req/s to one worker with 1 s requests (capacity 1/s) for 10^5 arrivals. The backlog
// (2048 + 1) fills in about 2 s; every later arrival is dropped and retried. A slot frees each
// second and a retrying client takes it within milliseconds for as long as retries come: until
// the last arrival (~100 s) + 63 s. So about 2050 + 163 connections get in and are served one
// per second from t = 0, back to back (makespan = completed s); the rest fail at 127 s.
TEST_CASE("open-loop overload stays bounded, reports drops and flags the load unstable") {
    Scenario s;
    s.host.cores = 2;
    s.server.workers = 1;
    s.request = {io(1)};
    s.load.kind = LoadKind::open;
    s.load.rate_per_s = 1000;
    s.load.requests = 100000;
    SimulationOptions o;
    o.seed = 1;
    o.max_in_flight = 100000;  // never more connections than arrivals: memory is bounded by them
    const Result r = simulate(s, o).result;
    REQUIRE(r.unstable);
    REQUIRE(r.capacity_rps == Approx(1.0));
    REQUIRE(r.completed + r.errors.total() == 100000);
    REQUIRE(r.errors.worker_timeout == 0);
    REQUIRE(r.max_accept_queue == 2049);
    REQUIRE(r.makespan_s == Approx(static_cast<double>(r.completed)));
    REQUIRE(r.completed > 2050 + 150);
    REQUIRE(r.completed < 2050 + 175);
    REQUIRE(r.syn_retries >= 6 * r.errors.backlog_overflow);
    REQUIRE(r.events < 20 * 100000);
}

// ---- SIGABRT during boot with a non-zero exit delay ----------------------------------------

// kill_s > 0: the worker takes kill_s to exit after SIGABRT. A replacement SIGABRTed while
// booting runs its handler in the middle of the import and never reaches accept(), even when
// kill_s outlasts the rest of its boot. Boot 30.5 > timeout 30 with kill_s = 1: each replacement
// is aborted at fork + u + 30 and would finish booting at fork + 30.5, before it exits at
// fork + u + 31. So after the first request's kill nothing is ever served again and the stall
// guard ends the run.
// Failed with simulator.cpp as of f955b9c: worker_booted() made the aborted worker idle, so
// the respawned, still-booting worker was handed requests.
TEST_CASE("a worker aborted while booting never serves, even if its exit is slower than the rest of its boot") {
    Scenario s;
    s.host.cores = 2;
    s.server.workers = 1;
    s.server.timeout_s = 30;
    s.server.boot_s = 30.5;
    s.server.kill_s = 1.0;
    s.request = {io(100)};
    s.load.kind = LoadKind::open;
    s.load.rate_per_s = 0.005;
    s.load.requests = 4;
    const Result r = run(s, 1).result;
    REQUIRE(r.completed == 0);
    REQUIRE(r.stalled);
}
