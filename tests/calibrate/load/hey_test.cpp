// Reading hey's CSV output, on text captured from the real tool (hey 0.1.4, Debian 12) against
// Gunicorn running calibrate/server/app.py, and what a run records from it.

#include <catch2/catch.hpp>

#include "calibrate/load/hey.hpp"

using namespace workersim;

namespace {

// `hey -n 6 -c 3 -t 0 -o csv` against 2 workers, 100% CPU, unit 0.01 s.
const std::string hey_csv =
    "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n"
    "0.0598,0.0004,0.0000,0.0003,0.0589,0.0001,204,0.0021\n"
    "0.0725,0.0019,0.0000,0.0003,0.0701,0.0001,204,0.0006\n"
    "0.0793,0.0002,0.0000,0.0002,0.0788,0.0001,204,0.0023\n"
    "0.0315,0.0002,0.0000,0.0000,0.0311,0.0001,204,0.0619\n"
    "0.0279,0.0003,0.0000,0.0000,0.0275,0.0001,204,0.0730\n"
    "0.0205,0.0001,0.0000,0.0000,0.0203,0.0000,204,0.0816\n";

}  // namespace

TEST_CASE("hey's CSV gives one record per answered request with its time, status and start offset") {
    const auto records = parse_hey_csv(hey_csv);
    REQUIRE(records.size() == 6);
    CHECK(records[0].response_time_s == Approx(0.0598));
    CHECK(records[0].status == 204);
    CHECK(records[0].offset_s == Approx(0.0021));
    CHECK(records[5].response_time_s == Approx(0.0205));
    CHECK(records[5].offset_s == Approx(0.0816));
}

TEST_CASE("the makespan runs from the first request's start to the last response") {
    // First start 0.0006; last end max(offset + time) = 0.0816 + 0.0205 = 0.1021.
    CHECK(hey_makespan_s(parse_hey_csv(hey_csv)) == Approx(0.1021 - 0.0006));
    CHECK(hey_makespan_s({}) == 0);
}

TEST_CASE("hey's CSV with only the header, as when every connection is refused, has no records") {
    CHECK(parse_hey_csv(hey_csv.substr(0, hey_csv.find('\n') + 1)).empty());
}

TEST_CASE("hey output that is not its CSV is rejected naming the line") {
    CHECK_THROWS_WITH(parse_hey_csv("Summary:\n  Total: 0.0576 secs\n"), Catch::Contains("line 1"));
    const std::string bad_field = hey_csv + "0.02,0,0,0,0,0,204,soon\n";
    CHECK_THROWS_WITH(parse_hey_csv(bad_field), Catch::Contains("line 8") && Catch::Contains("offset"));
}


TEST_CASE("a run records from hey the 204s as completed, in completion order, and every request sent without one as an error") {
    std::string csv = hey_csv;
    csv.replace(csv.find(",204,0.0006"), 11, ",502,0.0006");
    RunConfig config;
    config.clients = 3;
    config.requests = 8;  // hey sends 8 / 3 = 2 per client: 6
    RunMeasurement m;
    Hey().record(csv, config, m);
    CHECK(m.completed == 5);
    CHECK(m.errors == 1);
    REQUIRE(m.latencies_s.size() == 5);
    // The request started at 0.0021 ends at 0.0619, before the one started at 0.0023 (0.0816).
    CHECK(m.latencies_s[0] == Approx(0.0598));
    CHECK(m.latencies_s[1] == Approx(0.0793));
    CHECK(m.latency_max_s == Approx(0.0793));
    CHECK(m.latency_p99_s == Approx(0.0793));
    CHECK(m.makespan_s == Approx(0.1021 - 0.0006));
}

TEST_CASE("hey's command is the seed article's with CSV output and no client timeout") {
    RunConfig config;
    config.clients = 3;
    config.requests = 6;
    const std::vector<std::string> expected{"hey", "-n", "6", "-c", "3", "-t", "0", "-o", "csv", "http://127.0.0.1:8000/"};
    CHECK(Hey().command(config, {"http://127.0.0.1:8000/", 8000}) == expected);
}

TEST_CASE("hey drives only a closed load with 1 <= clients <= requests") {
    RunConfig config;
    config.clients = 4;
    config.requests = 3;
    CHECK_THAT(Hey().check(config), Catch::Contains("clients = 4") && Catch::Contains("requests = 3"));
    config.requests = 4;
    CHECK(Hey().check(config).empty());
    config.load = LoadKind::open;
    CHECK_THAT(Hey().check(config), Catch::Contains("load_generator = hey"));
}

TEST_CASE("hey's schedule adds nothing to the time a closed loop takes") {
    CHECK(Hey().schedule_s(RunConfig{}) == 0);
}
