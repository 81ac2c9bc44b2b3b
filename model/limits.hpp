#pragma once
// The ranges workersim accepts and the defaults it assumes, one home for each: the scenario's
// validation, the profile and runs-file readers, sizing and the CLI's flags and help all read
// them here.

#include <cstdint>
#include <string>

namespace workersim {

struct IntegerRange {
    std::int64_t min;
    std::int64_t max;

    constexpr bool contains(std::int64_t value) const { return value >= min && value <= max; }
    std::string text() const { return std::to_string(min) + ".." + std::to_string(max); }
};

// A host's cores: Linux's NR_CPUS tops out at 8192 on x86-64; 4096 covers every machine
// Gunicorn runs on and keeps per-core state small.
inline constexpr IntegerRange kCoresRange{1, 4096};
// Worker processes: each is a Python interpreter (~7 MiB PSS measured); 100,000 is far past
// any host's memory and keeps the simulator's per-worker arrays bounded.
inline constexpr IntegerRange kWorkersRange{1, 100'000};
// The listen backlog: Linux clamps listen()'s backlog to net.core.somaxconn, whose maximum
// is 2^31 - 1; a million connections waiting is past any real queue.
inline constexpr IntegerRange kBacklogRange{0, 1'000'000};
// Closed-loop clients (hey -c): each is a connection in flight.
inline constexpr IntegerRange kClientsRange{1, 1'000'000};
// Requests in one run: 10^12 simulated requests is days of one core.
inline constexpr IntegerRange kRequestsRange{1, 1'000'000'000'000};

// gthread's pool threads per process (--threads): each is an OS thread with its own stack
// (8 MiB of address space by default); 10,000 in one process is past any real deployment.
inline constexpr IntegerRange kThreadsRange{1, 10'000};
// gthread's --worker-connections: each is a file descriptor; RLIMIT_NOFILE's hard ceiling,
// fs.nr_open, defaults to 2^20.
inline constexpr IntegerRange kWorkerConnectionsRange{1, 1'048'576};

// hey's own defaults (-n 200 -c 50), which predict assumes when the load is not given.
inline constexpr std::int64_t kDefaultRequests = 200;
inline constexpr int kDefaultClients = 50;

}  // namespace workersim
