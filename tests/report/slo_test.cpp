#include <catch2/catch.hpp>

#include <sstream>

#include "report/slo.hpp"

using namespace workersim;
using namespace workersim::report;
using sizing::Objective;
using sizing::ObjectiveCheck;

namespace {

std::vector<ObjectiveCheck> p99_missed_throughput_met() {
    return {{Objective::latency_p99, 3.4123, 2.0, false},
            {Objective::throughput, 51.0, 50.0, true},
            {Objective::no_errors, 0, 0, true},
            {Objective::stable, 1, 1, true}};
}

}  // namespace

TEST_CASE("a missed objective's line names it with predicted vs target") {
    CHECK(objective_line(p99_missed_throughput_met().front()) == "latency p99 3.412 s, target at most 2.000 s");
    CHECK(objective_line({Objective::throughput, 49.5, 50, false}) ==
          "throughput 49.50 req/s, target at least 50.00 req/s");
}

TEST_CASE("the SLO JSON lists the failed objectives by key beside every check") {
    const nlohmann::json j = slo_json(p99_missed_throughput_met(), "one simulated run");
    CHECK(j["met"] == false);
    CHECK(j["failed"] == nlohmann::json::array({"latency_p99_s"}));
    CHECK(j["objectives"].size() == 4);
    CHECK(j["objectives"][1]["objective"] == "throughput_rps");
    CHECK(j["objectives"][1]["target"] == 50.0);
    CHECK(j["estimate"] == "one simulated run");
}

TEST_CASE("the SLO text says missed and marks each objective") {
    std::ostringstream out;
    print_slo(out, p99_missed_throughput_met());
    CHECK(out.str().find("SLO: missed\n  MISSED  latency p99 3.412 s") != std::string::npos);
    CHECK(out.str().find("  met     throughput 51.00 req/s") != std::string::npos);
}
