#pragma once
// What Linux's /proc says about a process: CPU time, proportional memory, children.
// The parsers take the file's text, so tests feed them captured samples; the readers are
// thin wrappers that read the live files.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace workersim {

// Clock ticks from /proc/PID/stat (fields 14-17). cutime/cstime count only children the
// process has already reaped: that is how a forked-and-exited PostgreSQL backend's CPU stays
// visible, in its postmaster.
struct CpuTicks {
    std::int64_t utime = 0, stime = 0, cutime = 0, cstime = 0;
};

// Throws std::invalid_argument when the text is not a stat line. The command name (field 2)
// may contain spaces and ')', so fields are counted from the last ')'.
CpuTicks parse_proc_stat_cpu(const std::string& stat_text);

// When the process started (field 22 of /proc/PID/stat, clock ticks after boot): with its pid
// it names one process, not a later one that reuses the pid. Throws like the above.
std::int64_t parse_proc_stat_start_ticks(const std::string& stat_text);

// The `Pss:` line of /proc/PID/smaps_rollup, in KiB. Throws std::invalid_argument if absent.
double parse_smaps_rollup_pss_kib(const std::string& smaps_rollup_text);

// Busy ticks of one core from /proc/stat's `cpuN` line: everything but idle and iowait
// (user, nice, system, irq, softirq, steal). Unlike the processes' own CPU this includes the
// kernel's work for nobody in particular: softirqs, kernel threads, exits already reaped
// elsewhere. Throws std::invalid_argument if the core has no line.
std::int64_t parse_proc_stat_busy_ticks(const std::string& proc_stat_text, int core);

// /proc/PID/task/TID/children: space-separated pids.
std::vector<pid_t> parse_children(const std::string& children_text);

// The inode of the TCP socket listening on `port` (on any local address), from the text of
// /proc/net/tcp; std::nullopt if nothing listens there.
std::optional<std::uint64_t> parse_listening_inode(const std::string& proc_net_tcp_text, int port);

double clock_ticks_per_s();
double ticks_to_s(std::int64_t ticks);

// Live readers: std::nullopt when the process is gone (it may exit between two reads).
std::optional<CpuTicks> read_cpu_ticks(pid_t pid);
std::optional<std::int64_t> read_start_ticks(pid_t pid);
std::optional<double> read_pss_kib(pid_t pid);
std::vector<pid_t> read_children(pid_t pid);     // union over the process's threads
std::optional<std::string> read_comm(pid_t pid);  // the executable's short name
bool process_exists(pid_t pid);                  // zombies count as gone
std::int64_t read_busy_ticks(const std::vector<int>& cores);  // summed over the cores
// The oldest process holding the socket that listens on 127.0.0.1:`port` (a postmaster, not
// a backend it forked), found through /proc/*/fd; std::nullopt if none or not readable.
std::optional<pid_t> find_listening_pid(int port);

}  // namespace workersim
