#include <catch2/catch.hpp>

#include "sim/processor_sharing.hpp"
#include "sim/run_queues.hpp"
#include "ideal_host.hpp"

using namespace workersim;
using workersim::testing::ideal_host;

TEST_CASE("on one core the run queue is processor sharing") {
    RunQueues queues(ideal_host(1));
    ProcessorSharing shared(ideal_host(1));
    const double arrivals[][2] = {{0.0, 1.0}, {0.2, 0.3}, {0.4, 0.5}, {1.1, 0.2}};
    for (std::uint32_t j = 0; j < 4; ++j) {
        queues.add(arrivals[j][0], j, arrivals[j][1]);
        shared.add(arrivals[j][0], j, arrivals[j][1]);
        // Completions due before the next arrival happen first, in both.
        const double next_arrival = j + 1 < 4 ? arrivals[j + 1][0] : 1e9;
        while (shared.next_completion_s() <= next_arrival && shared.runnable() > 0) {
            REQUIRE(queues.next_completion_s() == Approx(shared.next_completion_s()));
            CHECK(queues.pop_completed() == shared.pop_completed());
        }
    }
    CHECK(queues.runnable() == 0);
}

TEST_CASE("three equal jobs on two cores finish at different times, not together") {
    // Placed 0 -> core 0, 1 -> core 1, 2 -> core 0: job 1 alone finishes at 1 s; then job 2,
    // the newest on the busier core, moves to the idle one and both finish at 1.5 s.
    RunQueues queues(ideal_host(2));
    for (std::uint32_t j = 0; j < 3; ++j) queues.add(0.0, j, 1.0);
    CHECK(queues.jobs_on(0) == 2);
    CHECK(queues.jobs_on(1) == 1);
    REQUIRE(queues.next_completion_s() == Approx(1.0));
    CHECK(queues.pop_completed() == 1);
    CHECK(queues.jobs_on(0) == 1);
    CHECK(queues.jobs_on(1) == 1);
    REQUIRE(queues.next_completion_s() == Approx(1.5));
    queues.pop_completed();
    REQUIRE(queues.next_completion_s() == Approx(1.5));
    // One shared queue finishes all three together at 1.5 s.
    ProcessorSharing shared(ideal_host(2));
    for (std::uint32_t j = 0; j < 3; ++j) shared.add(0.0, j, 1.0);
    CHECK(shared.next_completion_s() == Approx(1.5));
}

TEST_CASE("a job taken away rebalances the queues") {
    RunQueues queues(ideal_host(2));
    for (std::uint32_t j = 0; j < 4; ++j) queues.add(0.0, j, 1.0);  // 0,2 on core 0; 1,3 on core 1
    queues.remove(0.5, 1);
    queues.remove(0.5, 3);  // core 1 idle, core 0 has two: one moves
    CHECK(queues.jobs_on(0) == 1);
    CHECK(queues.jobs_on(1) == 1);
    CHECK_FALSE(queues.contains(3));
    // Each had 0.75 s left at 0.5 (half a core for 0.5 s) and now runs alone.
    CHECK(queues.next_completion_s() == Approx(1.25));
}

TEST_CASE("busy cores run at the capacity curve's per-core speed") {
    Host host = ideal_host(2);
    host.core_capacity = {1.0, 1.6};
    RunQueues queues(host);
    queues.add(0.0, 0, 0.8);
    queues.add(0.0, 1, 0.8);
    CHECK(queues.next_completion_s() == Approx(1.0));  // each core at 0.8
    CHECK(queues.occupied_core_s(0.5) == Approx(1.0));
}
