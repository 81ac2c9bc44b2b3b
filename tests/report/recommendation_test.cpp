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

// ---- gthread and `any` (issue 13) ----

namespace {

Result run_at(double throughput_rps, double memory_kib) {
    Result r;
    r.completed = 100;
    r.throughput_rps = throughput_rps;
    r.latency.mean_s = 1.0;
    r.latency.p99_s = 1.5;
    r.memory.total_kib = memory_kib;
    return r;
}

Recommendation gthread_one_by_eight() {
    Recommendation rec;
    rec.worker_class = WorkerClass::gthread;
    rec.feasible = true;
    rec.workers = 1;
    rec.threads = 8;
    rec.limited_by = Limit::clients;
    rec.predicted = run_at(7.5, 40 * 1024);
    rec.rule_of_thumb_workers = 5;
    rec.rule_of_thumb_predicted = run_at(4.9, 65 * 1024);
    rec.simulations = 12;
    ThreadCountResult one{1, 8, 64, 7.5, 1.0, 1.5, 90 * 1024};
    ThreadCountResult eight{8, 1, 64, 7.5, 1.0, 1.5, 40 * 1024};
    ThreadCountResult none{32, 0, 3, 0, 0, 0, 0};
    rec.by_threads = {one, eight, none};
    return rec;
}

Recommendation sync_eight() {
    Recommendation rec;
    rec.feasible = true;
    rec.workers = 8;
    rec.limited_by = Limit::clients;
    rec.predicted = run_at(7.6, 90 * 1024);
    rec.rule_of_thumb_workers = 5;
    rec.rule_of_thumb_predicted = run_at(4.9, 65 * 1024);
    return rec;
}

}  // namespace

TEST_CASE("gthread's objective asks for the least memory where sync's asks for the fewest workers") {
    RecommendQuery q;
    CHECK(objective_text(q, WorkerClass::gthread) == "maximum throughput with the least memory (within 1% of the best)");
    q.slo_p99_s = 2;
    CHECK(objective_text(q, WorkerClass::gthread) == "p99 <= 2.000 s, then the least memory");
    CHECK(objective_text(q) == "p99 <= 2.000 s, then the fewest workers");
}

TEST_CASE("a configuration reads as workers under sync and as processes x threads under gthread") {
    CHECK(configuration_text(sync_eight()) == "8 workers");
    CHECK(configuration_text(gthread_one_by_eight()) == "1 process x 8 threads");
    Recommendation two = gthread_one_by_eight();
    two.workers = 2;
    two.threads = 1;
    CHECK(configuration_text(two) == "2 processes x 1 thread");
}

TEST_CASE("gthread memory advice names the processes and threads that would meet the objective") {
    Advice a{Remedy::add_memory};
    a.workers = 3;
    a.threads = 8;
    a.memory_kib = 60 * 1024;
    CHECK(advice_text(a, with_budget(30 * 1024)) ==
          "needs 3 processes x 8 threads: 60.0 MiB of PSS against a budget of 30.0 MiB; add memory");
}

TEST_CASE("a gthread recommendation's text gives processes x threads, each thread count searched and the rule of thumb") {
    std::ostringstream out;
    print_recommendation(out, RecommendQuery{}, gthread_one_by_eight());
    const std::string text = out.str();
    CHECK_THAT(text, Catch::Contains("workersim recommend -k gthread: objective maximum throughput with the least memory"));
    CHECK_THAT(text, Catch::Contains("  bounds over 1..64 processes x 1, 8, 32 threads, then 12 simulated runs"));
    CHECK_THAT(text, Catch::Contains("Recommended: 1 process x 8 threads (gthread; limited by clients)\n"));
    CHECK_THAT(text, Catch::Contains("        8          1    7.50 req/s      1.000     1.500  40.0 MiB\n"));
    CHECK_THAT(text, Catch::Contains("       32          -  none of 1..3 processes meets it\n"));
    CHECK_THAT(text, Catch::Contains("Rule of thumb, (2 x cores) + 1 = 5 sync workers:"));
}

TEST_CASE("a sync recommendation's JSON adds its worker class and one thread and keeps its screening") {
    const nlohmann::json j = recommendation_json(RecommendQuery{}, sync_eight());
    CHECK(j["worker_class"] == "sync");
    CHECK(j["workers"] == 8);
    CHECK(j["threads"] == 1);
    CHECK(j.contains("screening"));
    CHECK_FALSE(j.contains("by_threads"));
}

TEST_CASE("a gthread recommendation's JSON gives processes as workers, threads and each thread count searched") {
    const nlohmann::json j = recommendation_json(RecommendQuery{}, gthread_one_by_eight());
    CHECK(j["worker_class"] == "gthread");
    CHECK(j["workers"] == 1);
    CHECK(j["threads"] == 8);
    CHECK(j["objective"] == "maximum throughput with the least memory (within 1% of the best)");
    REQUIRE(j["by_threads"].size() == 3);
    CHECK(j["by_threads"][1]["threads"] == 8);
    CHECK(j["by_threads"][1]["workers"] == 1);
    CHECK(j["by_threads"][2]["workers"] == 0);
    CHECK_FALSE(j.contains("screening"));
}

TEST_CASE("the comparison shows sync and gthread side by side, with the rule of thumb") {
    std::ostringstream out;
    print_comparison(out, RecommendQuery{}, WorkerClassComparison{sync_eight(), gthread_one_by_eight()});
    const std::string text = out.str();
    CHECK_THAT(text, Catch::Contains("workersim recommend --worker-class any:"));
    CHECK_THAT(text, Catch::Contains("  recommended   8 workers                   1 process x 8 threads\n"));
    CHECK_THAT(text, Catch::Contains("  throughput    7.60 req/s                  7.50 req/s\n"));
    CHECK_THAT(text, Catch::Contains("  memory (PSS)  90.0 MiB                    40.0 MiB\n"));
    CHECK_THAT(text, Catch::Contains("Rule of thumb, (2 x cores) + 1 = 5 workers:"));
}

TEST_CASE("the comparison's JSON keys each class by its name beside the rule of thumb") {
    const nlohmann::json j = comparison_json(RecommendQuery{}, WorkerClassComparison{sync_eight(), gthread_one_by_eight()});
    CHECK(j["worker_class"] == "any");
    CHECK(j["by_worker_class"]["sync"]["workers"] == 8);
    CHECK(j["by_worker_class"]["gthread"]["threads"] == 8);
    CHECK(j["rule_of_thumb"]["workers"] == 5);
    CHECK(j["objective"]["gthread"] == "maximum throughput with the least memory (within 1% of the best)");
}

TEST_CASE("a baseline (a pasted Gunicorn command) follows the rule of thumb in the text and has its own JSON key") {
    RecommendQuery q;
    q.baseline = Baseline{WorkerClass::gthread, 4, 8};
    Recommendation rec = sync_eight();
    rec.baseline_predicted = run_at(3.2, 50 * 1024);
    std::ostringstream out;
    print_recommendation(out, q, rec);
    const std::string text = out.str();
    const auto thumb = text.find("Rule of thumb");
    const auto baseline = text.find("Your configuration (the Gunicorn command), 4 processes x 8 threads (gthread):\n");
    REQUIRE(baseline != std::string::npos);
    CHECK(thumb < baseline);
    CHECK_THAT(text.substr(baseline), Catch::Contains("throughput 3.20 req/s"));
    const nlohmann::json j = recommendation_json(q, rec);
    CHECK(j["baseline"]["worker_class"] == "gthread");
    CHECK(j["baseline"]["workers"] == 4);
    CHECK(j["baseline"]["threads"] == 8);
    CHECK(j["baseline"]["predicted"]["throughput_rps"] == 3.2);
    CHECK(j["baseline"]["fits_memory"] == true);
    CHECK_FALSE(recommendation_json(RecommendQuery{}, sync_eight()).contains("baseline"));
}

TEST_CASE("the comparison gives the baseline once, at the top of its JSON") {
    RecommendQuery q;
    q.baseline = Baseline{WorkerClass::sync, 3, 1};
    Recommendation sync = sync_eight();
    sync.baseline_predicted = run_at(3.0, 30 * 1024);
    const nlohmann::json j = comparison_json(q, WorkerClassComparison{sync, gthread_one_by_eight()});
    CHECK(j["baseline"]["workers"] == 3);
    CHECK_FALSE(j["by_worker_class"]["sync"].contains("baseline"));
    CHECK_FALSE(j["by_worker_class"]["gthread"].contains("baseline"));
    std::ostringstream out;
    print_comparison(out, q, WorkerClassComparison{sync, gthread_one_by_eight()});
    CHECK_THAT(out.str(), Catch::Contains("Your configuration (the Gunicorn command), 3 workers (sync):"));
}
