#include <catch2/catch.hpp>

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
