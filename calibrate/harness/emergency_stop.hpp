#pragma once
// The last line of defence against leaked processes: on SIGINT or SIGTERM, every registered
// child process group is stopped, registered temporary directories are removed, and the
// program exits with status 130.
//
// This is the project's one piece of global mutable state, on purpose: a signal handler
// cannot be handed an object, so the live children must be reachable from a global. The
// registry is a fixed array of lock-free atomics, so the handler only does async-signal-safe
// work (kill, waitpid, nanosleep, fork/execve of rm, _exit). Normal shutdown never goes
// through here: ChildProcess and PostgresCluster destructors stop what they started.

#include <sys/types.h>

#include <string>

namespace workersim {

// `abort_signal` is what the handler sends first (PostgreSQL: SIGQUIT, immediate shutdown,
// so the postmaster still takes its backends down); SIGKILL follows after a short grace.
void register_process_group(pid_t pgid, int abort_signal);
void unregister_process_group(pid_t pgid);

// Paths longer than 255 bytes are not registered (and then not removed on a signal).
void register_cleanup_directory(const std::string& path);
void unregister_cleanup_directory(const std::string& path);

// Installs the SIGINT/SIGTERM handler while alive, restores the previous handlers after.
class EmergencyStop {
public:
    EmergencyStop();
    ~EmergencyStop();
    EmergencyStop(const EmergencyStop&) = delete;
    EmergencyStop& operator=(const EmergencyStop&) = delete;
};

}  // namespace workersim
