#include <catch2/catch.hpp>

#include <stdexcept>

#include "model/units.hpp"

using namespace workersim;

TEST_CASE("durations need a unit and accept us, ms, s, min and h") {
    REQUIRE(parse_duration_s("250ms") == Approx(0.25));
    REQUIRE(parse_duration_s("2s") == Approx(2.0));
    REQUIRE(parse_duration_s("2min") == Approx(120.0));
    REQUIRE_THROWS_AS(parse_duration_s("2"), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_duration_s("-2s"), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_duration_s("1e3s"), std::invalid_argument);
}

TEST_CASE("sizes accept binary and decimal units and reject anything else") {
    REQUIRE(parse_size_kib("1GiB") == Approx(1024.0 * 1024));
    REQUIRE(parse_size_kib("512MiB") == Approx(512.0 * 1024));
    REQUIRE_THROWS_AS(parse_size_kib("1 GiB"), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_size_kib("1gb"), std::invalid_argument);
}
