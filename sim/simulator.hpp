#pragma once
// The discrete-event simulation of one Gunicorn experiment. Plain struct in, plain struct
// out: no I/O, no global state; the seed fixes every random draw. The mechanisms each have a
// file: clients (sim/clients.hpp), the listen socket (sim/listen_socket.hpp), the worker
// processes (sim/worker_pool.hpp, sim/sync_workers.hpp), the master (sim/arbiter.hpp), the
// cores (sim/cores.hpp) and what is observed (sim/statistics.hpp); simulator.cpp wires them
// and runs the one event loop.

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "model/result.hpp"
#include "model/scenario.hpp"

namespace workersim {

struct TimelinePoint {
    double time_s = 0;
    std::int64_t accept_queue = 0;     // connections waiting in the backlog
    std::int64_t busy_workers = 0;     // holding a request
    std::int64_t live_workers = 0;     // booted and not killed
    std::int64_t completed = 0;        // cumulative
    std::int64_t worker_timeouts = 0;  // cumulative
    std::int64_t worker_restarts = 0;  // cumulative
};

struct SimulationOptions {
    std::uint64_t seed = 1;
    double timeline_interval_s = 0;    // > 0: sample the state this often
    std::int64_t max_in_flight = 10'000'000;  // bound on simultaneous connections: ~72 B each, 0.7 GiB
    // > 0: also return the means of consecutive batches of this many response times, in
    // completion order (5 for MSER-5, analysis/warmup.hpp). Memory grows with the run: off by default.
    std::int64_t batch_means_of = 0;
    // Warm-up truncation: the first this many completed responses count in `completed` but
    // not in the latency statistics, and throughput is measured from the last of them on.
    std::int64_t discard_first_completions = 0;
    // Where the latency goes (Result::breakdown): each part's mean and p99 over the responses,
    // one more histogram per part.
    bool latency_breakdown = false;
};

struct Simulation {
    Result result;
    std::vector<TimelinePoint> timeline;
    std::vector<double> latency_batches;  // see SimulationOptions::batch_means_of
    double statistics_start_s = 0;        // when the discarded warm-up ended (0: none)
};

// The run would hold more than SimulationOptions::max_in_flight connections at once: an
// open load far beyond capacity, whose queue grows without bound.
struct InFlightLimitExceeded : std::length_error {
    using std::length_error::length_error;
};

// Throws std::invalid_argument for an invalid scenario and InFlightLimitExceeded when the run
// would exceed options.max_in_flight connections at once.
Simulation simulate(const Scenario& scenario, const SimulationOptions& options);
Result simulate(const Scenario& scenario, std::uint64_t seed);

}  // namespace workersim
