#pragma once
// Runs as the real server would give them if it were exactly a known profile, plus small
// known noise: latency and throughput from the simulator, CPU and memory from the profile's
// formulas. The fitter must recover the profile from them.

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "calibrate/records/run.hpp"
#include "model/profile.hpp"
#include "model/what_if.hpp"
#include "sim/simulator.hpp"

namespace workersim::testing {

struct SyntheticNoise {
    double cpu_relative_sd = 0.01;   // per-run CPU seconds, relative
    double pss_sd_kib = 40;          // per-process PSS
    double boot_sd_s = 0.02;
    double two_core_cpu_inflation = 1.06;  // CPU seconds with both cores busy (the fitter must not use them)
    // Two runs in five (on_slow_host) measured while the shared host ran this many times
    // slower: all their CPU costs (and the CPU-bound boot) scaled, their speed probes saying so.
    double slow_host_factor = 1.0;
    double probe_ns = 40;                  // the probe's reading at the truth's speed
};

// Not every third run: that is the plans' held-out pattern, which the fitter never sees.
inline bool on_slow_host(std::size_t run_index) { return run_index % 5 == 1 || run_index % 5 == 3; }

inline Profile known_profile() {
    Profile p;
    p.name = "truth";
    p.host_cores = 2;
    p.core_capacity = {1.0, 1.8};
    p.loop_cpu_s = 0.19;
    p.request_cpu_s = 0.0015;
    p.db_client_cpu_s = 0.003;
    p.db_backend_cpu_s = 0.012;
    p.db_connect_s = 0.006;
    p.io_cv = 0.03;
    p.loadgen_cpu_s = 0.0008;
    p.boot_s = 0.35;
    p.memory = {5600, 7300, 19000};
    return p;
}

// The plan's sync runs: what the tests of sync fitting and validation take.
inline std::vector<RunConfig> sync_runs_of(const std::vector<RunConfig>& plan) {
    std::vector<RunConfig> out;
    for (const RunConfig& c : plan)
        if (c.worker_class == WorkerClass::sync) out.push_back(c);
    return out;
}

inline std::vector<Run> synthetic_runs(const std::vector<RunConfig>& plan, const Profile& truth,
                                       const SyntheticNoise& noise, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<Run> runs;
    for (const RunConfig& c : plan) {
        Run run;
        run.config = c;
        const double slowdown = on_slow_host(runs.size()) ? noise.slow_host_factor : 1.0;
        WhatIf what_if = what_if_for(c);
        what_if.cpu_time_factor = slowdown;
        const Scenario scenario = build_scenario(truth, what_if);
        const Result r = simulate(scenario, seed + runs.size() + 1);
        RunMeasurement& m = run.measured;
        m.probe_before_ns = m.probe_after_ns = noise.probe_ns * slowdown;
        m.completed = r.completed;
        m.makespan_s = r.makespan_s;
        m.throughput_rps = r.throughput_rps;
        m.latency_mean_s = r.latency.mean_s;
        m.latency_min_s = r.latency.min_s;
        m.latency_max_s = r.latency.max_s;
        m.latency_p50_s = r.latency.p50_s;
        m.latency_p90_s = r.latency.p90_s;
        m.latency_p99_s = r.latency.p99_s;
        const double n = static_cast<double>(r.completed);
        const double cpu_frac = c.cpu_pct / 100, io_frac = c.io_pct / 100;
        const bool io = c.io_pct > 0;
        // Uncontended 100% IO: each request's latency is its CPU plus its lognormal IO phase.
        if (c.io_pct == 100 && c.load == LoadKind::closed && std::min(c.clients, c.workers) == 1) {
            const double io_s = truth.db_connect_s + io_frac * c.unit_s;
            const double sigma = std::sqrt(std::log(1 + truth.io_cv * truth.io_cv));
            std::lognormal_distribution<double> io_phase(std::log(io_s) - sigma * sigma / 2, sigma);
            const double cpu_s = slowdown * (truth.request_cpu_s + truth.db_client_cpu_s + truth.db_backend_cpu_s +
                                             (c.loadgen_shared ? truth.loadgen_cpu_s : 0));
            m.latencies_s.clear();
            for (std::int64_t i = 0; i < r.completed; ++i) m.latencies_s.push_back(cpu_s + io_phase(rng));
        }
        const bool both_cores = c.cores > 1 && c.workers > 1 && !(c.load == LoadKind::closed && c.clients == 1);
        const double inflation = slowdown * (both_cores ? noise.two_core_cpu_inflation : 1.0);
        const double worker_cpu_per_request =
            reference_request(truth, io ? c.io_pct / 100 : 0, cpu_frac, c.unit_s, c.cores).worker_cpu_s();
        m.worker_cpu_s = n * worker_cpu_per_request * inflation * (1 + noise.cpu_relative_sd * normal(rng));
        m.database_cpu_s = io ? n * slowdown * truth.db_backend_cpu_s * (1 + noise.cpu_relative_sd * normal(rng)) : 0;
        const std::int64_t sent = c.load == LoadKind::closed ? hey_requests_sent(c.requests, c.clients) : c.requests;
        m.loadgen_cpu_s =
            static_cast<double>(sent) * slowdown * truth.loadgen_cpu_s * (1 + noise.cpu_relative_sd * normal(rng));
        m.master_pss_kib = truth.memory.master_pss_kib(c.workers) + noise.pss_sd_kib * normal(rng);
        for (int w = 0; w < c.workers; ++w)
            m.worker_pss_kib.push_back(truth.memory.worker_pss_kib(scenario.server) + noise.pss_sd_kib * normal(rng));
        if (c.worker_class == WorkerClass::gthread) {  // the access log's counts, most first
            m.requests_by_worker = r.served_by_worker;
            std::sort(m.requests_by_worker.rbegin(), m.requests_by_worker.rend());
        }
        m.boot_s = slowdown * (0.4 + truth.boot_s * c.workers / c.cores) + noise.boot_sd_s * normal(rng);
        runs.push_back(run);
    }
    return runs;
}

}  // namespace workersim::testing
