#include "calibrate/fitting/app_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <stdexcept>

#include "calibrate/fitting/least_squares.hpp"
#include "model/sample_statistics.hpp"

namespace workersim {

std::optional<MemoryModel> fit_app_memory(const std::vector<AppRun>& runs, bool preload) {
    // One point per process: [master?, worker?, 1 / (workers + 1)] -> PSS after the requests.
    std::vector<std::array<double, 3>> rows;
    std::vector<double> pss;
    std::set<int> worker_counts;
    for (const AppRun& r : runs) {
        if (r.kind != AppRunKind::memory || r.preload != preload) continue;
        const double share = 1.0 / (r.workers + 1);
        if (r.master_pss_kib) {
            rows.push_back({1, 0, share});
            pss.push_back(*r.master_pss_kib);
        }
        for (double kib : r.worker_pss_kib) {
            rows.push_back({0, 1, share});
            pss.push_back(kib);
        }
        if (!r.worker_pss_kib.empty()) worker_counts.insert(r.workers);
    }
    if (worker_counts.size() < 2) return std::nullopt;
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), 3);
    Eigen::VectorXd y(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (int c = 0; c < 3; ++c) x(static_cast<Eigen::Index>(i), c) = rows[i][static_cast<std::size_t>(c)];
        y(static_cast<Eigen::Index>(i)) = pss[i];
    }
    const LinearFit fit = fit_least_squares(x, y, Eigen::VectorXd::Ones(y.size()), "app memory");
    MemoryModel m;
    m.master_private_kib = std::max(0.0, fit.beta(0));
    m.worker_private_kib = std::max(0.0, fit.beta(1));
    m.shared_kib = std::max(0.0, fit.beta(2));
    return m;
}

std::optional<IoSlowdown> fit_io_slowdown(const AppRun& serial, const AppRun& concurrent) {
    if (serial.io_s.empty() || concurrent.io_s.empty() || concurrent.workers < 2 || concurrent.throughput_rps <= 0)
        return std::nullopt;
    const double alone_s = mean(serial.io_s), together_s = mean(concurrent.io_s);
    if (alone_s <= 0 || together_s <= 0) return std::nullopt;
    // Each mean's standard error relative to it.
    const auto relative_error = [](const std::vector<double>& io_s, double mean_s) {
        return sample_sd(io_s, mean_s) / std::sqrt(static_cast<double>(io_s.size())) / mean_s;
    };
    IoSlowdown out;
    out.ratio = together_s / alone_s;
    out.ratio_error = out.ratio * std::hypot(relative_error(serial.io_s, alone_s),
                                             relative_error(concurrent.io_s, together_s));
    // The others' calls a request finds at the downstream: each of the other workers spends
    // its IO's share of a request cycle there (the cycle: workers / throughput, the clients
    // being as many as the workers).
    const double cycle_s = concurrent.workers / concurrent.throughput_rps;
    const double share = std::min(1.0, together_s / cycle_s);
    out.callers = (concurrent.workers - 1) * share;
    // Growth within two standard errors of none is none: pg_sleep's 20 ms and a stub's 50 ms
    // measure 1.00-1.02 with four callers.
    if (out.ratio - 1 > 2 * out.ratio_error && out.callers > 0) {
        out.per_caller = (out.ratio - 1) / out.callers;
        out.per_caller_error = out.ratio_error / out.callers;
    }
    return out;
}

Profile fit_app_profile(const std::vector<AppRun>& runs, const AppFitInput& input) {
    Profile p = ideal_profile();
    p.name = "app " + input.callable;
    p.provenance = input.provenance;
    p.provenance.notes = "calibrate --app " + input.callable +
                         ": per-URL CPU and IO measured by Gunicorn hooks in one-client runs (empirical); "
                         "the reference app's figures (loop_cpu_s, db_*) are not measured";
    p.host_cores = input.host_cores;
    AppProfile app;
    app.callable = input.callable;
    app.chdir = input.chdir;
    double overhead_cpu_s = 0;
    std::int64_t overhead_requests = 0;
    for (const auto& [path, weight] : input.urls) {
        const auto serial = std::find_if(runs.begin(), runs.end(), [&](const AppRun& r) {
            return r.kind == AppRunKind::serial && r.path == path && !r.cpu_s.empty();
        });
        if (serial == runs.end()) continue;
        UrlProfile u;
        u.path = path;
        u.weight = weight;
        u.cpu = Distribution::empirical(serial->cpu_s);
        u.io = Distribution::empirical(serial->io_s);
        double switches = 0;
        for (double s : serial->voluntary_switches) switches += s;
        u.voluntary_switches = serial->voluntary_switches.empty() ? 0 : switches / serial->voluntary_switches.size();
        // Measured on its own cores (Placement in the session): hey's CPU is its own.
        if (serial->completed > 0) u.loadgen_cpu_s = serial->loadgen_cpu_s / static_cast<double>(serial->completed);
        const auto concurrent = std::find_if(runs.begin(), runs.end(), [&](const AppRun& r) {
            return r.kind == AppRunKind::concurrent && r.path == path && !r.io_s.empty();
        });
        if (concurrent != runs.end())
            if (const auto slowdown = fit_io_slowdown(*serial, *concurrent)) {
                u.io_slowdown_per_caller = slowdown->per_caller;
                p.fit["io_slowdown_per_caller " + path] =
                    FitQuality{slowdown->per_caller_error, 0, static_cast<int>(concurrent->io_s.size())};
            }
        app.urls.push_back(std::move(u));
        overhead_cpu_s += serial->worker_cpu_s - serial->hooks_cpu_s;
        overhead_requests += serial->hooked_requests;
    }
    if (app.urls.empty())
        throw std::invalid_argument("no URL has a finished serial run to fit: nothing to put in the profile");
    // /proc counts CPU in clock ticks (10 ms): over all serial runs' requests the per-request
    // figure is within 10 ms / requests.
    if (overhead_requests > 0) p.request_cpu_s = std::max(0.0, overhead_cpu_s / static_cast<double>(overhead_requests));
    p.fit["request_cpu_s"] = FitQuality{0.01 / static_cast<double>(std::max<std::int64_t>(1, overhead_requests)), 0,
                                        static_cast<int>(overhead_requests)};
    if (const auto memory = fit_app_memory(runs, false)) p.memory = *memory;
    app.preload_memory = fit_app_memory(runs, true);
    double boot_s = 0;
    int boots = 0;
    for (const AppRun& r : runs)
        if (r.kind == AppRunKind::memory && !r.preload && r.workers == 1 && r.boot_s > 0) {
            boot_s += r.boot_s;
            ++boots;
        }
    if (boots > 0) p.boot_s = boot_s / boots;
    // The host's speed while the CPU figures were measured: the serial runs' probes' median
    // (validation predicts a run probed elsewhere at its own speed by the ratio).
    std::vector<double> probes_ns;
    for (const AppRun& r : runs)
        if (r.kind == AppRunKind::serial)
            for (const auto& probe : {r.probe_before_ns, r.probe_after_ns})
                if (probe) probes_ns.push_back(*probe);
    if (!probes_ns.empty()) p.host_probe_ns = median(probes_ns);
    p.app = std::move(app);
    return p;
}

}  // namespace workersim
