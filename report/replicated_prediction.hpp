#pragma once
// What `predict` finds by simulation: one run, or R replications of it with confidence
// intervals and warm-up removal, on a profile; optionally the same replications with the
// profile's values drawn (how much of the spread is the calibration's). Text and JSON; the
// replicated figures' own JSON shape is model/replicated_result_json.hpp.

#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "model/profile.hpp"
#include "model/replicated_result.hpp"

namespace workersim::report {

struct SimulatedPrediction {
    int workers = 0;
    int cores = 0;
    WorkerClass worker_class = WorkerClass::sync;  // as Gunicorn runs it (effective_worker_class)
    int threads = 1;
    Profile profile;
    bool embedded_profile = false;  // the binary's own: the text says how to move it to this host
    ReplicatedResult replicated;    // one replication: the plain run
    std::optional<ReplicatedResult> with_profile_drawn;
};

// The configuration and calibration, hey's summary, then the intervals.
void print_prediction(std::ostream& out, const SimulatedPrediction& prediction);
// One run's shape (model/result_json.hpp) unless replicated or steady-state, then the
// replicated shape; plus "calibration" and "with_profile_uncertainty".
nlohmann::json prediction_json(const SimulatedPrediction& prediction);

// The warm-up removed, if steady-state mode ran; then "Confidence (95%, R replications)"
// with mean ± half-width and the spread of one run. Nothing for a single plain replication,
// so a plain run's output is hey's alone.
void print_confidence(std::ostream& out, const ReplicatedResult& result);
// One run's spread with the profile as fitted and with its values drawn per replication.
void print_profile_uncertainty(std::ostream& out, const ReplicatedResult& fitted, const ReplicatedResult& drawn);

}  // namespace workersim::report
