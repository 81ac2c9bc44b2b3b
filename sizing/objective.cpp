#include "sizing/objective.hpp"

#include <algorithm>

#include "model/invalid_field.hpp"
#include "model/what_if.hpp"

namespace workersim::sizing {

Scenario sizing_scenario(const RecommendQuery& q) {
    if (!kMaxWorkersRange.contains(q.max_workers))
        throw InvalidField("max_workers", q.max_workers, kMaxWorkersRange.text());
    WhatIf w = q.what_if;
    w.workers = 1;
    w.server.worker_class = WorkerClass::sync;  // each search sets its own class and threads
    w.server.threads = 1;
    Scenario base = build_scenario(q.profile, w);
    if (q.worker_kib) {
        // A heavier app: each worker's PSS is given outright; the master keeps its own
        // (Gunicorn loads the app in the workers unless --preload). A gthread process's
        // machinery and its threads cost what they cost beside any app.
        const MemoryModel& m = base.memory;
        base.memory = MemoryModel{m.master_private_kib + m.shared_kib, *q.worker_kib, 0.0, m.gthread_worker_kib,
                                  m.thread_kib};
    }
    base.load.requests = std::max(base.load.requests, q.steady_requests);
    if (base.load.kind == LoadKind::closed)
        base.load.requests = std::max<std::int64_t>(base.load.requests, base.load.clients);
    validate(base);
    return base;
}

ServiceLevel service_level(const RecommendQuery& q) { return {q.slo_p99_s, q.slo_mean_s, std::nullopt}; }

bool has_slo(const ServiceLevel& level) { return level.p99_s || level.mean_s || level.throughput_rps; }

bool has_slo(const RecommendQuery& q) { return has_slo(service_level(q)); }

std::vector<ObjectiveCheck> check_objectives(const ServiceLevel& level, const Result& r) {
    std::vector<ObjectiveCheck> checks;
    if (level.p99_s)
        checks.push_back({Objective::latency_p99, r.latency.p99_s, *level.p99_s, r.latency.p99_s <= *level.p99_s});
    if (level.mean_s)
        checks.push_back({Objective::latency_mean, r.latency.mean_s, *level.mean_s, r.latency.mean_s <= *level.mean_s});
    if (level.throughput_rps)
        checks.push_back({Objective::throughput, r.throughput_rps, *level.throughput_rps,
                          r.throughput_rps >= *level.throughput_rps});
    const auto errors = static_cast<double>(r.errors.total());
    checks.push_back({Objective::no_errors, errors, 0, errors == 0});
    const bool stable = !r.unstable && !r.stalled;
    checks.push_back({Objective::stable, stable ? 1.0 : 0.0, 1, stable});
    return checks;
}

bool all_met(const std::vector<ObjectiveCheck>& checks) {
    for (const ObjectiveCheck& c : checks)
        if (!c.met) return false;
    return true;
}

bool meets_objective(const RecommendQuery& q, const Result& r) { return all_met(check_objectives(service_level(q), r)); }

}  // namespace workersim::sizing
