#include "calibrate/validation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

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

std::array<double, kMetricCount> measured_metrics(const Run& run) {
    const RunMeasurement& m = run.measured;
    std::array<double, kMetricCount> out{};
    out[index(Metric::throughput)] = m.throughput_rps;
    out[index(Metric::latency_mean)] = m.latency_mean_s;
    out[index(Metric::latency_p50)] = m.latency_p50_s;
    out[index(Metric::latency_p99)] = m.latency_p99_s;
    double memory = m.master_pss_kib;
    for (double w : m.worker_pss_kib) memory += w;
    out[index(Metric::memory)] = memory;
    return out;
}

std::array<double, kMetricCount> predicted_metrics(const Profile& profile, const Run& run,
                                                   const ValidationOptions& options) {
    Scenario scenario;
    try {
        scenario = build_scenario(profile, what_if_for(run.config));
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("run " + run.config.id + ": " + e.what());
    }
    std::array<double, kMetricCount> out{};
    const int seeds = std::max(1, options.seeds);
    for (int i = 0; i < seeds; ++i) {
        const Result r = simulate(scenario, options.seed + static_cast<std::uint64_t>(i));
        out[index(Metric::throughput)] += r.throughput_rps / seeds;
        out[index(Metric::latency_mean)] += r.latency.mean_s / seeds;
        out[index(Metric::latency_p50)] += r.latency.p50_s / seeds;
        out[index(Metric::latency_p99)] += r.latency.p99_s / seeds;
    }
    out[index(Metric::memory)] = profile.memory.total_pss_kib(run.config.workers);
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

Validation validate_runs(const Profile& profile, const std::vector<Run>& runs, const ValidationOptions& options) {
    Validation out;
    for (const Run& run : runs) {
        if (options.holdout_only && !run.config.holdout) continue;
        if (run.measured.completed <= 0) continue;
        RunComparison c;
        c.id = run.config.id;
        c.holdout = run.config.holdout;
        c.measured = measured_metrics(run);
        c.predicted = predicted_metrics(profile, run, options);
        for (std::size_t m = 0; m < kMetricCount; ++m)
            if (c.measured[m] > 0) c.abs_pct_error[m] = 100 * std::abs(c.predicted[m] - c.measured[m]) / c.measured[m];
        out.runs.push_back(c);
    }
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        MetricSummary& s = out.metrics[m];
        s.metric = static_cast<Metric>(m);
        std::vector<double> errors;
        for (const RunComparison& c : out.runs) {
            if (!c.abs_pct_error[m]) continue;
            errors.push_back(*c.abs_pct_error[m]);
            if (*c.abs_pct_error[m] >= s.worst_abs_pct_error) {
                s.worst_abs_pct_error = *c.abs_pct_error[m];
                s.worst_run = c.id;
            }
        }
        s.points = static_cast<int>(errors.size());
        if (!errors.empty()) s.median_abs_pct_error = median(errors);
    }
    return out;
}

}  // namespace workersim
