#pragma once
// The pending events, earliest first; ties break by insertion order so runs are
// deterministic. A 4-ary implicit heap in one vector: no allocation once it has grown to
// the run's peak, and shallower than a binary heap for the same cache lines.

#include <cassert>
#include <cstdint>
#include <vector>

namespace workersim {

enum class EventKind : std::uint8_t {
    arrival,         // open loop: the next Poisson arrival
    syn_retry,       // a client re-sends a SYN that the full backlog dropped
    io_done,         // a request's IO phase ends
    client_timeout,  // a client stops waiting
    master_wakeup,   // the arbiter's loop: murder_workers(), manage_workers()
    worker_booted,   // a spawned worker makes its first accept()
    worker_exit,     // a worker process ends (recycled, or killed) and is reaped
};

struct Event {
    double time_s;
    std::uint64_t order;       // insertion sequence: the tie-break
    EventKind kind;
    std::uint32_t target;      // request slot or worker index
    std::uint32_t generation;  // stale events (of a reused slot) are skipped
};

class EventQueue {
public:
    void push(double time_s, EventKind kind, std::uint32_t target, std::uint32_t generation) {
        heap_.push_back(Event{time_s, next_order_++, kind, target, generation});
        sift_up(heap_.size() - 1);
    }
    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    const Event& top() const {
        assert(!heap_.empty());
        return heap_.front();
    }
    Event pop() {
        assert(!heap_.empty());
        Event first = heap_.front();
        heap_.front() = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down(0);
        return first;
    }

private:
    static bool earlier(const Event& a, const Event& b) {
        return a.time_s < b.time_s || (a.time_s == b.time_s && a.order < b.order);
    }
    void sift_up(std::size_t i) {
        Event e = heap_[i];
        while (i > 0) {
            const std::size_t parent = (i - 1) / 4;
            if (!earlier(e, heap_[parent])) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = e;
    }
    void sift_down(std::size_t i) {
        Event e = heap_[i];
        const std::size_t n = heap_.size();
        for (;;) {
            const std::size_t first_child = 4 * i + 1;
            if (first_child >= n) break;
            std::size_t best = first_child;
            const std::size_t last = first_child + 4 < n ? first_child + 4 : n;
            for (std::size_t c = first_child + 1; c < last; ++c)
                if (earlier(heap_[c], heap_[best])) best = c;
            if (!earlier(heap_[best], e)) break;
            heap_[i] = heap_[best];
            i = best;
        }
        heap_[i] = e;
    }

    std::vector<Event> heap_;
    std::uint64_t next_order_ = 0;
};

}  // namespace workersim
