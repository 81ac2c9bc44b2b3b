#include "calibrate/fitting/validation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/replications.hpp"
#include "calibrate/fitting/gthread_fit.hpp"
#include "calibrate/records/plan.hpp"
#include "model/sample_statistics.hpp"
#include "model/what_if.hpp"
#include "sim/simulator.hpp"

namespace workersim {

const char* metric_name(Metric metric) {
    switch (metric) {
        case Metric::throughput: return "throughput_rps";
        case Metric::latency_mean: return "latency_mean_s";
        case Metric::latency_p50: return "latency_p50_s";
        case Metric::latency_p99: return "latency_p99_s";
        case Metric::memory: return "memory_kib";
    }
    return "?";
}

namespace {

std::size_t index(Metric m) { return static_cast<std::size_t>(m); }

std::array<std::optional<double>, kMetricCount> measured_metrics(const Run& run) {
    const RunMeasurement& m = run.measured;
    std::array<std::optional<double>, kMetricCount> out{};
    out[index(Metric::throughput)] = m.throughput_rps;
    out[index(Metric::latency_mean)] = m.latency_mean_s;
    out[index(Metric::latency_p50)] = m.latency_p50_s;
    out[index(Metric::latency_p99)] = m.latency_p99_s;
    // The server's memory is the master's PSS and every worker's: none of them read, none measured.
    if (m.master_pss_kib || !m.worker_pss_kib.empty()) {
        double memory = m.master_pss_kib.value_or(0);
        for (double w : m.worker_pss_kib) memory += w;
        out[index(Metric::memory)] = memory;
    }
    return out;
}

double cpu_time_factor(const Profile& profile, const Run& run, const ValidationOptions& options) {
    return options.host_speed ? run_cpu_time_factor(profile, run) : 1.0;
}

struct Predicted {
    std::array<double, kMetricCount> metrics{};
    std::array<double, kMetricCount> sd{};
    double busiest_share = 0;  // gthread: the busiest process's share of the responses
};

Predicted predict_run(const Profile& profile, const Run& run, double cpu_time_factor, const ValidationOptions& options) {
    Scenario scenario;
    try {
        WhatIf what_if = what_if_for(run.config);
        what_if.cpu_time_factor = cpu_time_factor;
        scenario = build_scenario(profile, what_if);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("run " + run.config.id + ": " + e.what());
    }
    Predicted out;
    auto& metrics = out.metrics;
    const int seeds = std::max(1, options.seeds);
    std::array<std::vector<double>, kMetricCount> samples;
    for (int i = 0; i < seeds; ++i) {
        // The replications' seeds (analysis/replications.hpp), as predict's are.
        const Result r = simulate(scenario, replication_seed(options.seed, i));
        samples[index(Metric::throughput)].push_back(r.throughput_rps);
        samples[index(Metric::latency_mean)].push_back(r.latency.mean_s);
        samples[index(Metric::latency_p50)].push_back(r.latency.p50_s);
        samples[index(Metric::latency_p99)].push_back(r.latency.p99_s);
        if (!r.served_by_worker.empty()) out.busiest_share += busiest_share(r.served_by_worker) / seeds;
    }
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        for (double x : samples[m]) metrics[m] += x / seeds;
        if (samples[m].size() > 1) out.sd[m] = sample_sd(samples[m], mean(samples[m]));
    }
    metrics[index(Metric::memory)] = profile.memory.total_pss_kib(scenario.server);
    return out;
}

// The standard normal's 95th percentile: +- this many standard deviations hold 90%.
constexpr double kNormal90 = 1.6448536269514722;

bool inside_spread(const RunComparison& c, std::size_t m) {
    return c.measured[m] && std::abs(c.predicted[m] - *c.measured[m]) <= kNormal90 * c.predicted_sd[m];
}

std::vector<RepeatedRuns> repeated_runs(const std::vector<RunComparison>& runs) {
    std::map<std::string, std::vector<const RunComparison*>> groups;
    for (const RunComparison& c : runs)
        if (const std::string id = repeated_id(c.id); !id.empty()) groups[id].push_back(&c);
    std::vector<RepeatedRuns> out;
    for (const auto& [id, members] : groups) {
        if (members.size() < 2) continue;
        RepeatedRuns g;
        g.id = id;
        g.runs = static_cast<int>(members.size());
        for (std::size_t m = 0; m < kMetricCount; ++m) {
            std::vector<double> measured, predicted, predicted_sd;
            for (const RunComparison* c : members) {
                if (c->measured[m]) measured.push_back(*c->measured[m]);
                predicted.push_back(c->predicted[m]);
                predicted_sd.push_back(c->predicted_sd[m]);
            }
            g.predicted_mean[m] = mean(predicted);
            g.predicted_sd[m] = mean(predicted_sd);
            if (measured.size() < 2) continue;
            g.measured_mean[m] = mean(measured);
            g.measured_sd[m] = sample_sd(measured, g.measured_mean[m]);
            if (g.measured_mean[m] > 0)
                g.abs_pct_error[m] = 100 * std::abs(g.predicted_mean[m] - g.measured_mean[m]) / g.measured_mean[m];
        }
        out.push_back(g);
    }
    return out;
}

// The median and the worst of one metric's errors, each error with the id it is of.
MetricSummary summary_of(Metric metric, const std::vector<std::pair<double, std::string>>& errors) {
    MetricSummary s;
    s.metric = metric;
    s.points = static_cast<int>(errors.size());
    std::vector<double> values;
    for (const auto& [error, id] : errors) {
        values.push_back(error);
        if (error >= s.worst_abs_pct_error) {
            s.worst_abs_pct_error = error;
            s.worst_run = id;
        }
    }
    if (!values.empty()) s.median_abs_pct_error = median(values);
    return s;
}

std::array<MetricSummary, kMetricCount> summarise(const std::vector<RunComparison>& runs, WorkerClass worker_class) {
    std::array<MetricSummary, kMetricCount> out{};
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        std::vector<std::pair<double, std::string>> errors;
        int inside = 0;
        for (const RunComparison& c : runs) {
            if (c.worker_class != worker_class || !c.abs_pct_error[m]) continue;
            errors.emplace_back(*c.abs_pct_error[m], c.id);
            if (inside_spread(c, m)) ++inside;
        }
        out[m] = summary_of(static_cast<Metric>(m), errors);
        out[m].inside_spread = inside;
    }
    return out;
}

std::array<MetricSummary, kMetricCount> summarise_repeats(const std::vector<RepeatedRuns>& repeats) {
    std::array<MetricSummary, kMetricCount> out{};
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        std::vector<std::pair<double, std::string>> errors;
        for (const RepeatedRuns& g : repeats)
            if (g.abs_pct_error[m]) errors.emplace_back(*g.abs_pct_error[m], g.id);
        out[m] = summary_of(static_cast<Metric>(m), errors);
    }
    return out;
}

// Alike but for `knob`: everything the model is asked, except the request count (runs are
// sized to a duration, so the same point on one core gets fewer requests).
bool alike_but(const RunConfig& a, const RunConfig& b, const std::string& knob) {
    const bool same_rest = a.workers == b.workers && a.io_pct == b.io_pct && a.cpu_pct == b.cpu_pct &&
                           a.unit_s == b.unit_s && a.load == b.load && a.clients == b.clients &&
                           a.rate_per_s == b.rate_per_s && a.timeout_s == b.timeout_s && a.backlog == b.backlog &&
                           a.worker_class == b.worker_class && a.threads == b.threads;
    if (!same_rest) return false;
    if (knob == "keepalive")  // gthread: -disable-keepalive -> hey's keep-alive
        return a.worker_class == WorkerClass::gthread && a.cores == b.cores && a.loadgen_shared == b.loadgen_shared &&
               !a.client_keep_alive && b.client_keep_alive;
    if (a.client_keep_alive != b.client_keep_alive) return false;
    if (knob == "cores") return a.cores > b.cores && a.loadgen_shared == b.loadgen_shared;
    return a.cores == b.cores && !a.loadgen_shared && b.loadgen_shared;  // "loadgen": separate -> shared
}

// "-r3" of a repeated run's id, "" of any other: repeats pair with their own round only.
std::string repeat_suffix(const std::string& run_id) {
    const std::string id = repeated_id(run_id);
    return id.empty() ? std::string{} : run_id.substr(id.size());
}

std::vector<KnobComparison> knob_comparisons(const std::vector<const Run*>& runs,
                                             const std::vector<RunComparison>& compared) {
    const auto throughput = static_cast<std::size_t>(Metric::throughput);
    std::vector<KnobComparison> out;
    for (const char* knob : {"cores", "loadgen", "keepalive"})
        for (std::size_t i = 0; i < runs.size(); ++i)
            for (std::size_t j = 0; j < runs.size(); ++j) {
                if (i == j || !alike_but(runs[i]->config, runs[j]->config, knob)) continue;
                if (repeat_suffix(runs[i]->config.id) != repeat_suffix(runs[j]->config.id)) continue;  // round by round
                const RunComparison& from = compared[i];
                const RunComparison& to = compared[j];
                // Throughput is always measured: completed / makespan.
                if (!(*from.measured[throughput] > 0 && from.predicted[throughput] > 0)) continue;
                out.push_back({knob, from.id, to.id, *to.measured[throughput] / *from.measured[throughput],
                               to.predicted[throughput] / from.predicted[throughput]});
            }
    return out;
}

}  // namespace

double run_cpu_time_factor(const Profile& profile, const Run& run) {
    const std::optional<double> run_ns = probe_ns(run.measured);
    if (!run_ns || profile.host_probe_ns <= 0) return 1.0;
    return *run_ns / profile.host_probe_ns;
}

Validation validate_runs(const Profile& profile, const std::vector<Run>& runs, const ValidationOptions& options) {
    Validation out;
    std::vector<const Run*> compared;
    for (const Run& run : runs) {
        if (options.holdout_only && !run.config.holdout) continue;
        if (run.measured.completed <= 0) continue;
        compared.push_back(&run);
        RunComparison c;
        c.id = run.config.id;
        c.holdout = run.config.holdout;
        c.measured = measured_metrics(run);
        c.cpu_time_factor = cpu_time_factor(profile, run, options);
        c.worker_class = effective_worker_class(what_if_for(run.config).server);
        const Predicted predicted = predict_run(profile, run, c.cpu_time_factor, options);
        c.predicted = predicted.metrics;
        c.predicted_sd = predicted.sd;
        if (!run.measured.requests_by_worker.empty()) {
            c.measured_busiest_share = busiest_share(run.measured.requests_by_worker);
            c.predicted_busiest_share = predicted.busiest_share;
        }
        for (std::size_t m = 0; m < kMetricCount; ++m) {
            const std::optional<double>& measured = c.measured[m];
            // A relative error needs a measured value it is relative to: a 0 has none.
            if (measured && *measured > 0)
                c.abs_pct_error[m] = 100 * std::abs(c.predicted[m] - *measured) / *measured;
        }
        out.runs.push_back(c);
    }
    out.metrics = summarise(out.runs, WorkerClass::sync);
    out.gthread_metrics = summarise(out.runs, WorkerClass::gthread);
    out.knobs = knob_comparisons(compared, out.runs);
    out.repeats = repeated_runs(out.runs);
    out.repeat_metrics = summarise_repeats(out.repeats);
    return out;
}


}  // namespace workersim
