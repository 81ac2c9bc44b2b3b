// The service-level check recommend and predict --slo-* share.

#include <catch2/catch.hpp>

#include "sizing/objective.hpp"

using namespace workersim;
using namespace workersim::sizing;

namespace {

Result result_of(double p99_s, double mean_s, double throughput_rps) {
    Result r;
    r.latency.p99_s = p99_s;
    r.latency.mean_s = mean_s;
    r.throughput_rps = throughput_rps;
    return r;
}

const ObjectiveCheck& check_of(const std::vector<ObjectiveCheck>& checks, Objective objective) {
    for (const ObjectiveCheck& c : checks)
        if (c.objective == objective) return c;
    FAIL("no check of that objective");
    return checks.front();
}

}  // namespace

TEST_CASE("a prediction within every objective meets the service level") {
    const ServiceLevel level{2.0, 0.5, 50.0};
    const auto checks = check_objectives(level, result_of(1.9, 0.4, 51));
    CHECK(all_met(checks));
    CHECK(checks.size() == 5);  // three set, then no errors and stable
}

TEST_CASE("each objective is missed on its own side of its target") {
    const ServiceLevel level{2.0, 0.5, 50.0};
    SECTION("a p99 above its ceiling") {
        const auto checks = check_objectives(level, result_of(2.1, 0.4, 51));
        const ObjectiveCheck& p99 = check_of(checks, Objective::latency_p99);
        CHECK_FALSE(p99.met);
        CHECK(p99.predicted == 2.1);
        CHECK(p99.target == 2.0);
        CHECK(check_of(checks, Objective::latency_mean).met);
        CHECK(check_of(checks, Objective::throughput).met);
    }
    SECTION("a mean above its ceiling") {
        CHECK_FALSE(check_of(check_objectives(level, result_of(1.9, 0.6, 51)), Objective::latency_mean).met);
    }
    SECTION("a throughput below its floor") {
        CHECK_FALSE(check_of(check_objectives(level, result_of(1.9, 0.4, 49)), Objective::throughput).met);
    }
    SECTION("a value at the target meets it") {
        CHECK(all_met(check_objectives(level, result_of(2.0, 0.5, 50))));
    }
}

TEST_CASE("an objective not set is not checked") {
    const auto checks = check_objectives(ServiceLevel{std::nullopt, std::nullopt, 10.0}, result_of(100, 100, 11));
    CHECK(all_met(checks));
    CHECK(checks.size() == 3);
    CHECK(checks.front().objective == Objective::throughput);
}

TEST_CASE("failed requests or an unstable run miss any service level") {
    const ServiceLevel level{2.0, std::nullopt, std::nullopt};
    Result r = result_of(1.0, 0.5, 10);
    SECTION("errors") {
        r.errors.worker_timeout = 3;
        const auto checks = check_objectives(level, r);  // check_of returns a reference into it
        const ObjectiveCheck& errors = check_of(checks, Objective::no_errors);
        CHECK_FALSE(errors.met);
        CHECK(errors.predicted == 3);
    }
    SECTION("unstable") {
        r.unstable = true;
        CHECK_FALSE(check_of(check_objectives(level, r), Objective::stable).met);
    }
    SECTION("stalled") {
        r.stalled = true;
        CHECK_FALSE(all_met(check_objectives(level, r)));
    }
}

TEST_CASE("recommend's objective is the query's latency SLOs through the same check") {
    RecommendQuery q;
    q.slo_p99_s = 2.0;
    CHECK(has_slo(q));
    CHECK_FALSE(service_level(q).throughput_rps);
    CHECK(meets_objective(q, result_of(1.5, 1.0, 1)));
    CHECK_FALSE(meets_objective(q, result_of(2.5, 1.0, 1)));
    RecommendQuery none;
    CHECK_FALSE(has_slo(none));
    Result failed = result_of(0.1, 0.1, 1);
    failed.errors.backlog_overflow = 1;
    CHECK_FALSE(meets_objective(none, failed));
}
