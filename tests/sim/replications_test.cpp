// Independent replications: determinism across thread counts, interval coverage against
// exact queueing results, the precision rule, and common random numbers.

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "sim/replications.hpp"
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

TEST_CASE("the 95% interval covers the exact M/M/1 mean and p90 about 95% of the time") {
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
