#include "model/what_if.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "model/invalid_field.hpp"
#include "model/limits.hpp"

namespace workersim {

namespace {

Distribution make_distribution(DistributionKind kind, double mean_s, double cv) {
    switch (kind) {
        case DistributionKind::exponential: return Distribution::exponential(mean_s);
        case DistributionKind::lognormal: return Distribution::lognormal(mean_s, cv);
        case DistributionKind::deterministic: return Distribution::deterministic(mean_s);
        case DistributionKind::empirical: break;  // needs samples, which a what-if does not carry
    }
    throw std::invalid_argument("workload's io_dist and cpu_dist: expected det, exp or lognormal, not empirical "
                                "(an empirical shape needs samples, which a what-if does not carry)");
}

void add_cpu(std::vector<Phase>& phases, double seconds, PhaseOwner owner, double gil_free_share = 0.0) {
    if (seconds > 0) phases.push_back({PhaseKind::cpu, owner, Distribution::deterministic(seconds), gil_free_share});
}

struct Mix {
    double io_frac, cpu_frac;
};

Mix resolve_mix(const Workload& w) {
    auto in_range = [](const char* field, double pct) {
        if (!(pct >= 0 && pct <= 100)) throw InvalidField(field, pct, "a percentage in 0..100");
    };
    if (w.io_pct) in_range("workload.io_pct", *w.io_pct);
    if (w.cpu_pct) in_range("workload.cpu_pct", *w.cpu_pct);
    if (w.io_pct && w.cpu_pct && std::abs(*w.io_pct + *w.cpu_pct - 100) > 1e-9) {
        std::ostringstream m;
        m << "workload.io_pct " << *w.io_pct << " and workload.cpu_pct " << *w.cpu_pct
          << " must sum to 100 (the reference app refuses to start otherwise)";
        throw std::invalid_argument(m.str());
    }
    if (w.io_pct) return {*w.io_pct / 100, 1 - *w.io_pct / 100};
    if (w.cpu_pct) return {1 - *w.cpu_pct / 100, *w.cpu_pct / 100};
    return {1.0, 0.0};  // neither: the seed article's 100% IO
}

std::string accepted_paths(const AppProfile& app) {
    std::string paths;
    for (const UrlProfile& u : app.urls) paths += (paths.empty() ? "" : ", ") + u.path;
    return paths;
}

// The weight each of the app's URLs gets: the measured one, or the workload's url_weights.
std::vector<double> url_weights(const AppProfile& app, const Workload& w) {
    std::vector<double> weights;
    for (const UrlProfile& u : app.urls) weights.push_back(w.url_weights.empty() ? u.weight : 0.0);
    double total = 0;
    for (const auto& [path, weight] : w.url_weights) {
        std::size_t i = 0;
        while (i < app.urls.size() && app.urls[i].path != path) ++i;
        if (i == app.urls.size())
            throw std::invalid_argument("url mix (--url-mix): " + path + " is not a URL of the calibrated app " +
                                        app.callable + " (accepted: " + accepted_paths(app) + ")");
        if (!(weight >= 0 && std::isfinite(weight)))
            throw InvalidField(("url mix (--url-mix) " + path).c_str(), weight, "a finite weight >= 0");
        weights[i] += weight;
        total += weight;
    }
    if (!w.url_weights.empty() && !(total > 0))
        throw std::invalid_argument("url mix (--url-mix): the weights sum to 0; give at least one URL a weight > 0 "
                                    "(accepted: " + accepted_paths(app) + ")");
    return weights;
}

// The app's URLs as request classes: Gunicorn's own per-request CPU (the profile's
// request_cpu_s, outside the hooks' window), then the app's CPU, then its time off the CPU.
// The order within a request matters little to a sync worker, which holds it throughout.
std::vector<RequestClass> app_classes(const Profile& profile, const Workload& w, double slower) {
    const AppProfile& app = *profile.app;
    const std::vector<double> weights = url_weights(app, w);
    std::vector<RequestClass> classes;
    for (std::size_t i = 0; i < app.urls.size(); ++i) {
        if (weights[i] <= 0) continue;
        const UrlProfile& u = app.urls[i];
        RequestClass c{u.path, weights[i], {}};
        add_cpu(c.phases, slower * profile.request_cpu_s, PhaseOwner::worker);
        if (u.cpu.expected_s() > 0) {
            // The CPU samples replay in the order the serial run measured them: a Python view's
            // CPU comes with the collector's pauses at a cadence (Flask's /report: ~20 ms every
            // 8th request or so, against 7.5 ms), and independent draws put two of them back to
            // back far more often than the real server does (Flask example 02:56, three clients
            // on one worker: p99 38.1 ms measured, 66.8 ms predicted that way, 45.8 ms in order).
            Distribution cpu = u.cpu.scaled(slower);
            cpu.in_order = true;
            c.phases.push_back({PhaseKind::cpu, PhaseOwner::worker, cpu, w.gil_free_share});
        }
        if (u.io.expected_s() > 0 || w.io_slow_probability > 0) {
            Distribution io = u.io;
            io.slow_probability = w.io_slow_probability;
            io.slow_s = w.io_slow_s;
            c.phases.push_back({PhaseKind::io, PhaseOwner::worker, io, 0.0, u.io_slowdown_per_caller});
        }
        if (c.phases.empty()) c.phases.push_back({});  // a request that costs nothing still flows
        classes.push_back(std::move(c));
    }
    return classes;
}

// hey's CPU per request over the classes' mix, from each URL's measurement; the profile's
// one figure where the app's URLs have none.
double app_loadgen_cpu_s(const Profile& profile, const std::vector<RequestClass>& classes) {
    double sum = 0, weights = 0;
    for (const RequestClass& c : classes)
        for (const UrlProfile& u : profile.app->urls)
            if (u.path == c.path && u.loadgen_cpu_s > 0) {
                sum += c.weight * u.loadgen_cpu_s;
                weights += c.weight;
            }
    if (!(weights > 0)) return profile.loadgen_cpu_s;
    double all = 0;
    for (const RequestClass& c : classes) all += c.weight;
    return sum / weights * (weights / all) + profile.loadgen_cpu_s * (1 - weights / all);
}

}  // namespace

Scenario build_scenario(const Profile& profile, const WhatIf& q) {
    const Workload& w = q.workload;
    const bool direct = w.io_s || w.cpu_s;
    if (direct && (w.io_pct || w.cpu_pct))
        throw std::invalid_argument(
            "workload: a mix (io_pct, cpu_pct) or demands given directly (io_s, cpu_s), not both");
    if (!(w.unit_s > 0 && std::isfinite(w.unit_s))) throw InvalidField("workload.unit_s", w.unit_s, "seconds > 0");

    Scenario s;
    s.host.cores = q.cores.value_or(profile.host_cores);
    if (!kCoresRange.contains(s.host.cores)) throw InvalidField("cores", s.host.cores, kCoresRange.text());
    const double slower = q.cpu_time_factor;
    if (!(slower >= 0.01 && slower <= 100)) throw InvalidField("cpu_time_factor", slower, "0.01..100");
    s.host.scheduler = profile.cpu_scheduler;
    s.host.core_capacity = profile.core_capacity.empty() ? std::vector<double>{}
                                                         : capacity_curve(profile, s.host.cores);
    s.server = q.server;
    s.server.workers = q.workers;
    s.server.boot_s = slower * profile.boot_s;  // loading the app is CPU work
    if (profile.gthread_main_wake_s) s.server.main_wake_s = *profile.gthread_main_wake_s;
    s.server.main_wake_order_s = profile.gthread_main_wake_order_s;
    s.server.connection_cpu_s = slower * profile.gthread_connection_cpu_s;
    // gthread's own Python: timed on one host, taken to the profile's by the two loop probes.
    const double python_factor =
        slower * (profile.host_probe_ns > 0 ? profile.host_probe_ns / ServerConfig::kGthreadPythonTimedAtProbeNs : 1.0);
    s.server.main_loop_pass_s = python_factor * q.server.main_loop_pass_s;
    s.server.thread_start_s = python_factor * q.server.thread_start_s;
    s.load = q.load;
    s.load.loadgen_cpu_s = q.loadgen_shared ? slower * profile.loadgen_cpu_s : 0.0;
    s.memory = profile.memory;
    if (q.preload) {
        if (!profile.app || !profile.app->preload_memory)
            throw std::invalid_argument(
                "preload (--preload): the profile '" + profile.name +
                "' has no memory measured with Gunicorn's --preload; `workersim calibrate --app` measures it");
        s.memory = *profile.app->preload_memory;
    }

    if (!(w.gil_free_share >= 0 && w.gil_free_share <= 1))
        throw InvalidField("workload.gil_free_share", w.gil_free_share, "a share in 0..1");
    const bool reference_mix = w.io_pct || w.cpu_pct;
    if (profile.app && !direct && !reference_mix) {
        s.request_classes = app_classes(profile, w, slower);
        if (q.loadgen_shared) s.load.loadgen_cpu_s = slower * app_loadgen_cpu_s(profile, s.request_classes);
        return s;
    }
    if (!w.url_weights.empty())
        throw std::invalid_argument(
            "url mix (--url-mix): needs a calibration of an app (workersim calibrate --app) and none of the "
            "demands given directly (io_s, cpu_s) or the reference app's mix (io_pct, cpu_pct), which replace "
            "its URLs");

    double io_s = 0, cpu_s = 0;
    if (direct) {
        add_cpu(s.request, slower * profile.request_cpu_s, PhaseOwner::worker);
        io_s = w.io_s.value_or(0.0);
        cpu_s = w.cpu_s.value_or(0.0);
        if (!(io_s >= 0 && std::isfinite(io_s))) throw InvalidField("workload.io_s", io_s, "a finite duration >= 0");
        if (!(cpu_s >= 0 && std::isfinite(cpu_s))) throw InvalidField("workload.cpu_s", cpu_s, "a finite duration >= 0");
    } else {
        const Mix mix = resolve_mix(w);
        const ReferenceRequest r = reference_request(profile, mix.io_frac, mix.cpu_frac, w.unit_s, s.host.cores, slower);
        add_cpu(s.request, r.request_cpu_s, PhaseOwner::worker);
        // psycopg2 calls PQconnectdb and PQexec with the GIL released (psycopg/connection_int.c
        // 718-720, pqpath.c 825-875): libpq's share of the worker's CPU, scram-sha-256's
        // PBKDF2 most of it, runs beside the process's other threads.
        add_cpu(s.request, r.db_client_cpu_s, PhaseOwner::worker, 1.0);
        add_cpu(s.request, r.db_backend_cpu_s, PhaseOwner::database);
        io_s = r.io_s;
        cpu_s = r.loop_cpu_s;
    }
    if (io_s > 0) {
        // Without an explicit shape the IO phase keeps the spread measured on the real server.
        const bool measured_spread = w.io_dist == DistributionKind::deterministic && profile.io_cv > 0;
        Distribution io = measured_spread ? Distribution::lognormal(io_s, profile.io_cv)
                                          : make_distribution(w.io_dist, io_s, w.io_cv);
        io.slow_probability = w.io_slow_probability;
        io.slow_s = w.io_slow_s;
        s.request.push_back({PhaseKind::io, PhaseOwner::worker, io});
    }
    if (cpu_s > 0) {
        // As for IO: without an explicit shape the loop keeps its measured spread.
        const bool measured_spread = w.cpu_dist == DistributionKind::deterministic && profile.cpu_cv > 0;
        s.request.push_back({PhaseKind::cpu, PhaseOwner::worker,
                             measured_spread ? Distribution::lognormal(cpu_s, profile.cpu_cv)
                                             : make_distribution(w.cpu_dist, cpu_s, w.cpu_cv),
                             w.gil_free_share});
    }
    if (s.request.empty()) s.request.push_back({});  // a request that costs nothing still flows
    return s;
}

}  // namespace workersim
