#include "model/gthread_mva.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>
#include <vector>

#include "model/bounds.hpp"

namespace workersim {

namespace {

bool gthread(const Scenario& s) { return effective_worker_class(s.server) == WorkerClass::gthread; }

// The closed-loop rule sim/gthread_workers.hpp keeps connections by: hey's keep-alive and a
// server keepalive > 0 (the open loop opens a connection per arrival).
bool keeps_connections(const Scenario& s) {
    return s.load.kind == LoadKind::closed && s.load.keep_alive && s.server.keepalive_s > 0;
}

// One process with m requests at their CPU phases, at unit speed: the GIL a single-server
// queue of the Python demand, the GIL-free CPU a delay; exact MVA for m = 0..max_jobs.
struct ProcessCpu {
    std::vector<double> throughput_rps;  // completions per second of CPU speed
    std::vector<double> runnable;        // threads wanting a core: the GIL holder + GIL-free ones
};

ProcessCpu solve_process_cpu(double python_s, double gil_free_s, int max_jobs) {
    ProcessCpu p;
    p.throughput_rps.assign(static_cast<std::size_t>(max_jobs) + 1, 0.0);
    p.runnable.assign(static_cast<std::size_t>(max_jobs) + 1, 0.0);
    double gil_queue = 0;  // mean requests at the GIL with m - 1 in the process
    for (int m = 1; m <= max_jobs; ++m) {
        const double gil_residence_s = python_s * (1 + gil_queue);
        const double x = m / (gil_residence_s + gil_free_s);
        gil_queue = x * gil_residence_s;
        p.throughput_rps[static_cast<std::size_t>(m)] = x;
        p.runnable[static_cast<std::size_t>(m)] = x * python_s + x * gil_free_s;  // GIL busy + GIL-free jobs
    }
    return p;
}

double log_choose(int n, int k) { return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0); }

// E[throughput] and E[runnable] of one process holding `share` of the `population` requests in
// service when `jobs` of them are at their CPU phases, the jobs drawn at random
// (hypergeometric: Feller 1968, II.6).
struct ProcessExpectation {
    double throughput_rps = 0, runnable = 0;
};
ProcessExpectation expectation(const ProcessCpu& cpu, int population, int share, int jobs) {
    ProcessExpectation e;
    const double log_all = log_choose(population, jobs);
    for (int m = std::max(0, jobs - (population - share)); m <= std::min(jobs, share); ++m) {
        const double h = std::exp(log_choose(share, m) + log_choose(population - share, jobs - m) - log_all);
        e.throughput_rps += h * cpu.throughput_rps[static_cast<std::size_t>(m)];
        e.runnable += h * cpu.runnable[static_cast<std::size_t>(m)];
    }
    return e;
}

// The cores' capacity with `busy` runnable threads, linear between whole cores (busy is a mean).
double capacity_at(const Host& host, double busy) {
    const double k = std::floor(busy);
    const int whole = static_cast<int>(k);
    if (whole >= host.cores) return host.capacity(host.cores);
    return host.capacity(whole) + (busy - k) * (host.capacity(whole + 1) - host.capacity(whole));
}

}  // namespace

GthreadDemands gthread_demands(const Scenario& s) {
    GthreadDemands d;
    for (const RequestClass& c : request_mix(s)) {
        for (const Phase& p : c.phases) {
            const double mean_s = c.weight * p.duration.expected_s();
            if (p.kind == PhaseKind::io) d.io_s += mean_s;
            else if (p.owner == PhaseOwner::database) d.gil_free_s += mean_s;  // another process's CPU
            else {
                d.python_s += mean_s * (1 - p.gil_free_share);
                d.gil_free_s += mean_s * p.gil_free_share;
            }
        }
    }
    // Keep-alive off: every request is a new connection and pays gthread's own Python for it.
    d.python_s += s.server.connection_cpu_s;
    d.gil_free_s += s.load.loadgen_cpu_s;  // the load generator is another process
    return d;
}

std::string gthread_mva_refusal(const Scenario& s) {
    if (!gthread(s)) return "";
    if (keeps_connections(s))
        return "the gthread MVA assumes every request opens a new connection spread evenly over the processes; "
               "with keep-alive each client stays with the process that won its first accept race, an uneven "
               "binding the mean model cannot see: use --client-keepalive off (or --keepalive 0) for the model, "
               "or --method sim";
    const std::int64_t in_service = s.load.kind == LoadKind::closed
                                        ? std::min<std::int64_t>(s.load.clients, request_holders(s))
                                        : request_holders(s);
    const double cost = static_cast<double>(in_service) * static_cast<double>(in_service / s.server.workers + 1);
    if (cost > kGthreadMvaMaxCost)
        return "the gthread MVA's cost grows as N x (N / processes) for N requests in service; " +
               std::to_string(in_service) + " in service over " + std::to_string(s.server.workers) +
               " processes is past its limit of " + std::to_string(static_cast<long long>(kGthreadMvaMaxCost)) +
               " (about a second): use --method sim";
    return "";
}

CpuStation gthread_cpu_station(const Scenario& s, int population) {
    assert(population >= 0);
    const GthreadDemands d = gthread_demands(s);
    CpuStation station;
    station.demand_s = d.python_s + d.gil_free_s;
    station.seconds_per_completion = Eigen::ArrayXd::Zero(population + 1);
    station.busy_cores = Eigen::ArrayXd::Zero(population + 1);
    if (station.demand_s <= 0 || population == 0) return station;

    // The even split: `larger` processes hold share + 1 requests, the rest share.
    const int processes = s.server.workers;
    const int share = population / processes;
    const int larger = population % processes;
    const ProcessCpu cpu = solve_process_cpu(d.python_s, d.gil_free_s, share + 1);
    for (int j = 1; j <= population; ++j) {
        const ProcessExpectation big = larger > 0 ? expectation(cpu, population, share + 1, j) : ProcessExpectation{};
        const ProcessExpectation small = expectation(cpu, population, share, j);
        const double throughput_at_unit_speed = larger * big.throughput_rps + (processes - larger) * small.throughput_rps;
        const double runnable = larger * big.runnable + (processes - larger) * small.runnable;
        // Processor sharing: each runnable thread runs at capacity(min(K, C)) / K cores.
        const double busy = std::min<double>(runnable, s.host.cores);
        const double speed = capacity_at(s.host, busy) / runnable;
        station.seconds_per_completion[j] = 1 / (throughput_at_unit_speed * speed);
        station.busy_cores[j] = busy;
    }
    return station;
}

}  // namespace workersim
