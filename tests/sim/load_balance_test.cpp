#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "sim/load_balance.hpp"

using namespace workersim;

namespace {

// The rule stated directly on the queues' lengths: place on the first emptiest; after a
// leave, while two apart, the last fullest gives one to the first emptiest.
struct ReferenceLengths {
    std::vector<int> jobs;
    int place() {
        const auto at = std::min_element(jobs.begin(), jobs.end());
        ++*at;
        return static_cast<int>(at - jobs.begin());
    }
    int leave(int core) {
        --jobs[static_cast<std::size_t>(core)];
        int from = -1;
        for (;;) {
            const auto [least, most] = std::minmax_element(jobs.begin(), jobs.end());
            if (*most < *least + 2) return from;
            --*most;
            ++*least;
            REQUIRE(from < 0);  // one move at most
            REQUIRE(least - jobs.begin() == core);
            from = static_cast<int>(most - jobs.begin());
        }
    }
};

}  // namespace

TEST_CASE("a new job goes to the emptiest core, the lowest-numbered among equals") {
    LoadBalance balance(3);
    CHECK(balance.place() == 0);
    CHECK(balance.place() == 1);
    CHECK(balance.place() == 2);
    CHECK(balance.place() == 0);
    CHECK(balance.leave(0) == -1);  // 1, 1, 1: nothing to even out
    CHECK(balance.place() == 0);
    CHECK(balance.place() == 1);
    CHECK(balance.jobs_on(0) == 2);
    CHECK(balance.jobs_on(1) == 2);
    CHECK(balance.jobs_on(2) == 1);
}

TEST_CASE("a core falling two behind takes a job from the highest-numbered fullest core") {
    LoadBalance balance(3);
    for (int j = 0; j < 5; ++j) balance.place();  // 2, 2, 1
    CHECK(balance.leave(2) == 1);                 // 2, 1, 1: core 1 gave one to core 2
    CHECK(balance.jobs_on(0) == 2);
    CHECK(balance.jobs_on(1) == 1);
    CHECK(balance.jobs_on(2) == 1);
}

TEST_CASE("the counts follow the lengths rule through any sequence of arrivals and departures") {
    for (int cores : {1, 2, 3, 63, 64, 65, 130, LoadBalance::kMaxCores}) {
        DYNAMIC_SECTION(cores << " cores") {
            LoadBalance balance(cores);
            ReferenceLengths reference{std::vector<int>(static_cast<std::size_t>(cores), 0)};
            std::mt19937_64 rng(static_cast<std::uint64_t>(cores));
            int runnable = 0;
            for (int step = 0; step < 20000; ++step) {
                // Drift the load up and down across several multiples of the cores.
                const int target = (step / 2000) % 2 == 0 ? 3 * cores : cores / 2;
                const bool arrive = runnable == 0 || std::uniform_int_distribution<int>(0, 2 * target)(rng) >= runnable;
                if (arrive) {
                    REQUIRE(balance.place() == reference.place());
                    ++runnable;
                } else {
                    std::vector<int> busy;
                    for (int c = 0; c < cores; ++c)
                        if (reference.jobs[static_cast<std::size_t>(c)] > 0) busy.push_back(c);
                    const int core = busy[std::uniform_int_distribution<std::size_t>(0, busy.size() - 1)(rng)];
                    REQUIRE(balance.leave(core) == reference.leave(core));
                    --runnable;
                }
                const int probe = std::uniform_int_distribution<int>(0, cores - 1)(rng);
                REQUIRE(balance.jobs_on(probe) == reference.jobs[static_cast<std::size_t>(probe)]);
            }
        }
    }
}
