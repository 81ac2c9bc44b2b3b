#include <catch2/catch.hpp>

#include "calibrate/harness/speed_probe.hpp"

using namespace workersim;

TEST_CASE("the speed probe's output is read as nanoseconds per iteration") {
    CHECK(parse_probe_output("39.139\n") == 39.139);
    CHECK(parse_probe_output("  57.7") == 57.7);
}

TEST_CASE("anything but one positive number from the speed probe is rejected, quoting it") {
    for (const char* text : {"", "\n", "fast", "-3.5", "0", "12 13", "nan", "inf"}) {
        INFO("output: " << text);
        CHECK_THROWS_WITH(parse_probe_output(text), Catch::Contains("speed probe printed"));
    }
}

TEST_CASE("a run is on a steady host only if both its probes are near the usual speed") {
    CHECK(steady_host(41.0, 43.5, 42.0));
    CHECK_FALSE(steady_host(41.0, 52.0, 42.0));  // a slow spell began during the run
    CHECK_FALSE(steady_host(58.0, 57.0, 42.0));  // and lasted through it
    CHECK(steady_host(58.0, 57.0, 42.0, 0.5));
}

TEST_CASE("the host's usual speed is not moved by a minority of slow probes") {
    CHECK(usual_probe_ns({41.0, 42.0, 58.0, 41.5, 60.0}) == 42.0);
    CHECK(usual_probe_ns({41.0, 43.0}) == 42.0);
}

TEST_CASE("probes that scatter little give the 10% slow-spell tolerance", "[unsteady_tolerance]") {
    // Median 100, absolute deviations {0, 1, 1, 0.5, 0.5}: MAD 0.5, 3 x 1.4826 x 0.5 / 100 = 2.2%.
    CHECK(unsteady_tolerance({100.0, 101.0, 99.0, 100.5, 99.5}) == Approx(0.10));
    CHECK(unsteady_tolerance({42.0, 42.0, 42.0}) == Approx(0.10));
}

TEST_CASE("widely scattered probes give three robust standard deviations over the median as tolerance",
          "[unsteady_tolerance]") {
    // Median 214; absolute deviations {34, 14, 0, 18, 46}, sorted {0, 14, 18, 34, 46}: MAD 18.
    CHECK(unsteady_tolerance({180.0, 200.0, 214.0, 232.0, 260.0}) == Approx(3 * 1.4826 * 18.0 / 214.0));
    // An even count: median (120 + 140) / 2 = 130; deviations {30, 10, 10, 70}: MAD (10 + 30) / 2 = 20.
    CHECK(unsteady_tolerance({100.0, 120.0, 140.0, 200.0}) == Approx(3 * 1.4826 * 20.0 / 130.0));
}

TEST_CASE("fewer than three probes give the 10% slow-spell tolerance however they scatter",
          "[unsteady_tolerance]") {
    CHECK(unsteady_tolerance({}) == Approx(0.10));
    CHECK(unsteady_tolerance({100.0}) == Approx(0.10));
    CHECK(unsteady_tolerance({100.0, 200.0}) == Approx(0.10));
}
