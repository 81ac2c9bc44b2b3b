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
    std::size_t i = entries_.size() - 1;
    while (i > 0 && entries_[i - 1].finish_s <= finish_s) {
        assert(entries_[i - 1].arrival < arrival);
        entries_[i] = entries_[i - 1];
        --i;
    }
    Entry& slot = entries_[i];
    slot.finish_s = finish_s;
    slot.arrival = arrival;
    slot.job = job;
}

CoreQueue::Entry CoreQueue::take(std::uint32_t job) {
    std::size_t i = 0;
    while (entries_[i].job != job) {
        ++i;
        assert(i < entries_.size());
    }
    return take_at(i);
}

CoreQueue::Entry CoreQueue::take_newest() {
    assert(!empty());
    std::size_t newest = 0;
    for (std::size_t i = 1; i < entries_.size(); ++i)
        newest = entries_[i].arrival > entries_[newest].arrival ? i : newest;
    return take_at(newest);
}

// The entries after i (those finishing earlier) move down one.
CoreQueue::Entry CoreQueue::take_at(std::size_t i) {
    const Entry e = entries_[i];
    for (std::size_t k = i + 1; k < entries_.size(); ++k) entries_[k - 1] = entries_[k];
    entries_.pop_back();
    return e;
}

}  // namespace workersim
