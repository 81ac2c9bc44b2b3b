#include "sim/core_queue.hpp"

#include "sim/vector_growth.hpp"

namespace workersim {

// An insertion sort's step from the first-finishing end: the entries that finish before the
// new job move up one. The new job arrived after every job here, so an entry finishes before
// it exactly when it finishes no later: only the finishing times are compared (the full
// order's tie test on arrival was 3.5% of the calibrated 2-core case's instructions).
// The new entry is written field by field where it lands, never built whole and copied: a
// copy read it back with one 16-byte load from two 8-byte stores, which the store buffer
// cannot forward (a stall that perf put at 8% of the calibrated 2-core case's time).
void CoreQueue::push(double finish_s, std::uint64_t arrival, std::uint32_t job) {
    emplace_back_in_place(entries_);
    Entry* const first = entries_.data();
    Entry* slot = first + entries_.size() - 1;
    while (slot != first && slot[-1].finish_s <= finish_s) {
        assert(slot[-1].arrival < arrival);
        *slot = slot[-1];
        --slot;
    }
    slot->finish_s = finish_s;
    slot->arrival = arrival;
    slot->job = job;
}

CoreQueue::Entry CoreQueue::take(std::uint32_t job) {
    Entry* e = entries_.data();
    while (e->job != job) {
        ++e;
        assert(e < entries_.data() + entries_.size());
    }
    return take_at(e);
}

CoreQueue::Entry CoreQueue::take_newest() {
    assert(!empty());
    Entry* newest = entries_.data();
    Entry* const end = newest + entries_.size();
    for (Entry* e = newest + 1; e != end; ++e) newest = e->arrival > newest->arrival ? e : newest;
    return take_at(newest);
}

// The entries after `at` (those finishing earlier) move down one.
CoreQueue::Entry CoreQueue::take_at(Entry* at) {
    const Entry taken = *at;
    Entry* const end = entries_.data() + entries_.size();
    for (Entry* e = at + 1; e != end; ++e) e[-1] = *e;
    entries_.pop_back();
    return taken;
}

}  // namespace workersim
