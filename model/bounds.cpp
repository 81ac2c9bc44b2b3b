#include "model/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace workersim {

namespace {

bool gthread(const Scenario& s) { return effective_worker_class(s.server) == WorkerClass::gthread; }

// The worker's CPU that needs its process's GIL (the database backend's is another process).
double python_demand_s(const Scenario& s) {
    double total = 0;
    for (const RequestClass& c : request_mix(s))
        for (const Phase& p : c.phases)
            if (p.kind == PhaseKind::cpu && p.owner == PhaseOwner::worker)
                total += c.weight * p.duration.expected_s() * (1 - p.gil_free_share);
    return total;
}

double gil_limit_rps(const Scenario& s) {
    const double python_s = python_demand_s(s);
    if (!gthread(s) || python_s <= 0) return std::numeric_limits<double>::infinity();
    return s.server.workers / python_s;
}

}  // namespace

int request_holders(const Scenario& s) { return gthread(s) ? s.server.workers * s.server.threads : s.server.workers; }

AsymptoticBounds asymptotic_bounds(const Scenario& s) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    AsymptoticBounds b;
    b.cpu_demand_s = s.cpu_demand_s() + s.load.loadgen_cpu_s;
    b.io_demand_s = s.io_demand_s();
    b.min_response_s = b.cpu_demand_s / s.host.capacity(1) + b.io_demand_s;
    const bool closed = s.load.kind == LoadKind::closed;
    const int pool = request_holders(s);
    b.population = closed ? std::min(s.load.clients, pool) : pool;
    b.pool_limit_rps = b.min_response_s > 0 ? b.population / b.min_response_s : kInfinity;
    b.cpu_limit_rps = b.cpu_demand_s > 0 ? s.host.capacity(s.host.cores) / b.cpu_demand_s : kInfinity;
    b.python_demand_s = gthread(s) ? python_demand_s(s) : 0;
    b.gil_limit_rps = gil_limit_rps(s);
    b.max_throughput_rps = std::min({b.pool_limit_rps, b.cpu_limit_rps, b.gil_limit_rps});
    if (!closed) b.max_throughput_rps = std::min(b.max_throughput_rps, s.load.rate_per_s);
    b.min_client_response_s =
        closed && b.max_throughput_rps > 0 && b.max_throughput_rps < kInfinity
            ? std::max(b.min_response_s, s.load.clients / b.max_throughput_rps)
            : b.min_response_s;
    return b;
}

double pool_capacity_rps(const Scenario& s) {
    const double cpu_s = s.cpu_demand_s() + s.load.loadgen_cpu_s;
    const double demand_s = s.cpu_demand_s() + s.io_demand_s();
    double capacity = demand_s > 0 ? request_holders(s) / demand_s : std::numeric_limits<double>::infinity();
    if (cpu_s > 0) capacity = std::min(capacity, s.host.capacity(s.host.cores) / cpu_s);
    capacity = std::min(capacity, gil_limit_rps(s));
    return std::isfinite(capacity) ? capacity : 0.0;
}

bool beyond_capacity(const Scenario& s) {
    const double capacity_rps = pool_capacity_rps(s);
    return s.load.kind == LoadKind::open && capacity_rps > 0 && s.load.rate_per_s >= capacity_rps;
}

}  // namespace workersim
