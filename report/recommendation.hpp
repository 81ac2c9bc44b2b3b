#pragma once
// A recommendation (sizing/recommend.hpp) in words: the count, what limits it, its
// predictions beside (2 x cores) + 1's, and advice when nothing fits; as text and JSON.

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sizing/recommend.hpp"

namespace workersim::report {

// JSON's "limited_by": "cores", "memory", "slo", "clients", "load", "max_workers".
std::string limit_name(Limit limit);
// "p99 <= 2.000 s, then the fewest workers", or maximum throughput with the fewest.
std::string objective_text(const RecommendQuery& query);
// One piece of advice as a sentence: "needs 23 workers: 2.3 GiB of PSS ...; add memory".
std::string advice_text(const Advice& advice, const RecommendQuery& query);

void print_recommendation(std::ostream& out, const RecommendQuery& query, const Recommendation& recommendation);
nlohmann::json recommendation_json(const RecommendQuery& query, const Recommendation& recommendation);

}  // namespace workersim::report
