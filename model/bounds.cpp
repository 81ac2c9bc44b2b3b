#include "model/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace workersim {

AsymptoticBounds asymptotic_bounds(const Scenario& s) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    AsymptoticBounds b;
    b.cpu_demand_s = s.cpu_demand_s() + s.load.loadgen_cpu_s;
    b.io_demand_s = s.io_demand_s();
    b.min_response_s = b.cpu_demand_s / s.host.capacity(1) + b.io_demand_s;
    const bool closed = s.load.kind == LoadKind::closed;
    b.population = closed ? std::min(s.load.clients, s.server.workers) : s.server.workers;
    b.pool_limit_rps = b.min_response_s > 0 ? b.population / b.min_response_s : kInfinity;
    b.cpu_limit_rps = b.cpu_demand_s > 0 ? s.host.capacity(s.host.cores) / b.cpu_demand_s : kInfinity;
    b.max_throughput_rps = std::min(b.pool_limit_rps, b.cpu_limit_rps);
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
    double capacity = demand_s > 0 ? s.server.workers / demand_s : std::numeric_limits<double>::infinity();
    if (cpu_s > 0) capacity = std::min(capacity, s.host.capacity(s.host.cores) / cpu_s);
    return std::isfinite(capacity) ? capacity : 0.0;
}

bool beyond_capacity(const Scenario& s) {
    const double capacity_rps = pool_capacity_rps(s);
    return s.load.kind == LoadKind::open && capacity_rps > 0 && s.load.rate_per_s >= capacity_rps;
}

}  // namespace workersim
