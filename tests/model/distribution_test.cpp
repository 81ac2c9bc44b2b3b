// Distribution summaries (means and squared coefficients of variation, with and without the
// slow tail), scaling, and the strict parsing of --io-dist / --cpu-dist.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "model/distribution.hpp"

using namespace workersim;

TEST_CASE("a slow tail raises the mean by its probability times the extra time") {
    Distribution d = Distribution::deterministic(0.2);
    d.slow_probability = 0.01;
    d.slow_s = 45;
    REQUIRE(d.expected_s() == Approx(0.99 * 0.2 + 0.01 * 45));
}

TEST_CASE("the lognormal keeps its coefficient of variation") {
    REQUIRE(Distribution::lognormal(1.0, 0.5).scv() == Approx(0.25));
    REQUIRE(Distribution::exponential(3.0).scv() == Approx(1.0));
}

TEST_CASE("a deterministic duration has no variance and its own mean") {
    const Distribution d = Distribution::deterministic(0.7);
    REQUIRE(d.expected_s() == 0.7);
    REQUIRE(d.scv() == 0.0);
}

TEST_CASE("a lognormal with CV 0 is deterministic") {
    REQUIRE(Distribution::lognormal(2.0, 0).kind == DistributionKind::deterministic);
    REQUIRE(Distribution::lognormal(2.0, 0).scv() == 0.0);
}

// 1 s or 3 s with equal probability: mean 2, variance 1, SCV 1/4.
TEST_CASE("a slow tail adds its variance: half 1 s, half 3 s has SCV 1/4") {
    Distribution d = Distribution::deterministic(1.0);
    d.slow_probability = 0.5;
    d.slow_s = 3.0;
    REQUIRE(d.expected_s() == Approx(2.0));
    REQUIRE(d.scv() == Approx(0.25));
}

// Exponential mean 1 (E[X^2] = 2) mixed 1:1 with 1 s: mean 1, E[X^2] = 1.5, SCV 0.5.
TEST_CASE("the slow tail mixes with a random base: exp(1) half the time, 1 s otherwise") {
    Distribution d = Distribution::exponential(1.0);
    d.slow_probability = 0.5;
    d.slow_s = 1.0;
    REQUIRE(d.expected_s() == Approx(1.0));
    REQUIRE(d.scv() == Approx(0.5));
}

// Samples 1 and 3: mean 2, population variance 1, SCV 1/4.
TEST_CASE("an empirical distribution uses the samples' mean and population variance") {
    const Distribution d = Distribution::empirical({1.0, 3.0});
    REQUIRE(d.kind == DistributionKind::empirical);
    REQUIRE(d.expected_s() == Approx(2.0));
    REQUIRE(d.scv() == Approx(0.25));
    REQUIRE(Distribution::empirical({5.0}).scv() == 0.0);
    REQUIRE(Distribution::empirical({}).expected_s() == 0.0);
}

TEST_CASE("a zero mean has no defined SCV and reports 0 rather than NaN") {
    REQUIRE(Distribution::deterministic(0).scv() == 0.0);
    REQUIRE(Distribution::exponential(0).scv() == 0.0);
}

TEST_CASE("scaling multiplies every duration and keeps the shape") {
    Distribution d = Distribution::lognormal(0.5, 1.5);
    d.slow_probability = 0.02;
    d.slow_s = 10;
    const Distribution s = d.scaled(3.0);
    REQUIRE(s.expected_s() == Approx(3.0 * d.expected_s()));
    REQUIRE(s.scv() == Approx(d.scv()));
    REQUIRE(s.slow_s == Approx(30));
    REQUIRE(s.slow_probability == d.slow_probability);
    const Distribution e = Distribution::empirical({1.0, 2.0}).scaled(2.0);
    REQUIRE(e.samples_s == std::vector<double>{2.0, 4.0});
    REQUIRE(e.expected_s() == Approx(3.0));
}

TEST_CASE("distribution names parse to their kind and the lognormal's CV") {
    double cv = -1;
    REQUIRE(parse_distribution_kind("det", cv) == DistributionKind::deterministic);
    REQUIRE(cv == 0);
    REQUIRE(parse_distribution_kind("deterministic", cv) == DistributionKind::deterministic);
    REQUIRE(parse_distribution_kind("exp", cv) == DistributionKind::exponential);
    REQUIRE(parse_distribution_kind("exponential", cv) == DistributionKind::exponential);
    REQUIRE(parse_distribution_kind("lognormal:0.5", cv) == DistributionKind::lognormal);
    REQUIRE(cv == Approx(0.5));
    REQUIRE(parse_distribution_kind("lognormal:100", cv) == DistributionKind::lognormal);
    REQUIRE(parse_distribution_kind("det", cv) == DistributionKind::deterministic);
    REQUIRE(cv == 0);  // reset: a stale CV never leaks into another kind
}

TEST_CASE("unknown distributions and out-of-range CVs are rejected, naming the text") {
    double cv = 0;
    for (const char* text : {"", "weird", "Det", "EXP", "exp ", "lognormal", "lognormal:", "lognormal:0",
                             "lognormal:-1", "lognormal:abc", "lognormal:101", "lognormal:1x", "lognormal:nan",
                             "lognormal:inf", "lognormal:1e999", "LOGNORMAL:1", "normal:1"}) {
        INFO("'" << text << "'");
        REQUIRE_THROWS_AS(parse_distribution_kind(text, cv), std::invalid_argument);
    }
    REQUIRE_THROWS_WITH(parse_distribution_kind("weird", cv), Catch::Contains("'weird'"));
}

// The CV goes through std::stod, which skips leading white space and reads hex floats, so
// "lognormal: 1" and "lognormal:0x1p-1" are accepted, unlike the strict unit parser.
TEST_CASE("the lognormal CV is plain decimal like every other number") {
    double cv = 0;
    REQUIRE_THROWS_AS(parse_distribution_kind("lognormal: 1", cv), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_distribution_kind("lognormal:0x1p-1", cv), std::invalid_argument);
}

TEST_CASE("to_string names the kind, the CV and the slow tail") {
    REQUIRE(to_string(Distribution::deterministic(1)) == "det");
    REQUIRE(to_string(Distribution::exponential(1)) == "exp");
    REQUIRE(to_string(Distribution::lognormal(1, 0.5)) == "lognormal:0.5");
    REQUIRE(to_string(Distribution::empirical({1, 2, 3})) == "empirical(3)");
    Distribution d = Distribution::deterministic(0.2);
    d.slow_probability = 0.01;
    d.slow_s = 45;
    REQUIRE(to_string(d) == "det+1%@45s");
}
