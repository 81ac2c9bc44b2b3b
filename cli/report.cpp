#include "cli/report.hpp"

#include <algorithm>
#include <cstdio>

namespace workersim::cli {

namespace {
std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}
}  // namespace

std::string format_kib(double kib) {
    if (kib >= 1024 * 1024) return fixed(kib / 1024 / 1024, 2) + " GiB";
    if (kib >= 1024) return fixed(kib / 1024, 1) + " MiB";
    return fixed(kib, 0) + " KiB";
}

void print_hey_style(std::ostream& out, const Result& r) {
    const LatencySummary& l = r.latency;
    out << "\nSummary:\n"
        << "  Total:\t" << fixed(r.makespan_s, 4) << " secs\n"
        << "  Slowest:\t" << fixed(l.max_s, 4) << " secs\n"
        << "  Fastest:\t" << fixed(l.min_s, 4) << " secs\n"
        << "  Average:\t" << fixed(l.mean_s, 4) << " secs\n"
        << "  Requests/sec:\t" << fixed(r.throughput_rps, 4) << "\n";

    if (!r.histogram.empty()) {
        out << "\nResponse time histogram:\n";
        std::int64_t most = 1;
        for (const auto& b : r.histogram) most = std::max(most, b.count);
        for (const auto& b : r.histogram) {
            const auto bar = static_cast<std::size_t>(40.0 * static_cast<double>(b.count) / static_cast<double>(most));
            std::string bars;
            for (std::size_t i = 0; i < bar; ++i) bars += "\u25A0";
            out << "  " << fixed(b.upper_s, 3) << " [" << b.count << "]\t|" << bars << "\n";
        }
    }
    out << "\nLatency distribution:\n"
        << "  50% in " << fixed(l.p50_s, 4) << " secs\n"
        << "  90% in " << fixed(l.p90_s, 4) << " secs\n"
        << "  95% in " << fixed(l.p95_s, 4) << " secs\n"
        << "  99% in " << fixed(l.p99_s, 4) << " secs\n"
        << "  99.9% in " << fixed(l.p999_s, 4) << " secs\n";

    out << "\nResponses:\t" << r.completed << " completed";
    if (r.errors.total() > 0)
        out << ", " << r.errors.total() << " errors (worker timeout " << r.errors.worker_timeout
            << ", backlog overflow " << r.errors.backlog_overflow << ", client timeout " << r.errors.client_timeout
            << ")";
    out << "\n";
    if (r.worker_restarts > 0) out << "Worker restarts:\t" << r.worker_restarts << "\n";
    if (r.syn_retries > 0) out << "SYN retries:\t" << r.syn_retries << " (backlog full)\n";
    if (r.served_after_client_left > 0)
        out << "Served after the client left:\t" << r.served_after_client_left << "\n";
    out << "Utilisation:\tcores " << fixed(100 * r.core_utilisation, 1) << "%, workers "
        << fixed(100 * r.worker_utilisation, 1) << "%\n"
        << "Accept queue:\tmean " << fixed(r.mean_accept_queue, 2) << ", max " << r.max_accept_queue << "\n"
        << "Memory (PSS):\tmaster " << format_kib(r.memory.master_kib) << ", workers "
        << format_kib(r.memory.workers_kib) << " (" << format_kib(r.memory.per_worker_kib) << " each), total "
        << format_kib(r.memory.total_kib) << "\n";
    if (r.unstable)
        out << "UNSTABLE:\tthe offered load exceeds the pool's capacity of about " << fixed(r.capacity_rps, 2)
            << " req/s; the backlog grows without bound\n";
    if (r.stalled) out << "STALLED:\tno client heard anything for a simulated day; the run was stopped\n";
}

std::string calibration_line(const Profile& profile, bool embedded) {
    const Provenance& v = profile.provenance;
    if (v.date.empty() && v.cpu_model.empty()) return "";
    std::string line = "calibrated on " + (v.cpu_model.empty() ? std::string("an unnamed host") : v.cpu_model) +
                       (v.date.empty() ? "" : ", " + v.date.substr(0, 10));
    if (!v.moved.empty()) line += ", moved to a host probed " + v.moved.substr(0, 10);
    if (embedded)
        line += "; for this host: workersim probe --out host.json (seconds) or workersim calibrate --quick (minutes), "
                "then --calibration FILE";
    return line;
}

nlohmann::json calibration_json(const Profile& profile) {
    return {{"name", profile.name},
            {"cpu_model", profile.provenance.cpu_model},
            {"calibrated", profile.provenance.date},
            {"moved", profile.provenance.moved.empty() ? nlohmann::json(nullptr) : nlohmann::json(profile.provenance.moved)}};
}

}  // namespace workersim::cli
