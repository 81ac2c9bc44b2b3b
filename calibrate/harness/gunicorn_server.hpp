#pragma once
// The real server under test: Gunicorn sync or gthread workers running calibrate/server/app.py, started
// pinned to the run's cores and measured from the outside through /proc.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/temp_directory.hpp"

namespace workersim {

struct GunicornOptions {
    std::string executable = "gunicorn";
    std::string server_dir;  // holds app.py and gunicorn_hooks.py
    int workers = 1;
    std::string worker_class = "sync";  // -k
    int threads = 1;                     // --threads (gthread)
    double timeout_s = 30;
    int backlog = 2048;
    CoreList cores;          // empty: inherit ours
    std::vector<std::pair<std::string, std::string>> environment;  // IO_BOUND, CPU_BOUND, UNIT_S, PG*
    std::string temp_root;   // for its log; empty: /tmp
    std::optional<int> session_nice;  // see ChildSpec::session_nice
    // Gunicorn's access log with the serving process of each response (%(p)s) in the server's
    // directory: it costs each request a formatted line, so only runs that need it keep it.
    bool access_log = false;
    std::chrono::milliseconds boot_limit{60000};
    // The WSGI app and where it is imported from: the reference app by default, a user's app
    // under `calibrate --app` (its own --chdir, request_hooks.py as the config).
    std::string app = "app:application";
    std::string app_dir;      // gunicorn --chdir; empty: server_dir
    std::string config_file;  // gunicorn -c; empty: server_dir/gunicorn_hooks.py
    bool preload = false;     // gunicorn --preload: the app imported once in the master
    // Before the load, one request must get the reference app's 204 (the database is
    // reachable); false for a user's app, whose runs check each URL's statuses themselves.
    bool probe = true;
};

// The reference app's work per request, as calibrate/server/app.py reads it from its
// environment (IO_BOUND, CPU_BOUND, UNIT_S).
struct AppWorkload {
    double io_pct = 100, cpu_pct = 0;  // whole percentages of one unit
    double unit_s = 1;
};

// The environment Gunicorn serving the reference app needs: the database's PG* variables
// (PostgresCluster::environment) and the workload.
std::vector<std::pair<std::string, std::string>> app_environment(
    std::vector<std::pair<std::string, std::string>> database, const AppWorkload& workload);

class GunicornServer {
public:
    // Starts Gunicorn and returns once every worker has loaded the app (boot_s), one probe
    // request was answered 204, and a short settle delay passed. Throws std::runtime_error
    // with the tail of Gunicorn's log if it exits or does not get there within boot_limit.
    explicit GunicornServer(const GunicornOptions& options);
    ~GunicornServer();  // stops it (SIGTERM, then SIGKILL to its group)
    GunicornServer(const GunicornServer&) = delete;
    GunicornServer& operator=(const GunicornServer&) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
    pid_t master_pid() const { return master_->pid(); }
    std::vector<pid_t> worker_pids() const;  // the master's children now
    double boot_s() const { return boot_s_; }
    std::string log_tail(std::size_t max_chars = 3000) const;
    // The access log's lines so far (empty without GunicornOptions::access_log).
    std::vector<std::string> access_log_lines() const;

    void stop();

private:
    int port_ = 0;
    double boot_s_ = 0;
    std::unique_ptr<TempDirectory> directory_;
    std::unique_ptr<ChildProcess> master_;
};

// How many "Worker ready" lines a Gunicorn log holds (see server/gunicorn_hooks.py).
int count_ready_workers(const std::string& log_text);

}  // namespace workersim
