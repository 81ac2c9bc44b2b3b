#include "model/result_json.hpp"

namespace workersim {

namespace {

nlohmann::json breakdown_json(const LatencyBreakdown& breakdown) {
    nlohmann::json parts = nlohmann::json::object();
    for (std::size_t i = 0; i < kLatencyParts; ++i)
        parts[latency_part_name(static_cast<LatencyPart>(i))] = {{"mean_s", breakdown.parts[i].mean_s},
                                                                 {"p99_s", breakdown.parts[i].p99_s}};
    return parts;
}

}  // namespace

nlohmann::json to_json(const Result& r) {
    nlohmann::json histogram = nlohmann::json::array();
    for (const HistogramBucket& b : r.histogram) histogram.push_back({{"upper_s", b.upper_s}, {"count", b.count}});
    const LatencySummary& l = r.latency;
    nlohmann::json j = {
        {"completed", r.completed},
        {"errors",
         {{"worker_timeout", r.errors.worker_timeout},
          {"backlog_overflow", r.errors.backlog_overflow},
          {"client_timeout", r.errors.client_timeout}}},
        {"worker_restarts", r.worker_restarts},
        {"syn_retries", r.syn_retries},
        {"served_after_client_left", r.served_after_client_left},
        {"makespan_s", r.makespan_s},
        {"throughput_rps", r.throughput_rps},
        {"latency_s",
         {{"mean", l.mean_s},
          {"min", l.min_s},
          {"max", l.max_s},
          {"p50", l.p50_s},
          {"p90", l.p90_s},
          {"p95", l.p95_s},
          {"p99", l.p99_s},
          {"p999", l.p999_s}}},
        {"histogram", histogram},
        {"memory_kib",
         {{"master", r.memory.master_kib},
          {"per_worker", r.memory.per_worker_kib},
          {"workers", r.memory.workers_kib},
          {"total", r.memory.total_kib}}},
        {"utilisation", {{"cores", r.core_utilisation}, {"workers", r.worker_utilisation}}},
        {"accept_queue", {{"mean", r.mean_accept_queue}, {"max", r.max_accept_queue}}},
        {"unstable", r.unstable},
        {"stalled", r.stalled},
        {"capacity_rps", r.capacity_rps},
        {"events", r.events},
    };
    // gthread runs only: a sync run's JSON stays as it was.
    if (!r.served_by_worker.empty()) j["served_by_worker"] = r.served_by_worker;
    if (r.breakdown.measured) j["breakdown"] = breakdown_json(r.breakdown);
    // Scenarios with request classes only (an app's URLs), likewise.
    if (!r.per_url.empty()) {
        nlohmann::json per_url = nlohmann::json::array();
        for (const UrlResult& u : r.per_url) {
            per_url.push_back({{"path", u.path},
                               {"share", u.share},
                               {"completed", u.completed},
                               {"throughput_rps", u.throughput_rps},
                               {"latency_s",
                                {{"mean", u.latency.mean_s},
                                 {"p50", u.latency.p50_s},
                                 {"p99", u.latency.p99_s},
                                 {"max", u.latency.max_s}}}});
            if (u.breakdown.measured) per_url.back()["breakdown"] = breakdown_json(u.breakdown);
        }
        j["per_url"] = per_url;
    }
    return j;
}

}  // namespace workersim
