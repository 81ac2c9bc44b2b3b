#pragma once
// The pending events, earliest first; ties break by insertion order so runs are
// deterministic. A 4-ary implicit heap in one vector: no allocation once it has grown to
// the run's peak, and shallower than a binary heap for the same cache lines. (The open
// loop's next arrival is kept beside it by the simulator, ordered by take_order().)

#include <cassert>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/vector_growth.hpp"

namespace workersim {

enum class EventKind : std::uint8_t {
    syn_retry,       // a client re-sends a SYN that the full backlog dropped
    io_done,         // a request's IO phase ends
    client_timeout,  // a client stops waiting
    master_wakeup,   // the arbiter's loop: murder_workers(), manage_workers()
    worker_booted,   // a spawned worker makes its first accept()
    worker_exit,     // a worker process ends (recycled, or killed) and is reaped
    // gthread's threads (sim/gthread_workers.hpp); the worker reference's generation is the
    // process's token for that kind of event.
    main_wake,       // a main thread woken from epoll_wait runs and asks for the GIL
    main_pass,       // a main thread's loop pass, holding the GIL, ends
    epoll_timeout,   // a main thread's select(1.0) times out
    gil_timeout,     // a GIL waiter's switch interval ran out
};

// What an event is about, with the generation it was scheduled under: an event whose request
// slot, worker or master wakeup has moved on to a later generation is stale and skipped
// (sim/request_slots.hpp).
struct RequestRef {
    std::uint32_t slot;
    std::uint32_t generation;
};
struct WorkerRef {
    std::uint32_t worker;
    std::uint32_t generation;
};

constexpr bool is_request_event(EventKind kind) {
    return kind == EventKind::syn_retry || kind == EventKind::io_done || kind == EventKind::client_timeout;
}
constexpr bool is_worker_event(EventKind kind) {
    return kind == EventKind::worker_booted || kind == EventKind::worker_exit || kind == EventKind::main_wake ||
           kind == EventKind::main_pass || kind == EventKind::epoll_timeout || kind == EventKind::gil_timeout;
}

class Event {
public:
    Event(double time_s, EventKind kind, std::uint32_t id, std::uint32_t generation)
        : time_s(time_s), kind(kind), id_(id), generation_(generation) {}

    RequestRef request() const {
        assert(is_request_event(kind));
        return RequestRef{id_, generation_};
    }
    WorkerRef worker() const {
        assert(is_worker_event(kind));
        return WorkerRef{id_, generation_};
    }
    std::uint32_t master_generation() const {
        assert(kind == EventKind::master_wakeup);
        return generation_;
    }

    double time_s;
    EventKind kind;

private:
    std::uint32_t id_;
    std::uint32_t generation_;
};

class EventQueue {
public:
    void push(double time_s, EventKind kind, RequestRef request) {
        assert(is_request_event(kind));
        push(time_s, kind, request.slot, request.generation);
    }
    void push(double time_s, EventKind kind, WorkerRef worker) {
        assert(is_worker_event(kind));
        push(time_s, kind, worker.worker, worker.generation);
    }
    void push_master_wakeup(double time_s, std::uint32_t generation) {
        push(time_s, EventKind::master_wakeup, 0, generation);
    }

    // Pointer compares, not size(): that divides by the node's 24 bytes.
    bool empty() const { return hole_ ? heap_.begin() + 1 == heap_.end() : heap_.empty(); }
    std::size_t size() const { return heap_.size() - static_cast<std::size_t>(hole_); }
    double top_time_s() {
        settle();
        assert(!heap_.empty());
        return time_of(heap_.front());
    }
    std::uint64_t top_order() {
        settle();
        assert(!heap_.empty());
        return heap_.front().order_kind >> 8;
    }
    // An insertion sequence number for an event kept outside the queue, to order it against
    // the queue's events exactly as if it were inside.
    std::uint64_t take_order() { return next_order_++; }
    Event top() {
        settle();
        assert(!heap_.empty());
        return event_of(heap_.front());
    }
    // The root is only marked empty: a push that follows fills it (see push), anything else
    // moves the last event there first.
    Event pop() {
        settle();
        assert(!heap_.empty());
        hole_ = true;
        return event_of(heap_.front());
    }

private:
    void push(double time_s, EventKind kind, std::uint32_t id, std::uint32_t generation) {
        assert(time_s >= 0);
        const Node n{time_bits(time_s), next_order_++ << 8 | static_cast<std::uint64_t>(kind), id, generation};
        if (hole_) {
            // The last pop left the root empty: the new event sifts down from there, one sift
            // where pop-then-push would take two. Keys are unique, so the order in which
            // events come out does not depend on the layout.
            hole_ = false;
            sift_down(n);
            return;
        }
        emplace_back_in_place(heap_);
        sift_up(heap_.size() - 1, n);
    }

    // 24 bytes. A non-negative double's bits order as an unsigned integer the way the double
    // does, and the insertion sequence shifted past the kind's byte keeps ties in insertion
    // order: (time, sequence) is one lexicographic pair of integers, compared without a
    // floating-point compare's unordered branch.
    struct Node {
        std::uint64_t time;
        std::uint64_t order_kind;  // insertion sequence << 8 | kind
        std::uint32_t id;  // request slot or worker index, as the kind says
        std::uint32_t generation;
    };
    static std::uint64_t time_bits(double time_s) {
        const double t = time_s + 0.0;  // -0.0 becomes +0.0
        std::uint64_t bits;
        std::memcpy(&bits, &t, sizeof bits);
        return bits;
    }
    static double time_of(const Node& n) {
        double t;
        std::memcpy(&t, &n.time, sizeof t);
        return t;
    }
    static Event event_of(const Node& n) {
        return Event(time_of(n), static_cast<EventKind>(n.order_kind & 0xFF), n.id, n.generation);
    }
    // Bitwise, not short-circuit: the compiler emits flag arithmetic, and the heap's
    // comparisons on random times stop costing branch mispredictions.
    static bool earlier(const Node& a, const Node& b) {
        return (a.time < b.time) | ((a.time == b.time) & (a.order_kind < b.order_kind));
    }
    // Places e at i or above. e comes in registers, not read back from heap_[i]: a node just
    // stored there and reloaded whole waited on store forwarding, as in sim/core_queue.cpp.
    void sift_up(std::size_t i, const Node e) {
        while (i > 0) {
            const std::size_t parent = (i - 1) / 4;
            if (!earlier(e, heap_[parent])) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = e;
    }
    void settle() {
        if (!hole_) return;
        hole_ = false;
        const Node last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down(last);
    }
    // Places e starting from the root's hole.
    void sift_down(const Node e) {
        std::size_t i = 0;
        const std::size_t n = heap_.size();
        for (;;) {
            const std::size_t first_child = 4 * i + 1;
            if (first_child >= n) break;
            std::size_t best = first_child;
            const std::size_t last = first_child + 4 < n ? first_child + 4 : n;
            for (std::size_t c = first_child + 1; c < last; ++c) best = earlier(heap_[c], heap_[best]) ? c : best;
            if (!earlier(heap_[best], e)) break;
            heap_[i] = heap_[best];
            i = best;
        }
        heap_[i] = e;
    }

    std::vector<Node> heap_;
    std::uint64_t next_order_ = 0;
    bool hole_ = false;  // heap_[0] was popped and not yet refilled
};

}  // namespace workersim
