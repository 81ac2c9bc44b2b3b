#pragma once
// hey (0.1.4, Debian 12) as the load generator of a closed loop: C clients, each sending its
// next request when the last one is answered, n requests in all. Run as a pinned child
// process; its CSV output is parsed by pure functions the tests feed with captured text.

#include <string>
#include <vector>

#include "calibrate/load/load_generator.hpp"

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

// record(): the 204s (the only status the app gives) as completed, in completion order with
// their latencies and summary; as errors every request hey sent (model/scenario.hpp
// hey_requests_sent) that got no 204.
class Hey : public LoadGenerator {
public:
    std::string check(const RunConfig& config) const override;
    double schedule_s(const RunConfig& config) const override;
    std::vector<std::string> command(const RunConfig& config, const LoadTarget& target) const override;
    void record(const std::string& output, const RunConfig& config, RunMeasurement& measured) const override;
};

}  // namespace workersim
