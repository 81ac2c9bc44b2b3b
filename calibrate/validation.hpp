#pragma once
// How well a profile predicts measured runs: each run is simulated with exactly its
// configuration (what_if_for -> build_scenario -> simulate, averaged over a few seeds) and
// compared with what was measured. Plain structs in and out, no I/O.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/run.hpp"
#include "model/profile.hpp"

namespace workersim {

enum class Metric { throughput, latency_mean, latency_p50, latency_p99, memory };
constexpr std::size_t kMetricCount = 5;
const char* metric_name(Metric metric);  // "throughput_rps", "latency_mean_s", ...

struct ValidationOptions {
    std::uint64_t seed = 1;
    int seeds = 4;              // simulations averaged per run
    bool holdout_only = false;  // only the runs the fit never saw
};

struct RunComparison {
    std::string id;
    bool holdout = false;
    std::array<double, kMetricCount> measured{};
    std::array<double, kMetricCount> predicted{};
    // |predicted - measured| / measured, in percent; empty where the run did not measure the
    // metric (httperf reports no p99; an existing database's runs may lack memory).
    std::array<std::optional<double>, kMetricCount> abs_pct_error{};
};

struct MetricSummary {
    Metric metric = Metric::throughput;
    int points = 0;
    double median_abs_pct_error = 0;
    double worst_abs_pct_error = 0;
    std::string worst_run;
};

struct Validation {
    std::vector<RunComparison> runs;
    std::array<MetricSummary, kMetricCount> metrics{};
};

// Throws std::invalid_argument naming the run whose configuration the model rejects.
Validation validate_runs(const Profile& profile, const std::vector<Run>& runs, const ValidationOptions& options);

}  // namespace workersim
