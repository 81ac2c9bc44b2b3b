#pragma once
// Asymptotic bounds (operational analysis, Lazowska et al. ch. 5) on a worker pool's
// throughput and response time: no assumption about distributions or scheduling, so every
// steady-state prediction, simulated or analytic, must lie inside them.

#include "model/scenario.hpp"

namespace workersim {

struct AsymptoticBounds {
    // Per request. cpu_demand_s includes the load generator's CPU when it shares the cores.
    double cpu_demand_s = 0;
    double io_demand_s = 0;
    // A request alone on the host: CPU at one busy core's capacity, plus its IO.
    double min_response_s = 0;
    // Requests in service at once: min(clients, holders) closed, holders open, where holders
    // are the workers under sync and workers x threads under gthread.
    int population = 0;
    double pool_limit_rps = 0;     // population / min_response_s: every worker busy, no contention
    double cpu_limit_rps = 0;      // capacity(cores) / cpu_demand_s: the cores saturated
    // gthread: each process's GIL serves its Python (the worker CPU outside the GIL-free
    // share) one thread at a time, at most one core's worth: workers / python_demand_s.
    // Infinite under sync. A bound, not an estimate: forced switches and the convoy (sim/gil)
    // and keep-alive's uneven spread of clients only lower the real figure.
    double python_demand_s = 0;
    double gil_limit_rps = 0;
    double max_throughput_rps = 0; // the smallest of the three (and the offered rate, open loop)
    // Closed loop: clients / max_throughput_rps, at least min_response_s (Little's law with
    // every client always waiting on a request). Open loop: min_response_s.
    double min_client_response_s = 0;
};

AsymptoticBounds asymptotic_bounds(const Scenario& scenario);

// What can hold a request at once: the worker processes under sync, their pool threads
// (workers x threads, at most 10^9 by model/limits.hpp) under gthread.
int request_holders(const Scenario& scenario);

// The pool's throughput bound that flags an open load as unstable (Result::capacity_rps), one
// figure for the simulator and the analytic models: every worker (gthread: every thread) busy
// on a request's CPU and IO demand, the cores saturated by the CPU demand and the load
// generator's, or (gthread) every process's GIL busy with its Python. 0: unbounded.
double pool_capacity_rps(const Scenario& scenario);
bool beyond_capacity(const Scenario& scenario);  // an open load at or above pool_capacity_rps

}  // namespace workersim
