#include "calibrate/load/load_generator.hpp"

#include <algorithm>
#include <ctime>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/harness/text_file.hpp"
#include "calibrate/harness/utc_time.hpp"
#include "model/scenario.hpp"

namespace workersim {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, separator)) fields.push_back(field);
    return fields;
}

double to_number(const std::string& text, const std::string& where) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size())
        throw std::invalid_argument(where + ": \"" + text + "\" is not a number");
    return value;
}

// The words after `label` on the report line that starts with it.
std::istringstream line_after(const std::string& report, const std::string& label) {
    const auto at = report.find("\n" + label);
    if (at == std::string::npos) throw std::invalid_argument("httperf report has no \"" + label + "\" line");
    const auto start = at + 1 + label.size();
    return std::istringstream(report.substr(start, report.find('\n', start) - start));
}

// Reads "name value" pairs such as "min 7.7 avg 34.8"; the value after `name`.
double value_after(const std::string& line, const std::string& name, const std::string& where) {
    std::istringstream words(line);
    for (std::string word; words >> word;) {
        if (word == name) {
            std::string value;
            words >> value;
            return to_number(value, where + " " + name);
        }
    }
    throw std::invalid_argument(where + ": no \"" + name + "\" in \"" + line + "\"");
}

// "2xx=20" style fields.
std::int64_t count_after(const std::string& line, const std::string& name, const std::string& where) {
    const auto at = line.find(name + "=");
    if (at == std::string::npos) throw std::invalid_argument(where + ": no \"" + name + "=\" in \"" + line + "\"");
    std::istringstream value(line.substr(at + name.size() + 1));
    std::int64_t count = 0;
    if (!(value >> count)) throw std::invalid_argument(where + ": bad count after \"" + name + "=\"");
    return count;
}

std::string rest_of_line(std::istringstream words) {
    std::string line;
    std::getline(words, line);
    return line;
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
        record.response_time_s = to_number(fields[0], where + " response-time");
        record.status = static_cast<int>(to_number(fields[6], where + " status-code"));
        record.offset_s = to_number(fields[7], where + " offset");
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

HttperfReport parse_httperf_report(const std::string& text) {
    const std::string report = "\n" + text;
    HttperfReport r;
    {
        const std::string total = rest_of_line(line_after(report, "Total:"));
        r.connections = static_cast<std::int64_t>(value_after(total, "connections", "httperf Total"));
        r.requests = static_cast<std::int64_t>(value_after(total, "requests", "httperf Total"));
        r.replies = static_cast<std::int64_t>(value_after(total, "replies", "httperf Total"));
        r.test_duration_s = value_after(total, "test-duration", "httperf Total");
    }
    {
        // The first of the two "Connection time [ms]:" lines carries the statistics.
        const std::string times = rest_of_line(line_after(report, "Connection time [ms]: min"));
        const std::string line = "min" + times;
        const std::string where = "httperf Connection time";
        r.connection_min_s = value_after(line, "min", where) / 1000;
        r.connection_avg_s = value_after(line, "avg", where) / 1000;
        r.connection_max_s = value_after(line, "max", where) / 1000;
        r.connection_median_s = value_after(line, "median", where) / 1000;
        r.connection_stddev_s = value_after(line, "stddev", where) / 1000;
    }
    {
        const std::string status = rest_of_line(line_after(report, "Reply status:"));
        const std::string where = "httperf Reply status";
        r.status_1xx = count_after(status, "1xx", where);
        r.status_2xx = count_after(status, "2xx", where);
        r.status_3xx = count_after(status, "3xx", where);
        r.status_4xx = count_after(status, "4xx", where);
        r.status_5xx = count_after(status, "5xx", where);
    }
    {
        const std::string errors = rest_of_line(line_after(report, "Errors: total"));
        r.errors_total = static_cast<std::int64_t>(value_after("total" + errors, "total", "httperf Errors"));
    }
    return r;
}

namespace {

// Runs the tool to completion, its stdout captured; fills the common outcome fields.
std::string run_tool(ChildSpec spec, const LoadProcess& process, LoadOutcome& outcome) {
    const std::chrono::milliseconds limit = process.limit;
    spec.cores = process.cores;
    spec.session_nice = process.session_nice;
    TempDirectory directory("workersim-load", process.temp_root);
    spec.stdout_path = directory.file("stdout");
    spec.stderr_path = directory.file("stderr");
    outcome.started_at = utc_now_iso8601();
    const auto started = Clock::now();
    ChildProcess tool(spec);
    const auto exit = tool.wait_for(limit);
    outcome.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    if (!exit) {
        tool.stop(std::chrono::seconds(1));
        throw std::runtime_error(spec.argv.front() + " did not finish within " + std::to_string(limit.count() / 1000) +
                                 " s; stderr: " + read_text_file(spec.stderr_path));
    }
    if (exit->exit_code != 0)
        throw std::runtime_error(spec.argv.front() + " failed (" + describe(*exit) +
                                 "); stderr: " + read_text_file(spec.stderr_path));
    outcome.cpu_s = exit->cpu_s;
    return read_text_file(spec.stdout_path);
}

}  // namespace

ClosedLoadOutcome run_hey(const ClosedLoad& load) {
    if (load.clients < 1 || load.requests < load.clients)
        throw std::invalid_argument("hey -n " + std::to_string(load.requests) + " -c " + std::to_string(load.clients) +
                                    ": expected 1 <= c <= n");
    ChildSpec spec;
    // As in the seed article, plus CSV output: -t 0 disables hey's 20 s client timeout.
    spec.argv = {"hey", "-n", std::to_string(load.requests), "-c", std::to_string(load.clients), "-t", "0", "-o", "csv",
                 load.url};
    ClosedLoadOutcome outcome;
    const std::string csv = run_tool(spec, load.process, outcome);
    outcome.records = parse_hey_csv(csv);
    outcome.issued = hey_requests_sent(load.requests, load.clients);
    return outcome;
}

OpenLoadOutcome run_httperf(const OpenLoad& load) {
    if (!(load.rate_per_s > 0) || load.requests < 1)
        throw std::invalid_argument("httperf rate " + std::to_string(load.rate_per_s) + "/s, " +
                                    std::to_string(load.requests) + " connections: expected rate > 0 and >= 1 connection");
    std::ostringstream period;
    period.precision(9);
    period << "e" << 1.0 / load.rate_per_s;  // exponential inter-arrivals: a Poisson stream
    ChildSpec spec;
    spec.argv = {"httperf", "--server", "127.0.0.1", "--port", std::to_string(load.port), "--uri", "/",
                 "--num-conns", std::to_string(load.requests), "--num-calls", "1", "--period=" + period.str()};
    OpenLoadOutcome outcome;
    outcome.report = parse_httperf_report(run_tool(spec, load.process, outcome));
    return outcome;
}

}  // namespace workersim
