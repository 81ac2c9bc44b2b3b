// Strict parsing of quantities with units: the accepted forms give exact values, and every
// near miss a user might type is rejected with std::invalid_argument naming the text.

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "model/units.hpp"

using namespace workersim;

TEST_CASE("durations need a unit and accept us, ms, s, min and h") {
    REQUIRE(parse_duration_s("250ms") == Approx(0.25));
    REQUIRE(parse_duration_s("2s") == Approx(2.0));
    REQUIRE(parse_duration_s("1.5s") == Approx(1.5));
    REQUIRE(parse_duration_s("100us") == Approx(1e-4));
    REQUIRE(parse_duration_s("2min") == Approx(120.0));
    REQUIRE(parse_duration_s("1h") == Approx(3600.0));
    REQUIRE(parse_duration_s("0s") == 0.0);
    REQUIRE_THROWS_AS(parse_duration_s("2"), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_duration_s("-2s"), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_duration_s("1e3s"), std::invalid_argument);
}

TEST_CASE("durations reject signs, exponents, spaces, other spellings and special values") {
    for (const char* text : {"", "s", "ms", "+2s", "2 s", " 2s", "2s ", "2S", "2sec", "2m", "2hr", "0x10s",
                             "infs", "nans", "inf", "1..5s", "2ms5", "2s2s", "\t2s"}) {
        INFO("'" << text << "'");
        REQUIRE_THROWS_AS(parse_duration_s(text), std::invalid_argument);
    }
}

TEST_CASE("a duration error names the text and the accepted units") {
    REQUIRE_THROWS_WITH(parse_duration_s("5 sec"), Catch::Contains("'5 sec'") && Catch::Contains("ms"));
}

TEST_CASE("numbers longer than 32 characters are rejected rather than rounded") {
    REQUIRE(parse_duration_s(std::string(32, '1') + "s") > 0);
    REQUIRE_THROWS_AS(parse_duration_s(std::string(33, '1') + "s"), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_size_kib(std::string(400, '9') + "GiB"), std::invalid_argument);
}

TEST_CASE("sizes accept binary and decimal units and reject anything else") {
    REQUIRE(parse_size_kib("1GiB") == Approx(1024.0 * 1024));
    REQUIRE(parse_size_kib("512MiB") == Approx(512.0 * 1024));
    REQUIRE_THROWS_AS(parse_size_kib("1 GiB"), std::invalid_argument);
    REQUIRE_THROWS_AS(parse_size_kib("1gb"), std::invalid_argument);
}

TEST_CASE("sizes convert every unit to KiB: binary by 1024, decimal by 1000") {
    REQUIRE(parse_size_kib("4096B") == Approx(4.0));
    REQUIRE(parse_size_kib("100KiB") == Approx(100.0));
    REQUIRE(parse_size_kib("1TiB") == Approx(1024.0 * 1024 * 1024));
    REQUIRE(parse_size_kib("1KB") == Approx(1000.0 / 1024));
    REQUIRE(parse_size_kib("1MB") == Approx(1e6 / 1024));
    REQUIRE(parse_size_kib("1GB") == Approx(1e9 / 1024));
    REQUIRE(parse_size_kib("1TB") == Approx(1e12 / 1024));
    REQUIRE(parse_size_kib("1.5GiB") == Approx(1.5 * 1024 * 1024));
}

TEST_CASE("sizes reject negatives, exponents, a missing unit and lower-case units") {
    for (const char* text : {"-1MiB", "1e3MiB", "1", "MiB", "1GiBs", "1 ", "1gib", "1Gib", "1kb", "1K", "1M", "1G",
                             "1Mi", "+1MiB", "0x1GiB", "infGiB", "nanGiB", ""}) {
        INFO("'" << text << "'");
        REQUIRE_THROWS_AS(parse_size_kib(text), std::invalid_argument);
    }
    REQUIRE_THROWS_WITH(parse_size_kib("1gb"), Catch::Contains("'1gb'") && Catch::Contains("GiB"));
}

TEST_CASE("percentages need the percent sign and stay within 0..100") {
    REQUIRE(parse_percent("1%") == Approx(0.01));
    REQUIRE(parse_percent("0.5%") == Approx(0.005));
    REQUIRE(parse_percent("100%") == Approx(1.0));
    REQUIRE(parse_percent("0%") == 0.0);
    for (const char* text : {"101%", "100.01%", "1", "%", "-1%", "1 %", "1e1%", "1%%", "0.5", "one%", ""}) {
        INFO("'" << text << "'");
        REQUIRE_THROWS_AS(parse_percent(text), std::invalid_argument);
    }
}
