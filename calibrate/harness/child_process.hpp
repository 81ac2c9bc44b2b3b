#pragma once
// One external program (PostgreSQL, Gunicorn, hey, httperf) run as a child in its own
// process group, so that stopping it also stops whatever it forked. The destructor stops the
// group: nothing outlives its owner, whatever exception unwinds the stack.

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/harness/cpu_affinity.hpp"

namespace workersim {

struct ChildSpec {
    std::vector<std::string> argv;  // argv[0] is looked up in PATH
    std::vector<std::pair<std::string, std::string>> environment;  // added to (or overriding) ours
    CoreList cores;                 // empty: inherit ours
    std::string run_as_user;        // honoured only when we are root (PostgreSQL refuses root)
    std::string working_directory;  // empty: ours
    std::string stdout_path, stderr_path;  // empty: /dev/null
    // With the kernel's autogroup scheduling (sched_autogroup_enabled=1), `nice` only ranks
    // processes within one session, so other sessions' niced builds still take an equal
    // share of a core. When set, the child starts its own session (a new autogroup) with
    // this nice value (< 0 needs root); that is how measurements keep priority.
    std::optional<int> session_nice;
    int stop_signal = SIGTERM;      // the graceful request to stop (PostgreSQL: SIGINT, fast shutdown)
    int abort_signal = SIGKILL;     // on Ctrl-C or our own death (PostgreSQL: SIGQUIT)
};

struct ChildExit {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;
    // CPU seconds (user + system) of the child and the descendants it reaped, from wait4's
    // rusage: exact, unlike a /proc read racing with the exit.
    double cpu_s = 0;
};

std::string describe(const ChildExit& exit);  // "exit status 1" or "signal 9"

class ChildProcess {
public:
    // Throws std::system_error if fork or exec fails (exec's errno is reported back).
    explicit ChildProcess(const ChildSpec& spec);
    ~ChildProcess();  // stop(); never throws
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    const std::string& name() const { return name_; }

    // The exit once reaped; std::nullopt while it still runs after `timeout`.
    std::optional<ChildExit> wait_for(std::chrono::milliseconds timeout);
    std::optional<ChildExit> poll() { return wait_for(std::chrono::milliseconds(0)); }
    const std::optional<ChildExit>& exit() const { return exit_; }

    // stop_signal to the group, up to `grace` to exit, then SIGKILL to the group; reaps.
    ChildExit stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

private:
    void kill_group(int signal) const;

    pid_t pid_ = -1;
    std::string name_;
    int stop_signal_ = SIGTERM;
    std::optional<ChildExit> exit_;
};

// Runs a short command to completion (initdb, pg_isready); throws std::runtime_error naming
// the command and quoting its stderr if it fails or outlasts `timeout`. Its stderr goes to a
// temporary directory under `temp_root` (empty: $TMPDIR or /tmp).
void run_to_completion(ChildSpec spec, std::chrono::milliseconds timeout, const std::string& temp_root = "");

}  // namespace workersim
