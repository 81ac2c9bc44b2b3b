#include "sim/profile_uncertainty.hpp"

#include <algorithm>
#include <string>

#include "sim/rng.hpp"

namespace workersim {

namespace {

// Stream 7 of the replication's seed: apart from the simulation's own streams (sim/rng.hpp).
constexpr std::uint64_t kProfileStream = 7;

// The field a fit name refers to, or nullptr; `max` its upper bound.
double* field_of(Profile& p, const std::string& name, double& max) {
    max = 1e12;
    auto indexed = [&](const std::string& prefix, std::vector<double>& values) -> double* {
        if (name.rfind(prefix, 0) != 0) return nullptr;
        const std::string digits = name.substr(prefix.size());
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return nullptr;
        const std::size_t k = std::stoul(digits);
        if (k < 1 || k > values.size()) return nullptr;
        max = prefix == "core_capacity_" ? static_cast<double>(k) : max;
        return &values[k - 1];
    };
    if (name == "loop_cpu_s") return &p.loop_cpu_s;
    if (name == "request_cpu_s") return &p.request_cpu_s;
    if (name == "db_client_cpu_s") return &p.db_client_cpu_s;
    if (name == "db_backend_cpu_s") return &p.db_backend_cpu_s;
    if (name == "db_connect_s") return &p.db_connect_s;
    if (name == "io_cv") return &p.io_cv;
    if (name == "cpu_cv") return &p.cpu_cv;
    if (name == "loadgen_cpu_s") return &p.loadgen_cpu_s;
    if (name == "boot_s") return &p.boot_s;
    if (name == "memory.master_private_kib") return &p.memory.master_private_kib;
    if (name == "memory.worker_private_kib") return &p.memory.worker_private_kib;
    if (name == "memory.shared_kib") return &p.memory.shared_kib;
    if (double* v = indexed("db_backend_cpu_s_", p.db_backend_cpu_s_by_cores)) return v;
    return indexed("core_capacity_", p.core_capacity);
}

}  // namespace

Profile draw_profile(const Profile& profile, std::uint64_t seed) {
    Profile drawn = profile;
    Rng rng(seed, kProfileStream);
    for (const auto& [name, quality] : profile.fit) {  // std::map: the same order every time
        double max = 0;
        double* value = field_of(drawn, name, max);
        if (!value || !(quality.std_error > 0)) continue;
        const double min = name.rfind("core_capacity_", 0) == 0 ? 1e-3 : 0.0;
        *value = std::clamp(*value + quality.std_error * rng.normal(), min, max);
    }
    return drawn;
}

}  // namespace workersim
