#pragma once
// A calibration profile: what the reference server costs on one measured host. Fitted by
// calibrate/ from real runs; turned into Scenarios by build_scenario().

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace workersim {

struct Provenance {
    std::string date;
    std::string cpu_model;
    std::string kernel;
    std::string gunicorn_version;
    std::string python_version;
    std::string postgresql_version;
    std::string hey_version;
    std::string runs_file;   // which runs it was fitted from
    std::string moved;       // when `workersim probe` moved it to another host; "" if never
    std::string notes;
};

// What `workersim probe` measures of a host in seconds, the costs that drift from host to
// host and day to day (on one machine kind: the loop from 34 to 230 ns per iteration, a new
// PostgreSQL connection from 4 to 39 ms of backend CPU). A profile carries the probe of the
// host it was fitted on, so that a probe elsewhere can move it by the ratios.
struct HostProbe {
    std::string date;
    std::string database;                    // where the connections went: "private" or host:port
    std::vector<double> loop_ns_by_core;     // the app's loop alone on each core, CPU ns per iteration
    double loop_ns = 0;                      // their mean
    std::vector<double> core_capacity;       // k = 1..cores looping at once: cores' worth of work
    // PostgreSQL's CPU per new connection (fork, scram-sha-256, exit) when it runs on k =
    // 1..cores cores; empty when its processes cannot be read (an existing server of another user).
    std::vector<double> db_backend_cpu_s_by_cores;
    double db_client_cpu_s = 0;              // psycopg2's connect, query and close in the client
    double db_connect_s = 0;                 // a connection's wall time beyond the client's CPU
    int boot_workers = 0;
    double boot_s = 0;                       // gunicorn with boot_workers workers, start to all ready
};

// How well one fitted value is known.
struct FitQuality {
    double std_error = 0.0;      // standard error of the estimate, same unit as the value
    double rms_residual = 0.0;   // root mean square residual of the fit it came from
    int points = 0;              // measurements that informed it
};

// One URL of a user's app (`workersim calibrate --app`), measured per request by Gunicorn
// hooks around the app (calibrate/server/request_hooks.py) in a run with one client.
struct UrlProfile {
    std::string path;                 // as given to calibrate --url
    double weight = 1.0;              // its share of the app's requests (relative, > 0)
    Distribution cpu;                 // the app's thread CPU per request, on one core
    Distribution io;                  // its time off the CPU: wall - CPU - waiting for a core
    double voluntary_switches = 0;    // mean blocking waits per request (getrusage ru_nvcsw)
    // hey's CPU per response of this URL (0: not measured): reading a large body costs the
    // load generator as much as a small view costs the app, which matters where they share cores.
    double loadgen_cpu_s = 0;
    // Its IO's growth with others calling the same URL at once (Phase::slowdown_per_caller):
    // 0 where the downstream took more callers at the same speed, or no run measured it.
    double io_slowdown_per_caller = 0;
};

// The user's WSGI app a profile measured, and its URLs; the reference app's profiles have none.
struct AppProfile {
    std::string callable;             // MODULE:CALLABLE, as Gunicorn takes it
    std::string chdir;                // where it was imported from
    std::vector<UrlProfile> urls;
    // Gunicorn --preload: the app imported once in the master, its pages shared copy-on-write
    // until the workers write to them (PSS measured after requests, not just at boot). The
    // profile's own MemoryModel is without --preload, Gunicorn's default.
    std::optional<MemoryModel> preload_memory;
};

struct Profile {
    std::string name = "ideal";
    Provenance provenance;
    int host_cores = 2;
    CpuScheduler cpu_scheduler = CpuScheduler::shared_queue;  // how predictions share the cores
    // Effective cores when k are busy, k = 1..host_cores (empty = ideal). Beyond the
    // measured host, the last step's efficiency is extended.
    std::vector<double> core_capacity;

    // The reference app (calibrate/server): per request,
    //   worker CPU   = request_cpu_s + (io > 0 ? db_client_cpu_s : 0) + cpu_frac * unit * loop_cpu_s,
    //                  the loop's part spread cpu_cv
    //   IO wall      = db_connect_s + io_frac * unit (pg_sleep), spread io_cv
    //   backend CPU  = db_backend_cpu_s (PostgreSQL forks a backend per connection)
    double loop_cpu_s = 0.0;          // one core-second count of the full 5,000,000-iteration loop
    double request_cpu_s = 0.0;       // accept, parse, WSGI, logging
    double db_client_cpu_s = 0.0;     // psycopg2/libpq in the worker
    double db_backend_cpu_s = 0.0;    // all measured core counts pooled
    // The backend's CPU when PostgreSQL may run on k = 1..host_cores cores (empty: the pooled
    // figure everywhere). Measured: a connection cost 23 ms of CPU pinned to one vCPU and 42 ms
    // free on two (the fork's page faults and the migrations, not the load: it held from one
    // client to twelve). Beyond the measured host, the last entry.
    std::vector<double> db_backend_cpu_s_by_cores;
    double db_connect_s = 0.0;        // wall time of the connection beyond the CPU above
    double io_cv = 0.0;
    double cpu_cv = 0.0;              // spread of the loop's CPU time, run to run of one request
    double loadgen_cpu_s = 0.0;       // hey's CPU per request, when it shares the cores
    double boot_s = 0.0;              // fork to first accept()
    // gthread's accept race (ServerConfig::main_wake_s) as fitted from real gthread runs with
    // keep-alive; ServerConfig's default where the runs had none.
    std::optional<double> gthread_main_wake_s;
    // The herd's wake order's step (ServerConfig::main_wake_order_s), fitted with it; 0 where
    // the runs had none.
    double gthread_main_wake_order_s = 0.0;
    // gthread's CPU per new connection (ServerConfig::connection_cpu_s), fitted from runs
    // without keep-alive; 0 where the runs had none.
    double gthread_connection_cpu_s = 0.0;
    MemoryModel memory;
    // The host's speed the CPU figures above hold at: CPU ns per iteration of the loop on one
    // core, as calibrate/harness/speed_probe.hpp measures it (0 = not probed). A shared VM's speed
    // drifts by up to 2x; a run probed at twice this speed needs half the CPU seconds.
    double host_probe_ns = 0.0;
    // The host probe taken where the profile was fitted, or where `workersim probe` moved it.
    std::optional<HostProbe> host_probe;
    // calibrate --app: the app and its URLs, which predictions then simulate by default.
    std::optional<AppProfile> app;

    std::map<std::string, FitQuality> fit;
};

// The value a fit entry describes (Profile::fit's keys, as the fitter names them:
// "loop_cpu_s", "db_backend_cpu_s_2", "core_capacity_2", "memory.shared_kib", ...) with the
// range it may take; value is nullptr for a name without one (an index past the vector, or
// a figure the fitter only reports, such as "uncontended_request_cv").
struct FittedValue {
    double* value = nullptr;
    double min = 0, max = 1e12;  // k busy cores are worth 1e-3..k cores; the rest >= 0
};
FittedValue fitted_value(Profile& profile, const std::string& fit_name);

// The profile for --calibration none: an ideal server with no overheads.
Profile ideal_profile();

// The capacity curve for a host with `cores`, extended from the profile's measured one.
std::vector<double> capacity_curve(const Profile& profile, int cores);

// PostgreSQL's CPU per connection with `cores` to run on.
double db_backend_cpu_s(const Profile& profile, int cores);

// One request of the reference app in the profile's terms (the formula above): one home for
// the what-if scenario, the fitter, the plan and the tests' synthetic runs. Fractions of the
// unit (io_frac + cpu_frac = 1); `cores` picks the backend's CPU figure; every CPU part is
// scaled by cpu_time_factor (a slower host's CPU seconds per fitted second).
struct ReferenceRequest {
    double request_cpu_s = 0;     // the worker's fixed CPU: accept, parse, WSGI, logging
    double db_client_cpu_s = 0;   // psycopg2/libpq in the worker, when the request does IO
    double db_backend_cpu_s = 0;  // PostgreSQL's backend, when the request does IO
    double loop_cpu_s = 0;        // the loop: cpu_frac * unit * Profile::loop_cpu_s
    double io_s = 0;              // db_connect_s + io_frac * unit, when the request does IO

    double worker_cpu_s() const { return request_cpu_s + db_client_cpu_s + loop_cpu_s; }
    double cpu_s() const { return worker_cpu_s() + db_backend_cpu_s; }
};
ReferenceRequest reference_request(const Profile& profile, double io_frac, double cpu_frac, double unit_s, int cores,
                                   double cpu_time_factor = 1.0);

}  // namespace workersim
