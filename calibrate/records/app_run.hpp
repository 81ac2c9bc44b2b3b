#pragma once
// `workersim calibrate --app`: one experiment against a user's WSGI app under real Gunicorn,
// and the per-request lines its Gunicorn hooks write (calibrate/server/request_hooks.py). An
// app runs file (JSON lines) holds one AppRun per line, appended as each run ends.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace workersim {

// One request as the hooks saw it, from pre_request to post_request in the worker.
struct RequestSample {
    std::string path;
    int status = 0;
    double cpu_s = 0;          // time.thread_time()
    double wall_s = 0;         // time.perf_counter()
    std::int64_t voluntary_switches = 0;  // getrusage(RUSAGE_THREAD).ru_nvcsw
    double run_delay_s = 0;    // /proc/self/task/TID/schedstat: runnable, waiting for a core
    // Its time off the CPU, neither running nor waiting to: the app's IO.
    double io_s() const;
};

// The hooks' lines: path, status, cpu_s, wall_s, nvcsw, run_delay_s, tab-separated. Throws
// std::invalid_argument naming the line that is not of that form.
std::vector<RequestSample> parse_request_log(const std::string& text);

enum class AppRunKind {
    serial,     // one URL, one client, one worker: its uncontended CPU and IO
    contended,  // one URL, more clients than workers: held out, to check the model
    concurrent, // one URL, kConcurrentCallers workers and clients: its IO with others calling
    memory,     // N workers (with or without --preload): PSS at boot and after requests
    mix,        // every URL at once (one hey per URL, clients split by weight): held out
};
const char* app_run_kind_name(AppRunKind kind);

// A concurrent run's workers and clients: each request's IO with up to this many calls under
// way on the URL's downstream at once.
constexpr int kConcurrentCallers = 4;

// What one URL's hey saw in a run (a contended run's one URL, a mix run's each).
struct AppUrlLoad {
    std::string path;
    int clients = 1;             // hey -c
    std::int64_t requests = 0;   // hey -n
    std::int64_t completed = 0;  // responses with a 2xx or 3xx status
    double throughput_rps = 0;   // completed over the whole run's makespan
    double latency_mean_s = 0, latency_p99_s = 0;
};

struct AppRun {
    std::string id;            // unique within a plan: "serial /orders", "memory w2 preload"
    AppRunKind kind = AppRunKind::serial;
    std::string path;          // the URL (serial, contended)
    int workers = 1;
    int clients = 1;           // hey -c
    std::int64_t requests = 0; // hey -n
    bool preload = false;
    std::string started_at;    // ISO 8601, UTC
    // Where it ran: Gunicorn pinned to the host's last `cores` cores, hey on the others, or on
    // the same ones when loadgen_shared. Unset: not pinned (runs made before pinning).
    std::optional<int> cores;
    bool loadgen_shared = false;
    // The host's speed (calibrate/harness/speed_probe.hpp) on the server's cores just before
    // and after the load, ns per iteration of the reference loop.
    std::optional<double> probe_before_ns, probe_after_ns;
    double loadgen_cpu_s = 0;  // hey's CPU (user + system) over the run, all its processes
    std::vector<AppUrlLoad> per_url;  // contended and mix runs

    // What hey saw: responses with a 2xx or 3xx status.
    std::int64_t completed = 0;
    double makespan_s = 0, throughput_rps = 0, latency_mean_s = 0, latency_p99_s = 0;
    // What the hooks saw, per request in completion order (serial runs: the first requests of
    // the run left out, warm-up: a worker's first query opens its connection; contended runs:
    // all of them, to see whether the IO grows under load).
    std::vector<double> cpu_s, io_s, voluntary_switches;
    // The workers' CPU (utime + stime, /proc) over the load, and the hooks' CPU summed: the
    // difference is Gunicorn's own per-request work outside the hooks.
    double worker_cpu_s = 0, hooks_cpu_s = 0;
    std::int64_t hooked_requests = 0;  // requests the hooks saw during the load
    // The hooks' windows summed over those requests: wall time and time waiting for a core
    // (what a worker's request took inside Gunicorn, against hey's latency outside it).
    double hooks_wall_s = 0, hooks_run_delay_s = 0;
    // The server's cores' busy time (/proc/stat, every process) over the load and the load's
    // wall time (0 when not measured): the host's load beside the run.
    double server_cores_busy_s = 0, server_cores_window_s = 0;
    double boot_s = 0;
    // Memory runs: PSS (KiB) of the master and each worker, at boot and after the requests.
    std::optional<double> master_pss_boot_kib, master_pss_kib;
    std::vector<double> worker_pss_boot_kib, worker_pss_kib;
};

nlohmann::json to_json(const AppRun& run);
// Throws std::invalid_argument naming `where` and the key that is missing or wrong.
AppRun app_run_from_json(const nlohmann::json& json, const std::string& where);

}  // namespace workersim
