#include "report/slo.hpp"

#include "report/text_format.hpp"

namespace workersim::report {

using sizing::Objective;
using sizing::ObjectiveCheck;

std::string objective_key(Objective objective) {
    switch (objective) {
        case Objective::latency_p99: return "latency_p99_s";
        case Objective::latency_mean: return "latency_mean_s";
        case Objective::throughput: return "throughput_rps";
        case Objective::no_errors: return "errors";
        case Objective::stable: return "stable";
    }
    return "unknown";
}

std::string objective_line(const ObjectiveCheck& c) {
    switch (c.objective) {
        case Objective::latency_p99:
            return "latency p99 " + fixed(c.predicted, 3) + " s, target at most " + fixed(c.target, 3) + " s";
        case Objective::latency_mean:
            return "latency mean " + fixed(c.predicted, 3) + " s, target at most " + fixed(c.target, 3) + " s";
        case Objective::throughput:
            return "throughput " + fixed(c.predicted, 2) + " req/s, target at least " + fixed(c.target, 2) + " req/s";
        case Objective::no_errors:
            return "errors " + fixed(c.predicted, 0) + " (timeouts, backlog overflows), target 0";
        case Objective::stable:
            return c.met ? "stable" : "unstable: open load beyond the pool's capacity, or stalled; target stable";
    }
    return "";
}

void print_slo(std::ostream& out, const std::vector<ObjectiveCheck>& checks) {
    out << "\nSLO: " << (sizing::all_met(checks) ? "met" : "missed") << "\n";
    for (const ObjectiveCheck& c : checks) out << "  " << (c.met ? "met     " : "MISSED  ") << objective_line(c) << "\n";
}

nlohmann::json slo_json(const std::vector<ObjectiveCheck>& checks, const std::string& estimate) {
    nlohmann::json failed = nlohmann::json::array();
    nlohmann::json objectives = nlohmann::json::array();
    for (const ObjectiveCheck& c : checks) {
        if (!c.met) failed.push_back(objective_key(c.objective));
        objectives.push_back(
            {{"objective", objective_key(c.objective)}, {"predicted", c.predicted}, {"target", c.target}, {"met", c.met}});
    }
    return {{"met", sizing::all_met(checks)}, {"failed", failed}, {"objectives", objectives}, {"estimate", estimate}};
}

}  // namespace workersim::report
