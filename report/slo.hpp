#pragma once
// A prediction held to a service level (predict --slo-p99/--slo-mean/--slo-throughput):
// each objective with its predicted and target value, as text, JSON and the one-line
// verdicts a CI log shows.

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sizing/objective.hpp"

namespace workersim::report {

// The JSON key of an objective: latency_p99_s, latency_mean_s, throughput_rps, errors, stable.
std::string objective_key(sizing::Objective objective);
// "latency p99 3.412 s, target at most 2.000 s": one objective, predicted vs target.
std::string objective_line(const sizing::ObjectiveCheck& check);
// "SLO: met" or "SLO: missed", then one line per objective marked met or MISSED.
void print_slo(std::ostream& out, const std::vector<sizing::ObjectiveCheck>& checks);
// {"met", "failed": [keys], "objectives": [{"objective", "predicted", "target", "met"}], "estimate"}
nlohmann::json slo_json(const std::vector<sizing::ObjectiveCheck>& checks, const std::string& estimate);

}  // namespace workersim::report
