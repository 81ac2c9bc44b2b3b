#pragma once
// One experiment against the real server: how it was configured and what was measured.
// A runs file (JSONL) holds one Run per line; the fitter and `workersim validate` read it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/what_if.hpp"

namespace workersim {

// The tool that drives a run's load (calibrate/load/): hey runs a closed loop, httperf an open
// Poisson stream.
enum class LoadGeneratorKind { hey, httperf };

struct RunConfig {
    std::string id;                 // unique within a plan, e.g. "w5-io100-c30-n30-cores2-sep"
    int workers = 1;                // processes (gunicorn -w)
    WorkerClass worker_class = WorkerClass::sync;  // gunicorn -k
    int threads = 1;                // gthread's --threads per process
    int cores = 2;                  // cores the server may use (taskset), 1..host
    double io_pct = 100, cpu_pct = 0;
    double unit_s = 1.0;            // the app's unit: 100% IO sleeps unit_s
    LoadKind load = LoadKind::closed;
    LoadGeneratorKind load_generator = LoadGeneratorKind::hey;
    int clients = 1;                // closed: hey -c
    // hey's keep-alive (its default); false runs `hey -disable-keepalive`. Sync workers close
    // every connection either way; gthread keeps each with the process that accepted it.
    bool client_keep_alive = true;
    std::int64_t requests = 1;      // hey -n, or httperf --num-conns
    double rate_per_s = 0;          // open: httperf --rate with --period e
    bool loadgen_shared = false;    // the load generator runs on the server's cores
    double timeout_s = 30;          // gunicorn --timeout
    int backlog = 2048;
    bool holdout = false;           // kept out of fitting: an out-of-sample check
};

// Empty optionals are what a run did not measure: a real 0 is a measurement.
struct RunMeasurement {
    std::string started_at;         // ISO 8601, UTC
    std::int64_t completed = 0;     // responses with status 204
    std::int64_t errors = 0;        // anything else (connection reset, 502, timeouts)
    double makespan_s = 0;          // hey's Total
    double throughput_rps = 0;
    double latency_mean_s = 0, latency_min_s = 0, latency_max_s = 0, latency_p50_s = 0;
    std::optional<double> latency_p90_s, latency_p99_s;  // httperf reports no tail percentiles
    std::vector<double> latencies_s;  // every completed request, in completion order
    // CPU seconds (utime + stime from /proc/PID/stat) during the load, by process group.
    double worker_cpu_s = 0;        // all workers together
    double master_cpu_s = 0;
    // PostgreSQL's processes; not measured for an existing server whose postmaster this host
    // cannot read.
    std::optional<double> database_cpu_s;
    double loadgen_cpu_s = 0;
    // The server's cores' busy time (/proc/stat) over the same window: the processes' CPU
    // above plus the kernel's work nobody is billed for; runs before it was measured lack it.
    std::optional<double> server_cores_busy_s;
    double wall_s = 0;              // the load's wall-clock duration for those CPU figures
    // PSS (KiB, /proc/PID/smaps_rollup) after the load: the master's, if it could be read,
    // and each worker's that could.
    std::optional<double> master_pss_kib;
    std::vector<double> worker_pss_kib;
    double boot_s = 0;              // gunicorn start to all workers accepting
    // Responses each worker process wrote during the load (Gunicorn's access log, %(p)s), most
    // first; measured for gthread runs only, where keep-alive binds clients to processes.
    std::vector<std::int64_t> requests_by_worker;
    // The host's speed just before and just after the load (calibrate/harness/speed_probe.hpp): CPU
    // ns per iteration of the app's loop, the mean over the server's cores; runs recorded
    // before the harness probed lack them.
    std::optional<double> probe_before_ns, probe_after_ns;
};

struct Run {
    RunConfig config;
    RunMeasurement measured;
};

// The host's speed during the run: the mean of its probes, either if only one was taken,
// none if neither was.
std::optional<double> probe_ns(const RunMeasurement& measured);

// The what-if that asks the model about exactly this run's configuration.
WhatIf what_if_for(const RunConfig& config);

}  // namespace workersim
