// Asymptotic bounds: the closed forms they are, and that the exact MVA never crosses them.

#include <catch2/catch.hpp>

#include "model/bounds.hpp"
#include "model/mva.hpp"

using namespace workersim;

namespace {
Scenario closed_scenario(int workers, int cores, int clients, double cpu_s, double io_s) {
    Scenario s;
    s.host.cores = cores;
    s.server.workers = workers;
    s.request = {{PhaseKind::cpu, PhaseOwner::worker, Distribution::deterministic(cpu_s)},
                 {PhaseKind::io, PhaseOwner::worker, Distribution::deterministic(io_s)}};
    s.load.clients = clients;
    s.load.requests = clients * 100;
    return s;
}
}  // namespace

TEST_CASE("the throughput bound is the smaller of the pool's and the cores' limits") {
    const AsymptoticBounds io_bound = asymptotic_bounds(closed_scenario(5, 2, 30, 0.01, 0.99));
    CHECK(io_bound.max_throughput_rps == Approx(5.0));
    CHECK(io_bound.min_client_response_s == Approx(6.0));
    const AsymptoticBounds cpu_bound = asymptotic_bounds(closed_scenario(5, 2, 30, 1.0, 0.0));
    CHECK(cpu_bound.max_throughput_rps == Approx(2.0));
    CHECK(cpu_bound.min_client_response_s == Approx(15.0));
}

TEST_CASE("fewer clients than workers bound the population by the clients") {
    const AsymptoticBounds b = asymptotic_bounds(closed_scenario(16, 4, 3, 0.1, 0.9));
    CHECK(b.population == 3);
    CHECK(b.max_throughput_rps == Approx(3.0));
}

TEST_CASE("the shared load generator's CPU counts against the cores") {
    Scenario s = closed_scenario(8, 1, 8, 0.1, 0.0);
    s.load.loadgen_cpu_s = 0.1;
    CHECK(asymptotic_bounds(s).cpu_limit_rps == Approx(5.0));
}

TEST_CASE("exact MVA stays inside the asymptotic bounds") {
    Host curved;
    for (int workers : {1, 2, 5, 16})
        for (int cores : {1, 2, 4})
            for (double cpu_share : {0.0, 0.1, 0.5, 1.0}) {
                Scenario s = closed_scenario(workers, cores, 20, cpu_share, 1.0 - cpu_share);
                s.host.core_capacity = {};
                for (int k = 1; k <= cores; ++k) s.host.core_capacity.push_back(k * (1.0 - 0.05 * (k - 1)));
                const AsymptoticBounds b = asymptotic_bounds(s);
                const Result r = predict_mva(s);
                INFO("workers " << workers << ", cores " << cores << ", cpu " << cpu_share);
                CHECK(r.throughput_rps <= b.max_throughput_rps * (1 + 1e-12));
                CHECK(r.latency.mean_s >= b.min_client_response_s * (1 - 1e-12));
            }
}

namespace {
Scenario gthread_scenario(int processes, int threads, int cores, int clients, double cpu_s, double io_s) {
    Scenario s = closed_scenario(processes, cores, clients, cpu_s, io_s);
    s.server.worker_class = WorkerClass::gthread;
    s.server.threads = threads;
    return s;
}
}  // namespace

TEST_CASE("under gthread every pool thread holds a request: P x T of them bound the pool") {
    // 2 processes x 8 threads, 0.01 s CPU and 0.99 s IO: 16 in service, 16/s; the GIL allows
    // 2 / 0.01 = 200/s and 4 cores 400/s.
    const AsymptoticBounds b = asymptotic_bounds(gthread_scenario(2, 8, 4, 64, 0.01, 0.99));
    CHECK(b.population == 16);
    CHECK(b.max_throughput_rps == Approx(16.0));
    CHECK(pool_capacity_rps(gthread_scenario(2, 8, 4, 64, 0.01, 0.99)) == Approx(16.0));
}

TEST_CASE("under gthread each process's GIL passes at most one core of Python, whatever the threads") {
    // 100% Python CPU, 0.1 s: 2 processes on 4 cores give 2 / 0.1 = 20/s, with 1 thread or 8.
    for (int threads : {1, 8}) {
        const Scenario s = gthread_scenario(2, threads, 4, 64, 0.1, 0.0);
        const AsymptoticBounds b = asymptotic_bounds(s);
        CHECK(b.gil_limit_rps == Approx(20.0));
        CHECK(b.max_throughput_rps == Approx(20.0));
        CHECK(pool_capacity_rps(s) == Approx(20.0));
    }
    // The same under sync: the cores, 4 / 0.1 = 40/s, as no GIL is shared.
    CHECK(asymptotic_bounds(closed_scenario(8, 4, 64, 0.1, 0.0)).max_throughput_rps == Approx(40.0));
}

TEST_CASE("a GIL-free share of the CPU raises the GIL's bound and not the cores'") {
    Scenario s = gthread_scenario(1, 8, 4, 64, 0.1, 0.0);
    s.request[0].gil_free_share = 0.75;  // 25 ms of Python per request: 40/s through the GIL
    const AsymptoticBounds b = asymptotic_bounds(s);
    CHECK(b.python_demand_s == Approx(0.025));
    CHECK(b.gil_limit_rps == Approx(40.0));
    CHECK(b.cpu_limit_rps == Approx(40.0));
}
