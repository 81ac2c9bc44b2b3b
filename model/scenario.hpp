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
    // The share of a worker's CPU phase spent in C code that releases the GIL
    // (Py_BEGIN_ALLOW_THREADS: numpy, hashlib on large buffers, zlib): under gthread that part
    // runs beside the process's other threads; the rest is Python and holds the GIL. 0..1;
    // ignored for IO phases and the database's CPU (which never hold the worker's GIL).
    double gil_free_share = 0.0;
    // IO phases: a downstream that queues (a small connection pool, a database or an API at its
    // limit) makes each call slower by this share for every other request of the same class
    // already in this phase when it starts: duration x (1 + slowdown_per_caller x callers).
    // 0 (the default): the downstream takes any number of callers at the same speed, as
    // pg_sleep and a fast API do. Fitted per URL by calibrate --app from a run with several
    // workers calling at once. >= 0.
    double slowdown_per_caller = 0.0;
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

// Gunicorn's -k: sync serves one request per process (gunicorn/workers/sync.py); gthread
// runs a main thread and --threads pool threads per process (gunicorn/workers/gthread.py).
enum class WorkerClass { sync, gthread };

struct ServerConfig {
    WorkerClass worker_class = WorkerClass::sync;  // as asked for; see effective_worker_class
    int workers = 1;
    int backlog = 2048;                 // listen(2) backlog; the queue holds backlog + 1
    double timeout_s = 30.0;            // Gunicorn --timeout; 0 disables the check
    std::int64_t max_requests = 0;      // 0 = never recycle
    std::int64_t max_requests_jitter = 0;
    double boot_s = 0.0;                // fork to first accept() of a (re)spawned worker
    double master_tick_s = 1.0;         // the arbiter's select() timeout
    double kill_s = 0.0;                // SIGABRT to reaped; the SIGKILL path is ~1 s

    // gthread (gunicorn/workers/gthread.py; defaults from gunicorn/config.py).
    int threads = 1;                    // --threads: pool threads per process (config.py:688-695)
    int worker_connections = 1000;      // connections a process holds at once (config.py:716-723)
    double keepalive_s = 2.0;           // --keepalive: idle kept connection's life; 0 closes each (config.py:809-816)
    // The main thread's loop pass (select, accept or reuse_connection, submit, notify,
    // murder_keepalived): Python holding the GIL. Timed as the gap between one process's
    // successive accepts while hey's burst waits in the backlog (scripts/trace-gthread-
    // requests.sh 1 1 32 64 100, twice): medians 34 and 81 us at a loop probe of 65-68 ns, so
    // their mean, 58 us at 67 ns, is 66 us at kGthreadPythonTimedAtProbeNs.
    double main_loop_pass_s = 66e-6;
    // Python CPU a pool thread spends on each new connection beyond what a sync worker spends
    // on one (TConn, the parser, selector registration, the future: gthread.py:40-66, 270-300);
    // a kept connection's next request does not pay it. Fitted from -disable-keepalive runs.
    double connection_cpu_s = 0.0;
    // ThreadPoolExecutor starts a pool thread only when a job finds none idle, up to --threads
    // (_adjust_thread_count, concurrent/futures/thread.py:180-200), and Thread.start() blocks
    // the main thread until the new thread has run its bootstrap, which holds the GIL
    // (threading.py:957-964, _started.wait()). This is that bootstrap's Python; the main thread
    // then waits for the GIL behind the new thread, which goes on into its first request. So a
    // process accepts slowly until its pool is full: what spreads a burst of connections over
    // the processes. Measured: ThreadPoolExecutor._adjust_thread_count() blocked the caller a
    // median 92 us (/usr/bin/python3 3.11.2, 300 starts, the loop's probe at 77 ns/iteration;
    // 3.9 ms at p90, with both cores busy: the start waits for a core, as the model's does).
    double thread_start_s = 92e-6;
    // The loop probe (ns/iteration, calibrate/server/speed_probe.py) of the host main_loop_pass_s
    // and thread_start_s are given at: gthread's own Python, which a profile's host and a
    // slower or faster one scale (build_scenario, model/what_if.hpp).
    static constexpr double kGthreadPythonTimedAtProbeNs = 77.0;
    // Mean delay from a connection becoming ready to a main thread blocked in epoll_wait
    // running again, drawn exponential: the thundering herd's accept race is decided by it
    // (every process wakes; the first to accept() wins). 1 ms: on cores busy with the load
    // generator and the other workers a woken thread waits for CFS's wake-up granularity
    // (sched_wakeup_granularity_ns, 1 ms x (1 + log2 cores)) rather than the ~50 us of an idle
    // host. To calibrate: it sets how unevenly keep-alive connections spread over processes.
    double main_wake_s = 1e-3;
    // The herd wakes in an order: the listen socket's wait queue, in the order the processes
    // registered it with their epoll (boot order). Each main thread woken after another waits
    // this much longer before it runs (a woken thread queues for a core behind the ones woken
    // before it). Traced (scripts/trace-gthread-requests.sh 4 4 32 192 90 -disable-keepalive):
    // the first-booted process took 97 of 192 connections, the others 50, 31 and 14.
    double main_wake_order_s = 0;
    // The workers' interpreter: sys.getswitchinterval(), CPython's DEFAULT_INTERVAL 5000 us
    // (Python/ceval_gil.h). Here, not in Host: it belongs to the Python the workers run, which
    // the app may change (sys.setswitchinterval), not to the machine.
    double gil_switch_interval_s = 0.005;
};

// The worker class Gunicorn runs: `-k sync --threads N` with N > 1 runs gthread
// (gunicorn/config.py:117-119, Config.worker_class). The one home of that rule.
WorkerClass effective_worker_class(const ServerConfig& server);

// Gunicorn's spelling of a worker class ("sync", "gthread"); the parser throws
// std::invalid_argument naming the accepted names.
const char* worker_class_name(WorkerClass worker_class);
WorkerClass worker_class_from_name(const std::string& name);

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
    // HTTP keep-alive: hey reuses each client's connection (Go's Transport default; false is
    // `hey -disable-keepalive`, which sends Connection: close). Only gthread honours it: sync
    // workers close every connection (gunicorn/workers/sync.py). The open loop opens a new
    // connection per arrival whatever this says.
    bool keep_alive = true;
    // Closed loop with named request classes: empty, each request's class is drawn by weight
    // (one load generator picking URLs at random); else the first clients_per_class[0]
    // clients only ever ask for class 0, the next clients_per_class[1] for class 1, and so on
    // (one hey per URL at once, as calibrate --app's mix runs drive an app: hey takes one URL).
    // Sums to `clients`, one entry per class.
    std::vector<int> clients_per_class;
};

// PSS splits each shared page among the processes that map it, so with N workers every
// process's PSS is its private part plus shared_kib / (N + 1). A gthread worker adds its own
// machinery (the executor, the selector, the main loop's state) and each pool thread its
// stack pages touched and its interpreter thread state: a thread costs far less than a process.
struct MemoryEstimate;

struct MemoryModel {
    double master_private_kib = 0.0;
    double worker_private_kib = 0.0;
    double shared_kib = 0.0;
    double gthread_worker_kib = 0.0;  // a gthread process beyond a sync one
    double thread_kib = 0.0;          // each pool thread (--threads)

    // Sync workers.
    double master_pss_kib(int workers) const;
    double worker_pss_kib(int workers) const;
    double total_pss_kib(int workers) const;
    MemoryEstimate estimate(int workers) const;  // model/result.hpp
    // The server's worker class and threads (effective_worker_class).
    double worker_pss_kib(const ServerConfig& server) const;
    double total_pss_kib(const ServerConfig& server) const;
    MemoryEstimate estimate(const ServerConfig& server) const;
    double gthread_extra_kib(const ServerConfig& server) const;  // a gthread process beyond a sync one's PSS
};

// One kind of request an app serves: a URL (the path as given to `calibrate --url`), its
// share of the requests and what serving it does.
struct RequestClass {
    std::string path;
    double weight = 1.0;                // relative, > 0: each request is this class with weight / sum
    std::vector<Phase> phases;          // in order
};

// At most this many classes: the simulator keeps a latency histogram (~340 KiB) for each.
constexpr std::size_t kMaxRequestClasses = 32;

struct Scenario {
    Host host;
    ServerConfig server;
    std::vector<Phase> request;         // the phases of every request, in order
    // An app's URLs: each request draws its class by weight (the load generator picks the URL),
    // and the result has a line per class (Result::per_url). Empty: every request is `request`.
    // One or the other, not both.
    std::vector<RequestClass> request_classes;
    Load load;
    MemoryModel memory;

    // Demand summaries used by the analytic models: means over the classes, by weight.
    double cpu_demand_s() const;
    double io_demand_s() const;
};

// The classes a scenario serves, weights normalised to sum to 1: request_classes, or
// `request` as one unnamed class of weight 1. The one home of that rule for the analytic models.
std::vector<RequestClass> request_mix(const Scenario& scenario);

// Throws std::invalid_argument with the field, the value and the accepted range.
void validate(const Scenario& scenario);

}  // namespace workersim
