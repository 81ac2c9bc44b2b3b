#pragma once
// Mean value analysis of a Gunicorn sync-worker pool.
//
// A busy sync worker holds one request from accept() to response, so the requests in service
// form a closed queueing network: the host's cores, a load-dependent processor-sharing station
// (n jobs share capacity(min(n, C)) cores), and the request's IO, a delay (infinite-server)
// station. Both station types keep product form for any service distribution (BCMP), so the
// closed solution is exact for the simulator's steady state, whatever the phase shapes.
//
// Closed-loop clients (hey -c): with clients >= workers every worker is always busy and the
// network holds `workers` customers, the other clients waiting in the backlog (their response
// time follows from Little's law); with fewer clients it holds the clients. Open Poisson load
// is approximated (see solve_open_pool). All answers are steady state: a finite hey run that
// starts every client at t = 0 has a start-up transient the model does not see.

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "model/result.hpp"
#include "model/scenario.hpp"

namespace workersim {

// The closed network with `customers` requests in service.
struct ClosedPoolSolution {
    int customers = 0;
    double throughput_rps = 0;
    double cpu_residence_s = 0;    // time a request spends at the cores, queueing included
    double cycle_s = 0;            // cpu_residence_s + the IO delay: a worker's holding time
    double mean_cpu_jobs = 0;      // E[jobs runnable]
    double mean_busy_cores = 0;    // E[min(jobs, C)]
    std::vector<double> cpu_jobs_probability;  // P(n jobs at the cores), n = 0..customers
};

// The CPU side of the pool seen as one load-dependent station: with j requests at their CPU
// phases it completes one every seconds_per_completion[j] and keeps busy_cores[j] cores busy
// (j = 1..size - 1; index 0 unused). Sync workers: the cores themselves (shared_cores);
// gthread: the cores and every process's GIL folded into one (model/gthread_mva.hpp).
struct CpuStation {
    double demand_s = 0;                    // CPU seconds per request
    Eigen::ArrayXd seconds_per_completion;  // 1 / mu(j)
    Eigen::ArrayXd busy_cores;
};

// The host's cores as a processor-sharing station: mu(j) = capacity(min(j, C)) / demand.
CpuStation shared_cores(const Host& host, double cpu_demand_s, int max_jobs);

// Exact load-dependent MVA (Reiser-Lavenberg with marginal queue-length probabilities):
// the solutions for 0..max_customers customers in one O(max_customers^2) pass.
std::vector<ClosedPoolSolution> solve_mva(const Host& host, double cpu_demand_s, double io_delay_s,
                                          int max_customers);
std::vector<ClosedPoolSolution> solve_mva(const CpuStation& cpu, double io_delay_s, int max_customers);

// The same network solved from its product form (normalising constant in log space, O(n)),
// for large populations where the O(n^2) recursion is too slow.
ClosedPoolSolution solve_product_form(const Host& host, double cpu_demand_s, double io_delay_s, int customers);
ClosedPoolSolution solve_product_form(const CpuStation& cpu, double io_delay_s, int customers);

// Open Poisson arrivals to a pool of `workers` (APPROXIMATE): an M/G/c queue for a worker
// whose holding time is the IO plus the CPU demand inflated by the cores' slowdown at the
// implied utilisation (the cores as an open load-dependent birth-death station truncated at
// `workers`), with Erlang C for the probability of waiting and the Allen-Cunneen factor
// (1 + cs^2) / 2 for the holding time's variability.
struct OpenPoolSolution {
    bool stable = false;           // offered worker load < workers
    double holding_s = 0;          // a worker's mean time per request
    double holding_scv = 0;
    double offered_workers = 0;    // rate * holding_s (Erlangs)
    double wait_probability = 0;   // Erlang C
    double mean_wait_s = 0;        // in the backlog
    double mean_busy_cores = 0;
};
OpenPoolSolution solve_open_pool(const Scenario& scenario);
// The same for `holders` request holders whose CPU is `cpu` (at least `holders` jobs deep).
OpenPoolSolution solve_open_pool(const Scenario& scenario, const CpuStation& cpu, int holders);

// How analytic latency percentiles are derived, for the output to say so.
extern const char* const kAnalyticPercentileNote;

// The analytic prediction in the simulator's Result shape: throughput and means from MVA
// (sync: exact in steady state for closed loads, approximate for open loads; gthread:
// approximate, model/gthread_mva.hpp), percentiles APPROXIMATE (kAnalyticPercentileNote), no
// histogram, events = 0. Throws std::invalid_argument for what gthread_mva_refusal refuses.
Result predict_mva(const Scenario& scenario);

}  // namespace workersim
