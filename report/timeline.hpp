#pragma once
// `predict --timeline --json`: one run with the server's state sampled over simulated time,
// for plots of queue build-up, timeout kills and restarts (a summary hides when they
// happened).

#include <nlohmann/json.hpp>

#include "sim/simulator.hpp"

namespace workersim::report {

// The run's Result (model/result_json.hpp) plus "timeline": [{time_s, accept_queue,
// busy_workers, live_workers, completed, worker_timeouts, worker_restarts}, ...].
nlohmann::json timeline_json(const Simulation& simulation);

}  // namespace workersim::report
