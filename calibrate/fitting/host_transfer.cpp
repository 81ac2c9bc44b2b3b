#include "calibrate/fitting/host_transfer.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>

namespace workersim {

namespace {

// Scales a profile value (named as Profile::fit names it) and its standard error together.
void scale(Profile& p, const std::string& name, double factor) {
    double* value = fitted_value(p, name).value;
    if (!value) throw std::logic_error("host transfer: no profile value named " + name);
    *value *= factor;
    const auto q = p.fit.find(name);
    if (q != p.fit.end()) {
        q->second.std_error *= factor;
        q->second.rms_residual *= factor;
    }
}

// A value replaced outright: its standard error keeps its relative size.
void replace(Profile& p, const std::string& name, double now) {
    double* value = fitted_value(p, name).value;
    if (!value) throw std::logic_error("host transfer: no profile value named " + name);
    scale(p, name, *value > 0 ? now / *value : 1.0);
    *value = now;
}

double ratio_or(double now, double then, double fallback) { return now > 0 && then > 0 ? now / then : fallback; }

}  // namespace

Profile profile_for_host(const Profile& base, const HostProbe& probe) {
    if (probe.loop_ns_by_core.empty() || !(probe.loop_ns > 0))
        throw std::invalid_argument("host probe has no loop timings");
    Profile p = base;
    const std::optional<HostProbe>& then = base.host_probe;
    const double base_ns = base.host_probe_ns > 0 ? base.host_probe_ns : then ? then->loop_ns : 0;
    // A probe twice as slow per iteration means every Python CPU cost takes twice as long.
    const double speed = ratio_or(probe.loop_ns, base_ns, 1.0);
    scale(p, "loop_cpu_s", speed);
    scale(p, "request_cpu_s", speed);
    scale(p, "loadgen_cpu_s", speed);

    if (then) {
        scale(p, "db_client_cpu_s", ratio_or(probe.db_client_cpu_s, then->db_client_cpu_s, speed));
        scale(p, "db_connect_s", ratio_or(probe.db_connect_s, then->db_connect_s, 1.0));
        scale(p, "boot_s", ratio_or(probe.boot_s, then->boot_s, speed));
    } else {
        replace(p, "db_client_cpu_s", probe.db_client_cpu_s);
        replace(p, "db_connect_s", probe.db_connect_s);
        scale(p, "boot_s", speed);
    }

    // PostgreSQL per core count: the ratio at the same k where both probes measured it.
    const std::vector<double>& backend_now = probe.db_backend_cpu_s_by_cores;
    const int cores = static_cast<int>(probe.loop_ns_by_core.size());
    if (!backend_now.empty()) {
        std::vector<double> by_cores;
        for (int k = 1; k <= cores; ++k) {
            const double now = backend_now[std::min<std::size_t>(k, backend_now.size()) - 1];
            const double fitted = db_backend_cpu_s(base, k);
            const bool comparable = then && !then->db_backend_cpu_s_by_cores.empty();
            const double measured_then =
                comparable ? then->db_backend_cpu_s_by_cores[std::min<std::size_t>(k, then->db_backend_cpu_s_by_cores.size()) - 1] : 0;
            by_cores.push_back(comparable ? fitted * ratio_or(now, measured_then, speed) : now);
        }
        const double pooled_ratio = by_cores.back() / std::max(db_backend_cpu_s(base, cores), 1e-12);
        scale(p, "db_backend_cpu_s", pooled_ratio);
        p.db_backend_cpu_s_by_cores.resize(by_cores.size(), p.db_backend_cpu_s_by_cores.empty() ? 0.0 : p.db_backend_cpu_s_by_cores.back());
        for (std::size_t i = 0; i < by_cores.size(); ++i)
            replace(p, "db_backend_cpu_s_" + std::to_string(i + 1), by_cores[i]);
    } else {
        scale(p, "db_backend_cpu_s", speed);
        for (std::size_t i = 0; i < p.db_backend_cpu_s_by_cores.size(); ++i)
            scale(p, "db_backend_cpu_s_" + std::to_string(i + 1), speed);
    }

    // The capacity curve: the fitted one times the probe's change at each k (beyond the base
    // host, the base's curve extended as predictions extend it).
    const std::vector<double> fitted_curve = capacity_curve(base, cores);
    std::vector<double> curve;
    for (int k = 1; k <= cores; ++k) {
        const std::size_t i = static_cast<std::size_t>(k - 1);
        const double now = i < probe.core_capacity.size() ? probe.core_capacity[i] : k;
        const bool comparable = then && i < then->core_capacity.size();
        curve.push_back(comparable ? std::min<double>(k, fitted_curve[i] * now / then->core_capacity[i]) : now);
    }
    p.core_capacity = fitted_curve;
    for (std::size_t i = 0; i < curve.size(); ++i)
        replace(p, "core_capacity_" + std::to_string(i + 1), curve[i]);
    p.host_cores = cores;
    p.db_backend_cpu_s_by_cores.resize(std::min<std::size_t>(p.db_backend_cpu_s_by_cores.size(), cores));

    p.host_probe_ns = probe.loop_ns;
    p.host_probe = probe;
    p.name = base.name + "+probe";
    p.provenance.moved = probe.date;
    std::ostringstream note;
    if (!base.provenance.notes.empty()) note << base.provenance.notes << "; ";
    note << "moved to this host by workersim probe on " << probe.date << " (loop " << probe.loop_ns
         << " ns/iteration vs " << base_ns << " where fitted)";
    p.provenance.notes = note.str();
    return p;
}

}  // namespace workersim
