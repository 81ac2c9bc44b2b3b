// The GIL's state machine (sim/gil.hpp) against CPython 3.11's take_gil / drop_gil.

#include <catch2/catch.hpp>

#include "sim/gil.hpp"

using namespace workersim;

TEST_CASE("a free GIL is taken at once and a second thread waits for it") {
    Gil gil;
    REQUIRE(gil.acquire(7));
    REQUIRE(gil.owner() == 7);
    REQUIRE_FALSE(gil.acquire(Gil::kMainThread));
    REQUIRE(gil.waiters() == 1);
    REQUIRE(gil.needs_timer());
}

TEST_CASE("a release hands the GIL to the oldest waiter and counts a switch") {
    Gil gil;
    gil.acquire(1);
    gil.acquire(2);
    gil.acquire(3);
    const auto before = gil.switches();
    REQUIRE(gil.release() == 2);
    REQUIRE(gil.switches() == before + 1);
    REQUIRE(gil.release() == 3);
    REQUIRE(gil.release() == Gil::kNobody);
    REQUIRE(gil.owner() == Gil::kNobody);
}

TEST_CASE("the waiter asks for a drop only after a whole interval with no switch") {
    Gil gil;
    gil.acquire(1);
    gil.acquire(2);
    gil.acquire(3);
    SECTION("no switch during the interval: gil_drop_request") {
        const auto token = gil.arm_timer();
        REQUIRE(gil.timer_fired(token) == Gil::Timeout::drop);
        REQUIRE(gil.drop_requested());
    }
    SECTION("a switch during the interval restarts the wait") {
        const auto token = gil.arm_timer();
        REQUIRE(gil.release() == 2);
        REQUIRE(gil.timer_fired(token) == Gil::Timeout::rearm);
        REQUIRE_FALSE(gil.drop_requested());
    }
    SECTION("an older timer is stale") {
        const auto old_token = gil.arm_timer();
        gil.clear();
        REQUIRE(gil.timer_fired(old_token) == Gil::Timeout::stale);
    }
}

TEST_CASE("a forced switch puts the old holder behind every waiter (FORCE_SWITCHING)") {
    Gil gil;
    gil.acquire(1);
    gil.acquire(2);
    gil.acquire(3);
    gil.timer_fired(gil.arm_timer());
    REQUIRE(gil.force_switch() == 2);
    REQUIRE_FALSE(gil.drop_requested());  // the new holder's take_gil cleared it
    REQUIRE(gil.release() == 3);
    REQUIRE(gil.release() == 1);
}

TEST_CASE("a thread going on to its next job keeps the GIL without a switch") {
    Gil gil;
    gil.acquire(1);
    gil.acquire(2);
    const auto before = gil.switches();
    gil.transfer(9);
    REQUIRE(gil.owner() == 9);
    REQUIRE(gil.switches() == before);
    REQUIRE(gil.release() == 2);
}
