#include "calibrate/fitting/fitter.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "calibrate/fitting/gthread_fit.hpp"
#include "calibrate/fitting/least_squares.hpp"
#include "model/sample_statistics.hpp"

namespace workersim {

namespace {

struct MeanFit {
    double mean = 0;
    FitQuality quality;
};

MeanFit mean_of(const std::vector<double>& values) {
    MeanFit out;
    const double n = static_cast<double>(values.size());
    if (values.empty()) return out;
    out.mean = mean(values);
    const double ss = squared_deviations(values, out.mean);
    const double sd = sample_sd(values, out.mean);
    out.quality = {sd / std::sqrt(n), std::sqrt(ss / n), static_cast<int>(values.size())};
    return out;
}

// A run as the fit sees it: CPU seconds (and the CPU-bound boot) rescaled to the reference
// speed, so runs measured while the shared host was slow or fast agree; `slowdown` turns the
// profile's figures back into this run's CPU seconds where a fit compares them with wall time.
struct FitRun {
    RunConfig config;
    RunMeasurement measured;
    double slowdown = 1;  // this run's probe / the reference probe
};

double cpu_frac(const RunConfig& c) { return c.cpu_pct / 100; }
double io_frac(const RunConfig& c) { return c.io_pct / 100; }
bool has_io(const RunConfig& c) { return c.io_pct > 0; }

// At most one core runs workers: CPU seconds are then those of an uncontended core (with two
// busy, each is slower, which core_capacity accounts for).
bool one_busy_core(const RunConfig& c) {
    if (c.cores == 1 || c.workers == 1) return true;
    return c.load == LoadKind::closed && c.clients == 1;
}

// Worker CPU per request = request_cpu_s + [io] db_client_cpu_s + cpu_frac unit loop_cpu_s.
void fit_worker_cpu(const std::vector<const FitRun*>& runs, Profile& p) {
    std::vector<const FitRun*> rows;
    for (const FitRun* r : runs)
        if (one_busy_core(r->config)) rows.push_back(r);
    bool any_io = false, any_cpu = false;
    for (const FitRun* r : rows) {
        any_io = any_io || has_io(r->config);
        any_cpu = any_cpu || cpu_frac(r->config) > 0;
    }
    if (!any_cpu) throw std::invalid_argument("loop_cpu_s: no run with CPU work on at most one busy core");
    const Eigen::Index cols = any_io ? 3 : 2;
    const auto n = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd x(n, cols);
    Eigen::VectorXd y(n), w(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const FitRun& r = *rows[static_cast<std::size_t>(i)];
        const auto completed = static_cast<double>(r.measured.completed);
        x(i, 0) = 1;
        x(i, 1) = cpu_frac(r.config) * r.config.unit_s;
        if (any_io) x(i, 2) = has_io(r.config) ? 1 : 0;
        y(i) = r.measured.worker_cpu_s / completed;
        // /proc counts CPU in 10 ms ticks: a run's per-request figure is as good as its count.
        w(i) = completed;
    }
    const LinearFit fit = fit_least_squares(x, y, w, "request_cpu_s, loop_cpu_s, db_client_cpu_s");
    p.request_cpu_s = std::max(0.0, fit.beta(0));
    p.loop_cpu_s = fit.beta(1);
    if (!(p.loop_cpu_s > 0)) throw std::invalid_argument("loop_cpu_s: the fit gave a non-positive value");
    p.fit["request_cpu_s"] = quality(fit, 0);
    p.fit["loop_cpu_s"] = quality(fit, 1);
    if (any_io) {
        p.db_client_cpu_s = std::max(0.0, fit.beta(2));
        p.fit["db_client_cpu_s"] = quality(fit, 2);
    }
}

// A ratio of sums (each run weighted by its requests), with the spread of the per-run ratios.
MeanFit pooled_ratio(const std::vector<std::pair<double, double>>& amount_and_count) {
    double amount = 0, count = 0;
    std::vector<double> ratios;
    for (const auto& [a, c] : amount_and_count) {
        amount += a;
        count += c;
        ratios.push_back(a / c);
    }
    MeanFit out = mean_of(ratios);
    if (count > 0) out.mean = amount / count;
    return out;
}

// PostgreSQL's CPU per connection, pooled and per core count it was pinned to (the harness
// gives it the server's cores): the latter only when every core count up to the host's has runs.
void fit_database_cpu(const std::vector<const FitRun*>& runs, int host_cores, Profile& p) {
    std::vector<std::pair<double, double>> all;
    std::vector<std::vector<std::pair<double, double>>> by_cores(static_cast<std::size_t>(host_cores));
    for (const FitRun* r : runs) {
        if (!has_io(r->config) || !r->measured.database_cpu_s) continue;
        const std::pair<double, double> row{*r->measured.database_cpu_s, static_cast<double>(r->measured.completed)};
        all.push_back(row);
        if (r->config.cores >= 1 && r->config.cores <= host_cores)
            by_cores[static_cast<std::size_t>(r->config.cores - 1)].push_back(row);
    }
    if (all.empty()) return;  // an existing database: its CPU is not ours to see
    const MeanFit f = pooled_ratio(all);
    p.db_backend_cpu_s = f.mean;
    p.fit["db_backend_cpu_s"] = f.quality;
    std::vector<double> fitted;
    for (std::size_t k = 0; k < by_cores.size(); ++k) {
        if (by_cores[k].empty()) return;
        const MeanFit at_k = pooled_ratio(by_cores[k]);
        fitted.push_back(at_k.mean);
        p.fit["db_backend_cpu_s_" + std::to_string(k + 1)] = at_k.quality;
    }
    p.db_backend_cpu_s_by_cores = fitted;
}

std::int64_t sent_requests(const RunConfig& c) {
    return c.load == LoadKind::closed ? hey_requests_sent(c.requests, c.clients) : c.requests;
}

// hey's CPU per request. httperf busy-polls a whole core whatever the rate, so open-loop runs
// say nothing about a per-request cost and always run on their own core.
void fit_loadgen_cpu(const std::vector<const FitRun*>& runs, Profile& p) {
    std::vector<std::pair<double, double>> rows;
    for (const FitRun* r : runs)
        if (r->config.load == LoadKind::closed)
            rows.emplace_back(r->measured.loadgen_cpu_s, static_cast<double>(sent_requests(r->config)));
    if (rows.empty()) return;
    const MeanFit f = pooled_ratio(rows);
    p.loadgen_cpu_s = f.mean;
    p.fit["loadgen_cpu_s"] = f.quality;
}

double cpu_parts_s(const Profile& p, const RunConfig& c) {
    const ReferenceRequest r = reference_request(p, c.io_pct / 100, cpu_frac(c), c.unit_s, c.cores);
    return r.cpu_s() + (c.loadgen_shared ? p.loadgen_cpu_s : 0);
}

// pg_sleep's own spread, timed inside the app on the reference host: sd 0.35 ms at 250 ms.
// The harness sees only whole requests, whose spread (about 2.4 ms) is the connection's CPU,
// not the sleep's; put on the IO phase it pulled apart requests that the real server keeps
// in lockstep (calibrate/data/README.md).
constexpr double kPgSleepCv = 0.0014;

// Uncontended 100% IO requests (one in flight): the latency beyond the pg_sleep and the CPU is the
// connection's wall time (TCP, the backend's start-up, the HTTP round trip).
void fit_connect_and_spread(const std::vector<const FitRun*>& runs, Profile& p) {
    std::vector<double> residuals;
    double within_ss = 0, io_mean_sum = 0;
    int groups = 0;
    for (const FitRun* r : runs) {
        const RunConfig& c = r->config;
        // One client, so one request in flight and none queued: with more in flight their CPU
        // parts contend on the server's cores (4 on 1 core tripled the residual), and with
        // more clients than workers the latency includes the wait in the backlog.
        if (c.io_pct < 100 || c.load != LoadKind::closed || c.clients > 1 ||
            r->measured.latencies_s.empty())
            continue;
        const auto& l = r->measured.latencies_s;
        const double mean = std::accumulate(l.begin(), l.end(), 0.0) / static_cast<double>(l.size());
        const double cpu_s = r->slowdown * cpu_parts_s(p, c);
        for (double v : l) {
            residuals.push_back(v - io_frac(c) * c.unit_s - cpu_s);
            within_ss += (v - mean) * (v - mean);
        }
        io_mean_sum += static_cast<double>(l.size()) * (mean - cpu_s);
        ++groups;
    }
    if (residuals.empty())
        throw std::invalid_argument("db_connect_s: no uncontended 100% IO run (closed loop, one client)");
    const MeanFit connect = mean_of(residuals);
    p.db_connect_s = std::max(0.0, connect.mean);
    p.fit["db_connect_s"] = connect.quality;
    p.io_cv = kPgSleepCv;
    // What the runs show, for the report: the whole request's spread, relative to its IO.
    const double n = static_cast<double>(residuals.size());
    if (n - groups < 1) return;
    const double sd = std::sqrt(within_ss / (n - groups));
    p.fit["uncontended_request_cv"] = {sd / (io_mean_sum / n) / std::sqrt(2 * (n - groups)), sd,
                                       static_cast<int>(n)};
}

// One-client 100% CPU runs: nothing else runs on the server's cores, so the spread of the
// latencies within a run is the spread of the loop's CPU time (cache, frequency, the
// hypervisor), which shows in every percentile under contention.
void fit_cpu_spread(const std::vector<const FitRun*>& runs, Profile& p) {
    // Squared CVs pooled over runs (weighted by their degrees of freedom), each run's relative
    // to its own mean; only runs whose loop dwarfs the fixed per-request costs.
    double cv2_sum = 0, dof = 0, n = 0;
    for (const FitRun* r : runs) {
        const RunConfig& c = r->config;
        const auto& l = r->measured.latencies_s;
        if (c.cpu_pct < 100 || c.load != LoadKind::closed || c.clients > 1 || l.size() < 2) continue;
        if (c.unit_s * p.loop_cpu_s < 10 * (p.request_cpu_s + p.loadgen_cpu_s + 1e-3)) continue;
        const double mean = std::accumulate(l.begin(), l.end(), 0.0) / static_cast<double>(l.size());
        double ss = 0;
        for (double v : l) ss += (v - mean) * (v - mean);
        cv2_sum += ss / (mean * mean);
        dof += static_cast<double>(l.size()) - 1;
        n += static_cast<double>(l.size());
    }
    if (dof < 1) return;
    p.cpu_cv = std::sqrt(cv2_sum / dof);
    p.fit["cpu_cv"] = {p.cpu_cv / std::sqrt(2 * dof), p.cpu_cv, static_cast<int>(n)};
}

// Saturated 100% CPU runs on k cores: throughput times the CPU a request needs at one busy
// core is the cores' worth of work done per second.
void fit_core_capacity(const std::vector<const FitRun*>& runs, int host_cores, Profile& p) {
    p.host_cores = host_cores;
    std::vector<double> measured{1.0};  // capacity(1) = 1: loop_cpu_s is one busy core's
    for (int k = 2; k <= host_cores; ++k) {
        std::vector<double> values;
        for (const FitRun* r : runs) {
            const RunConfig& c = r->config;
            const int in_flight = c.load == LoadKind::closed ? std::min(c.workers, c.clients) : 0;
            if (c.cores != k || c.cpu_pct < 100 || in_flight <= k) continue;
            values.push_back(r->measured.throughput_rps * r->slowdown * cpu_parts_s(p, c));
        }
        if (values.empty()) break;
        // The median: one run made while a co-tenant slowed a vCPU must not drag the curve.
        const MeanFit f = mean_of(values);
        measured.push_back(median(values));
        p.fit["core_capacity_" + std::to_string(k)] = f.quality;
    }
    Profile extend;
    extend.core_capacity = measured;
    p.core_capacity = capacity_curve(extend, host_cores);
}

// One observation per process: its PSS is its private part plus shared / (N + 1).
void fit_memory(const std::vector<const FitRun*>& runs, Profile& p) {
    std::vector<std::array<double, 4>> rows;  // master?, worker?, 1/(N+1), pss
    for (const FitRun* r : runs) {
        const double share = 1.0 / (r->config.workers + 1);
        if (r->measured.master_pss_kib) rows.push_back({1, 0, share, *r->measured.master_pss_kib});
        for (double pss : r->measured.worker_pss_kib) rows.push_back({0, 1, share, pss});
    }
    if (rows.empty()) throw std::invalid_argument("memory: no run measured PSS");
    const auto n = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd x(n, 3);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& row = rows[static_cast<std::size_t>(i)];
        x.row(i) << row[0], row[1], row[2];
        y(i) = row[3];
    }
    const LinearFit fit =
        fit_least_squares(x, y, Eigen::VectorXd::Ones(n), "memory (runs with different worker counts are needed)");
    p.memory.master_private_kib = std::max(0.0, fit.beta(0));
    p.memory.worker_private_kib = std::max(0.0, fit.beta(1));
    p.memory.shared_kib = std::max(0.0, fit.beta(2));
    p.fit["memory.master_private_kib"] = quality(fit, 0);
    p.fit["memory.worker_private_kib"] = quality(fit, 1);
    p.fit["memory.shared_kib"] = quality(fit, 2);
}

// The harness times Gunicorn's whole start: the master's own start-up, then N workers
// loading the app at once on `cores`. Loading is CPU work, so the start takes about
// a + b N / cores; b is one worker's fork-to-accept time on an idle core, which is what a
// respawned worker costs (the master is already up then).
void fit_boot(const std::vector<const FitRun*>& runs, Profile& p) {
    const auto n = static_cast<Eigen::Index>(runs.size());
    Eigen::MatrixXd x(n, 2);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const RunConfig& c = runs[static_cast<std::size_t>(i)]->config;
        x.row(i) << 1.0, static_cast<double>(c.workers) / c.cores;
        y(i) = runs[static_cast<std::size_t>(i)]->measured.boot_s;
    }
    try {
        const LinearFit fit = fit_least_squares(x, y, Eigen::VectorXd::Ones(n), "boot_s");
        if (fit.beta(1) > 0) {
            p.boot_s = fit.beta(1);
            p.fit["boot_s"] = quality(fit, 1);
            return;
        }
    } catch (const std::invalid_argument&) {
    }
    // One worker count only (or no growth with N): the whole start bounds a worker's boot.
    std::vector<double> boots;
    for (const FitRun* r : runs) boots.push_back(r->measured.boot_s);
    const MeanFit f = mean_of(boots);
    p.boot_s = f.mean;
    p.fit["boot_s"] = f.quality;
}

// The fitted runs at one speed: the median of their probes, when every one of them was
// probed (runs recorded before probing existed are taken as measured).
std::vector<FitRun> at_reference_speed(const std::vector<const Run*>& runs, double& reference_ns) {
    std::vector<double> probes;
    for (const Run* r : runs)
        if (const auto ns = probe_ns(r->measured)) probes.push_back(*ns);
    reference_ns = probes.size() == runs.size() ? median(probes) : 0.0;
    std::vector<FitRun> out;
    for (const Run* r : runs) {
        FitRun f{r->config, r->measured, 1.0};
        if (reference_ns > 0) {
            f.slowdown = *probe_ns(r->measured) / reference_ns;
            RunMeasurement& m = f.measured;
            m.worker_cpu_s /= f.slowdown;
            m.master_cpu_s /= f.slowdown;
            if (m.database_cpu_s) *m.database_cpu_s /= f.slowdown;
            m.loadgen_cpu_s /= f.slowdown;
            m.boot_s /= f.slowdown;
        }
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace

Profile fit_profile(const std::vector<Run>& all_runs, const FitOptions& options) {
    // The sync runs fit the request's costs, the cores, memory and boot; the gthread runs
    // then only what gthread adds (calibrate/fitting/gthread_fit.hpp), so a runs file without
    // them fits as it always did.
    std::vector<const Run*> fitted;
    int gthread_runs = 0;
    for (const Run& r : all_runs) {
        if (r.config.holdout || r.measured.completed == 0) continue;
        if (r.config.worker_class == WorkerClass::sync) fitted.push_back(&r);
        else ++gthread_runs;
    }
    if (fitted.empty()) throw std::invalid_argument("no sync runs to fit: every one is held out or completed nothing");
    if (options.host_cores < 1) throw std::invalid_argument("host_cores must be >= 1");

    Profile p;
    // Linux's scheduler: one run queue per core. With the sleep's own (tiny) spread, it chose
    // better than one shared queue on the full plan's fitted runs, for both profiles.
    p.cpu_scheduler = CpuScheduler::per_core_queues;
    const std::vector<FitRun> normalised = at_reference_speed(fitted, p.host_probe_ns);
    std::vector<const FitRun*> runs;
    for (const FitRun& r : normalised) runs.push_back(&r);
    p.name = options.name;
    p.provenance = options.provenance;
    p.host_probe = options.host_probe;
    fit_worker_cpu(runs, p);
    fit_database_cpu(runs, options.host_cores, p);
    fit_loadgen_cpu(runs, p);
    fit_connect_and_spread(runs, p);  // after the CPU parts it subtracts
    fit_cpu_spread(runs, p);
    fit_core_capacity(runs, options.host_cores, p);
    fit_memory(runs, p);
    fit_boot(runs, p);
    fit_gthread(all_runs, p);
    std::ostringstream notes;
    if (!p.provenance.notes.empty()) notes << p.provenance.notes << "; ";
    notes << "fitted from " << runs.size() << " of " << all_runs.size()
          << " runs (the others held out, empty or gthread); boot_s is the per-worker slope of the measured start-up";
    if (gthread_runs > 0) notes << "; gthread's memory and accept race from " << gthread_runs << " gthread runs";
    if (p.host_probe_ns > 0)
        notes << "; CPU figures at the fitted runs' median speed probe, " << p.host_probe_ns << " ns per iteration";
    p.provenance.notes = notes.str();
    return p;
}

}  // namespace workersim
