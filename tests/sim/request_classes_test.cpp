// Request classes (an app's URLs): each request draws its class by weight, runs that class's
// phases, and the result has each class's latency and throughput.

#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "model/result_json.hpp"
#include "sim/latency_histogram.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Phase io(double s) { return {PhaseKind::io, PhaseOwner::worker, Distribution::deterministic(s)}; }
Phase cpu(double s) { return {PhaseKind::cpu, PhaseOwner::worker, Distribution::deterministic(s)}; }

// More workers than clients and no CPU: nobody ever waits, so each response takes exactly
// its class's IO.
Scenario two_urls_on_ample_workers(double weight_orders, double weight_search) {
    Scenario s;
    s.host.cores = 1;
    s.server.workers = 16;
    s.server.timeout_s = 0;
    s.request_classes = {{"/orders", weight_orders, {io(0.1)}}, {"/search", weight_search, {io(0.3)}}};
    s.load.clients = 8;
    s.load.requests = 8000;
    return s;
}

// The normal quantile for a two-sided false alarm once in 15,800 runs (6.33e-5), the rate the
// simulator's other statistical tests use (tests/sim/replication_estimate.hpp).
constexpr double kZ = 4.0;

}  // namespace

TEST_CASE("two request classes of deterministic IO on ample workers each take exactly their own IO") {
    const Result r = simulate(two_urls_on_ample_workers(7, 3), 11);
    REQUIRE(r.per_url.size() == 2);
    CHECK(r.per_url[0].path == "/orders");
    CHECK(r.per_url[1].path == "/search");
    CHECK(r.per_url[0].completed + r.per_url[1].completed == r.completed);
    for (const auto& [u, io_s] : {std::pair{r.per_url[0], 0.1}, std::pair{r.per_url[1], 0.3}}) {
        CHECK(u.latency.mean_s == Approx(io_s).epsilon(1e-12));
        // Quantiles come from the histogram: within its stated relative error.
        CHECK(u.latency.p99_s == Approx(io_s).epsilon(LatencyHistogram::kRelativeError));
        CHECK(u.latency.max_s == Approx(io_s).epsilon(1e-12));
    }
}

TEST_CASE("each request's class is drawn by its weight, within the binomial spread") {
    const Result r = simulate(two_urls_on_ample_workers(7, 3), 5);
    const double n = static_cast<double>(r.completed);
    const double p = 0.7;
    const double sd = std::sqrt(n * p * (1 - p));
    CHECK(std::abs(static_cast<double>(r.per_url[0].completed) - p * n) <= kZ * sd);
    CHECK(r.per_url[0].share == Approx(0.7));
    CHECK(r.per_url[1].share == Approx(0.3));
    // Throughput splits as the responses do.
    CHECK(r.per_url[0].throughput_rps + r.per_url[1].throughput_rps == Approx(r.throughput_rps));
}

TEST_CASE("weights are relative: scaling them all changes nothing") {
    const Result a = simulate(two_urls_on_ample_workers(7, 3), 3);
    const Result b = simulate(two_urls_on_ample_workers(0.7, 0.3), 3);
    CHECK(a.per_url[0].completed == b.per_url[0].completed);
    CHECK(a.makespan_s == b.makespan_s);
    CHECK(a.per_url[1].share == Approx(b.per_url[1].share));
}

TEST_CASE("a request class of its own runs exactly as the same phases without classes") {
    Scenario plain;
    plain.host.cores = 2;
    plain.server.workers = 3;
    plain.request = {cpu(0.02), {PhaseKind::io, PhaseOwner::worker, Distribution::exponential(0.05)}};
    plain.load.clients = 10;
    plain.load.requests = 500;
    Scenario one_class = plain;
    one_class.request_classes = {{"/only", 2.5, plain.request}};
    one_class.request.clear();
    const Result a = simulate(plain, 9);
    const Result b = simulate(one_class, 9);
    CHECK(a.events == b.events);
    CHECK(a.makespan_s == b.makespan_s);
    CHECK(a.latency.p99_s == b.latency.p99_s);
    CHECK(a.per_url.empty());
    REQUIRE(b.per_url.size() == 1);
    CHECK(b.per_url[0].completed == b.completed);
    CHECK(b.per_url[0].latency.mean_s == b.latency.mean_s);
    CHECK_FALSE(to_json(a).contains("per_url"));
    CHECK(to_json(b).contains("per_url"));
}

TEST_CASE("the analytic demands are the classes' means weighted by their shares") {
    Scenario s;
    s.request_classes = {{"/a", 1, {cpu(0.4), io(0.1)}}, {"/b", 3, {cpu(0.0), io(0.5)}}};
    CHECK(s.cpu_demand_s() == Approx(0.25 * 0.4));
    CHECK(s.io_demand_s() == Approx(0.25 * 0.1 + 0.75 * 0.5));
}

TEST_CASE("request classes are refused with a bad weight, a repeated path or beside a request") {
    Scenario s = two_urls_on_ample_workers(7, 3);
    SECTION("a zero weight") {
        s.request_classes[1].weight = 0;
        CHECK_THROWS_WITH(validate(s), Catch::Contains("weight") && Catch::Contains("/search"));
    }
    SECTION("a repeated path") {
        s.request_classes[1].path = "/orders";
        CHECK_THROWS_WITH(validate(s), Catch::Contains("/orders"));
    }
    SECTION("both classes and a request") {
        s.request = {io(0.1)};
        CHECK_THROWS_AS(validate(s), std::invalid_argument);
    }
}

TEST_CASE("clients given a class each ask only for it, whatever the weights say") {
    // One hey per URL at once: 2 clients on /orders, 6 on /search, 1000 requests each.
    Scenario s = two_urls_on_ample_workers(1, 1);
    s.load.clients_per_class = {2, 6};
    const Result r = simulate(s, 7);
    REQUIRE(r.per_url.size() == 2);
    CHECK(r.per_url[0].completed == 2000);
    CHECK(r.per_url[1].completed == 6000);
    // Ample workers and deterministic IO: each class still takes exactly its own IO.
    CHECK(r.per_url[0].latency.mean_s == Approx(0.1).epsilon(1e-12));
    CHECK(r.per_url[1].latency.mean_s == Approx(0.3).epsilon(1e-12));
}

TEST_CASE("clients per class are refused unless one count per class sums to the clients") {
    Scenario s = two_urls_on_ample_workers(7, 3);
    SECTION("a count short") {
        s.load.clients_per_class = {2, 5};
        CHECK_THROWS_WITH(validate(s), Catch::Contains("clients_per_class") && Catch::Contains("summing"));
    }
    SECTION("a class without a count") {
        s.load.clients_per_class = {8};
        CHECK_THROWS_WITH(validate(s), Catch::Contains("one count per request class"));
    }
}
