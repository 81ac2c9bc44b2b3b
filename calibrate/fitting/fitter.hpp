#pragma once
// Fits a calibration Profile to measured runs by least squares (Eigen). Only runs with
// holdout = false are used, so `workersim validate --holdout-only` is out of sample. Every
// fitted value gets its standard error, the rms residual of its fit and the number of
// measurements behind it in Profile::fit. No I/O: provenance comes in through the options.

#include <optional>
#include <string>
#include <vector>

#include "calibrate/records/run.hpp"
#include "model/profile.hpp"

namespace workersim {

struct FitOptions {
    std::string name = "calibrated";
    Provenance provenance;          // date, CPU, kernel, versions: collected by the caller
    int host_cores = 2;             // the measured host
    std::optional<HostProbe> host_probe;  // taken beside the runs (workersim probe's base)
};

// Throws std::invalid_argument when the runs cannot determine a parameter, naming it and the
// kind of run that would (e.g. "loop_cpu_s: no run with CPU work").
Profile fit_profile(const std::vector<Run>& runs, const FitOptions& options);

}  // namespace workersim
