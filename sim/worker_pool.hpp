#pragma once
// The worker processes behind the listen socket, as the socket, the event loop and the master
// see them, whatever the worker class. A worker class implements this role:
//   accept(slot, now)       a worker waiting in accept() takes a new connection (false: none is)
//   phase_done(slot, now)   a CPU or IO phase of a request it holds ended
//   booted / exited(ref)    its boot and process-exit events (stale generations ignored)
//   size(); may_time_out, heartbeat_s, aborted, abort (SIGABRT), kill (SIGKILL), dead, spawn,
//   set_request_limit(w)    what the master's loop reads and does, per worker process
//   busy(), live()          workers holding a request; booted and not ended
//   thread_event(kind, ref) a worker class's own timers (gthread's main loop and GIL)
//   send_on_kept_connection(slot)  a client's next request on the connection its last one
//                           kept open (false: none is; the client connects anew)
// Sync workers (sim/sync_workers.hpp) and gthread workers (sim/gthread_workers.hpp) implement
// it. The variant dispatches without a virtual call on the hot path, as Cores does for the two
// CPU schedulers.

#include <cstdint>
#include <utility>
#include <variant>

#include "sim/gthread_workers.hpp"
#include "sim/sync_workers.hpp"

namespace workersim {

class WorkerPool {
public:
    template <class WorkerClass, class... Args>
    explicit WorkerPool(std::in_place_type_t<WorkerClass> worker_class, Args&&... args)
        : workers_(worker_class, std::forward<Args>(args)...),
          busy_(visit([](const auto& p) { return &p.busy_count(); })) {}
    // busy_ points into workers_: built in place (a prvalue), never copied or moved.
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // An index test, not std::visit: GCC's visit goes through a table of function pointers
    // that the flattened event loop cannot inline, and with a second worker class that cost
    // the sync closed loop 3% more instructions (valgrind); the branch is predicted, and sync
    // is tested first.
    template <class F>
    decltype(auto) visit(F&& f) {
        if (auto* sync = std::get_if<SyncWorkers>(&workers_)) return f(*sync);
        return f(*std::get_if<GthreadWorkers>(&workers_));
    }
    template <class F>
    decltype(auto) visit(F&& f) const {
        if (const auto* sync = std::get_if<SyncWorkers>(&workers_)) return f(*sync);
        return f(*std::get_if<GthreadWorkers>(&workers_));
    }

    bool accept(std::uint32_t slot, double now_s) {
        return visit([&](auto& p) { return p.accept(slot, now_s); });
    }
    void phase_done(std::uint32_t slot, double now_s) {
        visit([&](auto& p) { p.phase_done(slot, now_s); });
    }
    void booted(WorkerRef worker, double now_s) {
        visit([&](auto& p) { p.booted(worker, now_s); });
    }
    void exited(WorkerRef worker, double now_s) {
        visit([&](auto& p) { p.exited(worker, now_s); });
    }
    void thread_event(EventKind kind, WorkerRef ref, double now_s) {
        visit([&](auto& p) { p.thread_event(kind, ref, now_s); });
    }
    bool send_on_kept_connection(std::uint32_t slot, double now_s) {
        return visit([&](auto& p) { return p.send_on_kept_connection(slot, now_s); });
    }

    std::uint32_t size() const { return visit([](const auto& p) { return p.size(); }); }
    bool may_time_out(std::uint32_t w) const { return visit([&](const auto& p) { return p.may_time_out(w); }); }
    double heartbeat_s(std::uint32_t w) const { return visit([&](const auto& p) { return p.heartbeat_s(w); }); }
    bool aborted(std::uint32_t w) const { return visit([&](const auto& p) { return p.aborted(w); }); }
    bool dead(std::uint32_t w) const { return visit([&](const auto& p) { return p.dead(w); }); }
    void abort(std::uint32_t w, double now_s) {
        visit([&](auto& p) { p.abort(w, now_s); });
    }
    void kill(std::uint32_t w, double now_s) {
        visit([&](auto& p) { p.kill(w, now_s); });
    }
    void spawn(std::uint32_t w, double fork_s, std::int64_t request_limit) {
        visit([&](auto& p) { p.spawn(w, fork_s, request_limit); });
    }
    void set_request_limit(std::uint32_t w, std::int64_t request_limit) {
        visit([&](auto& p) { p.set_request_limit(w, request_limit); });
    }

    // Read by the event loop before every event, for the time averages: one load, no dispatch.
    std::int64_t busy() const { return *busy_; }
    std::int64_t live() const { return visit([](const auto& p) { return p.live(); }); }

private:
    std::variant<SyncWorkers, GthreadWorkers> workers_;
    const std::int64_t* busy_;
};

}  // namespace workersim
