// Issue 4's acceptance cases for the sizing engine, on the calibration the binary embeds.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "model/mva.hpp"
#include "model/profile_json.hpp"
#include "sizing/recommend.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Profile default_profile() {
    std::ifstream in(WORKERSIM_DEFAULT_PROFILE);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return profile_from_json(nlohmann::json::parse(text.str()), WORKERSIM_DEFAULT_PROFILE);
}

RecommendQuery cpu_bound_closed() {
    RecommendQuery q;
    q.profile = default_profile();
    q.what_if.cores = 2;
    q.what_if.workload.cpu_pct = 100;
    q.what_if.load.clients = 30;
    q.what_if.load.requests = 3000;
    return q;
}

RecommendQuery io_bound_open(int cores, double memory_kib) {
    RecommendQuery q;
    q.profile = default_profile();
    q.what_if.cores = cores;
    q.what_if.workload.io_pct = 100;
    q.what_if.load.kind = LoadKind::open;
    q.what_if.load.rate_per_s = 20;
    q.what_if.load.requests = 20000;
    q.memory_kib = memory_kib;
    q.slo_p99_s = 2.0;
    return q;
}

constexpr double kMiB = 1024, kGiB = 1024 * 1024;

}  // namespace

TEST_CASE("100% CPU on 2 cores with 30 clients: 2 to 4 workers, within 5% of the best of 1..16") {
    const RecommendQuery q = cpu_bound_closed();
    const Recommendation rec = recommend(q);
    CHECK(rec.feasible);
    CHECK(rec.workers >= 2);
    CHECK(rec.workers <= 4);
    CHECK(rec.limited_by == "cores");
    // The best of any count, by the simulator itself (the same steady runs the engine uses).
    double best = 0;
    for (int n = 1; n <= 16; ++n) {
        Scenario s = build_scenario(q.profile, [&] {
            WhatIf w = q.what_if;
            w.workers = n;
            w.load.requests = q.steady_requests;
            return w;
        }());
        best = std::max(best, simulate(s, q.seed).throughput_rps);
    }
    CHECK(rec.predicted.throughput_rps >= 0.95 * best);
}

TEST_CASE("the rule of thumb is shown with its own predictions") {
    const Recommendation rec = recommend(cpu_bound_closed());
    CHECK(rec.rule_of_thumb_workers == 5);
    CHECK(rec.rule_of_thumb_predicted.completed > 0);
    CHECK(rec.rule_of_thumb_predicted.memory.total_kib > rec.predicted.memory.total_kib);
    CHECK(rec.rule_of_thumb_fits_memory);
}

TEST_CASE("100% IO at 20 req/s with p99 <= 2 s on 2 cores and 4 GiB: 21 to 40 workers, feasible") {
    const Recommendation rec = recommend(io_bound_open(2, 4 * kGiB));
    CHECK(rec.feasible);
    CHECK(rec.limited_by == "slo");
    CHECK(rec.workers >= 21);
    CHECK(rec.workers <= 40);
    CHECK(rec.predicted.latency.p99_s <= 2.0);
    CHECK_FALSE(rec.predicted.unstable);
}

TEST_CASE("the SLO answer is the fewest simulated workers that meet it") {
    RecommendQuery q = io_bound_open(2, 4 * kGiB);
    const Recommendation rec = recommend(q);
    REQUIRE(rec.feasible);
    WhatIf w = q.what_if;
    w.workers = rec.workers - 1;
    const Result fewer = simulate(build_scenario(q.profile, w), q.seed);
    CHECK((fewer.latency.p99_s > 2.0 || fewer.unstable || fewer.errors.total() > 0));
}

TEST_CASE("1 core, 1 GiB and 100 MiB workers cannot carry 20 req/s of 1 s IO: memory limits it") {
    RecommendQuery q = io_bound_open(1, 1 * kGiB);
    q.worker_kib = 100 * kMiB;
    const Recommendation rec = recommend(q);
    CHECK(rec.max_workers_in_memory <= 10);
    CHECK_FALSE(rec.feasible);
    CHECK(rec.limited_by == "memory");
    CHECK(rec.workers == rec.max_workers_in_memory);
    REQUIRE_FALSE(rec.advice.empty());
    const std::string advice = rec.advice.front() + " " + (rec.advice.size() > 1 ? rec.advice[1] : "");
    CHECK(advice.find("memory") != std::string::npos);
    CHECK(advice.find("gthread") != std::string::npos);
    CHECK_FALSE(rec.rule_of_thumb_fits_memory == false);  // 3 workers x 100 MiB fit in 1 GiB
}

TEST_CASE("a CPU-bound open load beyond the cores asks for more cores, not memory") {
    RecommendQuery q;
    q.profile = default_profile();
    q.what_if.cores = 1;
    q.what_if.workload.cpu_pct = 100;
    q.what_if.load.kind = LoadKind::open;
    q.what_if.load.rate_per_s = 1.5 / q.profile.loop_cpu_s;  // half again what one core can do
    q.what_if.load.requests = 2000;
    q.slo_p99_s = 5.0;
    const Recommendation rec = recommend(q);
    CHECK_FALSE(rec.feasible);
    CHECK(rec.limited_by == "cores");
    REQUIRE_FALSE(rec.advice.empty());
    CHECK(rec.advice.front().find("cores") != std::string::npos);
}
