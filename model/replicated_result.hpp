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

struct ReplicatedResult {
    int replications = 0;
    std::uint64_t seed = 0;          // the run seed the replications' seeds derive from
    double precision_target = 0;     // relative half-width asked for (0.01 = 1%); 0: none
    bool precision_reached = false;  // every half-width within precision_target of its mean
    Estimate throughput_rps, makespan_s;
    LatencyEstimates latency;
    // Replication 0 (the run the seed alone gives) with throughput, makespan and latency mean
    // and quantiles (p99.9 too, without an interval) replaced by their means across
    // replications, and min and max by the extremes over all of them: the record the human
    // and JSON outputs print. Counts (completed, errors), histogram, utilisation and memory
    // are replication 0's.
    Result representative;
};

}  // namespace workersim
