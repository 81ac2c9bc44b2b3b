#include <catch2/catch.hpp>

#include "sim/processor_sharing.hpp"
#include "ideal_host.hpp"

using namespace workersim;

using workersim::testing::ideal_host;

TEST_CASE("two equal jobs on one core finish together after twice their work") {
    ProcessorSharing cpu(ideal_host(1));
    cpu.add(0.0, 0, 1.0);
    cpu.add(0.0, 1, 1.0);
    REQUIRE(cpu.next_completion_s() == Approx(2.0));
    cpu.pop_completed();
    REQUIRE(cpu.next_completion_s() == Approx(2.0));
}

TEST_CASE("a job alone on a multi-core host runs at one core's speed") {
    ProcessorSharing cpu(ideal_host(4));
    cpu.add(0.0, 3, 0.5);
    REQUIRE(cpu.next_completion_s() == Approx(0.5));
}

TEST_CASE("a later job slows the first only while both are runnable") {
    // Job A (1 s) alone on one core from 0; B (0.25 s) joins at 0.5. Both then run at half
    // speed: B finishes at 0.5 + 0.5 = 1.0, A has 0.25 s left and ends at 1.25.
    ProcessorSharing cpu(ideal_host(1));
    cpu.add(0.0, 0, 1.0);
    cpu.add(0.5, 1, 0.25);
    REQUIRE(cpu.next_completion_s() == Approx(1.0));
    REQUIRE(cpu.pop_completed() == 1);
    REQUIRE(cpu.next_completion_s() == Approx(1.25));
    REQUIRE(cpu.pop_completed() == 0);
}

TEST_CASE("four jobs on two cores each get half a core") {
    ProcessorSharing cpu(ideal_host(2));
    for (std::uint32_t j = 0; j < 4; ++j) cpu.add(0.0, j, 0.1);
    REQUIRE(cpu.next_completion_s() == Approx(0.2));
}

TEST_CASE("the capacity curve slows work when more cores are busy") {
    Host h = ideal_host(2);
    h.core_capacity = {1.0, 1.5};  // two busy cores are worth 1.5
    ProcessorSharing cpu(h);
    cpu.add(0.0, 0, 0.75);
    cpu.add(0.0, 1, 0.75);
    REQUIRE(cpu.next_completion_s() == Approx(1.0));  // each at 0.75 core
}

TEST_CASE("a removed job no longer takes a share") {
    ProcessorSharing cpu(ideal_host(1));
    cpu.add(0.0, 0, 1.0);
    cpu.add(0.0, 1, 1.0);
    cpu.remove(0.5, 1);  // A has had 0.25 s, needs 0.75 more alone
    REQUIRE(cpu.runnable() == 1);
    REQUIRE(cpu.next_completion_s() == Approx(1.25));
    REQUIRE(cpu.pop_completed() == 0);
}

TEST_CASE("occupied core-seconds count min(n, cores) over time") {
    ProcessorSharing cpu(ideal_host(2));
    for (std::uint32_t j = 0; j < 3; ++j) cpu.add(0.0, j, 1.0);  // 3 jobs on 2 cores: 1.5 s each
    REQUIRE(cpu.occupied_core_s(1.0) == Approx(2.0));
}
