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

bool has_slo(const RecommendQuery& q) { return q.slo_p99_s || q.slo_mean_s; }

bool meets_objective(const RecommendQuery& q, const Result& r) {
    if (r.unstable || r.stalled || r.errors.total() > 0) return false;
    if (q.slo_p99_s && r.latency.p99_s > *q.slo_p99_s) return false;
    if (q.slo_mean_s && r.latency.mean_s > *q.slo_mean_s) return false;
    return true;
}

}  // namespace workersim::sizing
