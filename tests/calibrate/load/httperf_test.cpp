// Reading httperf's report, on text captured from the real tool (httperf 0.9.0, Debian 12)
// against Gunicorn running calibrate/server/app.py, and what a run records from it.

#include <catch2/catch.hpp>

#include "calibrate/load/httperf.hpp"

using namespace workersim;

namespace {

// `httperf --num-conns 20 --period=e0.025` against the same server.
const std::string httperf_report =
    "httperf --client=0/1 --server=127.0.0.1 --port=18777 --uri=/ --period=e0.025 --send-buffer=4096 "
    "--recv-buffer=16384 --num-conns=20 --num-calls=1\n"
    "Maximum connect burst length: 4\n"
    "\n"
    "Total: connections 20 requests 20 replies 20 test-duration 0.298 s\n"
    "\n"
    "Connection rate: 67.2 conn/s (14.9 ms/conn, <=8 concurrent connections)\n"
    "Connection time [ms]: min 7.7 avg 34.8 max 56.6 median 37.5 stddev 14.2\n"
    "Connection time [ms]: connect 0.2\n"
    "Connection length [replies/conn]: 1.000\n"
    "\n"
    "Request rate: 67.2 req/s (14.9 ms/req)\n"
    "Request size [B]: 62.0\n"
    "\n"
    "Reply rate [replies/s]: min 0.0 avg 0.0 max 0.0 stddev 0.0 (0 samples)\n"
    "Reply time [ms]: response 34.6 transfer 0.0\n"
    "Reply size [B]: header 101.0 content 0.0 footer 0.0 (total 101.0)\n"
    "Reply status: 1xx=0 2xx=20 3xx=0 4xx=0 5xx=0\n"
    "\n"
    "CPU time [s]: user 0.06 system 0.09 (user 20.9% system 30.7% total 51.7%)\n"
    "Net I/O: 10.7 KB/s (0.1*10^6 bps)\n"
    "\n"
    "Errors: total 0 client-timo 0 socket-timo 0 connrefused 0 connreset 0\n"
    "Errors: fd-unavail 0 addrunavail 0 ftab-full 0 other 0\n";

// The same against a closed port: every connection refused.
const std::string httperf_refused =
    "httperf --client=0/1 --server=127.0.0.1 --port=1 --uri=/ --period=e0.025 --send-buffer=4096 "
    "--recv-buffer=16384 --num-conns=5 --num-calls=1\n"
    "Maximum connect burst length: 1\n"
    "\n"
    "Total: connections 5 requests 0 replies 0 test-duration 0.066 s\n"
    "\n"
    "Connection rate: 75.7 conn/s (13.2 ms/conn, <=1 concurrent connections)\n"
    "Connection time [ms]: min 0.0 avg 0.0 max 0.0 median 0.0 stddev 0.0\n"
    "Connection time [ms]: connect 0.1\n"
    "Connection length [replies/conn]: 0.000\n"
    "\n"
    "Request rate: 0.0 req/s (0.0 ms/req)\n"
    "Request size [B]: 0.0\n"
    "\n"
    "Reply rate [replies/s]: min 0.0 avg 0.0 max 0.0 stddev 0.0 (0 samples)\n"
    "Reply time [ms]: response 0.0 transfer 0.0\n"
    "Reply size [B]: header 0.0 content 0.0 footer 0.0 (total 0.0)\n"
    "Reply status: 1xx=0 2xx=0 3xx=0 4xx=0 5xx=0\n"
    "\n"
    "CPU time [s]: user 0.01 system 0.03 (user 13.4% system 43.5% total 56.9%)\n"
    "Net I/O: 0.0 KB/s (0.0*10^6 bps)\n"
    "\n"
    "Errors: total 5 client-timo 0 socket-timo 0 connrefused 5 connreset 0\n"
    "Errors: fd-unavail 0 addrunavail 0 ftab-full 0 other 0\n";

}  // namespace

TEST_CASE("httperf's report gives connections, duration, connection-time statistics in seconds and statuses") {
    const HttperfReport r = parse_httperf_report(httperf_report);
    CHECK(r.connections == 20);
    CHECK(r.requests == 20);
    CHECK(r.replies == 20);
    CHECK(r.test_duration_s == Approx(0.298));
    CHECK(r.connection_min_s == Approx(0.0077));
    CHECK(r.connection_avg_s == Approx(0.0348));
    CHECK(r.connection_max_s == Approx(0.0566));
    CHECK(r.connection_median_s == Approx(0.0375));
    CHECK(r.connection_stddev_s == Approx(0.0142));
    CHECK(r.status_2xx == 20);
    CHECK(r.status_5xx == 0);
    CHECK(r.errors_total == 0);
}

TEST_CASE("httperf's report of refused connections counts them as errors with no replies") {
    const HttperfReport r = parse_httperf_report(httperf_refused);
    CHECK(r.connections == 5);
    CHECK(r.replies == 0);
    CHECK(r.status_2xx == 0);
    CHECK(r.errors_total == 5);
}

TEST_CASE("an httperf report missing its status line is rejected naming the line") {
    std::string truncated = httperf_report.substr(0, httperf_report.find("Reply status"));
    CHECK_THROWS_WITH(parse_httperf_report(truncated), Catch::Contains("Reply status"));
}

TEST_CASE("a run records from httperf the 2xx as completed and every connection asked for without one as an error") {
    RunConfig config;
    config.load = LoadKind::open;
    config.requests = 25;
    RunMeasurement m;
    Httperf().record(httperf_report, config, m);
    CHECK(m.completed == 20);
    CHECK(m.errors == 5);
    CHECK(m.makespan_s == Approx(0.298));
    CHECK(m.latency_mean_s == Approx(0.0348));
    CHECK(m.latency_p50_s == Approx(0.0375));
    CHECK(m.latencies_s.empty());  // httperf lists no request's time
}

TEST_CASE("httperf's command asks for Poisson arrivals at the run's rate, one request a connection") {
    RunConfig config;
    config.load = LoadKind::open;
    config.requests = 20;
    config.rate_per_s = 40;
    const std::vector<std::string> expected{"httperf", "--server", "127.0.0.1", "--port", "8000", "--uri", "/",
                                            "--num-conns", "20", "--num-calls", "1", "--period=e0.025"};
    CHECK(Httperf().command(config, {"http://127.0.0.1:8000/", 8000}) == expected);
}

TEST_CASE("httperf drives only an open load with a positive rate") {
    RunConfig config;
    config.load = LoadKind::open;
    config.requests = 20;
    config.rate_per_s = 0;
    CHECK_THAT(Httperf().check(config), Catch::Contains("rate_per_s = 0"));
    config.rate_per_s = 40;
    CHECK(Httperf().check(config).empty());
    config.load = LoadKind::closed;
    CHECK_THAT(Httperf().check(config), Catch::Contains("load_generator = httperf"));
}

TEST_CASE("httperf's schedule is its connections at its rate") {
    RunConfig config;
    config.load = LoadKind::open;
    config.requests = 20;
    config.rate_per_s = 40;
    CHECK(Httperf().schedule_s(config) == 0.5);
}
