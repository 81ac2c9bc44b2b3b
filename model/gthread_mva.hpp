#pragma once
// APPROXIMATE mean value analysis of a Gunicorn gthread pool (issue 13): P processes of T pool
// threads, each process with one GIL.
//
// A request holds a pool thread from start to response, so the N = min(clients, P x T)
// requests in service form a closed network as under sync (model/mva.hpp): an IO delay station
// and a CPU side. Under gthread the CPU side is not product form: a request's Python (its
// worker CPU outside the GIL-free share, plus gthread's per-connection Python) needs its
// process's GIL and a core at once (simultaneous resource possession), GIL-free CPU (C code
// that releases the GIL, the database backend's, the load generator's) only a core. It is
// folded into one load-dependent station by a flow-equivalent server (Chandy, Herzog & Woo
// 1975): mu(j), the rate at which j requests at their CPU phases complete, computed as
//   - the j requests spread over the processes as a random draw from the N in service, each
//     process holding its even share of N (hypergeometric marginals);
//   - within a process of m requests at the CPU, the GIL a single-server queue (Python) and
//     the GIL-free CPU a delay, solved exactly at a common speed (MVA for one queue and one
//     delay: Reiser & Lavenberg 1980);
//   - every runnable thread (each process's GIL holder and its GIL-free ones) slowed alike by
//     the cores' processor sharing, at the mean number runnable K: capacity(min(K, C)) / K of a
//     core each, the profile's capacity curve interpolated between whole cores (mean field).
// The network is then solved exactly with that station (model/mva.hpp), so the result meets
// three limits exactly: no CPU (1 x T is T sync workers), all CPU GIL-free (P x T sync workers
// on the cores under the even split), and all CPU Python with no IO (min(P, C) cores' worth:
// capacity(min(P, C)) / Python demand).
//
// Assumptions, each a source of error the simulator does not share:
// - keep-alive off (hey -disable-keepalive, or --keepalive 0): with keep-alive a client stays
//   with the process that won its first accept race, an uneven binding no mean model sees, so
//   gthread_mva_refusal refuses it;
// - the requests in service spread evenly over the processes (N / P each). The simulator's
//   accept race is not even: with IO-bound requests every GIL is free and each connection goes
//   to a process at random, so some processes queue connections while others have idle
//   threads (4 x 4 threads, 16 clients, 100% IO: 11.8 req/s simulated, 16 here; 12.2 for
//   random routing's product form); with CPU-bound requests a busy process reaches accept()
//   late and the spread is close to even. Exact for one process, or clients >> P x T;
// - the main thread's accept (its wake-up and loop pass) and the GIL's switch interval, forced
//   switches and convoy (sim/gil.hpp) are left out: throughput is optimistic by their share;
// - the holding time's shape for percentiles is kAnalyticPercentileNote's, as under sync.

#include <string>

#include "model/mva.hpp"
#include "model/scenario.hpp"

namespace workersim {

// A request's demands as gthread serves it, per request.
struct GthreadDemands {
    double python_s = 0;    // needs the process's GIL and a core
    double gil_free_s = 0;  // needs a core only
    double io_s = 0;        // needs neither
};
GthreadDemands gthread_demands(const Scenario& scenario);

// The most work the approximation takes on: N requests in service cost N x (N / P + 1)
// hypergeometric terms (3 lgamma each, about 30 ns: 1e8 is a few seconds).
inline constexpr double kGthreadMvaMaxCost = 1e8;

// Why predict_mva cannot answer this gthread scenario ("" if it can, and for sync): a closed
// load with keep-alive on, or past kGthreadMvaMaxCost.
std::string gthread_mva_refusal(const Scenario& scenario);

// The cores and every process's GIL as one load-dependent station for 1..population requests
// at their CPU phases, population / P per process (the header's approximation).
CpuStation gthread_cpu_station(const Scenario& scenario, int population);

}  // namespace workersim
