#pragma once
// The requests in flight, each in a slot that is reused once the request is over. Reuse bumps
// the slot's generation, and every pending event carries the generation it was scheduled
// under (sim/event_queue.hpp), so an event of a finished request is recognised as stale and
// skipped instead of being searched for and removed. Workers and the master's wakeup keep
// generations the same way.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/request.hpp"
#include "sim/simulator.hpp"
#include "sim/vector_growth.hpp"

namespace workersim {

class RequestSlots {
public:
    explicit RequestSlots(std::int64_t max_in_flight) : max_in_flight_(max_in_flight) {}

    Request& operator[](std::uint32_t slot) { return requests_[slot]; }
    const Request& operator[](std::uint32_t slot) const { return requests_[slot]; }

    RequestRef ref(std::uint32_t slot) const { return RequestRef{slot, requests_[slot].generation}; }
    bool live(RequestRef ref) const { return requests_[ref.slot].generation == ref.generation; }

    std::uint32_t allocate() {
        if (free_.empty()) return add_slot();
        const std::uint32_t slot = free_.back();
        free_.pop_back();
        return slot;
    }

    void release(std::uint32_t slot) {
        ++requests_[slot].generation;
        push_back_in_place(free_, slot);
    }

private:
    // A new slot, once per request in flight at the run's peak: out of the event loop.
    [[gnu::noinline]] std::uint32_t add_slot() {
        if (static_cast<std::int64_t>(requests_.size()) >= max_in_flight_)
            throw InFlightLimitExceeded("more than " + std::to_string(max_in_flight_) +
                                        " connections in flight at once: the load is far beyond the "
                                        "server's capacity; lower the rate or the requests");
        requests_.emplace_back();
        return static_cast<std::uint32_t>(requests_.size() - 1);
    }

    std::int64_t max_in_flight_;
    std::vector<Request> requests_;
    std::vector<std::uint32_t> free_;
};

}  // namespace workersim
