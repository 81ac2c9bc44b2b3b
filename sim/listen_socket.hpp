#pragma once
// The listening socket all workers share. A connection goes to a worker blocked in accept()
// at once; otherwise it waits in the accept queue, up to the backlog; when that is full the
// kernel drops the SYN and the client retransmits after 1, 2, 4, ... s (tcp_syn_retries
// times, then the connect fails).

#include <algorithm>
#include <cstdint>

#include "model/scenario.hpp"
#include "sim/accept_queue.hpp"
#include "sim/event_queue.hpp"
#include "sim/request_slots.hpp"
#include "sim/statistics.hpp"

namespace workersim {

class Clients;
class WorkerPool;

class ListenSocket {
public:
    ListenSocket(const Scenario& scenario, RequestSlots& requests, EventQueue& events, Statistics& statistics)
        : load_(scenario.load), queue_(scenario.server.backlog), requests_(requests), events_(events),
          statistics_(statistics) {}
    void connect_to(Clients& clients, WorkerPool& pool) {
        clients_ = &clients;
        pool_ = &pool;
    }

    void connect(std::uint32_t slot, double now_s);
    [[gnu::noinline]] void syn_retry(RequestRef request, double now_s);  // rare: out of the event loop

    // The oldest queued connection whose client still waits, or kNoConnection. A connection
    // whose client left while it was queued is read to EOF (NoMoreData) and closed: the
    // request never reaches the app.
    static constexpr std::uint32_t kNoConnection = kNoWorker;
    std::uint32_t next_connection();

    std::size_t queued() const { return queue_.size(); }
    std::int64_t max_queued() const { return max_queued_; }

private:
    const Load& load_;
    AcceptQueue queue_;
    RequestSlots& requests_;
    EventQueue& events_;
    Statistics& statistics_;
    Clients* clients_ = nullptr;
    WorkerPool* pool_ = nullptr;
    std::int64_t max_queued_ = 0;
};

}  // namespace workersim
