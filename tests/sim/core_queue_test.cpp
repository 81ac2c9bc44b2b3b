#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "sim/core_queue.hpp"

using namespace workersim;

namespace {

// The jobs in the order the queue gives them up, emptying it.
std::vector<std::uint32_t> drained(CoreQueue& queue) {
    std::vector<std::uint32_t> order;
    while (!queue.empty()) {
        order.push_back(queue.first().job);
        queue.pop_first();
    }
    return order;
}

}  // namespace

TEST_CASE("a core queue gives the first to finish first, the older among equals") {
    CoreQueue queue;
    queue.push(2.0, 0, 10);
    queue.push(1.0, 1, 11);
    queue.push(2.0, 2, 12);  // finishes with job 10, arrived after it
    queue.push(0.5, 3, 13);
    CHECK(drained(queue) == std::vector<std::uint32_t>{13, 11, 10, 12});
}

TEST_CASE("a job taken from a core queue leaves the others in order") {
    CoreQueue queue;
    for (std::uint32_t j = 0; j < 5; ++j) queue.push(1.0 + j, j, j);
    const CoreQueue::Entry taken = queue.take(2);
    CHECK(taken.job == 2);
    CHECK(taken.finish_s == 3.0);
    CHECK(queue.size() == 4);
    CHECK(drained(queue) == std::vector<std::uint32_t>{0, 1, 3, 4});
}

TEST_CASE("the newest job is the last to arrive, wherever it finishes") {
    CoreQueue queue;
    queue.push(5.0, 0, 20);
    queue.push(1.0, 1, 21);  // the newest: it finishes first
    CHECK(queue.take_newest().job == 21);
    CHECK(queue.size() == 1);
    CHECK(queue.first().job == 20);
}

TEST_CASE("a core queue orders as a sort by (finish, arrival) does, under random pushes and takes") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> finish(0.0, 4.0);
    CoreQueue queue;
    std::vector<CoreQueue::Entry> reference;
    std::uint64_t arrivals = 0;
    for (int step = 0; step < 2000; ++step) {
        const int action = static_cast<int>(rng() % 4);
        if (reference.empty() || action < 2) {
            // Coarse times, so that equal finishing times happen.
            const double f = std::floor(finish(rng) * 4) / 4;
            const std::uint32_t job = static_cast<std::uint32_t>(step);
            queue.push(f, arrivals, job);
            reference.push_back({f, arrivals, job});
            ++arrivals;
        } else if (action == 2) {
            const auto first = std::min_element(reference.begin(), reference.end(), [](const auto& a, const auto& b) {
                return a.finish_s < b.finish_s || (a.finish_s == b.finish_s && a.arrival < b.arrival);
            });
            REQUIRE(queue.first().job == first->job);
            queue.pop_first();
            reference.erase(first);
        } else {
            const auto newest = std::max_element(reference.begin(), reference.end(),
                                                 [](const auto& a, const auto& b) { return a.arrival < b.arrival; });
            REQUIRE(queue.take_newest().job == newest->job);
            reference.erase(newest);
        }
        REQUIRE(queue.size() == reference.size());
    }
}
