#include <catch2/catch.hpp>

#include <sstream>

#include "report/prediction.hpp"
#include "report/replicated_prediction.hpp"

using namespace workersim;
using namespace workersim::report;

namespace {

SimulatedPrediction plain_run() {
    SimulatedPrediction p;
    p.workers = 1;
    p.cores = 2;
    p.profile.name = "test-host";
    p.replicated.replications = 1;
    p.replicated.representative.completed = 10;
    return p;
}

}  // namespace

TEST_CASE("hey's summary says UNSTABLE with the pool's capacity only for an unstable run") {
    Result r;
    std::ostringstream stable;
    print_hey_style(stable, r);
    CHECK_THAT(stable.str(), Catch::Contains("Summary:") && !Catch::Contains("UNSTABLE"));
    r.unstable = true;
    r.capacity_rps = 4.9;
    std::ostringstream unstable;
    print_hey_style(unstable, r);
    CHECK_THAT(unstable.str(), Catch::Contains("pool's capacity of about 4.90 req/s"));
}

TEST_CASE("a plain run's JSON is one run's shape with the calibration, without replication keys") {
    const nlohmann::json j = prediction_json(plain_run());
    CHECK(j["completed"] == 10);
    CHECK(j["calibration"]["name"] == "test-host");
    CHECK(j["calibration"]["moved"].is_null());
    CHECK_FALSE(j.contains("replications"));
    CHECK_FALSE(j.contains("with_profile_uncertainty"));
}

TEST_CASE("replicated JSON adds the replications, intervals and warm-up") {
    SimulatedPrediction p = plain_run();
    p.replicated.replications = 5;
    const nlohmann::json j = prediction_json(p);
    CHECK(j["replications"]["count"] == 5);
    CHECK(j.contains("ci95"));
    CHECK(j.contains("warmup"));
}

TEST_CASE("the text heading names the pool, the cores and the calibration, in the singular for one") {
    std::ostringstream out;
    print_prediction(out, plain_run());
    CHECK(out.str().rfind("workersim: 1 sync worker on 2 cores, calibration 'test-host'\n", 0) == 0);
    CHECK_THAT(out.str(), !Catch::Contains("Confidence"));  // one replication: no intervals
}
