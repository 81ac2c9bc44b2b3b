#pragma once
// What independent replications of one Scenario predict: each reported figure as the mean
// across replications with the half-width of its 95% confidence interval (Student t), and
// the standard deviation across replications (the spread a user sees between two single
// runs, e.g. two hey runs of the same finite -n/-c load).

#include <cstdint>

#include "model/result.hpp"

namespace workersim {

struct Estimate {
    double mean = 0;
    double ci95_half_width = 0;  // 0 with one replication: no interval can be given
    double sd = 0;               // sample standard deviation across replications
};

struct LatencyEstimates {
    Estimate mean_s, p50_s, p90_s, p95_s, p99_s;
};

// Steady-state mode: each replication's initial transient (the start from an empty server,
// or every client firing at t = 0) is cut by MSER-5 (analysis/warmup.hpp) before its statistics.
struct WarmupRemoval {
    bool requested = false;          // steady-state mode ran
    // requested but not applied: an open load at or beyond capacity has no steady state to
    // reach, so nothing was cut (the result's `unstable` says so too)
    bool no_steady_state = false;
    double mean_discarded = 0;       // responses cut per replication, mean
    std::int64_t max_discarded = 0;  // and the most in any replication
    double mean_until_s = 0;         // simulated time the warm-up ended, mean across replications
    double max_until_s = 0;
    // replications whose MSER minimum sat at half the run: the transient may be longer
    // than that; lengthen the run (-n) before trusting the steady-state figures
    int too_long = 0;
};

struct ReplicatedResult {
    int replications = 0;
    std::uint64_t seed = 0;          // the run seed the replications' seeds derive from
    double precision_target = 0;     // relative half-width asked for (0.01 = 1%); 0: none
    bool precision_reached = false;  // every half-width within precision_target of its mean
    Estimate throughput_rps, makespan_s;
    LatencyEstimates latency;
    WarmupRemoval warmup;
    // Replication 0 (the run the seed alone gives) with throughput, makespan and latency mean
    // and quantiles (p99.9 too, without an interval) replaced by their means across
    // replications, and min and max by the extremes over all of them: the record the human
    // and JSON outputs print. Counts (completed, errors), histogram, utilisation and memory
    // are replication 0's.
    Result representative;
};

}  // namespace workersim
