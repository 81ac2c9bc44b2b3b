#include "model/bounds.hpp"

#include <algorithm>
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

}  // namespace workersim
