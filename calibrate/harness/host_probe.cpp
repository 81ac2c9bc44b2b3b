#include "calibrate/harness/host_probe.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/gunicorn_server.hpp"
#include "model/sample_statistics.hpp"
#include "calibrate/harness/speed_probe.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/harness/text_file.hpp"
#include "calibrate/harness/utc_time.hpp"

namespace workersim {

namespace {

using namespace std::chrono_literals;

// Cores' worth of work with k = 1..n cores looping at once: each busy core does (its speed
// alone / its speed now) of a core. The host's speed drifts by ±10% minute to minute, so each
// ratio is taken against the cores probed alone just before, and the median of `rounds`
// kept; it cannot exceed k.
std::vector<double> probe_core_capacity(const SpeedProbeOptions& probe, int cores, int rounds) {
    const CoreList all = last_cores(cores);
    std::vector<double> capacity{1.0};
    for (int k = 2; k <= cores; ++k) {
        const CoreList busy(all.end() - k, all.end());
        std::vector<double> work_by_round;
        for (int round = 0; round < rounds; ++round) {
            std::vector<double> alone_ns;
            for (int core : busy) alone_ns.push_back(probe_cores_at_once_ns(probe, {core})[0]);
            const std::vector<double> busy_ns = probe_cores_at_once_ns(probe, busy);
            double work = 0;
            for (std::size_t i = 0; i < busy.size(); ++i) work += alone_ns[i] / busy_ns[i];
            work_by_round.push_back(work);
        }
        capacity.push_back(std::min<double>(k, median(work_by_round)));
    }
    return capacity;
}

struct ConnectionCost {
    double backend_cpu_s = 0;  // 0 when the database's CPU cannot be read
    double client_cpu_s = 0;
    double wall_s = 0;
};

// `connections` new connections made as the app makes them, with the client and (for our own
// cluster) PostgreSQL pinned to `cores`.
ConnectionCost probe_connections(const HostProbeOptions& options, const PostgresCluster& database,
                                 const CoreList& cores) {
    database.set_affinity(cores);
    const TempDirectory directory("workersim-connections", options.temp_root);
    ChildSpec spec;
    spec.argv = {options.python, options.server_dir + "/connection_probe.py", std::to_string(options.connections)};
    spec.environment = database.environment();
    spec.cores = cores;
    spec.session_nice = options.session_nice;
    spec.stdout_path = directory.file("out");
    spec.stderr_path = directory.file("err");
    const double database_before_s = database.cpu_s();
    std::optional<ChildExit> exit;
    {
        ChildProcess child(spec);
        exit = child.wait_for(60s);
        if (!exit) child.stop(1s);
    }
    if (!exit || exit->exit_code != 0)
        throw std::runtime_error("connection probe failed (" + (exit ? describe(*exit) : std::string("no exit in 60 s")) +
                                 "): " + read_text_file(spec.stderr_path));
    std::this_thread::sleep_for(200ms);  // the last backend exits and is reaped
    ConnectionCost cost;
    cost.backend_cpu_s = (database.cpu_s() - database_before_s) / options.connections;
    std::istringstream out(read_text_file(spec.stdout_path));
    if (!(out >> cost.client_cpu_s >> cost.wall_s))
        throw std::runtime_error("connection probe printed \"" + read_text_file(spec.stdout_path) +
                                 "\": expected client CPU and wall seconds");
    return cost;
}

}  // namespace

HostProbe probe_host(const HostProbeOptions& options, const PostgresCluster& database) {
    HostProbe probe;
    probe.date = utc_now_iso8601();
    probe.database = database.is_ours() ? "private"
                                        : database.connection().host + ":" + std::to_string(database.connection().port);
    const int cores = host_core_count();

    SpeedProbeOptions loop;
    loop.server_dir = options.server_dir;
    loop.python = options.python;
    loop.session_nice = options.session_nice;
    loop.temp_root = options.temp_root;
    for (int core = 0; core < cores; ++core) {
        loop.core = core;
        probe.loop_ns_by_core.push_back(probe_loop_ns(loop));
    }
    probe.loop_ns = mean(probe.loop_ns_by_core);
    if (options.log) *options.log << "probe: loop " << probe.loop_ns << " ns/iteration\n";
    SpeedProbeOptions long_loop = loop;
    long_loop.iterations *= 2;  // so the cores' probes overlap well past the interpreters' start
    long_loop.repeats = 3;
    probe.core_capacity = probe_core_capacity(long_loop, cores, options.capacity_rounds);

    std::vector<double> client_cpu_s, connect_s;
    for (int k = 1; k <= cores; ++k) {
        const ConnectionCost cost = probe_connections(options, database, last_cores(k));
        if (database.cpu_measured()) probe.db_backend_cpu_s_by_cores.push_back(cost.backend_cpu_s);
        client_cpu_s.push_back(cost.client_cpu_s);
        connect_s.push_back(cost.wall_s - cost.client_cpu_s);
        if (options.log)
            *options.log << "probe: connection on " << k << " core(s): backend " << cost.backend_cpu_s * 1e3
                         << " ms CPU, client " << cost.client_cpu_s * 1e3 << " ms CPU, " << cost.wall_s * 1e3
                         << " ms wall\n";
    }
    database.set_affinity(last_cores(cores));
    probe.db_client_cpu_s = mean(client_cpu_s);
    probe.db_connect_s = mean(connect_s);

    GunicornOptions gunicorn;
    gunicorn.executable = options.gunicorn;
    gunicorn.server_dir = options.server_dir;
    gunicorn.workers = options.boot_workers;
    gunicorn.temp_root = options.temp_root;
    gunicorn.session_nice = options.session_nice;
    gunicorn.environment = app_environment(database.environment(), {100, 0, 0.001});
    probe.boot_workers = options.boot_workers;
    probe.boot_s = GunicornServer(gunicorn).boot_s();
    return probe;
}

}  // namespace workersim
