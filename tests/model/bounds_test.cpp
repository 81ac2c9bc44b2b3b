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
