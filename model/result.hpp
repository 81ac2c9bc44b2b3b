#pragma once
// What a simulation (or an analytic model) predicts for a Scenario.

#include <cstdint>
#include <string>
#include <vector>

#include "model/latency_breakdown.hpp"

namespace workersim {

struct LatencySummary {
    double mean_s = 0, min_s = 0, max_s = 0;
    double p50_s = 0, p90_s = 0, p95_s = 0, p99_s = 0, p999_s = 0;
};

struct ErrorCounts {
    std::int64_t worker_timeout = 0;    // the master killed the worker mid-request
    std::int64_t backlog_overflow = 0;  // connect gave up after the SYN retries
    std::int64_t client_timeout = 0;    // the client stopped waiting (hey -t)

    std::int64_t total() const { return worker_timeout + backlog_overflow + client_timeout; }
};

struct HistogramBucket {
    double upper_s = 0;                 // responses up to this latency (hey's "mark")
    std::int64_t count = 0;
};

struct MemoryEstimate {
    double master_kib = 0, per_worker_kib = 0, workers_kib = 0, total_kib = 0;
};

// How one request class (an app's URL) did. Throughput counts its responses over the same
// span as Result::throughput_rps.
struct UrlResult {
    std::string path;
    double share = 0;                   // of the requests sent: the class's normalised weight
    std::int64_t completed = 0;
    double throughput_rps = 0;
    LatencySummary latency;
    LatencyBreakdown breakdown;         // where this class's latency went (when asked for)
};

struct Result {
    std::int64_t completed = 0;         // responses the clients received
    ErrorCounts errors;
    std::int64_t worker_restarts = 0;   // timeouts and max_requests recycling
    std::int64_t syn_retries = 0;       // SYNs re-sent because the backlog was full
    std::int64_t served_after_client_left = 0;
    double makespan_s = 0;              // first send to last response (hey's "Total")
    double throughput_rps = 0;          // completed / makespan
    LatencySummary latency;             // of completed requests, from send to response
    LatencyBreakdown breakdown;         // where that latency went, part by part (when asked for)
    std::vector<HistogramBucket> histogram;  // hey-style: 10 linear buckets, fastest..slowest
    double core_utilisation = 0;        // busy core-seconds / (cores * makespan)
    double worker_utilisation = 0;      // worker-seconds holding a request / (workers * makespan)
    double mean_accept_queue = 0;       // time-average connections waiting in the backlog
    std::int64_t max_accept_queue = 0;
    MemoryEstimate memory;
    std::int64_t events = 0;            // simulator events processed
    bool unstable = false;              // open load beyond capacity
    bool stalled = false;               // no client heard anything for a simulated day: stopped
    double capacity_rps = 0;            // the pool's throughput bound, for the unstable flag
    // gthread: responses each worker process wrote, over all its incarnations (keep-alive
    // binds clients to the process that accepted them). Empty for sync.
    std::vector<std::int64_t> served_by_worker;
    // One per Scenario::request_classes entry, in its order; empty for a scenario without them.
    std::vector<UrlResult> per_url;
};

}  // namespace workersim
