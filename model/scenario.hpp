#pragma once
// A complete, self-contained description of one simulated experiment: the host, the
// Gunicorn server, what one request does, and the load. The simulator and the analytic
// models take this and nothing else.

#include <cstdint>
#include <string>
#include <vector>

#include "model/distribution.hpp"
#include "model/limits.hpp"

namespace workersim {

// A CPU phase is seconds of one core's work, shared with everything else runnable on the
// host (processor sharing). An IO phase is a wall-clock wait that uses no core.
enum class PhaseKind { cpu, io };

// Who does the phase's work: the worker itself, or another process on the request's behalf
// (the PostgreSQL backend starting up). It matters only for accounting; both hold the worker.
enum class PhaseOwner { worker, database };

struct Phase {
    PhaseKind kind = PhaseKind::cpu;
    PhaseOwner owner = PhaseOwner::worker;
    Distribution duration;
};

// How the cores are shared: one processor-sharing queue for all (the textbook multi-server,
// what MVA solves exactly) or one run queue per core with load balancing (what Linux does).
enum class CpuScheduler { shared_queue, per_core_queues };

struct Host {
    int cores = 2;
    CpuScheduler scheduler = CpuScheduler::shared_queue;
    // core_capacity[k-1]: the cores' worth of work done per second when k cores are busy
    // (turbo, SMT and co-tenancy make it less than k). Empty means ideal: k.
    std::vector<double> core_capacity;

    double capacity(int busy_cores) const;  // busy_cores in 0..cores
};

struct ServerConfig {
    int workers = 1;
    int backlog = 2048;                 // listen(2) backlog; the queue holds backlog + 1
    double timeout_s = 30.0;            // Gunicorn --timeout; 0 disables the check
    std::int64_t max_requests = 0;      // 0 = never recycle
    std::int64_t max_requests_jitter = 0;
    double boot_s = 0.0;                // fork to first accept() of a (re)spawned worker
    double master_tick_s = 1.0;         // the arbiter's select() timeout
    double kill_s = 0.0;                // SIGABRT to reaped; the SIGKILL path is ~1 s
};

enum class LoadKind { closed, open };

// hey -n N -c C gives each of its C clients N / C requests (integer division): (N / C) * C in
// all, so -n 60 -c 16 sends 48. The one home of that rounding.
constexpr std::int64_t hey_requests_per_client(std::int64_t requests, std::int64_t clients) {
    return requests / clients;
}
constexpr std::int64_t hey_requests_sent(std::int64_t requests, std::int64_t clients) {
    return hey_requests_per_client(requests, clients) * clients;
}

struct Load {
    LoadKind kind = LoadKind::closed;
    int clients = kDefaultClients;      // closed: hey -c
    std::int64_t requests = kDefaultRequests;  // closed: hey -n (each client sends requests / clients); open: arrivals
    double rate_per_s = 0.0;            // open: Poisson arrival rate
    double client_timeout_s = 0.0;      // hey -t; 0 = wait forever
    // CPU the load generator spends per request when it shares the host's cores; 0 when it
    // runs elsewhere.
    double loadgen_cpu_s = 0.0;
    // Linux TCP: a dropped SYN is retried after 1, 2, 4, ... s; the connect fails after
    // syn_retries retries (tcp_syn_retries = 6, about 127 s in all).
    int syn_retries = 6;
    double syn_initial_timeout_s = 1.0;
};

// PSS splits each shared page among the processes that map it, so with N workers every
// process's PSS is its private part plus shared_kib / (N + 1).
struct MemoryEstimate;

struct MemoryModel {
    double master_private_kib = 0.0;
    double worker_private_kib = 0.0;
    double shared_kib = 0.0;

    double master_pss_kib(int workers) const;
    double worker_pss_kib(int workers) const;
    double total_pss_kib(int workers) const;
    MemoryEstimate estimate(int workers) const;  // model/result.hpp
};

struct Scenario {
    Host host;
    ServerConfig server;
    std::vector<Phase> request;         // the phases of every request, in order
    Load load;
    MemoryModel memory;

    // Demand summaries used by the analytic models.
    double cpu_demand_s() const;
    double io_demand_s() const;
};

// Throws std::invalid_argument with the field, the value and the accepted range.
void validate(const Scenario& scenario);

}  // namespace workersim
