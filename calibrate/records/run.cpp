#include "calibrate/records/run.hpp"

namespace workersim {

std::optional<double> probe_ns(const RunMeasurement& m) {
    if (m.probe_before_ns && m.probe_after_ns) return (*m.probe_before_ns + *m.probe_after_ns) / 2;
    return m.probe_before_ns ? m.probe_before_ns : m.probe_after_ns;
}

WhatIf what_if_for(const RunConfig& c) {
    WhatIf q;
    q.workers = c.workers;
    q.cores = c.cores;
    q.workload.io_pct = c.io_pct;
    q.workload.cpu_pct = c.cpu_pct;
    q.workload.unit_s = c.unit_s;
    q.load.kind = c.load;
    q.load.clients = c.clients;
    q.load.requests = c.requests;
    q.load.rate_per_s = c.rate_per_s;
    q.loadgen_shared = c.loadgen_shared;
    q.server.timeout_s = c.timeout_s;
    q.server.backlog = c.backlog;
    q.server.worker_class = c.worker_class;
    q.server.threads = c.threads;
    q.load.keep_alive = c.client_keep_alive;
    return q;
}

}  // namespace workersim
