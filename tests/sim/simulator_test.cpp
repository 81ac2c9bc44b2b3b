// The simulator against exact queueing results. Stochastic cases run independent
// replications and accept |estimate - exact| within 4 standard errors of the replication
// mean (a false alarm about once in 16,000 runs), plus the start-up bias bound stated where
// it matters.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "model/result_json.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Scenario ideal_scenario(int workers, int cores) {
    Scenario s;
    s.host.cores = cores;
    s.server.workers = workers;
    s.server.timeout_s = 0;  // textbook queues: no Gunicorn timeout
    return s;
}

Phase io(Distribution d) { return {PhaseKind::io, PhaseOwner::worker, d}; }
Phase cpu(Distribution d) { return {PhaseKind::cpu, PhaseOwner::worker, d}; }

Scenario open_scenario(int servers, double rate_per_s, double service_s, std::int64_t requests) {
    Scenario s = ideal_scenario(servers, 1);
    s.request = {io(Distribution::exponential(service_s))};
    s.load.kind = LoadKind::open;
    s.load.rate_per_s = rate_per_s;
    s.load.requests = requests;
    s.server.backlog = 1000000;
    return s;
}

// Erlang C: mean response time of M/M/c with arrival rate lambda and service mean s.
double erlang_c_response_s(int c, double lambda, double service_s) {
    const double a = lambda * service_s;  // offered load in Erlangs
    const double rho = a / c;
    double term = 1, sum = 1;            // sum_{k<c} a^k/k!
    for (int k = 1; k < c; ++k) {
        term *= a / k;
        sum += term;
    }
    const double last = term * a / c / (1 - rho);  // a^c / c! / (1 - rho)
    const double p_wait = last / (sum + last);
    return service_s + p_wait * service_s / (c * (1 - rho));
}

struct Estimate {
    double mean, standard_error;
};

template <class Metric>
Estimate replicate(const Scenario& s, int replications, Metric metric) {
    std::vector<double> values;
    for (int r = 0; r < replications; ++r) values.push_back(metric(simulate(s, 1000 + r)));
    double mean = 0;
    for (double v : values) mean += v;
    mean /= replications;
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    return {mean, std::sqrt(ss / (replications - 1) / replications)};
}

}  // namespace

TEST_CASE("M/M/1 mean response time matches 1/(mu - lambda)") {
    const Scenario s = open_scenario(1, 0.5, 1.0, 100000);
    const Estimate e = replicate(s, 10, [](const Result& r) { return r.latency.mean_s; });
    const double exact = 1.0 / (1.0 - 0.5);
    REQUIRE(std::abs(e.mean - exact) < 4 * e.standard_error + 0.005 * exact);
}

TEST_CASE("M/M/8 at 72/s with 100 ms service matches Erlang C") {
    const double exact = erlang_c_response_s(8, 72, 0.1);
    REQUIRE(exact == Approx(0.18769).epsilon(1e-4));  // the closed form itself
    const Scenario s = open_scenario(8, 72, 0.1, 200000);
    const Estimate e = replicate(s, 5, [](const Result& r) { return r.latency.mean_s; });
    REQUIRE(std::abs(e.mean - exact) < 4 * e.standard_error + 0.005 * exact);
    REQUIRE(std::abs(e.mean - exact) < 0.03 * exact);  // the bar
}

TEST_CASE("open-loop throughput equals the arrival rate when the pool is stable") {
    const Scenario s = open_scenario(4, 20, 0.1, 50000);
    const Result r = simulate(s, 9);
    // Poisson count over the run: relative sd 1/sqrt(n).
    REQUIRE(r.throughput_rps == Approx(20).epsilon(4 / std::sqrt(50000.0)));
    REQUIRE_FALSE(r.unstable);
}

TEST_CASE("a closed loop of 30 clients on 5 workers with 1 s IO serves 5/s, mean 6 - 75/n") {
    for (std::int64_t n : {30, 60, 300}) {
        Scenario s = ideal_scenario(5, 2);
        s.request = {io(Distribution::deterministic(1.0))};
        s.load.clients = 30;
        s.load.requests = n;
        const Result r = simulate(s, 1);
        REQUIRE(r.completed == n);
        REQUIRE(r.throughput_rps == Approx(5.0).epsilon(1e-9));
        REQUIRE(r.latency.mean_s == Approx(6.0 - 75.0 / n).epsilon(1e-9));
        REQUIRE(r.makespan_s == Approx(n / 5.0).epsilon(1e-9));
    }
}

TEST_CASE("one worker serves ten clients one at a time, as in the seed article's first run") {
    Scenario s = ideal_scenario(1, 4);
    s.request = {io(Distribution::deterministic(1.0))};
    s.load.clients = 10;
    s.load.requests = 10;
    const Result r = simulate(s, 1);
    REQUIRE(r.makespan_s == Approx(10.0));
    REQUIRE(r.latency.min_s == Approx(1.0));
    REQUIRE(r.latency.mean_s == Approx(5.5));
    for (std::size_t i = 1; i < r.histogram.size(); ++i) REQUIRE(r.histogram[i].count == (i == 1 ? 0 : 1));
}

TEST_CASE("four workers with 100 ms of CPU on 2 cores serve 20/s in 0.2 s each") {
    Scenario s = ideal_scenario(4, 2);
    s.request = {cpu(Distribution::deterministic(0.1))};
    s.load.clients = 4;
    s.load.requests = 400;
    const Result r = simulate(s, 1);
    REQUIRE(r.throughput_rps == Approx(20.0).epsilon(1e-9));
    REQUIRE(r.latency.mean_s == Approx(0.2).epsilon(1e-9));
    REQUIRE(r.core_utilisation == Approx(1.0).epsilon(1e-9));
}

TEST_CASE("hey gives each client requests / clients, rounded down") {
    Scenario s = ideal_scenario(4, 2);
    s.request = {io(Distribution::deterministic(0.01))};
    s.load.clients = 16;
    s.load.requests = 60;
    REQUIRE(simulate(s, 1).completed == 48);
}

TEST_CASE("machine repairman: a closed loop with IO think time matches the finite-source closed form") {
    // With fewer workers than clients and IO = 0, clients > workers: each client's request is
    // a CPU demand on C = 1 core (PS, exponential) -- the pool is M/M/1//K with no think time:
    // throughput = mu exactly while anyone waits.
    Scenario s = ideal_scenario(2, 1);
    s.request = {cpu(Distribution::exponential(0.05))};
    s.load.clients = 8;
    s.load.requests = 80000;
    const Result r = simulate(s, 5);
    REQUIRE(r.throughput_rps == Approx(20.0).epsilon(4 / std::sqrt(80000.0)));
}

TEST_CASE("the same seed gives byte-identical results, another seed different ones") {
    const Scenario s = open_scenario(3, 25, 0.1, 5000);
    const std::string a = to_json(simulate(s, 11)).dump();
    REQUIRE(a == to_json(simulate(s, 11)).dump());
    REQUIRE(a != to_json(simulate(s, 12)).dump());
}

TEST_CASE("memory is the master plus N workers, with shared pages split among them") {
    Scenario s = ideal_scenario(3, 1);
    s.request = {io(Distribution::deterministic(0.1))};
    s.load.clients = 1;
    s.load.requests = 1;
    s.memory = {1000, 2000, 4000};
    const Result r = simulate(s, 1);
    REQUIRE(r.memory.master_kib == Approx(1000 + 4000 / 4.0));
    REQUIRE(r.memory.per_worker_kib == Approx(2000 + 4000 / 4.0));
    REQUIRE(r.memory.total_kib == Approx(1000 + 3 * 2000 + 4000));
}
