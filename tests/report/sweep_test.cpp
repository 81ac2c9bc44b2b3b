#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "report/sweep.hpp"

using namespace workersim;
using namespace workersim::report;

namespace {

Result result_of(double throughput_rps) {
    Result r;
    r.throughput_rps = throughput_rps;
    r.latency.mean_s = 1.5;
    r.memory.total_kib = 2048;
    return r;
}

// Two worker counts, both methods.
Sweep two_points() {
    Sweep s;
    s.keys = {"workers"};
    s.points = {{1}, {2}};
    s.analytic = {{}, {}};
    s.sim = {result_of(1), result_of(2)};
    s.mva = {result_of(1.1), result_of(2.1)};
    return s;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("CSV has the swept keys first and a row per point and method, the simulator first") {
    std::ostringstream out;
    print_sweep_csv(out, two_points());
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] ==
          "workers,method,throughput_rps,mean_s,p50_s,p90_s,p99_s,core_utilisation,worker_utilisation,"
          "mean_accept_queue,memory_total_kib,errors,unstable");
    CHECK(lines[1] == "1,sim,1,1.5,0,0,0,0,0,0,2048,0,false");
    CHECK(lines[2] == "1,mva,1.1,1.5,0,0,0,0,0,0,2048,0,false");
    CHECK(lines[3].rfind("2,sim,2,", 0) == 0);
}

TEST_CASE("JSON lines carry the point, the method and the analytic notes on mva lines only") {
    std::ostringstream out;
    print_sweep_json_lines(out, two_points());
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 4);
    const auto sim = nlohmann::json::parse(lines[0]), mva = nlohmann::json::parse(lines[1]);
    CHECK(sim["workers"] == 1);
    CHECK(sim["method"] == "sim");
    CHECK_FALSE(sim.contains("approximate"));
    CHECK(mva["method"] == "mva");
    CHECK(mva.contains("approximate"));
    CHECK(mva["throughput_rps"] == 1.1);
}

TEST_CASE("the table has one row per point and the analytic note only when mva ran") {
    Sweep s = two_points();
    std::ostringstream both;
    print_sweep_table(both, s);
    CHECK(lines_of(both.str()).size() == 5);  // header, two rows, a blank line, the note
    CHECK_THAT(both.str(), Catch::Contains("sim:req/s") && Catch::Contains("mva:req/s"));
    s.mva.clear();
    std::ostringstream sim_only;
    print_sweep_table(sim_only, s);
    CHECK(lines_of(sim_only.str()).size() == 3);
    CHECK_THAT(sim_only.str(), !Catch::Contains("mva"));
}
