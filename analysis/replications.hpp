#pragma once
// Independent replications of one Scenario, run in parallel, and their confidence
// intervals. Replication i runs with replication_seed(seed, i) and its result depends on
// that seed alone; results are combined in index order, so the output is identical for
// any number of threads.
//
// Common random numbers: the simulator draws arrivals, service times and the master's
// randomness from separate streams of the one seed (sim/rng.hpp). Two scenarios that differ
// only in the server (e.g. the worker count, along a sweep) run with the same seed see the
// same arrival times and the same i-th service demand, so the difference between them is the
// server's doing, not sampling noise; replication i of each uses the same seed for the same
// reason.

#include <cstdint>
#include <functional>

#include "model/replicated_result.hpp"
#include "model/scenario.hpp"
#include "analysis/warmup.hpp"

namespace workersim {

struct ReplicationOptions {
    std::uint64_t seed = 1;
    int replications = 1;        // run exactly this many (at least; see precision)
    int threads = 1;             // worker threads; never more than replications outstanding
    // > 0: a relative 95% half-width target (0.01 = 1%) for throughput and latency mean,
    // p50, p90, p95, p99. Replications are added in deterministic rounds until every
    // half-width is within it or max_replications have run.
    double precision = 0;
    int max_replications = 200;
    // Steady-state mode: each replication's warm-up is found by MSER-5 on a pilot run and
    // left out of its statistics (see steady_state_run). Off: every response counts, as in
    // one load-generator run of the whole experiment.
    bool steady_state = false;
    // Each run also breaks its latency down (Result::breakdown); the representative's parts are
    // their means across replications.
    bool latency_breakdown = false;
};

// The smallest replication count a precision run starts with: fewer gives a t quantile
// (12.7 at 1 degree of freedom) so wide that the first estimate of the count needed is
// wild.
constexpr int kPrecisionInitialReplications = 5;

// Replication 0 uses the run seed itself, so one replication is exactly the plain run.
std::uint64_t replication_seed(std::uint64_t run_seed, int index);

// The count a precision run goes on to after `done` replications whose worst relative
// half-width is `worst_relative_half_width`: the half-width shrinks as 1/sqrt(n), so
// n * (worst/target)^2, at least done + 1, at most twice done and at most the cap.
int next_replication_count(int done, double worst_relative_half_width, double target, int cap);

// One steady-state replication: a pilot run of the seed records the means of consecutive
// batches of 5 response times; MSER-5 picks the truncation d; the same seed is run again
// (the same trajectory: discarding changes no draw) with the first d responses left out of
// the latency statistics and throughput measured from the d-th response on. The pilot
// doubles the cost, but no response times need be kept, only their batch means.
// An open load at or beyond capacity has no steady state: nothing is cut, and `truncation`
// stays empty.
struct SteadyStateRun {
    Result result;
    WarmupTruncation truncation;
    double until_s = 0;  // when the d-th response arrived (0: nothing cut)
};
SteadyStateRun steady_state_run(const Scenario& scenario, std::uint64_t seed, bool latency_breakdown = false);

// Throws std::invalid_argument for bad options or an invalid scenario; an exception in a
// replication is rethrown (the lowest index's first).
ReplicatedResult replicate(const Scenario& scenario, const ReplicationOptions& options);

// The same with replication i running scenario_of(i): e.g. with a profile drawn for it
// (analysis/profile_uncertainty.hpp). Called from several threads at once, so it must not share
// mutable state.
using ScenarioOfReplication = std::function<Scenario(int replication)>;
ReplicatedResult replicate(const ScenarioOfReplication& scenario_of, const ReplicationOptions& options);

}  // namespace workersim
