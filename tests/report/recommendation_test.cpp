#include <catch2/catch.hpp>

#include <sstream>

#include "report/recommendation.hpp"

using namespace workersim;
using namespace workersim::report;

namespace {

Recommendation infeasible_for_memory() {
    Recommendation rec;
    rec.feasible = false;
    rec.workers = 9;
    rec.limited_by = Limit::memory;
    rec.max_workers_in_memory = 9;
    rec.rule_of_thumb_workers = 3;
    Advice memory{Remedy::add_memory};
    memory.workers = 23;
    memory.memory_kib = 2.3 * 1024 * 1024;
    rec.advice = {memory, Advice{Remedy::overlap_io}};
    return rec;
}

RecommendQuery with_budget(double memory_kib) {
    RecommendQuery q;
    q.memory_kib = memory_kib;
    q.slo_p99_s = 2.0;
    return q;
}

}  // namespace

TEST_CASE("every limit has the name JSON gives it") {
    CHECK(limit_name(Limit::cores) == "cores");
    CHECK(limit_name(Limit::memory) == "memory");
    CHECK(limit_name(Limit::slo) == "slo");
    CHECK(limit_name(Limit::clients) == "clients");
    CHECK(limit_name(Limit::load) == "load");
    CHECK(limit_name(Limit::max_workers) == "max_workers");
}

TEST_CASE("the objective reads as the SLOs asked for, or as maximum throughput without one") {
    RecommendQuery q;
    CHECK(objective_text(q) == "maximum throughput with the fewest workers (within 1% of the best)");
    q.slo_p99_s = 2;
    CHECK(objective_text(q) == "p99 <= 2.000 s, then the fewest workers");
    q.slo_mean_s = 0.25;
    CHECK(objective_text(q) == "p99 <= 2.000 s and mean <= 0.250 s, then the fewest workers");
}

TEST_CASE("memory advice names the workers, their PSS and the budget they exceed") {
    Advice a{Remedy::add_memory};
    a.workers = 23;
    a.memory_kib = 2.3 * 1024 * 1024;
    CHECK(advice_text(a, with_budget(1024 * 1024)) == "needs 23 workers: 2.3 GiB of PSS against a budget of 1.0 GiB; add memory");
    CHECK(advice_text(a, RecommendQuery{}) == "needs 23 workers: 2.3 GiB of PSS; add memory");
    a.beyond_max_workers = true;
    CHECK(advice_text(a, RecommendQuery{}) == "needs 23 workers: 2.3 GiB of PSS (and --max-workers >= 23); add memory");
}

TEST_CASE("cores advice names the host that would do, or says no host searched does") {
    Advice a{Remedy::add_cores};
    a.cores = 8;
    CHECK(advice_text(a, RecommendQuery{}) == "needs 8 cores: add cores");
    CHECK(advice_text(Advice{Remedy::cheaper_request}, RecommendQuery{}) ==
          "the request's CPU alone misses the objective: make it cheaper or relax the objective");
    CHECK_THAT(advice_text(Advice{Remedy::overlap_io}, RecommendQuery{}), Catch::Contains("gthread"));
}

TEST_CASE("an infeasible recommendation's text says so, the best achievable, the budget and the advice") {
    std::ostringstream out;
    print_recommendation(out, with_budget(1024 * 1024), infeasible_for_memory());
    const std::string text = out.str();
    CHECK_THAT(text, Catch::Contains("NOT FEASIBLE: nothing in 1..64 workers meets the objective within the budget "
                                     "(limited by memory)"));
    CHECK_THAT(text, Catch::Contains("  best achievable: 9 workers\n"));
    CHECK_THAT(text, Catch::Contains("  memory budget 1.00 GiB fits at most 9 workers\n"));
    CHECK_THAT(text, Catch::Contains("  -> needs 23 workers: 2.3 GiB of PSS against a budget of 1.0 GiB; add memory\n"));
    CHECK_THAT(text, Catch::Contains("Rule of thumb, (2 x cores) + 1 = 3 workers:"));
}

TEST_CASE("a recommendation's JSON carries the limit's name and the advice as sentences") {
    const nlohmann::json j = recommendation_json(with_budget(1024 * 1024), infeasible_for_memory());
    CHECK(j["limited_by"] == "memory");
    CHECK(j["feasible"] == false);
    REQUIRE(j["advice"].size() == 2);
    CHECK(j["advice"][0] == "needs 23 workers: 2.3 GiB of PSS against a budget of 1.0 GiB; add memory");
    CHECK(j["predicted_method"] == "sim");
    CHECK(j["objective"] == "p99 <= 2.000 s, then the fewest workers");
}
