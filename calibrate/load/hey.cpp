#include "calibrate/load/hey.hpp"

#include <algorithm>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "calibrate/load/tool_output.hpp"
#include "calibrate/records/latency_summary.hpp"
#include "model/scenario.hpp"

namespace workersim {

namespace {

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, separator)) fields.push_back(field);
    return fields;
}

}  // namespace

std::vector<HeyRecord> parse_hey_csv(const std::string& csv_text) {
    static const std::string header =
        "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset";
    std::istringstream lines(csv_text);
    std::string line;
    if (!std::getline(lines, line) || line != header)
        throw std::invalid_argument("hey CSV line 1: expected the header \"" + header + "\", got \"" + line + "\"");
    std::vector<HeyRecord> records;
    for (int number = 2; std::getline(lines, line); ++number) {
        if (line.empty()) continue;
        const std::string where = "hey CSV line " + std::to_string(number);
        const auto fields = split(line, ',');
        if (fields.size() != 8)
            throw std::invalid_argument(where + ": expected 8 fields, got " + std::to_string(fields.size()));
        HeyRecord record;
        record.response_time_s = number_in_output(fields[0], where + " response-time");
        record.status = static_cast<int>(number_in_output(fields[6], where + " status-code"));
        record.offset_s = number_in_output(fields[7], where + " offset");
        records.push_back(record);
    }
    return records;
}

double hey_makespan_s(const std::vector<HeyRecord>& records) {
    if (records.empty()) return 0;
    double first_start = std::numeric_limits<double>::infinity();
    double last_end = 0;
    for (const auto& record : records) {
        first_start = std::min(first_start, record.offset_s);
        last_end = std::max(last_end, record.offset_s + record.response_time_s);
    }
    return last_end - first_start;
}

std::string Hey::check(const RunConfig& c) const {
    if (c.load != LoadKind::closed) return "load_generator = hey: expected a closed load (httperf drives an open one)";
    if (c.clients < 1 || c.requests < c.clients)
        return "clients = " + std::to_string(c.clients) + ", requests = " + std::to_string(c.requests) +
               ": expected 1 <= clients <= requests";
    return "";
}

double Hey::schedule_s(const RunConfig&) const { return 0; }

std::vector<std::string> Hey::command(const RunConfig& config, const LoadTarget& target) const {
    // As in the seed article, plus CSV output: -t 0 disables hey's 20 s client timeout.
    std::vector<std::string> argv = {"hey", "-n", std::to_string(config.requests), "-c", std::to_string(config.clients),
                                     "-t", "0", "-o", "csv"};
    if (!config.client_keep_alive) argv.push_back("-disable-keepalive");
    argv.push_back(target.url);
    return argv;
}

void Hey::record(const std::string& output, const RunConfig& config, RunMeasurement& m) const {
    const std::vector<HeyRecord> records = parse_hey_csv(output);
    m.makespan_s = hey_makespan_s(records);
    std::vector<HeyRecord> served;
    for (const auto& record : records)
        if (record.status == 204) served.push_back(record);
    std::sort(served.begin(), served.end(), [](const HeyRecord& a, const HeyRecord& b) {
        return a.offset_s + a.response_time_s < b.offset_s + b.response_time_s;
    });
    m.latencies_s.clear();
    for (const auto& record : served) m.latencies_s.push_back(record.response_time_s);
    m.completed = static_cast<std::int64_t>(served.size());
    m.errors = hey_requests_sent(config.requests, config.clients) - m.completed;
    const MeasuredLatency latency = summarize_latencies(m.latencies_s);
    m.latency_mean_s = latency.mean_s;
    m.latency_min_s = latency.min_s;
    m.latency_max_s = latency.max_s;
    m.latency_p50_s = latency.p50_s;
    m.latency_p90_s = m.latencies_s.empty() ? std::nullopt : std::optional<double>(latency.p90_s);
    m.latency_p99_s = m.latencies_s.empty() ? std::nullopt : std::optional<double>(latency.p99_s);
}

}  // namespace workersim
