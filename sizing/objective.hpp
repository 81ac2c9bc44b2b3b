#pragma once
// What the sync and gthread searches and `predict --slo-*` share: the scenario a query
// describes, and whether a prediction meets a service level.

#include <optional>
#include <vector>

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

// Latency ceilings and a throughput floor, each optional.
struct ServiceLevel {
    std::optional<double> p99_s;           // latency p99 at most
    std::optional<double> mean_s;          // latency mean at most
    std::optional<double> throughput_rps;  // throughput at least
};

// What one check compares. no_errors and stable hold whenever a service level is checked: a
// failed request (timeout, backlog overflow) is absent from the latency figures, and an open
// load beyond capacity has no long-run latency at all, so either would flatter a p99.
enum class Objective { latency_p99, latency_mean, throughput, no_errors, stable };

struct ObjectiveCheck {
    Objective objective = Objective::latency_p99;
    double predicted = 0;  // seconds, req/s, errors, or 1 for a stable run and 0 for an unstable one
    double target = 0;     // in the same unit
    bool met = false;
};

ServiceLevel service_level(const RecommendQuery& query);
bool has_slo(const ServiceLevel& level);
bool has_slo(const RecommendQuery& query);
// The level's objectives in Objective's order, each only if set, then no_errors and stable.
std::vector<ObjectiveCheck> check_objectives(const ServiceLevel& level, const Result& result);
bool all_met(const std::vector<ObjectiveCheck>& checks);
// Stable, no errors, and within every SLO the query sets.
bool meets_objective(const RecommendQuery& query, const Result& result);

}  // namespace workersim::sizing
