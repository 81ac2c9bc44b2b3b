#pragma once
// From `calibrate --app`'s runs to a profile of the user's app.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/records/app_run.hpp"
#include "model/profile.hpp"

namespace workersim {

struct AppFitInput {
    std::string callable;  // MODULE:CALLABLE
    std::string chdir;
    std::vector<std::pair<std::string, double>> urls;  // path, weight: as given to --url
    Provenance provenance;
    int host_cores = 2;
};

// Per URL its serial run's CPU and IO per request, as measured (empirical distributions);
// Gunicorn's own CPU per request (the workers' /proc CPU beyond what the hooks saw, over all
// serial runs); memory from the memory runs, without and with --preload, by least squares on
// PSS = private + shared / (workers + 1) for the master and each worker; boot time. A URL
// without a serial run is left out. A URL's IO slowdown per concurrent caller from its
// concurrent run, where it has one (fit_io_slowdown). Throws std::invalid_argument when no URL
// has a serial run.
Profile fit_app_profile(const std::vector<AppRun>& runs, const AppFitInput& input);

// A URL's IO with kConcurrentCallers workers calling it at once against its IO alone.
struct IoSlowdown {
    double ratio = 1, ratio_error = 0;  // mean IO together / alone, and its standard error
    double callers = 0;                 // others at the downstream when a call starts, on average
    double per_caller = 0, per_caller_error = 0;  // Phase::slowdown_per_caller; 0 within noise
};
// From the URL's serial run and its concurrent run; std::nullopt when either has no IO.
std::optional<IoSlowdown> fit_io_slowdown(const AppRun& serial, const AppRun& concurrent);

// The memory model the memory runs with this --preload setting give, by the least squares
// above; std::nullopt without two worker counts to separate private from shared pages.
std::optional<MemoryModel> fit_app_memory(const std::vector<AppRun>& runs, bool preload);

}  // namespace workersim
