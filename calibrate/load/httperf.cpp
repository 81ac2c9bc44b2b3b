#include "calibrate/load/httperf.hpp"

#include <sstream>
#include <stdexcept>

#include "calibrate/load/tool_output.hpp"

namespace workersim {

namespace {

std::string number_text(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
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
            return number_in_output(value, where + " " + name);
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

std::string Httperf::check(const RunConfig& c) const {
    if (c.load != LoadKind::open)
        return "load_generator = httperf: expected an open load (hey drives a closed one)";
    if (!(c.rate_per_s > 0) || c.requests < 1)
        return "rate_per_s = " + number_text(c.rate_per_s) + ", requests = " + std::to_string(c.requests) +
               ": expected rate > 0 and requests >= 1";
    return "";
}

double Httperf::schedule_s(const RunConfig& c) const { return static_cast<double>(c.requests) / c.rate_per_s; }

std::vector<std::string> Httperf::command(const RunConfig& config, const LoadTarget& target) const {
    std::ostringstream period;
    period.precision(9);
    period << "e" << 1.0 / config.rate_per_s;  // exponential inter-arrivals: a Poisson stream
    return {"httperf", "--server", "127.0.0.1", "--port", std::to_string(target.port), "--uri", "/",
            "--num-conns", std::to_string(config.requests), "--num-calls", "1", "--period=" + period.str()};
}

void Httperf::record(const std::string& output, const RunConfig& config, RunMeasurement& m) const {
    const HttperfReport r = parse_httperf_report(output);
    m.makespan_s = r.test_duration_s;
    m.completed = r.status_2xx;
    m.errors = config.requests - m.completed;
    m.latencies_s.clear();
    m.latency_mean_s = r.connection_avg_s;
    m.latency_min_s = r.connection_min_s;
    m.latency_max_s = r.connection_max_s;
    m.latency_p50_s = r.connection_median_s;
    m.latency_p90_s = std::nullopt;
    m.latency_p99_s = std::nullopt;
}

}  // namespace workersim
