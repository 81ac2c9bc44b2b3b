#pragma once
// The load: hey's closed loop (each of -c clients sends its next request when the last one is
// answered, n/c requests each) or an open Poisson stream (httperf --rate). A client's side of a
// request starts with the load generator's own CPU time and ends with a response, a client
// timeout or a connection error.

#include <cstdint>
#include <limits>
#include <vector>

#include "model/scenario.hpp"
#include "sim/cores.hpp"
#include "sim/event_queue.hpp"
#include "sim/request_classes.hpp"
#include "sim/request_slots.hpp"
#include "sim/rng.hpp"
#include "sim/statistics.hpp"

namespace workersim {

class ListenSocket;
class WorkerPool;

class Clients {
public:
    // reuses_connections: a client's next request goes on the connection its last response
    // left open, if the worker pool kept it (hey's keep-alive against gthread workers).
    // Each new request's class is drawn from url_mix_rng (hey, or whatever drives the app,
    // picks the URL); a one-class scenario draws nothing.
    Clients(const Load& load, bool reuses_connections, Rng arrivals_rng, const RequestClasses& classes,
            Rng url_mix_rng, RequestSlots& requests, EventQueue& events, Cores& cores, Statistics& statistics);
    void connect_to(ListenSocket& socket, WorkerPool& pool) {
        socket_ = &socket;
        pool_ = &pool;
    }

    // At t = 0: every closed-loop client sends; the open loop's first arrival is scheduled.
    void start();

    // The open loop's next arrival waits beside the event heap, not in it: there is always
    // exactly one, and keeping it out halves the heap operations per request. It takes an
    // insertion sequence number like any event (EventQueue::take_order), so ties resolve as
    // they would in the heap.
    double next_arrival_s() const { return next_arrival_s_; }
    std::uint64_t next_arrival_order() const { return next_arrival_order_; }
    void arrival(double now_s);

    // The load generator's CPU time for the request is done: it connects.
    void sent(std::uint32_t slot, double now_s);
    // The client's side of a request is over: a response, or an error. A closed-loop client
    // sends its next request at once.
    void resolve(Request& request, double now_s);
    [[gnu::noinline]] void time_out(RequestRef request, double now_s);  // rare: out of the event loop

    bool done() const { return resolved_ >= total_; }
    double first_send_s() const { return first_send_s_; }
    double last_resolution_s() const { return last_resolution_s_; }

private:
    void send(std::uint32_t client, double now_s);
    void start_request(std::uint32_t client, double now_s);
    void schedule_arrival(double at_s);
    void connect(std::uint32_t slot, double now_s);

    const Load& load_;
    Rng arrivals_rng_;
    const RequestClasses& classes_;
    Rng url_mix_rng_;
    RequestSlots& requests_;
    EventQueue& events_;
    Cores& cores_;
    Statistics& statistics_;
    const bool reuses_connections_;
    ListenSocket* socket_ = nullptr;
    WorkerPool* pool_ = nullptr;

    std::vector<std::int64_t> remaining_;  // closed loop: requests each client has yet to send
    std::vector<std::uint16_t> client_class_;  // Load::clients_per_class, by client; empty: drawn
    std::int64_t total_ = 0, resolved_ = 0, arrived_ = 0;
    double next_arrival_s_ = std::numeric_limits<double>::infinity();
    std::uint64_t next_arrival_order_ = 0;
    double first_send_s_ = -1, last_resolution_s_ = 0;
};

}  // namespace workersim
