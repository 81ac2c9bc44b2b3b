// Independent replications: determinism across thread counts, interval coverage against
// exact queueing results, the precision rule, and common random numbers.

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "analysis/replications.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Scenario open_mm(int servers, double rate_per_s, double service_s, std::int64_t requests) {
    Scenario s;
    s.host.cores = 1;
    s.server.workers = servers;
    s.server.timeout_s = 0;
    s.server.backlog = 1000000;
    s.request = {{PhaseKind::io, PhaseOwner::worker, Distribution::exponential(service_s)}};
    s.load.kind = LoadKind::open;
    s.load.rate_per_s = rate_per_s;
    s.load.requests = requests;
    return s;
}

bool same(const Estimate& a, const Estimate& b) {
    return a.mean == b.mean && a.ci95_half_width == b.ci95_half_width && a.sd == b.sd;
}

}  // namespace

TEST_CASE("replications give identical results on 1, 2 and 8 threads") {
    const Scenario s = open_mm(4, 30, 0.1, 5000);
    ReplicationOptions o;
    o.seed = 77;
    o.replications = 11;
    o.threads = 1;
    const ReplicatedResult one = replicate(s, o);
    for (int threads : {2, 8}) {
        o.threads = threads;
        const ReplicatedResult many = replicate(s, o);
        REQUIRE(many.replications == 11);
        REQUIRE(same(many.throughput_rps, one.throughput_rps));
        REQUIRE(same(many.makespan_s, one.makespan_s));
        REQUIRE(same(many.latency.mean_s, one.latency.mean_s));
        REQUIRE(same(many.latency.p50_s, one.latency.p50_s));
        REQUIRE(same(many.latency.p99_s, one.latency.p99_s));
        REQUIRE(many.representative.latency.max_s == one.representative.latency.max_s);
    }
}

TEST_CASE("one replication is exactly the plain run of the seed") {
    const Scenario s = open_mm(2, 10, 0.1, 2000);
    ReplicationOptions o;
    o.seed = 5;
    const ReplicatedResult r = replicate(s, o);
    const Result plain = simulate(s, 5);
    REQUIRE(r.replications == 1);
    REQUIRE(r.latency.mean_s.mean == plain.latency.mean_s);
    REQUIRE(r.throughput_rps.mean == plain.throughput_rps);
    REQUIRE(r.latency.mean_s.ci95_half_width == 0);
}

TEST_CASE("replication seeds are distinct and replication 0 keeps the run seed") {
    std::set<std::uint64_t> seeds;
    for (std::uint64_t run : {0ULL, 1ULL, 2ULL})
        for (int i = 0; i < 1000; ++i) seeds.insert(replication_seed(run, i));
    REQUIRE(seeds.size() == 3000);
    REQUIRE(replication_seed(42, 0) == 42);
}

TEST_CASE("the 95% interval covers the exact M/M/1 mean and p90 about 95% of the time", "[long]") {
    // M/M/1 at rho = 0.5, mu = 1: sojourn time exponential with rate mu - lambda = 0.5, so
    // mean 2 s and p90 = ln(10)/0.5 s. Each trial is the whole procedure: 5 replications of
    // 10^4 requests and a t interval with 4 degrees of freedom. The start-up bias (empty
    // system) is below 0.1% of the mean at this length, small next to the ~3% half-width.
    // Over 400 trials the coverage count is binomial(400, 0.95): mean 380, sd 4.4. Accept
    // within 4 sd; a normal quantile instead of t (coverage ~88%) or an interval off by a
    // factor of 2 fails.
    const Scenario s = open_mm(1, 0.5, 1.0, 10000);
    const double exact_mean = 2.0, exact_p90 = std::log(10.0) / 0.5;
    int covered_mean = 0, covered_p90 = 0;
    constexpr int kTrials = 400;
    for (int trial = 0; trial < kTrials; ++trial) {
        ReplicationOptions o;
        o.seed = 1000 + static_cast<std::uint64_t>(trial);
        o.replications = 5;
        o.threads = 2;
        const ReplicatedResult r = replicate(s, o);
        if (std::abs(r.latency.mean_s.mean - exact_mean) <= r.latency.mean_s.ci95_half_width) ++covered_mean;
        if (std::abs(r.latency.p90_s.mean - exact_p90) <= r.latency.p90_s.ci95_half_width) ++covered_p90;
    }
    const double expected = 0.95 * kTrials, sd = std::sqrt(kTrials * 0.95 * 0.05);
    CAPTURE(covered_mean, covered_p90);
    REQUIRE(std::abs(covered_mean - expected) <= 4 * sd);
    REQUIRE(std::abs(covered_p90 - expected) <= 4 * sd);
}

TEST_CASE("a precision target adds replications until every half-width is within it") {
    const Scenario s = open_mm(2, 10, 0.1, 2000);
    ReplicationOptions o;
    o.seed = 3;
    o.precision = 0.02;
    o.threads = 2;
    const ReplicatedResult r = replicate(s, o);
    REQUIRE(r.precision_reached);
    REQUIRE(r.replications > kPrecisionInitialReplications);
    for (const Estimate* e : {&r.throughput_rps, &r.latency.mean_s, &r.latency.p50_s, &r.latency.p90_s,
                              &r.latency.p95_s, &r.latency.p99_s})
        REQUIRE(e->ci95_half_width <= 0.02 * e->mean);
}

TEST_CASE("a precision run stops at the replication cap and says it fell short") {
    const Scenario s = open_mm(2, 10, 0.1, 200);
    ReplicationOptions o;
    o.precision = 0.0001;
    o.max_replications = 12;
    const ReplicatedResult r = replicate(s, o);
    REQUIRE(r.replications == 12);
    REQUIRE_FALSE(r.precision_reached);
}

TEST_CASE("the next replication count grows with the squared precision shortfall, bounded") {
    REQUIRE(next_replication_count(5, 0.02, 0.01, 1000) == 10);   // 4x wanted, at most doubles
    REQUIRE(next_replication_count(10, 0.011, 0.01, 1000) == 13);  // ceil(10 * 1.21)
    REQUIRE(next_replication_count(10, 0.0101, 0.01, 1000) == 11); // at least one more
    REQUIRE(next_replication_count(150, 0.02, 0.01, 200) == 200);  // the cap
}

TEST_CASE("bad replication options are rejected") {
    const Scenario s = open_mm(1, 1, 0.1, 10);
    ReplicationOptions o;
    o.replications = 0;
    REQUIRE_THROWS_AS(replicate(s, o), std::invalid_argument);
    o.replications = 1;
    o.threads = 0;
    REQUIRE_THROWS_AS(replicate(s, o), std::invalid_argument);
}

TEST_CASE("scenarios differing only in worker count see the same arrivals and demands") {
    // Common random numbers: with so many workers that no request ever waits, each
    // latency is exactly its service demand, so equal latency sums mean the two runs drew
    // the same arrival and service sequences although their pools differ in size.
    const Scenario a = open_mm(2000, 50, 0.1, 20000);
    Scenario b = a;
    b.server.workers = 3000;
    const Result ra = simulate(a, 11), rb = simulate(b, 11);
    REQUIRE(ra.latency.mean_s == rb.latency.mean_s);
    REQUIRE(ra.latency.max_s == rb.latency.max_s);
    REQUIRE(ra.makespan_s == rb.makespan_s);
    // and a different seed does change them
    REQUIRE(simulate(a, 12).latency.mean_s != ra.latency.mean_s);
}

TEST_CASE("with common random numbers a small pool's waiting shows against a large one at the same seed") {
    // Same arrivals and demands: a pool of 4 can only add waiting, never remove it, so each
    // replication's mean is at least the unconstrained pool's, with no sampling noise in
    // the comparison.
    const Scenario big = open_mm(2000, 30, 0.1, 5000);
    Scenario small = big;
    small.server.workers = 4;
    for (std::uint64_t seed = 1; seed <= 10; ++seed)
        REQUIRE(simulate(small, seed).latency.mean_s >= simulate(big, seed).latency.mean_s);
}

namespace {

// hey -c N against c workers with exponential service and no think time: every client is
// always in the system, all c workers are always busy, so by Little's law the steady-state
// response time is exactly N / (c mu), whatever the service distribution.
Scenario closed_all_at_once(int workers, int clients, std::int64_t per_client, double service_s) {
    Scenario s = open_mm(workers, 1, service_s, clients * per_client);
    s.load.kind = LoadKind::closed;
    s.load.clients = clients;
    s.load.rate_per_s = 0;
    return s;
}

}  // namespace

TEST_CASE("steady-state mode removes the start-up transient of a closed loop whose clients all fire at t = 0") {
    // 500 clients fire at t = 0 at 4 workers (mu = 10/s): the k-th of the first 500
    // requests waits for about k - 4 services at 40/s, so they average about half the
    // steady-state 12.5 s. With 10 requests per client that transient biases the whole-run
    // mean low by about 500 * 6.25 / 5000 = 0.6 s (5%). The run-to-run sd of the mean is
    // about 1/sqrt(5000) = 1.4% (Little: the latency sum is N times the makespan), so over 20
    // replications the 95% half-width is about 0.7%: the bias is several half-widths wide.
    // The same seeds serve both modes (common random numbers), so the comparison is paired.
    const Scenario s = closed_all_at_once(4, 500, 10, 0.1);
    const double exact_s = 500 * 0.1 / 4;
    ReplicationOptions o;
    o.seed = 1;
    o.replications = 20;
    o.threads = 2;
    const ReplicatedResult plain = replicate(s, o);
    o.steady_state = true;
    const ReplicatedResult steady = replicate(s, o);
    CAPTURE(plain.latency.mean_s.mean, plain.latency.mean_s.ci95_half_width, steady.latency.mean_s.mean,
            steady.latency.mean_s.ci95_half_width, steady.warmup.mean_discarded);
    // Without warm-up removal the interval misses the exact value, low, by far.
    REQUIRE(exact_s - plain.latency.mean_s.mean > 3 * plain.latency.mean_s.ci95_half_width);
    // With it, the exact value is inside twice the half-width (an unbiased estimate fails
    // this with probability about 0.1% at 19 degrees of freedom) ...
    REQUIRE(std::abs(steady.latency.mean_s.mean - exact_s) <= 2 * steady.latency.mean_s.ci95_half_width);
    // ... and at most a third as far from it as the whole-run mean.
    REQUIRE(std::abs(steady.latency.mean_s.mean - exact_s) < std::abs(plain.latency.mean_s.mean - exact_s) / 3);
    // MSER-5 cut at least most of the 500-response transient and less than half the run.
    REQUIRE(steady.warmup.requested);
    REQUIRE(steady.warmup.mean_discarded >= 250);
    REQUIRE(steady.warmup.max_discarded <= 2500);
    REQUIRE(steady.warmup.mean_until_s > 0);
}

TEST_CASE("steady-state mode keeps an open M/M/2 estimate that starts empty consistent with Erlang C") {
    // M/M/2 at rho = 0.8, mu = 1: mean response time 1 / (mu (1 - rho^2)) = 2.778 s. The
    // empty start biases a 20000-request run by well under its ~2.5% half-width; removing
    // the warm-up must not push the estimate away (MSER's known failing on positively
    // correlated output is to over-truncate at a low point): the exact value stays within
    // twice the half-width (probability of failing ~0.1% for an unbiased estimate).
    const Scenario s = open_mm(2, 1.6, 1.0, 20000);
    const double exact_s = 1 / (1 - 0.8 * 0.8);
    ReplicationOptions o;
    o.seed = 2;
    o.replications = 20;
    o.threads = 2;
    o.steady_state = true;
    const ReplicatedResult r = replicate(s, o);
    CAPTURE(r.latency.mean_s.mean, r.latency.mean_s.ci95_half_width, r.warmup.mean_discarded);
    REQUIRE(std::abs(r.latency.mean_s.mean - exact_s) <= 2 * r.latency.mean_s.ci95_half_width);
    REQUIRE(std::abs(r.throughput_rps.mean - 1.6) <= 2 * r.throughput_rps.ci95_half_width);
}

TEST_CASE("a steady-state run follows the plain run's trajectory and only leaves the warm-up out") {
    const Scenario s = closed_all_at_once(4, 200, 10, 0.1);
    const Result plain = simulate(s, 9);
    const SteadyStateRun steady = steady_state_run(s, 9);
    REQUIRE(steady.truncation.observations > 0);
    REQUIRE(steady.truncation.observations == 5 * steady.truncation.batches);
    REQUIRE(steady.result.completed == plain.completed);
    REQUIRE(steady.result.makespan_s == plain.makespan_s);
    REQUIRE(steady.result.latency.max_s <= plain.latency.max_s);
    REQUIRE(steady.until_s > 0);
    REQUIRE(steady.until_s < plain.makespan_s);
    // the early, short responses are gone: the fastest kept is slower than the fastest of all
    REQUIRE(steady.result.latency.min_s > plain.latency.min_s);
}

TEST_CASE("steady-state replications give identical results on 1 and 2 threads") {
    const Scenario s = open_mm(4, 30, 0.1, 5000);
    ReplicationOptions o;
    o.seed = 13;
    o.replications = 6;
    o.steady_state = true;
    o.threads = 1;
    const ReplicatedResult one = replicate(s, o);
    o.threads = 2;
    const ReplicatedResult two = replicate(s, o);
    REQUIRE(same(one.latency.mean_s, two.latency.mean_s));
    REQUIRE(same(one.throughput_rps, two.throughput_rps));
    REQUIRE(one.warmup.mean_discarded == two.warmup.mean_discarded);
    REQUIRE(one.warmup.mean_until_s == two.warmup.mean_until_s);
}

TEST_CASE("an open load beyond capacity has no steady state and nothing is removed") {
    const Scenario s = open_mm(2, 30, 0.1, 3000);  // 30/s offered to a 20/s pool
    ReplicationOptions o;
    o.replications = 3;
    o.steady_state = true;
    const ReplicatedResult r = replicate(s, o);
    REQUIRE(r.representative.unstable);
    REQUIRE(r.warmup.no_steady_state);
    REQUIRE(r.warmup.max_discarded == 0);
    o.steady_state = false;
    REQUIRE(same(replicate(s, o).latency.mean_s, r.latency.mean_s));
}

TEST_CASE("each URL's figures are averaged over the replications, as the totals are") {
    Scenario s = open_mm(4, 30, 0.1, 2000);
    s.request.clear();
    s.request_classes = {{"/a", 1, {{PhaseKind::io, PhaseOwner::worker, Distribution::exponential(0.05)}}},
                         {"/b", 1, {{PhaseKind::io, PhaseOwner::worker, Distribution::exponential(0.15)}}}};
    ReplicationOptions o;
    o.seed = 5;
    o.replications = 4;
    o.latency_breakdown = true;
    const ReplicatedResult r = replicate(s, o);
    REQUIRE(r.representative.per_url.size() == 2);
    for (std::size_t c = 0; c < 2; ++c) {
        double mean_s = 0, io_s = 0;
        for (int i = 0; i < 4; ++i) {
            SimulationOptions one;
            one.seed = replication_seed(5, i);
            one.latency_breakdown = true;
            const UrlResult u = simulate(s, one).result.per_url[c];
            mean_s += u.latency.mean_s / 4;
            io_s += u.breakdown[LatencyPart::io].mean_s / 4;
        }
        const UrlResult& averaged = r.representative.per_url[c];
        CHECK(averaged.latency.mean_s == Approx(mean_s).epsilon(1e-12));
        CHECK(averaged.breakdown[LatencyPart::io].mean_s == Approx(io_s).epsilon(1e-12));
    }
}
