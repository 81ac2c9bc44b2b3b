#pragma once
// Gunicorn's sync workers (gunicorn/workers/sync.py): each process serves one request at a
// time, from accept() to the response, then closes the connection. An idle worker blocks in
// accept() on the shared socket; the most recently idle one wins a new connection (LIFO: the
// kernel wakes the last waiter first). A request's phases run in turn: CPU phases on the
// cores, IO phases as waits.

#include <cstdint>
#include <limits>
#include <vector>

#include "model/scenario.hpp"
#include "sim/cores.hpp"
#include "sim/downstream_callers.hpp"
#include "sim/event_queue.hpp"
#include "sim/request_classes.hpp"
#include "sim/request_slots.hpp"
#include "sim/rng.hpp"
#include "sim/statistics.hpp"

namespace workersim {

class Arbiter;
class Clients;
class ListenSocket;

class SyncWorkers {
public:
    SyncWorkers(const Scenario& scenario, const RequestClasses& classes, Rng service_rng, RequestSlots& requests,
                EventQueue& events, Cores& cores, Statistics& statistics);
    void connect_to(ListenSocket& socket, Clients& clients, Arbiter& arbiter) {
        socket_ = &socket;
        clients_ = &clients;
        arbiter_ = &arbiter;
    }

    // The worker-class role (sim/worker_pool.hpp).
    bool accept(std::uint32_t slot, double now_s);
    void phase_done(std::uint32_t slot, double now_s);
    // Rare (a boot, an exit): out of line, so that the event loop's flattened step() stays
    // small enough to keep its hot state in registers.
    [[gnu::noinline]] void booted(WorkerRef worker, double now_s);
    [[gnu::noinline]] void exited(WorkerRef worker, double now_s);
    // Sync workers have no threads of their own to time, and close every connection
    // (sync.py handle_request: Connection: close), so no request arrives on a kept one.
    void thread_event(EventKind, WorkerRef, double) {}
    bool send_on_kept_connection(std::uint32_t, double) { return false; }

    std::uint32_t size() const { return static_cast<std::uint32_t>(workers_.size()); }
    bool may_time_out(std::uint32_t w) const;
    double heartbeat_s(std::uint32_t w) const { return workers_[w].last_notify_s; }
    bool aborted(std::uint32_t w) const { return workers_[w].aborted; }
    [[gnu::noinline]] void abort(std::uint32_t w, double now_s);
    void kill(std::uint32_t w, double now_s) { end_process(w, now_s); }
    bool dead(std::uint32_t w) const { return workers_[w].state == State::dead; }
    [[gnu::noinline]] void spawn(std::uint32_t w, double fork_s, std::int64_t request_limit);
    void set_request_limit(std::uint32_t w, std::int64_t request_limit) { workers_[w].limit = request_limit; }

    std::int64_t busy() const { return busy_; }
    const std::int64_t& busy_count() const { return busy_; }
    std::int64_t live() const;

private:
    enum class State : std::uint8_t { idle, busy, booting, dead };
    struct Worker {
        State state = State::idle;
        bool aborted = false;   // SIGABRT sent; the process has not ended yet
        bool retiring = false;  // reached max_requests: exits after this request
        std::uint32_t request = kNoWorker;
        std::uint32_t generation = 0;
        double last_notify_s = 0;  // the heartbeat: touched before every accept()
        std::int64_t served = 0;
        std::int64_t limit = std::numeric_limits<std::int64_t>::max();
    };

    void serve(std::uint32_t w, std::uint32_t slot, double now_s);
    void return_to_accept(std::uint32_t w, double now_s);
    void start_phase(std::uint32_t slot, double now_s);
    [[gnu::noinline]] void end_process(std::uint32_t w, double now_s);
    [[gnu::noinline]] void process_ended(Worker& worker, double now_s);
    bool in_python(const Worker& worker) const;

    const Scenario& scenario_;
    const RequestClasses& classes_;
    DownstreamCallers callers_;
    Rng service_rng_;
    RequestSlots& requests_;
    EventQueue& events_;
    Cores& cores_;
    Statistics& statistics_;
    ListenSocket* socket_ = nullptr;
    Clients* clients_ = nullptr;
    Arbiter* arbiter_ = nullptr;

    std::vector<Worker> workers_;
    std::vector<std::uint32_t> idle_;  // LIFO: the most recently idle worker wins the wakeup
    std::int64_t busy_ = 0;
};

}  // namespace workersim
