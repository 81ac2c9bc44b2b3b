#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

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

TEST_CASE("cores due at the same time finish in core order, whatever their place in the tree") {
    // One equal job per core: every core is due at once. Ties go to the lowest-numbered core,
    // across the winner tree's levels and its padding (5 and 7 cores pad to 8 leaves).
    for (int cores : {2, 5, 7, 64}) {
        DYNAMIC_SECTION(cores << " cores") {
            RunQueues queues(ideal_host(cores));
            for (std::uint32_t j = 0; j < static_cast<std::uint32_t>(cores); ++j) queues.add(0.0, j, 1.0);
            for (std::uint32_t j = 0; j < static_cast<std::uint32_t>(cores); ++j) {
                REQUIRE(queues.next_completion_s() == Approx(1.0));
                CHECK(queues.pop_completed() == j);
            }
            CHECK(queues.next_completion_s() == std::numeric_limits<double>::infinity());
        }
    }
}

TEST_CASE("a later core due earlier finishes first") {
    RunQueues queues(ideal_host(5));
    for (std::uint32_t j = 0; j < 4; ++j) queues.add(0.0, j, 1.0);  // cores 0..3
    queues.add(0.0, 4, 0.5);                                        // core 4, the last leaf
    CHECK(queues.next_completion_s() == Approx(0.5));
    CHECK(queues.pop_completed() == 4);
    // Changes between two reads are settled together: a completion's next phase joins at once.
    queues.add(0.5, 5, 0.25);  // the emptiest core: 4 again
    queues.add(0.5, 6, 2.0);   // then core 0, beside job 0
    CHECK(queues.jobs_on(4) == 1);
    CHECK(queues.jobs_on(0) == 2);
    CHECK(queues.next_completion_s() == Approx(0.75));
    CHECK(queues.pop_completed() == 5);
    CHECK(queues.next_completion_s() == Approx(1.0));
    CHECK(queues.pop_completed() == 1);  // cores 1..3 at 1.0; core 0 shares now
}

namespace {

// The run queues computed the plain way: every job's work left, less what each interval gave
// it, and the next to finish found by looking at them all (O(jobs) per event). The per-core
// clocks must finish the same jobs in the same order at the same times, up to rounding.
class ReferenceRunQueues {
public:
    explicit ReferenceRunQueues(const Host& host) : host_(host), queues_(static_cast<std::size_t>(host.cores)) {}

    void add(double now_s, std::uint32_t job, double work_s) {
        advance(now_s);
        const auto target = std::min_element(queues_.begin(), queues_.end(),
                                             [](const auto& a, const auto& b) { return a.size() < b.size(); });
        target->push_back({job, work_s});
    }
    double remove(double now_s, std::uint32_t job) {
        advance(now_s);
        double left_s = 0;
        for (auto& queue : queues_)
            for (auto it = queue.begin(); it != queue.end(); ++it)
                if (it->id == job) {
                    left_s = it->left_s;
                    queue.erase(it);
                    balance();
                    return std::max(0.0, left_s);
                }
        FAIL("no such job");
        return 0;
    }
    // The next job to finish and when: the lowest core, then the oldest on it, among equals.
    std::pair<std::uint32_t, double> next() const {
        std::pair<std::uint32_t, double> best{0, std::numeric_limits<double>::infinity()};
        for (const auto& queue : queues_)
            for (const Job& j : queue) {
                const double at_s = now_s_ + std::max(0.0, j.left_s) / rate(queue.size());
                if (at_s < best.second) best = {j.id, at_s};
            }
        return best;
    }

private:
    struct Job {
        std::uint32_t id;
        double left_s;
    };
    int busy() const {
        return static_cast<int>(std::count_if(queues_.begin(), queues_.end(), [](const auto& q) { return !q.empty(); }));
    }
    double rate(std::size_t jobs) const { return host_.capacity(busy()) / busy() / static_cast<double>(jobs); }
    void advance(double now_s) {
        for (auto& queue : queues_)
            for (Job& j : queue) j.left_s -= (now_s - now_s_) * rate(queue.size());
        now_s_ = now_s;
    }
    void balance() {
        for (;;) {
            auto [least, most] = std::minmax_element(queues_.begin(), queues_.end(),
                                                     [](const auto& a, const auto& b) { return a.size() < b.size(); });
            if (most->size() < least->size() + 2) return;
            least->push_back(most->back());
            most->pop_back();
        }
    }

    Host host_;
    std::vector<std::vector<Job>> queues_;
    double now_s_ = 0;
};

}  // namespace

TEST_CASE("the per-core clocks finish the same jobs at the same times as tracking each job's work") {
    for (int cores : {1, 2, 3, 8, 64}) {
        DYNAMIC_SECTION(cores << " cores") {
            Host host = ideal_host(cores);
            for (int k = 1; k <= cores; ++k) host.core_capacity.push_back(k * (1.0 - 0.03 * (k - 1) / cores));
            RunQueues queues(host);
            ReferenceRunQueues reference(host);
            std::mt19937_64 rng(static_cast<std::uint64_t>(cores));
            std::lognormal_distribution<double> work_s(std::log(0.01), 0.5);
            std::exponential_distribution<double> gap_s(2.0 * cores / 0.01);
            std::vector<std::uint32_t> free_ids, live;
            for (std::uint32_t id = 0; id < 4 * static_cast<std::uint32_t>(cores) + 8; ++id) free_ids.push_back(id);
            double now_s = 0;
            for (int step = 0; step < 20000; ++step) {
                const double arrival_s = now_s + gap_s(rng);
                const auto [due, due_s] = reference.next();
                REQUIRE(queues.next_completion_s() == Approx(due_s).epsilon(1e-9));
                if (due_s <= arrival_s) {
                    now_s = due_s;
                    REQUIRE(queues.pop_completed() == due);
                    reference.remove(due_s, due);
                    live.erase(std::find(live.begin(), live.end(), due));
                    free_ids.push_back(due);
                    continue;
                }
                now_s = arrival_s;
                if (!live.empty() && std::uniform_int_distribution<int>(0, 9)(rng) == 0) {
                    // A job taken away before it finishes (a killed worker, a preempted thread).
                    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng);
                    const std::uint32_t job = live[at];
                    REQUIRE(queues.remove_remaining(now_s, job) ==
                            Approx(reference.remove(now_s, job)).margin(1e-12));
                    live.erase(live.begin() + static_cast<std::ptrdiff_t>(at));
                    free_ids.push_back(job);
                } else if (!free_ids.empty()) {
                    const std::uint32_t job = free_ids.back();
                    free_ids.pop_back();
                    const double w = work_s(rng);
                    queues.add(now_s, job, w);
                    reference.add(now_s, job, w);
                    live.push_back(job);
                }
                REQUIRE(queues.runnable() == static_cast<int>(live.size()));
            }
        }
    }
}
