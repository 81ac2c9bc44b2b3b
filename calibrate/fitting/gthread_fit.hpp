#pragma once
// What gthread runs add to a profile the sync runs fitted (calibrate/fitting/fitter.hpp):
//   memory.gthread_worker_kib, memory.thread_kib: a gthread process's PSS beyond a sync
//       worker's, by least squares over every worker's PSS against its --threads, from the
//       runs where every pool thread must have started (ThreadPoolExecutor starts one only
//       when no idle one can take the work): one process with at least as many clients as
//       threads, or no keep-alive with twice the pool's threads as clients and every process
//       serving;
//   gthread_connection_cpu_s: gthread's Python per new connection (ServerConfig::
//       connection_cpu_s): the -disable-keepalive runs' worker CPU per request beyond the
//       sync fit's, at the profile's speed;
//   gthread_main_wake_s: the accept race's mean wake-up delay (ServerConfig::main_wake_s),
//       the value on a log grid whose simulations come closest to the closed runs' (more
//       than one process) throughput and busiest process's share of the responses; it
//       decides how unevenly hey's kept connections land on the processes;
//   gthread_main_wake_order_s: the step of the herd's wake order (ServerConfig::
//       main_wake_order_s), searched on the same runs alternately with the wake delay;
//       without keep-alive it decides which process every request goes to.
// No I/O. Runs that are not gthread, held out or empty are skipped; with none left the
// profile is returned as it came.

#include <vector>

#include "calibrate/records/run.hpp"
#include "model/profile.hpp"

namespace workersim {

// `profile` must already hold the sync fit (its CPU costs, its memory model, its host_probe_ns):
// the gthread runs are simulated with it, each at its own probed host speed. Each value's
// quality goes to Profile::fit; for the wake delay's grid search its rms residual is the
// square root of the objective (log throughput ratio squared plus share difference squared,
// run mean) and it has no standard error.
void fit_gthread(const std::vector<Run>& runs, Profile& profile);

// The share of a run's responses its busiest process wrote; 0 when the run did not count them.
double busiest_share(const std::vector<std::int64_t>& responses_by_process);

}  // namespace workersim
