// model/latency_breakdown.hpp: the one line on what limits a configuration.

#include <catch2/catch.hpp>

#include <string>

#include "model/latency_breakdown.hpp"

using namespace workersim;

namespace {

LatencyBreakdown with_means(double backlog_s, double on_core_s, double io_s) {
    LatencyBreakdown b;
    b.measured = true;
    b[LatencyPart::backlog].mean_s = backlog_s;
    b[LatencyPart::on_core].mean_s = on_core_s;
    b[LatencyPart::io].mean_s = io_s;
    return b;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("saturated cores are named before any part of the latency") {
    const std::string line = what_limits(with_means(9.0, 0.5, 0.5), 0.98, false);
    CHECK(contains(line, "cores are 98% busy"));
}

TEST_CASE("a backlog-bound sync pool is told to add workers, with the backlog's share") {
    const std::string line = what_limits(with_means(3.0, 0.5, 0.5), 0.40, false);
    CHECK(contains(line, "75% of the mean latency is backlog wait"));
    CHECK(contains(line, "add workers"));
}

TEST_CASE("a backlog-bound gthread pool is told to add threads or processes") {
    CHECK(contains(what_limits(with_means(3.0, 0.5, 0.5), 0.40, true), "add threads or processes"));
}

TEST_CASE("an IO-bound request is told the server adds little") {
    CHECK(contains(what_limits(with_means(0.0, 0.1, 0.9), 0.10, false), "90% of the mean latency is the request's own IO"));
}

TEST_CASE("every part has a name for the JSON") {
    for (std::size_t i = 0; i < kLatencyParts; ++i)
        CHECK(std::string(latency_part_name(static_cast<LatencyPart>(i))) != "?");
}
