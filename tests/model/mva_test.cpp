// Mean value analysis against closed forms. These are exact identities, so the tolerances are
// floating-point ones.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "model/mva.hpp"

using namespace workersim;

namespace {

Host ideal_host(int cores) {
    Host h;
    h.cores = cores;
    return h;
}

// Finite-source M/M/c//N (the machine-repairman model): N sources each think Exp(Z), c
// repairmen each serve Exp(D). P(n) = P0 C(N, n) r^n for n <= c, P0 C(N, n) n! / (c! c^(n-c)) r^n
// beyond, with r = D / Z; throughput (N - E[n]) / Z.
double repairman_throughput(int sources, int repairmen, double service_s, double think_s) {
    std::vector<double> weight(static_cast<std::size_t>(sources) + 1);
    const double r = service_s / think_s;
    double total = 0, mean = 0;
    for (int n = 0; n <= sources; ++n) {
        double w = std::exp(std::lgamma(sources + 1.0) - std::lgamma(n + 1.0) - std::lgamma(sources - n + 1.0)) *
                   std::pow(r, n);
        if (n > repairmen)
            w *= std::exp(std::lgamma(n + 1.0) - std::lgamma(repairmen + 1.0)) / std::pow(repairmen, n - repairmen);
        weight[static_cast<std::size_t>(n)] = w;
        total += w;
        mean += n * w;
    }
    return (sources - mean / total) / think_s;
}

Scenario open_scenario(int workers, int cores, double io_s, double cpu_s, double rate_per_s) {
    Scenario s;
    s.host.cores = cores;
    s.server.workers = workers;
    s.request = {{PhaseKind::io, PhaseOwner::worker, Distribution::exponential(io_s)}};
    if (cpu_s > 0) s.request.push_back({PhaseKind::cpu, PhaseOwner::worker, Distribution::exponential(cpu_s)});
    s.load.kind = LoadKind::open;
    s.load.rate_per_s = rate_per_s;
    s.load.requests = 1000;
    return s;
}

}  // namespace

TEST_CASE("a single-core station with no IO completes one request per service time at any population") {
    const auto sol = solve_mva(ideal_host(1), 0.25, 0.0, 20);
    for (int n = 1; n <= 20; ++n) {
        CHECK(sol[static_cast<std::size_t>(n)].throughput_rps == Approx(4.0).epsilon(1e-12));
        CHECK(sol[static_cast<std::size_t>(n)].cpu_residence_s == Approx(0.25 * n).epsilon(1e-12));
    }
}

TEST_CASE("a pool that only waits on IO completes population / delay requests per second") {
    const auto sol = solve_mva(ideal_host(2), 0.0, 2.0, 30);
    for (int n = 1; n <= 30; ++n) CHECK(sol[static_cast<std::size_t>(n)].throughput_rps == Approx(n / 2.0));
}

TEST_CASE("MVA reproduces the machine-repairman closed form") {
    for (int cores : {1, 2, 3, 8})
        for (int sources : {1, 2, 5, 17, 60}) {
            const double service_s = 0.3, think_s = 1.1;
            const auto sol = solve_mva(ideal_host(cores), service_s, think_s, sources);
            INFO("cores " << cores << ", sources " << sources);
            CHECK(sol.back().throughput_rps ==
                  Approx(repairman_throughput(sources, cores, service_s, think_s)).epsilon(1e-9));
        }
}

TEST_CASE("a load-dependent station with two customers matches the hand-computed product form") {
    // C = 2 cores giving 1 and 1.5 cores' worth, D = Z = 1 s: weights 1/2 (both in IO),
    // 1 (one at the cores), 1/1.5 (both): X = (1 * 1 + 1.5 * 2/3) / (1/2 + 1 + 2/3) = 12/13.
    Host host = ideal_host(2);
    host.core_capacity = {1.0, 1.5};
    const auto sol = solve_mva(host, 1.0, 1.0, 2);
    CHECK(sol[2].throughput_rps == Approx(12.0 / 13.0).epsilon(1e-12));
    CHECK(sol[2].cpu_jobs_probability[2] == Approx((2.0 / 3.0) / (13.0 / 6.0)).epsilon(1e-12));
}

TEST_CASE("the MVA recursion agrees with the product form for load-dependent cores, saturated or not") {
    Host host = ideal_host(4);
    host.core_capacity = {1.0, 1.9, 2.7, 3.4};
    for (double cpu_s : {0.01, 0.5, 2.0}) {
        const auto sol = solve_mva(host, cpu_s, 1.0, 300);
        for (int n : {1, 3, 4, 10, 64, 300}) {
            const ClosedPoolSolution exact = solve_product_form(host, cpu_s, 1.0, n);
            INFO("cpu " << cpu_s << " s, customers " << n);
            CHECK(sol[static_cast<std::size_t>(n)].throughput_rps == Approx(exact.throughput_rps).epsilon(1e-9));
            CHECK(sol[static_cast<std::size_t>(n)].mean_busy_cores == Approx(exact.mean_busy_cores).epsilon(1e-9));
        }
    }
}

TEST_CASE("the open pool approximation is exact Erlang C for exponential IO-only requests") {
    // M/M/2 at a = 1 Erlang: C(2, 1) = 1/3, Wq = C S / (c - a) = 1/3 s.
    const OpenPoolSolution o = solve_open_pool(open_scenario(2, 2, 1.0, 0.0, 1.0));
    CHECK(o.stable);
    CHECK(o.wait_probability == Approx(1.0 / 3.0).epsilon(1e-12));
    CHECK(o.mean_wait_s == Approx(1.0 / 3.0).epsilon(1e-12));
}

TEST_CASE("the open pool is unstable once the offered worker load reaches the pool") {
    CHECK_FALSE(solve_open_pool(open_scenario(10, 2, 1.0, 0.0, 10.5)).stable);
    CHECK(solve_open_pool(open_scenario(11, 2, 1.0, 0.0, 10.5)).stable);
}

TEST_CASE("CPU contention lengthens the open pool's holding time") {
    const OpenPoolSolution light = solve_open_pool(open_scenario(40, 2, 0.5, 0.1, 1.0));
    const OpenPoolSolution heavy = solve_open_pool(open_scenario(40, 2, 0.5, 0.1, 18.0));
    CHECK(light.holding_s < heavy.holding_s);
    CHECK(light.holding_s >= 0.6);
}

TEST_CASE("analytic closed-loop response time is clients over throughput") {
    Scenario s = open_scenario(5, 2, 1.0, 0.0, 1.0);
    s.load.kind = LoadKind::closed;
    s.load.clients = 30;
    s.load.requests = 3000;
    const Result r = predict_mva(s);
    CHECK(r.throughput_rps == Approx(5.0));
    CHECK(r.latency.mean_s == Approx(6.0));
    CHECK(r.worker_utilisation == Approx(1.0));
}

TEST_CASE("the open pool is unstable when the rate exceeds what the cores can do, whatever the workers") {
    // One core, 0.5 s of CPU per request: at most 2 req/s however many workers wait.
    for (int workers : {1, 2, 8, 64}) CHECK_FALSE(solve_open_pool(open_scenario(workers, 1, 0.01, 0.5, 2.5)).stable);
    CHECK(solve_open_pool(open_scenario(8, 1, 0.01, 0.5, 1.5)).stable);
}
