#pragma once
// The clients: hey for a closed loop (C clients, each sending its next request when the last
// one is answered), httperf for an open loop (Poisson arrivals). Both run as pinned child
// processes; their output is parsed by pure functions the tests feed with captured text.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/harness/cpu_affinity.hpp"

namespace workersim {

// One line of `hey -o csv`. hey lists only requests that got an HTTP response (any status):
// connection errors are counted nowhere in the CSV.
struct HeyRecord {
    double response_time_s = 0;
    int status = 0;
    double offset_s = 0;  // when the request started, since hey's start
};

// Throws std::invalid_argument naming the line when the header or a field is not what
// hey 0.1.4 writes.
std::vector<HeyRecord> parse_hey_csv(const std::string& csv_text);

// First request start to last response: max(offset + response time) - min(offset).
double hey_makespan_s(const std::vector<HeyRecord>& records);

// The summary of `httperf` that the harness uses (its "Connection time" line has no
// percentiles).
struct HttperfReport {
    std::int64_t connections = 0, requests = 0, replies = 0;
    double test_duration_s = 0;
    double connection_min_s = 0, connection_avg_s = 0, connection_max_s = 0;
    double connection_median_s = 0, connection_stddev_s = 0;
    std::int64_t status_1xx = 0, status_2xx = 0, status_3xx = 0, status_4xx = 0, status_5xx = 0;
    std::int64_t errors_total = 0;
};

// Throws std::invalid_argument naming the missing line.
HttperfReport parse_httperf_report(const std::string& report_text);

// Where and how long the load generator's process runs, whichever tool it is.
struct LoadProcess {
    CoreList cores;  // empty: inherit
    std::chrono::milliseconds limit{600000};
    std::string temp_root;
    std::optional<int> session_nice;  // see ChildSpec::session_nice
};

struct ClosedLoad {
    std::string url;
    int clients = 1;
    std::int64_t requests = 1;
    LoadProcess process;
};

struct OpenLoad {
    int port = 0;
    double rate_per_s = 1;
    std::int64_t requests = 1;
    LoadProcess process;
};

struct LoadOutcome {
    double cpu_s = 0;   // the load generator's own CPU (wait4 rusage)
    double wall_s = 0;  // its process's lifetime
    std::string started_at;  // ISO 8601 UTC
};

struct ClosedLoadOutcome : LoadOutcome {
    std::vector<HeyRecord> records;
    std::int64_t issued = 0;  // hey sends (n / c) * c requests
};

struct OpenLoadOutcome : LoadOutcome {
    HttperfReport report;
};

// Both throw std::runtime_error (with the tool's stderr) if the tool fails or outlasts `limit`.
ClosedLoadOutcome run_hey(const ClosedLoad& load);
OpenLoadOutcome run_httperf(const OpenLoad& load);

}  // namespace workersim
