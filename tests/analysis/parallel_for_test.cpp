#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/parallel_for.hpp"

using namespace workersim;

TEST_CASE("every index runs exactly once, whatever the thread count") {
    for (int threads : {1, 2, 7, 64}) {
        std::vector<std::atomic<int>> runs(100);
        parallel_for(runs.size(), threads, [&](std::size_t i) { ++runs[i]; });
        for (const auto& r : runs) CHECK(r == 1);
    }
}

TEST_CASE("with a progress report the calling thread reports and the others finish every index") {
    std::vector<int> slots(50, 0);
    std::size_t last_seen = 0;
    parallel_for(slots.size(), 2, [&](std::size_t i) { slots[i] = static_cast<int>(i); },
                 [&](std::size_t done) { last_seen = std::max(last_seen, done); });
    for (std::size_t i = 0; i < slots.size(); ++i) CHECK(slots[i] == static_cast<int>(i));
    CHECK(last_seen <= slots.size());
}

TEST_CASE("the lowest failing index's exception is rethrown after every index has run") {
    std::atomic<int> ran{0};
    auto body = [&](std::size_t i) {
        ++ran;
        if (i == 3 || i == 7) throw std::runtime_error("index " + std::to_string(i));
    };
    for (int threads : {1, 4}) {
        ran = 0;
        CHECK_THROWS_WITH(parallel_for(10, threads, body), "index 3");
        CHECK(ran == 10);
    }
}

TEST_CASE("no indices run no body") {
    bool called = false;
    parallel_for(0, 4, [&](std::size_t) { called = true; });
    CHECK_FALSE(called);
}
