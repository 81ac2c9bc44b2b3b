#include "model/replicated_result_json.hpp"

#include "model/result_json.hpp"

namespace workersim {

namespace {

template <class Field>
nlohmann::json figures(const ReplicatedResult& r, Field field) {
    const LatencyEstimates& l = r.latency;
    return {
        {"throughput_rps", field(r.throughput_rps)},
        {"makespan_s", field(r.makespan_s)},
        {"latency_s",
         {{"mean", field(l.mean_s)},
          {"p50", field(l.p50_s)},
          {"p90", field(l.p90_s)},
          {"p95", field(l.p95_s)},
          {"p99", field(l.p99_s)}}},
    };
}

}  // namespace

nlohmann::json to_json(const WarmupRemoval& w) {
    if (!w.requested) return {{"rule", nullptr}, {"discarded", 0}, {"until_s", 0}};
    nlohmann::json j = {
        {"rule", "MSER-5"},
        {"discarded", w.mean_discarded},
        {"discarded_max", w.max_discarded},
        {"until_s", w.mean_until_s},
        {"until_s_max", w.max_until_s},
        {"transient_too_long", w.too_long},
    };
    if (w.no_steady_state) j["skipped"] = "open load at or beyond capacity: no steady state to reach";
    return j;
}

nlohmann::json to_json(const ReplicatedResult& r) {
    nlohmann::json j = to_json(r.representative);
    const bool target = r.precision_target > 0;
    j["replications"] = {
        {"count", r.replications},
        {"seed", r.seed},
        {"precision_target", target ? nlohmann::json(r.precision_target) : nlohmann::json()},
        {"precision_reached", target ? nlohmann::json(r.precision_reached) : nlohmann::json()},
    };
    j["ci95"] = figures(r, [](const Estimate& e) { return e.ci95_half_width; });
    j["sd"] = figures(r, [](const Estimate& e) { return e.sd; });
    j["warmup"] = to_json(r.warmup);
    return j;
}

}  // namespace workersim
