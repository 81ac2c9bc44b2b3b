#pragma once
// How well an app's profile (calibrate --app) predicts the app's held-out runs: the contended
// runs (one URL, more clients than workers, one core and all) and the mix runs (every URL at
// once, one hey per URL, other worker counts, clients above and below them), each simulated
// with its own workers, cores, clients and load generator placement at the host speed its
// probes measured; PSS of the mix runs against the memory model. Plain structs, no I/O.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/records/app_run.hpp"
#include "model/profile.hpp"

namespace workersim {

// The figures issue 14's held-out bars are stated in.
enum class AppMetric { throughput, latency_mean, latency_p99, memory, url_latency_mean };
constexpr std::size_t kAppMetricCount = 5;
const char* app_metric_name(AppMetric metric);  // "throughput_rps", ..., "per_url_latency_mean_s"

struct AppValidationOptions {
    std::uint64_t seed = 1;
    int seeds = 16;          // simulations averaged per run
    bool host_speed = true;  // predict at the run's probed speed relative to the profile's
};

struct UrlComparison {
    std::string path;
    double measured_mean_s = 0, predicted_mean_s = 0;
    double abs_pct_error = 0;
};

struct AppRunComparison {
    std::string id;
    AppRunKind kind = AppRunKind::contended;
    double cpu_time_factor = 1;
    std::array<std::optional<double>, kAppMetricCount> measured{};
    std::array<double, kAppMetricCount> predicted{};
    std::array<std::optional<double>, kAppMetricCount> abs_pct_error{};  // run-level metrics only
    std::vector<UrlComparison> per_url;  // mix runs: each URL's mean latency
};

struct AppMetricSummary {
    AppMetric metric = AppMetric::throughput;
    int points = 0;
    double median_abs_pct_error = 0, worst_abs_pct_error = 0;
    std::string worst;  // the run (and URL) of the worst point
};

struct AppValidation {
    std::vector<AppRunComparison> runs;
    std::array<AppMetricSummary, kAppMetricCount> metrics{};
};

// The run's host speed over the profile's (both probed), else 1.
double app_run_cpu_time_factor(const Profile& profile, const AppRun& run);

// Throws std::invalid_argument when the profile has no app, or a run names a URL it lacks.
AppValidation validate_app_runs(const Profile& profile, const std::vector<AppRun>& runs,
                                const AppValidationOptions& options);

}  // namespace workersim
