#pragma once
// The question a user asks ("N workers, C cores, this mix, this load") and how a profile
// turns it into a Scenario.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/profile.hpp"
#include "model/scenario.hpp"

namespace workersim {

struct Workload {
    // Either the reference app's mix, percentages of `unit_s` ...
    std::optional<double> io_pct;
    std::optional<double> cpu_pct;
    double unit_s = 1.0;
    // ... or the request's demands given directly (seconds of wall IO, seconds of one core).
    std::optional<double> io_s;
    std::optional<double> cpu_s;

    DistributionKind io_dist = DistributionKind::deterministic;
    double io_cv = 0.0;               // lognormal; with det, the profile's measured spread is used
    DistributionKind cpu_dist = DistributionKind::deterministic;
    double cpu_cv = 0.0;
    double io_slow_probability = 0.0; // a slow tail on the IO phase
    double io_slow_s = 0.0;
    // The share of the app's CPU (the loop, or cpu_s) spent in C code that releases the GIL
    // (Phase::gil_free_share); 0..1. Matters under gthread only.
    double gil_free_share = 0.0;
    // With a profile of a user's app (Profile::app) and none of the demands above, the
    // prediction serves the app's URLs. These weights (path as given to calibrate --url,
    // weight >= 0; renormalised; a URL left out gets none) replace the measured mix.
    std::vector<std::pair<std::string, double>> url_weights;
};

struct WhatIf {
    int workers = 1;
    std::optional<int> cores;         // default: the profile's host
    Workload workload;
    Load load;                        // loadgen_cpu_s is filled from the profile when shared
    bool loadgen_shared = false;
    // Gunicorn --preload: memory from the app's measured --preload PSS (AppProfile::preload_memory).
    bool preload = false;
    ServerConfig server;              // workers and boot_s are overwritten
    // The host's CPU runs this many times slower (> 1) or faster (< 1) than the calibrated
    // one: scales every CPU cost the profile gives (not --cpu-ms, which is the user's own).
    double cpu_time_factor = 1.0;
};

// Throws InvalidField (model/invalid_field.hpp) for a field out of its range, and
// std::invalid_argument naming the fields for inconsistent workloads (percentages not
// summing to 100, both a mix and direct demands, URL weights of a path the app does not have).
Scenario build_scenario(const Profile& profile, const WhatIf& what_if);

}  // namespace workersim
