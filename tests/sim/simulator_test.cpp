// The simulator against exact queueing results. Stochastic cases run independent
// replications and accept |estimate - exact| within q standard errors of the replication mean
// (plus the start-up bias, stated where it matters), q chosen for a false alarm once in 16,000
// runs, two-sided. The standard error is estimated from the replications themselves, so q is
// Student's t quantile for replications - 1 degrees of freedom, not the normal's 4: 4 standard
// errors are exceeded once in 321 runs at 9 degrees of freedom (two-sided tail 0.00311) and
// once in 62 at 4 (0.0161), against once in 15,800 for the normal (6.33e-5). At 19 degrees of
// freedom (20 replications) q = 5.108.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "model/result_json.hpp"
#include "sim/simulator.hpp"
#include "tests/sim/replication_estimate.hpp"

using namespace workersim;
using workersim::testing::Estimate;
using workersim::testing::estimate_of;
using workersim::testing::kFalseAlarmRate;
using workersim::testing::student_t_quantile;
using workersim::testing::student_t_two_sided_tail;

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

template <class Metric>
Estimate replicate(const Scenario& s, int replications, Metric metric) {
    std::vector<double> values;
    for (int r = 0; r < replications; ++r) values.push_back(metric(simulate(s, 1000 + r)));
    return estimate_of(values);
}

// The machine repairman (M/M/1//K): K clients each thinking for an exponential time of mean
// think_s, then queueing for one exponential server of mean service_s.
struct FiniteSource {
    double idle_probability, throughput_per_s, response_s;
};

FiniteSource machine_repairman(int clients, double service_s, double think_s) {
    double term = 1, sum = 1;  // sum_{n=0..K} K!/(K-n)! (S/Z)^n
    for (int n = 1; n <= clients; ++n) {
        term *= (clients - n + 1) * service_s / think_s;
        sum += term;
    }
    const double p0 = 1 / sum;
    const double x = (1 - p0) / service_s;
    return {p0, x, clients / x - think_s};
}

}  // namespace

TEST_CASE("the tolerance's quantile is Student's t") {
    // Published values (scipy.stats.t): the 0.975 quantile at 9 degrees of freedom, the
    // two-sided tail at 4 for 9 and 4 degrees of freedom, and the normal's tail as the limit.
    REQUIRE(student_t_quantile(0.05, 9) == Approx(2.2621571627).epsilon(1e-8));
    REQUIRE(student_t_two_sided_tail(4, 9) == Approx(0.0031104283).epsilon(1e-7));
    REQUIRE(student_t_two_sided_tail(4, 4) == Approx(0.0161300899).epsilon(1e-7));
    REQUIRE(student_t_quantile(kFalseAlarmRate, 19) == Approx(5.1079832726).epsilon(1e-8));
    REQUIRE(student_t_two_sided_tail(4, 1000000) == Approx(6.3342e-5).epsilon(1e-3));
}

// Starting empty, n arrivals' sojourn times fall short of stationary ones by
// lambda * integral over t of (E_0[g(N(t))] - E_stationary[g(N)]) in all, g(N) the mean sojourn
// of an arrival that finds N in the system: the birth-death chain's deviation matrix gives
// 2.00 s for the M/M/1 below and 10.4 s for the M/M/8. Shared by the run's n arrivals, that
// is the bias of the mean.
TEST_CASE("M/M/1 mean response time matches 1/(mu - lambda)") {
    const std::int64_t n = 100000;
    const Scenario s = open_scenario(1, 0.5, 1.0, n);
    const Estimate e = replicate(s, 20, [](const Result& r) { return r.latency.mean_s; });
    const double exact = 1.0 / (1.0 - 0.5);
    const double start_bias_s = 2.00 / n;
    CAPTURE(e.mean, e.standard_error, e.tolerance());
    REQUIRE(std::abs(e.mean - exact) < e.tolerance() + start_bias_s);
}

TEST_CASE("M/M/8 at 72/s with 100 ms service matches Erlang C") {
    const double exact = erlang_c_response_s(8, 72, 0.1);
    REQUIRE(exact == Approx(0.18769).epsilon(1e-4));  // the closed form itself
    const std::int64_t n = 200000;
    const Scenario s = open_scenario(8, 72, 0.1, n);
    const Estimate e = replicate(s, 20, [](const Result& r) { return r.latency.mean_s; });
    const double start_bias_s = 10.4 / n;
    CAPTURE(e.mean, e.standard_error, e.tolerance());
    REQUIRE(std::abs(e.mean - exact) < e.tolerance() + start_bias_s);
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

TEST_CASE("a core never idle serves one request per mean CPU demand") {
    // Eight clients keep two workers busy, and every request is CPU on the one core: the core
    // never idles, so the makespan is the sum of the 80,000 demands, Gamma(80000, 0.05), and the
    // throughput's relative sd is 1/sqrt(80000). The variance is known, not estimated, and the
    // Gamma this large is normal to within its skewness of 0.007: 4 sd is the normal's once
    // in 15,800.
    Scenario s = ideal_scenario(2, 1);
    s.request = {cpu(Distribution::exponential(0.05))};
    s.load.clients = 8;
    s.load.requests = 80000;
    const Result r = simulate(s, 5);
    REQUIRE(r.throughput_rps == Approx(20.0).epsilon(4 / std::sqrt(80000.0)));
}

TEST_CASE("clients with exponential think time on one core match the machine repairman M/M/1//K") {
    // Scenario has no client think time; the exact equivalent is an IO phase of the request
    // with a worker per client: nobody waits for a worker, so the IO is a delay station (the
    // think time) and the CPU on the one processor-sharing core is the repairman (PS and FCFS
    // have the same mean values with exponential service). K = 5, S = 0.1 s, Z = 0.4 s is the
    // knee, K = (Z + S) / S, where neither asymptote holds.
    constexpr int K = 5;
    constexpr double S = 0.1, Z = 0.4;
    const FiniteSource exact = machine_repairman(K, S, Z);
    // The closed form itself: sum_n K!/(K-n)! (S/Z)^n = 643/128.
    REQUIRE(exact.idle_probability == Approx(128.0 / 643).epsilon(1e-12));
    REQUIRE(exact.throughput_per_s == Approx(5150.0 / 643).epsilon(1e-12));
    REQUIRE(exact.response_s == Approx(643.0 / 1030 - 0.4).epsilon(1e-12));

    Scenario s = ideal_scenario(K, 1);
    s.request = {io(Distribution::exponential(Z)), cpu(Distribution::exponential(S))};
    s.load.clients = K;
    s.load.requests = 50000;
    // hey's clients finish at different times (each sends requests / K), and the drain with
    // fewer clients biases whole-run figures by the order of 1/sqrt(requests / K): whole-run
    // throughput comes out 0.54% low here, 8.6 standard errors of 40 replications. So each
    // replication measures a window, from 5% to 80% of its makespan: at its end all K clients
    // are still sending (a client that has finished never returns), and at its start the
    // transient of the all-thinking start has decayed as exp(-4.07 t), the number-at-the-core
    // chain's spectral gap, to nothing after 5% of a ~6,000 s run.
    SimulationOptions o;
    o.timeline_interval_s = 1.0;
    constexpr std::int64_t kBatch = 50;
    o.batch_means_of = kBatch;
    std::vector<double> throughputs, idle_fractions, latencies;
    for (int r = 0; r < 20; ++r) {
        o.seed = 1000 + static_cast<std::uint64_t>(r);
        const Simulation sim = simulate(s, o);
        const auto& tl = sim.timeline;
        const TimelinePoint& from = tl[tl.size() / 20];
        const TimelinePoint& to = tl[tl.size() * 4 / 5];
        REQUIRE(to.busy_workers == K);
        const double x = static_cast<double>(to.completed - from.completed) / (to.time_s - from.time_s);
        throughputs.push_back(x);
        idle_fractions.push_back(1 - x * S);  // the utilisation law, in the window
        // The responses completed in the window, in whole batches.
        double sum_s = 0;
        const std::size_t first = static_cast<std::size_t>((from.completed + kBatch - 1) / kBatch);
        const std::size_t last = static_cast<std::size_t>(to.completed / kBatch);
        for (std::size_t b = first; b < last; ++b) sum_s += sim.latency_batches[b];
        latencies.push_back(sum_s / static_cast<double>(last - first));
    }
    const Estimate x = estimate_of(throughputs), p0 = estimate_of(idle_fractions), latency = estimate_of(latencies);
    CAPTURE(x.mean, x.standard_error, latency.mean, latency.standard_error);
    REQUIRE(std::abs(x.mean - exact.throughput_per_s) < x.tolerance());
    REQUIRE(std::abs(p0.mean - exact.idle_probability) < p0.tolerance());
    // A request's latency is its IO (the think time) plus its time at the core.
    REQUIRE(std::abs(latency.mean - (Z + exact.response_s)) < latency.tolerance());
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
