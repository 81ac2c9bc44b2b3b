#pragma once
// A recommendation (sizing/recommend.hpp) in words: the count (sync workers, or gthread
// processes x threads), what limits it, its predictions beside (2 x cores) + 1's and the
// query's baseline (a pasted Gunicorn command's), and advice when nothing fits; for
// `--worker-class any` the best of each class side by side. As text and JSON.

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sizing/recommend.hpp"

namespace workersim::report {

// JSON's "limited_by": "cores", "memory", "slo", "clients", "load", "max_workers".
std::string limit_name(Limit limit);
// "p99 <= 2.000 s, then the fewest workers", or maximum throughput with the fewest; for
// gthread, the least memory instead of the fewest workers (sizing/gthread_sizing.hpp).
std::string objective_text(const RecommendQuery& query, WorkerClass worker_class = WorkerClass::sync);
// One piece of advice as a sentence: "needs 23 workers: 2.3 GiB of PSS ...; add memory".
std::string advice_text(const Advice& advice, const RecommendQuery& query);
// "16 workers", "1 process x 16 threads".
std::string configuration_text(const Recommendation& recommendation);

void print_recommendation(std::ostream& out, const RecommendQuery& query, const Recommendation& recommendation);
nlohmann::json recommendation_json(const RecommendQuery& query, const Recommendation& recommendation);

// `--worker-class any`: sync and gthread in two columns, then the rule of thumb.
void print_comparison(std::ostream& out, const RecommendQuery& query, const WorkerClassComparison& comparison);
// {"worker_class": "any", "objective", "rule_of_thumb", "baseline" (with one), "by_worker_class":
// {"sync": ..., "gthread": ...}}, each class as recommendation_json gives it.
nlohmann::json comparison_json(const RecommendQuery& query, const WorkerClassComparison& comparison);

}  // namespace workersim::report
