#pragma once
// One experiment against the real server, everything measured: the Harness owns a private
// PostgreSQL for its lifetime and, per run, starts Gunicorn pinned to the run's cores, drives
// it with hey (closed loop) or httperf (open loop), reads CPU and memory from /proc, and stops
// it again. Nothing it starts outlives it, also on exceptions and on Ctrl-C (exit 130).

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/emergency_stop.hpp"
#include "calibrate/harness/postgres_cluster.hpp"
#include "calibrate/records/run.hpp"

namespace workersim {

struct HarnessOptions {
    std::string server_dir;                   // calibrate/server: app.py and gunicorn_hooks.py
    std::optional<ExistingDatabase> database; // else a private PostgreSQL 15 cluster
    std::ostream* log = nullptr;              // progress lines, if wanted
    std::string temp_root;                    // where temp directories go; empty: /tmp
    std::string gunicorn = "/usr/bin/gunicorn"; // Debian's, on /usr/bin/python3, whatever PATH says
    std::string postgres_bin_dir = "/usr/lib/postgresql/15/bin";
    // PostgreSQL, Gunicorn and the load generator each run in a session of their own with
    // this autogroup nice (ChildSpec::session_nice): on this shared 2-core host, other
    // sessions' `nice -n 19` builds otherwise took ~40% of the server's core and doubled a
    // CPU request's latency. std::nullopt: plain process groups in our session.
    std::optional<int> session_nice = -10;
};

// Why a configuration cannot be run on this host, or "" if it can. A separate load generator
// needs a core the server does not use, so cores == all host cores with loadgen_shared = false
// is rejected rather than silently run shared.
std::string check_runnable(const RunConfig& config);

class Harness {
public:
    explicit Harness(HarnessOptions options);  // starts PostgreSQL
    ~Harness();                                // stops everything it started
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    // Throws std::invalid_argument for a configuration check_runnable rejects and
    // std::runtime_error when a tool fails; the server is stopped either way.
    Run run(const RunConfig& config);

    const PostgresCluster& database() const { return *database_; }

    // The host's speed now on its last core (calibrate/harness/speed_probe.hpp), as runs record it.
    double probe_host_ns() const;

private:
    double probe_ns(const CoreList& cores) const;  // the speed probe on these cores

    HarnessOptions options_;
    EmergencyStop emergency_stop_;  // before any child exists, destroyed after all of them
    std::unique_ptr<PostgresCluster> database_;
};

}  // namespace workersim
