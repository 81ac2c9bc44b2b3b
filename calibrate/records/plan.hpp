#pragma once
// The calibration plans: which experiments to run against the real server, as RunConfigs.
//   quick  a dozen short sync runs and four gthread ones (under 4 minutes on a 2-core host)
//          that still inform every fitted parameter, plus three held-out checks;
//   full   the seed article's grid (1..10 and 12 workers; 100% IO, 100% CPU, 90/10 and mixes
//          between; 2 cores with the load generator shared, 1 core with it on the other
//          core), clients below, at and above the workers, hey's n/c rounding, and open-loop
//          Poisson points; about 25 minutes. Then gthread's grid (1, 2, 4 processes x 1, 2, 4, 8
//          threads, the three mixes, both placements, hey with and without keep-alive),
//          about 15 minutes. Every third point of each grid is held out of the fit.
//   failure  requests longer than Gunicorn's --timeout: validates the kill mechanics; not fitted.
//   repeats  a few gthread configurations, each made kRepeats times (ids end in -r1, -r2, ...),
//          all held out: with hey's keep-alive one run's throughput depends on how its burst of
//          connections happened to split over the processes, so a prediction is checked
//          against the repeats' mean and spread, not one draw; about 15 minutes.

#include <string>
#include <vector>

#include "calibrate/records/run.hpp"

namespace workersim {

enum class PlanKind { quick, full, failure, repeats };

// How many times the repeats plan makes each of its configurations.
constexpr int kRepeats = 6;

// A repeated run's id: its configuration's id and the round, "ID-rN" (N from 1).
std::string repeat_run_id(const std::string& config_id, int round);
// The configuration's id of a repeated run ("x-r3" -> "x"); empty for a run that is no repeat.
std::string repeated_id(const std::string& run_id);

// Throws std::invalid_argument naming the accepted names.
PlanKind plan_kind_from_name(const std::string& name);
const char* plan_name(PlanKind kind);

// Deterministic: the same kind always gives the same runs, ids unique, in running order.
std::vector<RunConfig> make_plan(PlanKind kind);

// Seconds of load one run should take on a host like the measured ones (nominal costs, not a
// calibration): used to size the runs and to estimate the time a plan still needs.
double nominal_load_s(const RunConfig& config);

// Start-up, probe and shut-down of one Gunicorn around the load, measured on this host.
constexpr double kRunOverheadS = 2.5;

// The wall time a list of runs should take: nominal load plus the per-run overhead.
double nominal_duration_s(const std::vector<RunConfig>& runs);

}  // namespace workersim
