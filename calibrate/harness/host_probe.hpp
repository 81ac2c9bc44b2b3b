#pragma once
// `workersim probe`: in seconds, what drifts from host to host and day to day, measured with
// the bundled app's own code: its loop's speed on each core alone and on all cores at once,
// a new PostgreSQL connection's cost (the forked backend's CPU, the client's, the wall time)
// and Gunicorn's boot. A profile fitted elsewhere is then moved to this host by the ratios
// (calibrate/fitting/host_transfer.hpp).

#include <optional>
#include <ostream>
#include <string>

#include "calibrate/harness/postgres_cluster.hpp"
#include "model/profile.hpp"

namespace workersim {

struct HostProbeOptions {
    std::string server_dir;              // calibrate/server: app.py, speed_probe.py, connection_probe.py
    std::string python = "/usr/bin/python3";
    std::string gunicorn = "/usr/bin/gunicorn";
    std::string temp_root;
    std::optional<int> session_nice = -10;  // as the harness's (HarnessOptions::session_nice)
    int connections = 20;                // per core count; each costs ~10-60 ms here
    int capacity_rounds = 5;             // alone-then-together rounds for the core capacity
    int boot_workers = 2;
    std::ostream* log = nullptr;
};

// Throws std::runtime_error when a probe fails; every child it starts is stopped either way.
HostProbe probe_host(const HostProbeOptions& options, const PostgresCluster& database);

}  // namespace workersim
