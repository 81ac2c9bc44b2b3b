#include <catch2/catch.hpp>

#include "sim/event_queue.hpp"
#include "sim/rng.hpp"

using namespace workersim;

TEST_CASE("events come out earliest first") {
    EventQueue q;
    Rng rng(7);
    for (std::uint32_t i = 0; i < 1000; ++i) q.push(rng.uniform() * 100, EventKind::io_done, RequestRef{i, 0});
    double last = -1;
    while (!q.empty()) {
        const Event e = q.pop();
        REQUIRE(e.time_s >= last);
        last = e.time_s;
    }
}

TEST_CASE("events at the same time come out in the order they were scheduled") {
    EventQueue q;
    for (std::uint32_t i = 0; i < 50; ++i) q.push(1.0, EventKind::io_done, RequestRef{i, 0});
    for (std::uint32_t i = 0; i < 50; ++i) REQUIRE(q.pop().request().slot == i);
}
