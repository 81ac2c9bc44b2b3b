#include "report/recommendation.hpp"

#include "model/result_json.hpp"
#include "report/prediction.hpp"
#include "report/text_format.hpp"

namespace workersim::report {

std::string limit_name(Limit limit) {
    switch (limit) {
        case Limit::cores: return "cores";
        case Limit::memory: return "memory";
        case Limit::slo: return "slo";
        case Limit::clients: return "clients";
        case Limit::load: return "load";
        case Limit::max_workers: return "max_workers";
    }
    return "unknown";
}

std::string objective_text(const RecommendQuery& q) {
    std::string text;
    if (q.slo_p99_s) text += "p99 <= " + fixed(*q.slo_p99_s, 3) + " s";
    if (q.slo_mean_s) text += std::string(text.empty() ? "" : " and ") + "mean <= " + fixed(*q.slo_mean_s, 3) + " s";
    if (text.empty()) text = "maximum throughput with the fewest workers (within 1% of the best)";
    else text += ", then the fewest workers";
    return text;
}

std::string advice_text(const Advice& a, const RecommendQuery& q) {
    switch (a.remedy) {
        case Remedy::add_memory: {
            std::string text = "needs " + std::to_string(a.workers) + " workers: " + format_kib_rounded(a.memory_kib) +
                               " of PSS";
            if (q.memory_kib) text += " against a budget of " + format_kib_rounded(*q.memory_kib);
            if (a.beyond_max_workers) text += " (and --max-workers >= " + std::to_string(a.workers) + ")";
            return text + "; add memory";
        }
        case Remedy::overlap_io:
            return "or use a worker class that overlaps IO (gthread: --threads, or gevent) so fewer processes hold "
                   "the waiting requests";
        case Remedy::add_cores: return "needs " + std::to_string(a.cores) + " cores: add cores";
        case Remedy::cheaper_request:
            return "the request's CPU alone misses the objective: make it cheaper or relax the objective";
    }
    return "";
}

namespace {

void print_verdict(std::ostream& out, const RecommendQuery& q, const Recommendation& rec) {
    if (rec.feasible) {
        out << "Recommended: " << rec.workers << " worker" << (rec.workers == 1 ? "" : "s") << " (limited by "
            << limit_name(rec.limited_by) << ")\n";
    } else {
        out << "NOT FEASIBLE: nothing in 1.." << q.max_workers << " workers meets the objective within the budget"
            << " (limited by " << limit_name(rec.limited_by) << ")\n";
        if (rec.workers > 0) out << "  best achievable: " << rec.workers << " workers\n";
    }
    if (rec.workers > 0) print_brief(out, rec.predicted);
    if (q.memory_kib)
        out << "  memory budget " << format_kib(*q.memory_kib)
            << (rec.max_workers_in_memory == q.max_workers ? " fits every count up to --max-workers, " : " fits at most ")
            << rec.max_workers_in_memory << " workers\n";
    for (const Advice& a : rec.advice) out << "  -> " << advice_text(a, q) << "\n";
}

nlohmann::json screening_json(const std::vector<ScreenedCount>& screening) {
    nlohmann::json counts = nlohmann::json::array();
    for (const ScreenedCount& c : screening)
        counts.push_back({{"workers", c.workers},
                          {"throughput_rps", c.throughput_rps},
                          {"mean_s", c.mean_s},
                          {"p99_s", c.p99_s},
                          {"memory_kib", c.memory_kib},
                          {"fits_memory", c.fits_memory},
                          {"meets_objective", c.meets_objective}});
    return counts;
}

}  // namespace

void print_recommendation(std::ostream& out, const RecommendQuery& q, const Recommendation& rec) {
    out << "workersim recommend: objective " << objective_text(q) << "; calibration '" << q.profile.name << "'\n"
        << "  analytic screening of 1.." << q.max_workers << " workers, then " << rec.simulations
        << " simulated runs where they decide the answer\n\n";
    print_verdict(out, q, rec);
    out << "\nRule of thumb, (2 x cores) + 1 = " << rec.rule_of_thumb_workers << " workers"
        << (rec.rule_of_thumb_fits_memory ? "" : " (does NOT fit the memory budget)") << ":\n";
    print_brief(out, rec.rule_of_thumb_predicted);
}

nlohmann::json recommendation_json(const RecommendQuery& q, const Recommendation& rec) {
    nlohmann::json advice = nlohmann::json::array();
    for (const Advice& a : rec.advice) advice.push_back(advice_text(a, q));
    return {
        {"workers", rec.workers},
        {"feasible", rec.feasible},
        {"limited_by", limit_name(rec.limited_by)},
        {"objective", objective_text(q)},
        {"predicted", to_json(rec.predicted)},
        {"predicted_method", "sim"},
        {"rule_of_thumb",
         {{"workers", rec.rule_of_thumb_workers},
          {"predicted", to_json(rec.rule_of_thumb_predicted)},
          {"fits_memory", rec.rule_of_thumb_fits_memory}}},
        {"max_workers_in_memory", rec.max_workers_in_memory},
        {"best_throughput_rps", rec.best_throughput_rps},
        {"advice", advice},
        {"simulations", rec.simulations},
        {"screening", screening_json(rec.screening)},
    };
}

}  // namespace workersim::report
