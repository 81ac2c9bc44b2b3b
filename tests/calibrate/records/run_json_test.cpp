#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "calibrate/records/run_json.hpp"
#include "model/json_reader.hpp"

using namespace workersim;

namespace {

Run sample_run() {
    Run r;
    r.config.id = "w3-io90-u250ms-c6-n60-cores2-shared";
    r.config.workers = 3;
    r.config.cores = 2;
    r.config.io_pct = 90;
    r.config.cpu_pct = 10;
    r.config.unit_s = 0.25;
    r.config.load = LoadKind::open;
    r.config.load_generator = LoadGeneratorKind::httperf;
    r.config.clients = 6;
    r.config.requests = 60;
    r.config.rate_per_s = 7.5;
    r.config.loadgen_shared = true;
    r.config.timeout_s = 30;
    r.config.backlog = 64;
    r.config.holdout = true;
    RunMeasurement& m = r.measured;
    m.started_at = "2026-01-01T00:00:00Z";
    m.completed = 59;
    m.errors = 1;
    m.makespan_s = 5.125;
    m.throughput_rps = 59 / 5.125;
    m.latency_mean_s = 0.3;
    m.latency_min_s = 0.26;
    m.latency_max_s = 0.61;
    m.latency_p50_s = 0.29;
    m.latency_p90_s = 0.4;
    m.latency_p99_s = 0.6;
    m.latencies_s = {0.26, 0.3, 0.61};
    m.worker_cpu_s = 1.5;
    m.master_cpu_s = 0.01;
    m.database_cpu_s = 2.75;
    m.loadgen_cpu_s = 0.125;
    m.wall_s = 5.2;
    m.master_pss_kib = 7000;
    m.worker_pss_kib = {9000, 9100, 9050};
    m.boot_s = 1.25;
    return r;
}

std::string error_of(const nlohmann::json& json) {
    try {
        run_from_json(json, "runs.jsonl line 7");
    } catch (const JsonError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a run survives the round trip through JSON field by field") {
    const Run r = sample_run();
    const Run back = run_from_json(nlohmann::json::parse(to_json(r).dump()), "x");
    CHECK(back.config.id == r.config.id);
    CHECK(back.config.workers == 3);
    CHECK(back.config.load == LoadKind::open);
    CHECK(back.config.load_generator == LoadGeneratorKind::httperf);
    CHECK(back.config.rate_per_s == 7.5);
    CHECK(back.config.loadgen_shared);
    CHECK(back.config.holdout);
    CHECK(back.config.backlog == 64);
    CHECK(back.measured.throughput_rps == r.measured.throughput_rps);  // shortest round-trip digits
    CHECK(back.measured.latencies_s == r.measured.latencies_s);
    CHECK(back.measured.worker_pss_kib == r.measured.worker_pss_kib);
    CHECK(back.measured.errors == 1);
    CHECK(to_json(back).dump() == to_json(r).dump());
}

TEST_CASE("a value of the wrong type is rejected naming the line and the key") {
    nlohmann::json j = to_json(sample_run());
    j["config"]["workers"] = "5";
    const std::string e = error_of(j);
    CHECK_THAT(e, Catch::Contains("runs.jsonl line 7"));
    CHECK_THAT(e, Catch::Contains("config.workers"));
}

TEST_CASE("an unknown key is rejected naming the line and the key") {
    nlohmann::json j = to_json(sample_run());
    j["measured"]["throughput_rsp"] = 3;
    const std::string e = error_of(j);
    CHECK_THAT(e, Catch::Contains("runs.jsonl line 7"));
    CHECK_THAT(e, Catch::Contains("measured.throughput_rsp"));
}

TEST_CASE("a missing key is rejected naming it") {
    nlohmann::json j = to_json(sample_run());
    j["config"].erase("holdout");
    CHECK_THAT(error_of(j), Catch::Contains("config.holdout"));
}

TEST_CASE("a NaN written out is rejected on reading, naming the key") {
    Run r = sample_run();
    r.measured.latency_p99_s = std::numeric_limits<double>::quiet_NaN();  // JSON has no NaN: dumped as null
    const std::string e = error_of(nlohmann::json::parse(to_json(r).dump()));
    CHECK_THAT(e, Catch::Contains("measured.latency_p99_s"));
    CHECK_THAT(e, Catch::Contains("finite"));
}

TEST_CASE("a negative PSS is rejected naming the line and the key") {
    nlohmann::json j = to_json(sample_run());
    j["measured"]["worker_pss_kib"][1] = -3;
    const std::string e = error_of(j);
    CHECK_THAT(e, Catch::Contains("runs.jsonl line 7"));
    CHECK_THAT(e, Catch::Contains("measured.worker_pss_kib"));
}

TEST_CASE("a load kind other than closed or open is rejected") {
    nlohmann::json j = to_json(sample_run());
    j["config"]["load"] = "poisson";
    CHECK_THAT(error_of(j), Catch::Contains("config.load"));
}

TEST_CASE("a run recorded before load_generator existed is driven by the tool its load always had") {
    nlohmann::json j = to_json(sample_run());
    j["config"].erase("load_generator");
    CHECK(run_from_json(j, "x").config.load_generator == LoadGeneratorKind::httperf);
    j["config"]["load"] = "closed";
    CHECK(run_from_json(j, "x").config.load_generator == LoadGeneratorKind::hey);
}

TEST_CASE("a load generator other than hey or httperf is rejected") {
    nlohmann::json j = to_json(sample_run());
    j["config"]["load_generator"] = "wrk";
    CHECK_THAT(error_of(j), Catch::Contains("config.load_generator"));
}

TEST_CASE("what a run did not measure is left out of its JSON and read back as not measured") {
    Run r = sample_run();
    r.measured.latency_p90_s = r.measured.latency_p99_s = std::nullopt;  // httperf's
    r.measured.probe_before_ns = std::nullopt;
    r.measured.probe_after_ns = 212.5;
    const nlohmann::json j = to_json(r);
    CHECK_FALSE(j["measured"].contains("latency_p99_s"));
    CHECK_FALSE(j["measured"].contains("probe_before_ns"));
    const Run back = run_from_json(j, "x");
    CHECK_FALSE(back.measured.latency_p99_s.has_value());
    CHECK_FALSE(back.measured.probe_before_ns.has_value());
    CHECK(back.measured.probe_after_ns == 212.5);
    CHECK(probe_ns(back.measured) == 212.5);
}

TEST_CASE("a run file's 0 for a probe, a tail percentile, the database's CPU or the master's PSS loads as not measured, as it was written") {
    nlohmann::json j = to_json(sample_run());
    for (const char* key : {"probe_before_ns", "probe_after_ns", "latency_p90_s", "latency_p99_s", "database_cpu_s",
                            "master_pss_kib"})
        j["measured"][key] = 0;
    const RunMeasurement m = run_from_json(j, "x").measured;
    CHECK_FALSE(m.probe_before_ns.has_value());
    CHECK_FALSE(m.probe_after_ns.has_value());
    CHECK_FALSE(probe_ns(m).has_value());
    CHECK_FALSE(m.latency_p90_s.has_value());
    CHECK_FALSE(m.latency_p99_s.has_value());
    CHECK_FALSE(m.database_cpu_s.has_value());
    CHECK_FALSE(m.master_pss_kib.has_value());
}

TEST_CASE("a run file's 0 for the cores' busy time is a measurement, its absence none") {
    nlohmann::json j = to_json(sample_run());
    j["measured"]["server_cores_busy_s"] = 0;
    CHECK(run_from_json(j, "x").measured.server_cores_busy_s == 0.0);
    j["measured"].erase("server_cores_busy_s");
    CHECK_FALSE(run_from_json(j, "x").measured.server_cores_busy_s.has_value());
}
