#pragma once
// Each request's clock: which part of its latency (model/latency_breakdown.hpp) it is in since
// when, and the time each part has had so far. Every mechanism that moves a request on says
// where it goes next; the response closes the clock, and the parts then add up to the latency.
//
// A stretch on the cores is split when it ends: the work it did is on_core, the rest of its
// elapsed time core_wait (processor sharing stretches a job by the others on its core).
//
// The clocks live beside the request slots, not in them, and only when the run was asked for
// the breakdown: kept in every Request they slowed the textbook benchmarks by 5-7%.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/latency_breakdown.hpp"

namespace workersim {

class TimeSpent {
public:
    void start(LatencyPart part, double now_s) {
        spent_s_.fill(0.0f);
        part_ = part;
        since_s_ = now_s;
    }

    // The request moves to `part` now; `cpu_left_s` is the work a stretch on the cores leaves
    // undone (a pool thread forced off the GIL mid-phase), 0 when it ran to the end.
    void enter(LatencyPart part, double now_s, double cpu_left_s = 0.0) {
        const double elapsed_s = now_s - since_s_;
        if (part_ == LatencyPart::on_core) {
            const double done_s = cpu_work_s_ - cpu_left_s;
            add(LatencyPart::on_core, done_s);
            add(LatencyPart::core_wait, elapsed_s - done_s);
        } else {
            add(part_, elapsed_s);
        }
        part_ = part;
        since_s_ = now_s;
    }

    // A stretch on the cores with work_s of uncontended CPU to do begins now.
    void run_on_cores(double work_s, double now_s) {
        enter(LatencyPart::on_core, now_s);
        cpu_work_s_ = work_s;
    }

    // The response: the interval running now is counted, and the parts add up to the latency.
    void close(double now_s) { enter(part_, now_s); }

    // The interval running now counts as another part (a request readable in a process that
    // stopped reading it: that wait was lost).
    void recount_current_as(LatencyPart part) { part_ = part; }

    LatencyPart part() const { return part_; }
    double spent_s(LatencyPart part) const { return spent_s_[static_cast<std::size_t>(part)]; }

private:
    void add(LatencyPart part, double s) { spent_s_[static_cast<std::size_t>(part)] += static_cast<float>(s); }

    // float: a part's total needs 7 digits, not 16, and every request in flight carries these.
    std::array<float, kLatencyParts> spent_s_{};
    LatencyPart part_ = LatencyPart::loadgen;
    double since_s_ = 0;
    double cpu_work_s_ = 0;
};

// The clocks of every request slot (sim/request_slots.hpp), or nothing when switched off: then
// each call is one predictable branch.
class RequestClocks {
public:
    explicit RequestClocks(bool on) : on_(on) {}
    bool on() const { return on_; }

    // Each is one branch when off; when on, a call: the clocks' code kept out of the event
    // loop, which inlines everything else it calls.
    void start(std::uint32_t slot, LatencyPart part, double now_s) {
        if (on_) start_clock(slot, part, now_s);
    }
    void enter(std::uint32_t slot, LatencyPart part, double now_s, double cpu_left_s = 0.0) {
        if (on_) enter_clock(slot, part, now_s, cpu_left_s);
    }
    void run_on_cores(std::uint32_t slot, double work_s, double now_s) {
        if (on_) run_clock_on_cores(slot, work_s, now_s);
    }
    void recount_current_as(std::uint32_t slot, LatencyPart part) {
        if (on_) clocks_[slot].recount_current_as(part);
    }
    // The response: the slot's clock, closed.
    const TimeSpent& close(std::uint32_t slot, double now_s) {
        clocks_[slot].close(now_s);
        return clocks_[slot];
    }

private:
    [[gnu::noinline]] void start_clock(std::uint32_t slot, LatencyPart part, double now_s) {
        if (slot >= clocks_.size()) clocks_.resize(std::max<std::size_t>(slot + 1, 2 * clocks_.size()));
        clocks_[slot].start(part, now_s);
    }
    [[gnu::noinline]] void enter_clock(std::uint32_t slot, LatencyPart part, double now_s, double cpu_left_s) {
        clocks_[slot].enter(part, now_s, cpu_left_s);
    }
    [[gnu::noinline]] void run_clock_on_cores(std::uint32_t slot, double work_s, double now_s) {
        clocks_[slot].run_on_cores(work_s, now_s);
    }

    bool on_;
    std::vector<TimeSpent> clocks_;
};

}  // namespace workersim
