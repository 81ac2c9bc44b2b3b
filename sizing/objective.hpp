#pragma once
// What the sync and gthread searches share: the scenario a query describes, and whether a
// prediction meets the query's objective.

#include "model/result.hpp"
#include "model/scenario.hpp"
#include "sizing/recommend.hpp"

namespace workersim::sizing {

// Configurations within this fraction of the best throughput (or mean latency) count as the
// best (issue 4: the fewest workers within 1%).
inline constexpr double kWithinBest = 0.01;

// The query's scenario with one sync worker: the runs long enough for a steady-state p99, a
// --worker-mib app's memory. Throws InvalidField / std::invalid_argument for a bad query.
Scenario sizing_scenario(const RecommendQuery& query);

bool has_slo(const RecommendQuery& query);
// Stable, no errors, and within every SLO the query sets.
bool meets_objective(const RecommendQuery& query, const Result& result);

}  // namespace workersim::sizing
