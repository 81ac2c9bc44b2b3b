#include "model/latency_breakdown.hpp"

#include <cmath>

namespace workersim {

const char* latency_part_name(LatencyPart part) {
    switch (part) {
        case LatencyPart::loadgen: return "loadgen";
        case LatencyPart::syn_retry: return "syn_retry";
        case LatencyPart::backlog: return "backlog";
        case LatencyPart::process_queue: return "process_queue";
        case LatencyPart::gil_wait: return "gil_wait";
        case LatencyPart::core_wait: return "core_wait";
        case LatencyPart::on_core: return "on_core";
        case LatencyPart::io: return "io";
        case LatencyPart::retry: return "retry";
    }
    return "?";
}

namespace {

// Beyond this the cores, not the workers, set the pace: a run queue forms whatever the pool.
constexpr double kSaturatedCores = 0.95;

std::string percent(double share) { return std::to_string(static_cast<int>(std::lround(100 * share))) + "%"; }

}  // namespace

std::string what_limits(const LatencyBreakdown& breakdown, double core_utilisation, bool gthread) {
    double total_s = 0;
    LatencyPart largest = LatencyPart::io;
    for (std::size_t i = 0; i < kLatencyParts; ++i) {
        const double mean_s = breakdown.parts[i].mean_s;
        total_s += mean_s;
        if (mean_s > breakdown[largest].mean_s) largest = static_cast<LatencyPart>(i);
    }
    if (core_utilisation >= kSaturatedCores)
        return "cores are " + percent(core_utilisation) + " busy: more workers only add latency; add cores";
    if (total_s <= 0) return "no responses to break down";
    const std::string share = percent(breakdown[largest].mean_s / total_s) + " of the mean latency is ";
    switch (largest) {
        case LatencyPart::backlog:
            return share + "backlog wait: add " + (gthread ? "threads or processes" : "workers") +
                   " (the cores are " + percent(core_utilisation) + " busy)";
        case LatencyPart::syn_retry:
            return share + "SYN retransmission after backlog overflow: raise --backlog, add workers";
        case LatencyPart::process_queue:
            return share + "waiting in a gthread process's queue: add threads, or processes to spread the connections";
        case LatencyPart::gil_wait:
            return share + "waiting for the GIL: more processes, fewer threads per process";
        case LatencyPart::core_wait:
            return share + "waiting for a core: add cores, or fewer workers";
        case LatencyPart::on_core:
            return share + "CPU work itself: only faster code or cores shorten it";
        case LatencyPart::io:
            return share + "the request's own IO: the server adds little; only a faster downstream shortens it";
        case LatencyPart::loadgen:
            return share + "the load generator's own CPU: run it on another host";
        case LatencyPart::retry:
            return share + "lost to workers that stopped (timeouts, max_requests): raise --timeout or --max-requests";
    }
    return "";
}

}  // namespace workersim
