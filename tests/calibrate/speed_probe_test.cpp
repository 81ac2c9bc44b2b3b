#include <catch2/catch.hpp>

#include "calibrate/speed_probe.hpp"

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
