#include "calibrate/fitting/gthread_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "analysis/replications.hpp"
#include "calibrate/fitting/least_squares.hpp"
#include "calibrate/fitting/validation.hpp"
#include "model/sample_statistics.hpp"
#include "model/what_if.hpp"
#include "sim/simulator.hpp"

namespace workersim {

namespace {

bool fitted_gthread(const Run& r) {
    return r.config.worker_class == WorkerClass::gthread && !r.config.holdout && r.measured.completed > 0;
}

// Every pool thread started: one process holding every connection, or no keep-alive with
// twice the pool's threads as clients and every process serving (a new connection per
// request spreads them, and ThreadPoolExecutor starts a thread whenever none is idle).
bool every_thread_started(const RunConfig& c, const RunMeasurement& m) {
    if (c.load != LoadKind::closed) return false;
    if (c.workers == 1) return c.clients >= c.threads;
    return !c.client_keep_alive && c.clients >= 2 * c.workers * c.threads &&
           static_cast<int>(m.requests_by_worker.size()) == c.workers;
}

void fit_memory(const std::vector<const Run*>& runs, Profile& p) {
    std::vector<std::array<double, 2>> rows;  // threads, PSS beyond a sync worker's
    for (const Run* r : runs) {
        if (!every_thread_started(r->config, r->measured)) continue;
        for (double pss : r->measured.worker_pss_kib)
            rows.push_back({static_cast<double>(r->config.threads), pss - p.memory.worker_pss_kib(r->config.workers)});
    }
    const bool two_thread_counts =
        std::any_of(rows.begin(), rows.end(), [&](const auto& row) { return row[0] != rows.front()[0]; });
    if (!two_thread_counts) return;
    const auto n = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd x(n, 2);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        x.row(i) << 1.0, rows[static_cast<std::size_t>(i)][0];
        y(i) = rows[static_cast<std::size_t>(i)][1];
    }
    const LinearFit fit =
        fit_least_squares(x, y, Eigen::VectorXd::Ones(n), "memory.gthread_worker_kib, memory.thread_kib");
    p.memory.gthread_worker_kib = std::max(0.0, fit.beta(0));
    p.memory.thread_kib = std::max(0.0, fit.beta(1));
    p.fit["memory.gthread_worker_kib"] = quality(fit, 0);
    p.fit["memory.thread_kib"] = quality(fit, 1);
}

// Mean throughput and busiest share of `seeds` simulations of the run with the profile's
// gthread terms.
struct Simulated {
    double throughput_rps = 0;
    double busiest_share = 0;
};

Simulated simulate_run(const Profile& p, const Run& run, int seeds) {
    WhatIf what_if = what_if_for(run.config);
    what_if.cpu_time_factor = run_cpu_time_factor(p, run);
    const Scenario scenario = build_scenario(p, what_if);
    Simulated out;
    for (int i = 0; i < seeds; ++i) {
        const Result r = simulate(scenario, replication_seed(1, i));
        out.throughput_rps += r.throughput_rps / seeds;
        out.busiest_share += busiest_share(r.served_by_worker) / seeds;
    }
    return out;
}

// The candidate that minimises the runs' mean of the squared log throughput ratio plus the
// squared difference of the busiest process's share, set through `apply`. Returns the best
// objective's square root: the fit's rms residual.
template <class Apply>
double grid_search(const std::vector<const Run*>& runs, Profile& p, const std::vector<double>& candidates, Apply apply) {
    constexpr int kSeeds = 8;  // the share's run-to-run spread, not the fit's, dominates
    double best = candidates.front(), best_objective = INFINITY;
    for (double candidate : candidates) {
        apply(p, candidate);
        double total = 0;
        for (const Run* r : runs) {
            const Simulated s = simulate_run(p, *r, kSeeds);
            const double thr = std::log(s.throughput_rps / r->measured.throughput_rps);
            const double d = s.busiest_share - busiest_share(r->measured.requests_by_worker);
            total += thr * thr + d * d;
        }
        const double objective = total / static_cast<double>(runs.size());
        if (objective < best_objective) {
            best = candidate;
            best_objective = objective;
        }
    }
    apply(p, best);
    return std::sqrt(best_objective);
}

// Without keep-alive every request is a new connection: the workers' CPU per request beyond
// the sync fit's is gthread's per-connection Python (each run's CPU taken back to the
// profile's speed by its probe). Pure IO runs only: where the loop runs, forced GIL switches
// add CPU of their own.
void fit_connection_cpu(const std::vector<const Run*>& runs, Profile& p) {
    std::vector<double> extra_s;
    for (const Run* r : runs) {
        const RunConfig& c = r->config;
        if (c.client_keep_alive || c.load != LoadKind::closed || c.io_pct < 100) continue;
        const double slowdown = run_cpu_time_factor(p, *r);
        const double measured_s = r->measured.worker_cpu_s / static_cast<double>(r->measured.completed) / slowdown;
        const double sync_s = reference_request(p, c.io_pct / 100, c.cpu_pct / 100, c.unit_s, c.cores).worker_cpu_s();
        extra_s.push_back(measured_s - sync_s);
    }
    if (extra_s.size() < 2) return;
    const double mean_s = mean(extra_s);
    p.gthread_connection_cpu_s = std::max(0.0, mean_s);
    const double n = static_cast<double>(extra_s.size());
    p.fit["gthread_connection_cpu_s"] = {sample_sd(extra_s, mean_s) / std::sqrt(n),
                                         std::sqrt(squared_deviations(extra_s, mean_s) / n), static_cast<int>(n)};
}

// The herd's wake: the mean delay and the step of its order, each searched on a log grid with
// the other held, twice round. Every closed run with more than one process: with keep-alive
// the race places hey's connections once, without it the race decides every request's process.
void fit_wake(const std::vector<const Run*>& runs, Profile& p) {
    std::vector<const Run*> raced;
    for (const Run* r : runs)
        if (r->config.workers > 1 && r->config.load == LoadKind::closed && !r->measured.requests_by_worker.empty())
            raced.push_back(r);
    if (raced.empty()) return;
    // From an idle host's ~50 us to a loaded one's several CFS wake-up granularities.
    const std::vector<double> wake_grid_s = {25e-6, 50e-6, 0.1e-3, 0.2e-3, 0.35e-3, 0.5e-3, 0.75e-3,
                                             1e-3,  1.5e-3, 2e-3,  3e-3,   4e-3,   6e-3,   8e-3};
    const std::vector<double> order_grid_s = {0.0, 0.1e-3, 0.2e-3, 0.35e-3, 0.5e-3, 0.75e-3, 1e-3, 1.5e-3, 2e-3, 3e-3};
    double wake_rms = 0, order_rms = 0;
    for (int round = 0; round < 2; ++round) {
        wake_rms = grid_search(raced, p, wake_grid_s, [](Profile& q, double s) { q.gthread_main_wake_s = s; });
        order_rms = grid_search(raced, p, order_grid_s, [](Profile& q, double s) { q.gthread_main_wake_order_s = s; });
    }
    p.fit["gthread_main_wake_s"] = {0.0, wake_rms, static_cast<int>(raced.size())};
    p.fit["gthread_main_wake_order_s"] = {0.0, order_rms, static_cast<int>(raced.size())};
}

}  // namespace

double busiest_share(const std::vector<std::int64_t>& responses_by_process) {
    const double total = static_cast<double>(
        std::accumulate(responses_by_process.begin(), responses_by_process.end(), std::int64_t{0}));
    if (total <= 0) return 0;
    return static_cast<double>(*std::max_element(responses_by_process.begin(), responses_by_process.end())) / total;
}

void fit_gthread(const std::vector<Run>& all_runs, Profile& profile) {
    std::vector<const Run*> runs;
    for (const Run& r : all_runs)
        if (fitted_gthread(r)) runs.push_back(&r);
    if (runs.empty()) return;
    fit_memory(runs, profile);
    fit_connection_cpu(runs, profile);  // first: the keep-alive runs' first requests pay it too
    fit_wake(runs, profile);
}

}  // namespace workersim
