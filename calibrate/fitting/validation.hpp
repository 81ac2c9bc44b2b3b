#pragma once
// How well a profile predicts measured runs: each run is simulated with exactly its
// configuration (what_if_for -> build_scenario -> simulate, averaged over a few seeds) and
// at the host speed it was measured at, and compared with what was measured. Plain structs in and out, no I/O.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/records/run.hpp"
#include "model/profile.hpp"

namespace workersim {

enum class Metric { throughput, latency_mean, latency_p50, latency_p99, memory };
constexpr std::size_t kMetricCount = 5;
const char* metric_name(Metric metric);  // "throughput_rps", "latency_mean_s", ...

struct ValidationOptions {
    std::uint64_t seed = 1;
    int seeds = 16;             // simulations averaged per run, seeded replication_seed(seed, i) (4 left 1% of noise in a prediction)
    bool holdout_only = false;  // only the runs the fit never saw
    // Predict each run at the host speed its probes measured, relative to the profile's
    // (when both were probed); false: as if the host always ran at the profile's speed.
    bool host_speed = true;
};

struct RunComparison {
    std::string id;
    bool holdout = false;
    WorkerClass worker_class = WorkerClass::sync;
    // gthread runs that counted each process's responses: the busiest process's share of them,
    // measured and predicted (the accept race's and keep-alive's signature).
    std::optional<double> measured_busiest_share;
    double predicted_busiest_share = 0;
    double cpu_time_factor = 1;  // the run's host speed relative to the profile's (WhatIf)
    std::array<std::optional<double>, kMetricCount> measured{};  // empty where the run did not measure it
    std::array<double, kMetricCount> predicted{};
    // The standard deviation of the seeds' simulations: how much the model says a second run
    // of the same configuration would differ (0 for memory, which is not simulated).
    std::array<double, kMetricCount> predicted_sd{};
    // |predicted - measured| / measured, in percent; empty where the run did not measure the
    // metric (httperf reports no p99; a run whose processes' PSS could not be read has no
    // memory) or measured 0, which no relative error is relative to.
    std::array<std::optional<double>, kMetricCount> abs_pct_error{};
};

struct MetricSummary {
    Metric metric = Metric::throughput;
    int points = 0;
    double median_abs_pct_error = 0;
    double worst_abs_pct_error = 0;
    std::string worst_run;
    // Points whose measured value lies within the model's 90% run-to-run range (predicted
    // +- 1.645 predicted_sd, the spread taken as normal): a model whose own randomness is the
    // real server's puts about 90% of them there.
    int inside_spread = 0;
};

// One configuration measured several times (run ids equal but for a -r1, -r2, ... suffix):
// where one run is a draw of a random split, the repeats' mean is what a prediction predicts.
struct RepeatedRuns {
    std::string id;  // the common id, without the suffix
    int runs = 0;
    std::array<double, kMetricCount> measured_mean{}, measured_sd{};
    std::array<double, kMetricCount> predicted_mean{};  // the runs' predictions, averaged
    std::array<double, kMetricCount> predicted_sd{};    // one run's spread, as the model has it
    // |predicted_mean - measured_mean| / measured_mean in percent; empty where unmeasured.
    std::array<std::optional<double>, kMetricCount> abs_pct_error{};
};

// Two runs alike but for one what-if knob (the server's cores, whether the load generator
// shares them, or, for gthread, hey's keep-alive): does the model move throughput the way the
// real server did?
struct KnobComparison {
    std::string knob;             // "cores", "loadgen" or "keepalive"
    std::string from_id, to_id;   // e.g. 2 cores -> 1 core, separate -> shared
    double measured_ratio = 0;    // throughput of `to` / throughput of `from`
    double predicted_ratio = 0;
};

struct Validation {
    std::vector<RunComparison> runs;
    std::array<MetricSummary, kMetricCount> metrics{};          // the sync runs
    std::array<MetricSummary, kMetricCount> gthread_metrics{};  // the gthread runs, apart
    std::vector<KnobComparison> knobs;  // every such pair among the compared runs
    std::vector<RepeatedRuns> repeats;  // configurations measured more than once
    // Over the repeated configurations: each one's error of the mean (inside_spread unused).
    std::array<MetricSummary, kMetricCount> repeat_metrics{};
};


// The run's probed host speed relative to the profile's (WhatIf::cpu_time_factor): a probe's
// figure is CPU time per iteration, so a probe twice the profile's means every CPU cost took
// twice as long. 1 when either was not probed.
double run_cpu_time_factor(const Profile& profile, const Run& run);

// Throws std::invalid_argument naming the run whose configuration the model rejects.
Validation validate_runs(const Profile& profile, const std::vector<Run>& runs, const ValidationOptions& options);

}  // namespace workersim
