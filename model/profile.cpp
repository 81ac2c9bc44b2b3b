#include "model/profile.hpp"

#include <algorithm>

namespace workersim {

Profile ideal_profile() {
    Profile p;
    p.name = "none";
    p.provenance.notes = "ideal server: no overheads, ideal cores, no memory";
    p.loop_cpu_s = 1.0;  // a 100% CPU request is exactly one unit of one core
    return p;
}

std::vector<double> capacity_curve(const Profile& profile, int cores) {
    std::vector<double> curve(static_cast<std::size_t>(cores));
    const auto& measured = profile.core_capacity;
    for (int k = 1; k <= cores; ++k) {
        const std::size_t i = static_cast<std::size_t>(k - 1);
        if (measured.empty())
            curve[i] = k;
        else if (i < measured.size())
            curve[i] = measured[i];
        else  // beyond the measured host: keep the per-core efficiency of its busiest point
            curve[i] = measured.back() * k / static_cast<double>(measured.size());
    }
    return curve;
}

double db_backend_cpu_s(const Profile& profile, int cores) {
    const auto& by_cores = profile.db_backend_cpu_s_by_cores;
    if (by_cores.empty() || cores < 1) return profile.db_backend_cpu_s;
    return by_cores[std::min(by_cores.size(), static_cast<std::size_t>(cores)) - 1];
}

}  // namespace workersim
