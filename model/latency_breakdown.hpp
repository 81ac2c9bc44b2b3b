#pragma once
// Where a request's latency went: the intervals of its life from the client's send to the
// response, each counted in one part, so that the parts add up to the latency hey measures.

#include <array>
#include <cstddef>
#include <string>

namespace workersim {

enum class LatencyPart : std::size_t {
    loadgen,        // the load generator's own CPU to send it, when it shares the cores
    syn_retry,      // its SYN dropped by a full backlog: the client's retransmission timeouts
    backlog,        // in the listen socket's accept queue
    process_queue,  // gthread: accepted (or readable on a kept connection), waiting for a pool thread
    gil_wait,       // gthread: a pool thread waiting for its process's GIL
    core_wait,      // runnable, waiting for a core (its CPU's stretch beyond the work itself)
    on_core,        // running on a core (the app's CPU, and the database backend's)
    io,             // waiting on IO (the database's sleep, the network), no core held
    retry,          // lost to a worker that stopped and the client's reconnect
};
inline constexpr std::size_t kLatencyParts = 9;

// The part's name in the JSON and the tables ("backlog", "core_wait", ...).
const char* latency_part_name(LatencyPart part);

struct LatencyPartSummary {
    double mean_s = 0;
    double p99_s = 0;
};

struct LatencyBreakdown {
    bool measured = false;  // the simulation was asked for it (SimulationOptions::latency_breakdown)
    std::array<LatencyPartSummary, kLatencyParts> parts{};

    const LatencyPartSummary& operator[](LatencyPart part) const { return parts[static_cast<std::size_t>(part)]; }
    LatencyPartSummary& operator[](LatencyPart part) { return parts[static_cast<std::size_t>(part)]; }
};

// One line on what limits the configuration, from where the mean latency goes and how busy
// the cores are, e.g. "cores are 98% busy: more workers only add latency".
std::string what_limits(const LatencyBreakdown& breakdown, double core_utilisation, bool gthread);

}  // namespace workersim
