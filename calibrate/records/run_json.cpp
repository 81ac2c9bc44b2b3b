#include "calibrate/records/run_json.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "model/json_reader.hpp"
#include "model/limits.hpp"

namespace workersim {

namespace {

constexpr const char* kFormat = "workersim-run/1";
constexpr double kHuge = std::numeric_limits<double>::max();
constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();
constexpr double kMaxKib = 1e12;  // a petabyte: anything larger is a unit mix-up

const char* load_name(LoadKind kind) { return kind == LoadKind::open ? "open" : "closed"; }

const char* load_generator_name(LoadGeneratorKind kind) {
    switch (kind) {
        case LoadGeneratorKind::hey: return "hey";
        case LoadGeneratorKind::httperf: return "httperf";
    }
    return "?";
}

// Runs recorded before the key existed were driven by the harness's one tool for their load.
LoadGeneratorKind load_generator_from(JsonReader& c, LoadKind load) {
    if (!c.has("load_generator")) return load == LoadKind::open ? LoadGeneratorKind::httperf : LoadGeneratorKind::hey;
    const std::string name = c.string("load_generator");
    if (name == "hey") return LoadGeneratorKind::hey;
    if (name == "httperf") return LoadGeneratorKind::httperf;
    c.fail("load_generator", "\"hey\" or \"httperf\"");
}

// JsonReader has no required boolean: a run file written by us always has every key.
bool required_boolean(JsonReader& reader, const std::string& key) {
    if (!reader.has(key)) reader.fail(key, "true or false");
    return reader.boolean_or(key, false);
}

RunConfig config_from(JsonReader c) {
    RunConfig r;
    r.id = c.string("id");
    if (r.id.empty()) c.fail("id", "a non-empty string");
    r.workers = static_cast<int>(c.integer("workers", kWorkersRange.min, kWorkersRange.max));
    // Runs recorded before gthread was measured are sync runs with one thread each.
    if (c.has("worker_class")) {
        try {
            r.worker_class = worker_class_from_name(c.string("worker_class"));
        } catch (const std::invalid_argument&) {
            c.fail("worker_class", "\"sync\" or \"gthread\"");
        }
    }
    if (c.has("threads")) r.threads = static_cast<int>(c.integer("threads", kThreadsRange.min, kThreadsRange.max));
    r.cores = static_cast<int>(c.integer("cores", kCoresRange.min, kCoresRange.max));
    r.io_pct = c.number("io_pct", 0, 100);
    r.cpu_pct = c.number("cpu_pct", 0, 100);
    r.unit_s = c.number("unit_s", 1e-9, 1e6);
    const std::string load = c.string("load");
    if (load == "closed") r.load = LoadKind::closed;
    else if (load == "open") r.load = LoadKind::open;
    else c.fail("load", "\"closed\" or \"open\"");
    r.load_generator = load_generator_from(c, r.load);
    r.clients = static_cast<int>(c.integer("clients", 1, 10'000'000));
    // hey's default, which every run before the key existed used.
    if (c.has("client_keep_alive")) r.client_keep_alive = required_boolean(c, "client_keep_alive");
    r.requests = c.integer("requests", 1, kMaxCount);
    r.rate_per_s = c.number("rate_per_s", 0, kHuge);
    r.loadgen_shared = required_boolean(c, "loadgen_shared");
    r.timeout_s = c.number("timeout_s", 0, kHuge);
    r.backlog = static_cast<int>(c.integer("backlog", 1, std::numeric_limits<int>::max()));
    r.holdout = required_boolean(c, "holdout");
    c.reject_unknown_keys();
    return r;
}

// What a "workersim-run/1" file says was not measured. The key is left out (written by
// to_json below) or, where `zero_is_unmeasured`, 0: how files written before these fields
// were optional said it, for quantities no real measurement makes 0 (a probe's time, a
// latency percentile, a process's PSS, the CPU of a database serving connections).
std::optional<double> measurement(JsonReader& m, const std::string& key, double max, bool zero_is_unmeasured) {
    if (!m.has(key)) return std::nullopt;
    const double value = m.number(key, 0, max);
    if (zero_is_unmeasured && value == 0) return std::nullopt;
    return value;
}

void put_measured(nlohmann::json& object, const char* key, const std::optional<double>& value) {
    if (value) object[key] = *value;
}

RunMeasurement measured_from(JsonReader m) {
    RunMeasurement r;
    r.started_at = m.string("started_at");
    r.completed = m.integer("completed", 0, kMaxCount);
    r.errors = m.integer("errors", 0, kMaxCount);
    r.makespan_s = m.number("makespan_s", 0, kHuge);
    r.throughput_rps = m.number("throughput_rps", 0, kHuge);
    r.latency_mean_s = m.number("latency_mean_s", 0, kHuge);
    r.latency_min_s = m.number("latency_min_s", 0, kHuge);
    r.latency_max_s = m.number("latency_max_s", 0, kHuge);
    r.latency_p50_s = m.number("latency_p50_s", 0, kHuge);
    r.latency_p90_s = measurement(m, "latency_p90_s", kHuge, true);
    r.latency_p99_s = measurement(m, "latency_p99_s", kHuge, true);
    r.latencies_s = m.numbers("latencies_s", 0, kHuge);
    r.worker_cpu_s = m.number("worker_cpu_s", 0, kHuge);
    r.master_cpu_s = m.number("master_cpu_s", 0, kHuge);
    r.database_cpu_s = measurement(m, "database_cpu_s", kHuge, true);
    r.loadgen_cpu_s = m.number("loadgen_cpu_s", 0, kHuge);
    r.server_cores_busy_s = measurement(m, "server_cores_busy_s", kHuge, false);  // only ever absent
    r.wall_s = m.number("wall_s", 0, kHuge);
    r.master_pss_kib = measurement(m, "master_pss_kib", kMaxKib, true);
    r.worker_pss_kib = m.numbers("worker_pss_kib", 0, kMaxKib);
    r.boot_s = m.number("boot_s", 0, kHuge);
    if (m.has("requests_by_worker")) {
        for (double n : m.numbers("requests_by_worker", 0, static_cast<double>(kMaxCount))) {
            if (n != std::floor(n)) m.fail("requests_by_worker", "whole counts of responses");
            r.requests_by_worker.push_back(static_cast<std::int64_t>(n));
        }
    }
    r.probe_before_ns = measurement(m, "probe_before_ns", kHuge, true);
    r.probe_after_ns = measurement(m, "probe_after_ns", kHuge, true);
    m.reject_unknown_keys();
    return r;
}

}  // namespace

nlohmann::json to_json(const Run& run) {
    const RunConfig& c = run.config;
    const RunMeasurement& m = run.measured;
    // nlohmann's default object is ordered by key: the same Run always prints the same bytes.
    nlohmann::json json = {
        {"format", kFormat},
        {"config",
         {{"id", c.id},
          {"workers", c.workers},
          {"worker_class", worker_class_name(c.worker_class)},
          {"threads", c.threads},
          {"client_keep_alive", c.client_keep_alive},
          {"cores", c.cores},
          {"io_pct", c.io_pct},
          {"cpu_pct", c.cpu_pct},
          {"unit_s", c.unit_s},
          {"load", load_name(c.load)},
          {"load_generator", load_generator_name(c.load_generator)},
          {"clients", c.clients},
          {"requests", c.requests},
          {"rate_per_s", c.rate_per_s},
          {"loadgen_shared", c.loadgen_shared},
          {"timeout_s", c.timeout_s},
          {"backlog", c.backlog},
          {"holdout", c.holdout}}},
        {"measured",
         {{"started_at", m.started_at},
          {"completed", m.completed},
          {"errors", m.errors},
          {"makespan_s", m.makespan_s},
          {"throughput_rps", m.throughput_rps},
          {"latency_mean_s", m.latency_mean_s},
          {"latency_min_s", m.latency_min_s},
          {"latency_max_s", m.latency_max_s},
          {"latency_p50_s", m.latency_p50_s},
          {"latencies_s", m.latencies_s},
          {"worker_cpu_s", m.worker_cpu_s},
          {"master_cpu_s", m.master_cpu_s},
          {"loadgen_cpu_s", m.loadgen_cpu_s},
          {"wall_s", m.wall_s},
          {"worker_pss_kib", m.worker_pss_kib},
          {"boot_s", m.boot_s}}},
    };
    nlohmann::json& measured = json["measured"];
    put_measured(measured, "latency_p90_s", m.latency_p90_s);
    put_measured(measured, "latency_p99_s", m.latency_p99_s);
    put_measured(measured, "database_cpu_s", m.database_cpu_s);
    put_measured(measured, "server_cores_busy_s", m.server_cores_busy_s);
    put_measured(measured, "master_pss_kib", m.master_pss_kib);
    put_measured(measured, "probe_before_ns", m.probe_before_ns);
    put_measured(measured, "probe_after_ns", m.probe_after_ns);
    if (!m.requests_by_worker.empty()) measured["requests_by_worker"] = m.requests_by_worker;
    return json;
}

Run run_from_json(const nlohmann::json& json, const std::string& where) {
    JsonReader top(json, where);
    const std::string format = top.string("format");
    if (format != kFormat) top.fail("format", std::string("\"") + kFormat + "\"");
    Run run;
    run.config = config_from(top.object("config"));
    run.measured = measured_from(top.object("measured"));
    top.reject_unknown_keys();
    return run;
}

}  // namespace workersim
