#include "sim/core_queue.hpp"

namespace workersim {

// An insertion sort's step from the first-finishing end: the entries that finish before e
// move up one.
void CoreQueue::push(const Entry& e) {
    entries_.push_back(e);
    std::size_t i = entries_.size() - 1;
    while (i > 0 && before(entries_[i - 1], e)) {
        entries_[i] = entries_[i - 1];
        --i;
    }
    entries_[i] = e;
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
