#pragma once
// Summary statistics of a measured run's response times (hey reports no p95 or p99.9: the
// simulator's LatencySummary in model/result.hpp has those, this has only what runs record).

#include <vector>

namespace workersim {

struct MeasuredLatency {
    double mean_s = 0, min_s = 0, max_s = 0;
    double p50_s = 0, p90_s = 0, p99_s = 0;
};

// Percentiles by nearest rank: the smallest value with at least p% of the sample at or
// below it (index ceil(p/100 * n) - 1 of the sorted sample). All zero for an empty sample.
MeasuredLatency summarize_latencies(const std::vector<double>& latencies_s);
double nearest_rank_percentile(std::vector<double> sample, double percent);

}  // namespace workersim
