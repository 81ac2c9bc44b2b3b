#include "model/profile.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace workersim {

Profile ideal_profile() {
    Profile p;
    p.name = "none";
    p.provenance.notes = "ideal server: no overheads, ideal cores, no memory";
    p.loop_cpu_s = 1.0;  // a 100% CPU request is exactly one unit of one core
    return p;
}

FittedValue fitted_value(Profile& p, const std::string& name) {
    auto indexed = [&](const std::string& prefix, std::vector<double>& values) -> double* {
        if (name.rfind(prefix, 0) != 0) return nullptr;
        const std::string digits = name.substr(prefix.size());
        if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
            return nullptr;
        const std::size_t k = std::stoul(digits);
        return k >= 1 && k <= values.size() ? &values[k - 1] : nullptr;
    };
    const std::pair<const char*, double*> scalars[] = {
        {"loop_cpu_s", &p.loop_cpu_s},
        {"request_cpu_s", &p.request_cpu_s},
        {"db_client_cpu_s", &p.db_client_cpu_s},
        {"db_backend_cpu_s", &p.db_backend_cpu_s},
        {"db_connect_s", &p.db_connect_s},
        {"io_cv", &p.io_cv},
        {"cpu_cv", &p.cpu_cv},
        {"loadgen_cpu_s", &p.loadgen_cpu_s},
        {"boot_s", &p.boot_s},
        {"gthread_connection_cpu_s", &p.gthread_connection_cpu_s},
        {"memory.master_private_kib", &p.memory.master_private_kib},
        {"memory.worker_private_kib", &p.memory.worker_private_kib},
        {"memory.shared_kib", &p.memory.shared_kib},
        {"memory.gthread_worker_kib", &p.memory.gthread_worker_kib},
        {"memory.thread_kib", &p.memory.thread_kib},
    };
    for (const auto& [scalar, value] : scalars)
        if (name == scalar) return {value};
    if (name == "gthread_main_wake_s" && p.gthread_main_wake_s) return {&*p.gthread_main_wake_s};
    if (name == "gthread_main_wake_order_s" && p.gthread_main_wake_order_s > 0) return {&p.gthread_main_wake_order_s};
    if (double* value = indexed("db_backend_cpu_s_", p.db_backend_cpu_s_by_cores)) return {value};
    if (double* value = indexed("core_capacity_", p.core_capacity)) {
        const auto k = static_cast<double>(value - p.core_capacity.data() + 1);
        return {value, 1e-3, k};
    }
    return {};
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

ReferenceRequest reference_request(const Profile& profile, double io_frac, double cpu_frac, double unit_s, int cores,
                                   double cpu_time_factor) {
    ReferenceRequest r;
    r.request_cpu_s = cpu_time_factor * profile.request_cpu_s;
    if (io_frac > 0) {
        // The app opens a new PostgreSQL connection for every request with IO.
        r.db_client_cpu_s = cpu_time_factor * profile.db_client_cpu_s;
        r.db_backend_cpu_s = cpu_time_factor * db_backend_cpu_s(profile, cores);
        r.io_s = profile.db_connect_s + io_frac * unit_s;
    }
    r.loop_cpu_s = cpu_frac * unit_s * cpu_time_factor * profile.loop_cpu_s;
    return r;
}

}  // namespace workersim
