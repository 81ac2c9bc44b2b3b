#include <catch2/catch.hpp>

#include <cstdint>
#include <queue>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

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

namespace {

// What the queue must behave as: a std::priority_queue of the same events, earliest
// (time, insertion order) first.
struct Scheduled {
    double time_s;
    std::uint64_t order;
    EventKind kind;
    std::uint32_t id;
    std::uint32_t generation;

    // priority_queue puts the greatest on top: "less" is "later".
    bool operator<(const Scheduled& other) const {
        return std::tie(time_s, order) > std::tie(other.time_s, other.order);
    }
};

constexpr EventKind kKinds[] = {EventKind::syn_retry,     EventKind::io_done,       EventKind::client_timeout,
                                EventKind::master_wakeup, EventKind::worker_booted, EventKind::worker_exit};

void push(EventQueue& q, const Scheduled& e) {
    if (is_request_event(e.kind))
        q.push(e.time_s, e.kind, RequestRef{e.id, e.generation});
    else if (is_worker_event(e.kind))
        q.push(e.time_s, e.kind, WorkerRef{e.id, e.generation});
    else
        q.push_master_wakeup(e.time_s, e.generation);
}

// The id and generation the event carries, through the accessor its kind allows.
std::pair<std::uint32_t, std::uint32_t> reference_of(const Event& e) {
    if (is_request_event(e.kind)) return {e.request().slot, e.request().generation};
    if (is_worker_event(e.kind)) return {e.worker().worker, e.worker().generation};
    return {0, e.master_generation()};
}

}  // namespace

TEST_CASE("interleaved pushes, pops, peeks and taken orders match a std::priority_queue") {
    // Times on a grid of quarter seconds (and -0.0 beside 0.0) make ties common; the push
    // probability swings between phases so the queue fills, drains to empty and refills,
    // through both of pop's paths (the next push fills the hole, or a peek or pop settles it).
    for (std::uint64_t seed : {1, 2, 3}) {
        Rng rng(seed);
        EventQueue q;
        std::priority_queue<Scheduled> reference;
        std::uint64_t next_order = 0;
        std::uint32_t next_id = 0;
        std::string mismatch;
        std::ostringstream what;  // written only on a mismatch, which ends the run
        constexpr int kOperations = 200000;
        for (int op = 0; op < kOperations && mismatch.empty(); ++op) {
            const double push_probability = (op / 5000) % 2 ? 0.35 : 0.65;
            const double u = rng.uniform();
            if (u < push_probability || reference.empty()) {
                const std::uint64_t tick = rng.below(41);
                const double time_s = tick == 0 && rng.below(2) ? -0.0 : 0.25 * static_cast<double>(tick);
                const EventKind kind = kKinds[rng.below(6)];
                const std::uint32_t id = kind == EventKind::master_wakeup ? 0 : next_id++;
                const Scheduled e{time_s, next_order++, kind, id, static_cast<std::uint32_t>(rng.below(4))};
                push(q, e);
                reference.push(e);
            } else if (u < push_probability + 0.2) {
                const Scheduled& want = reference.top();
                const Event got = q.pop();
                if (got.time_s != want.time_s || got.kind != want.kind ||
                    reference_of(got) != std::make_pair(want.id, want.generation))
                    what << "pop gave (" << got.time_s << ", kind " << int(got.kind) << ", id "
                         << reference_of(got).first << "), expected (" << want.time_s << ", kind "
                         << int(want.kind) << ", id " << want.id << ")";
                reference.pop();
            } else if (u < push_probability + 0.3) {
                const Scheduled& want = reference.top();
                const double time_s = q.top_time_s();
                const std::uint64_t order = q.top_order();
                const Event top = q.top();
                if (time_s != want.time_s || order != want.order || top.kind != want.kind ||
                    reference_of(top) != std::make_pair(want.id, want.generation))
                    what << "top (" << time_s << ", order " << order << "), expected (" << want.time_s
                         << ", order " << want.order << ")";
            } else {
                const std::uint64_t taken = q.take_order();
                if (taken != next_order) what << "take_order gave " << taken << ", expected " << next_order;
                ++next_order;
            }
            if (q.size() != reference.size() || q.empty() != reference.empty())
                what << "size " << q.size() << ", expected " << reference.size();
            if (what.tellp() > 0) mismatch = "seed " + std::to_string(seed) + ", operation " + std::to_string(op) + ": " + what.str();
        }
        INFO(mismatch);
        REQUIRE(mismatch.empty());
    }
}
