#pragma once
// httperf (0.9.0, Debian 12) as the load generator of an open loop: connections arriving as a
// Poisson stream at a fixed rate, one request each, whatever the server does. Run as a pinned
// child process; its report is parsed by a pure function the tests feed with captured text.

#include <cstdint>
#include <string>

#include "calibrate/load/load_generator.hpp"

namespace workersim {

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

// record(): the report's 2xx (the app answers nothing but 204) as completed, every other
// connection asked for as an error; httperf reports no request's own time and no tail
// percentiles.
class Httperf : public LoadGenerator {
public:
    std::string check(const RunConfig& config) const override;
    double schedule_s(const RunConfig& config) const override;  // requests / rate
    std::vector<std::string> command(const RunConfig& config, const LoadTarget& target) const override;
    void record(const std::string& output, const RunConfig& config, RunMeasurement& measured) const override;
};

}  // namespace workersim
