#include "sim/sync_workers.hpp"

#include <cassert>

#include "sim/arbiter.hpp"
#include "sim/clients.hpp"
#include "sim/listen_socket.hpp"
#include "sim/vector_growth.hpp"

namespace workersim {

SyncWorkers::SyncWorkers(const Scenario& scenario, const RequestClasses& classes, Rng service_rng,
                         RequestSlots& requests, EventQueue& events, Cores& cores, Statistics& statistics)
    : scenario_(scenario),
      classes_(classes),
      callers_(classes),
      service_rng_(service_rng),
      requests_(requests),
      events_(events),
      cores_(cores),
      statistics_(statistics),
      workers_(static_cast<std::size_t>(scenario.server.workers)) {
    for (std::uint32_t w = 0; w < workers_.size(); ++w) idle_.push_back(size() - 1 - w);  // worker 0 on top
}

bool SyncWorkers::accept(std::uint32_t slot, double now_s) {
    if (idle_.empty()) return false;
    const std::uint32_t w = idle_.back();
    idle_.pop_back();
    serve(w, slot, now_s);
    return true;
}

void SyncWorkers::serve(std::uint32_t w, std::uint32_t slot, double now_s) {
    Worker& worker = workers_[w];
    Request& r = requests_[slot];
    worker.last_notify_s = now_s;  // sync.py notifies at the top of its loop, before accept()
    worker.state = State::busy;
    worker.request = slot;
    ++busy_;
    r.worker = w;
    r.stage = Stage::serving;
    // handle_request() counts the request and decides to retire before calling the app.
    if (++worker.served >= worker.limit) worker.retiring = true;
    start_phase(slot, now_s);
}

// A worker is free: it takes the oldest queued connection at once, without select().
void SyncWorkers::return_to_accept(std::uint32_t w, double now_s) {
    Worker& worker = workers_[w];
    worker.request = kNoWorker;
    const std::uint32_t slot = socket_->next_connection();
    worker.last_notify_s = now_s;
    if (slot != ListenSocket::kNoConnection) {
        serve(w, slot, now_s);
        return;
    }
    worker.state = State::idle;
    push_back_in_place(idle_, w);
}

void SyncWorkers::start_phase(std::uint32_t slot, double now_s) {
    Request& r = requests_[slot];
    const double duration_s = classes_.draw_duration_s(r.request_class, r.phase, service_rng_);
    if (classes_.on_cores(r.request_class, r.phase)) {
        statistics_.clocks().run_on_cores(slot, duration_s, now_s);
        cores_.add(now_s, slot, duration_s);
    } else {
        statistics_.clocks().enter(slot, LatencyPart::io, now_s);
        events_.push(now_s + duration_s * callers_.arrive(r), EventKind::io_done, requests_.ref(slot));
    }
}

void SyncWorkers::phase_done(std::uint32_t slot, double now_s) {
    Request& r = requests_[slot];
    const std::uint32_t w = r.worker;
    callers_.leave(r);
    if (workers_[w].aborted) {
        // Back in the interpreter after C code (libpq): the pending SIGABRT handler runs and
        // the worker exits without answering.
        end_process(w, now_s);
        return;
    }
    if (++r.phase < classes_.phase_count(r.request_class)) {
        start_phase(slot, now_s);
        return;
    }
    if (r.client_gone) {
        statistics_.served_after_client_left();
    } else {
        statistics_.response(now_s - r.sent_s, slot, now_s, r.request_class);
        clients_->resolve(r, now_s);
    }
    requests_.release(slot);
    --busy_;
    Worker& worker = workers_[w];
    if (worker.retiring) {
        // The loop ends after this request; the process exits and the master reaps it.
        worker.request = kNoWorker;
        process_ended(worker, now_s);
    } else {
        return_to_accept(w, now_s);
    }
}

// The worker process ends (SIGABRT handled, or SIGKILL); its request is lost.
void SyncWorkers::end_process(std::uint32_t w, double now_s) {
    Worker& worker = workers_[w];
    if (worker.state == State::busy) {
        const std::uint32_t slot = worker.request;
        Request& r = requests_[slot];
        if (cores_.contains(slot)) cores_.remove(now_s, slot);
        callers_.leave(r);
        if (!r.client_gone) {
            statistics_.worker_timeout();
            clients_->resolve(r, now_s);
        }
        requests_.release(slot);
        --busy_;
    }
    worker.request = kNoWorker;
    process_ended(worker, now_s);
}

// Counted when the process ends: the master always replaces it.
void SyncWorkers::process_ended(Worker& worker, double now_s) {
    worker.state = State::dead;
    ++worker.generation;
    statistics_.worker_restart();
    arbiter_->reaped(now_s);
}

void SyncWorkers::exited(WorkerRef ref, double now_s) {
    if (workers_[ref.worker].generation == ref.generation) end_process(ref.worker, now_s);
}

void SyncWorkers::booted(WorkerRef ref, double now_s) {
    Worker& worker = workers_[ref.worker];
    if (worker.generation != ref.generation) return;
    assert(worker.state == State::booting);
    if (worker.aborted) return;  // SIGABRT during boot: it exits, it never accepts
    return_to_accept(ref.worker, now_s);
}

// An idle worker's heartbeat never goes stale: its loop notifies at least every timeout / 2.
bool SyncWorkers::may_time_out(std::uint32_t w) const {
    return workers_[w].state == State::busy || workers_[w].state == State::booting;
}

void SyncWorkers::abort(std::uint32_t w, double now_s) {
    Worker& worker = workers_[w];
    worker.aborted = true;
    if (worker.state == State::booting || in_python(worker))
        events_.push(now_s + scenario_.server.kill_s, EventKind::worker_exit, WorkerRef{w, worker.generation});
}

// Python runs the SIGABRT handler at once only when the worker is executing Python; in libpq
// (connecting, or waiting on pg_sleep) it runs after the call returns.
bool SyncWorkers::in_python(const Worker& worker) const {
    const Request& r = requests_[worker.request];
    const Phase& phase = classes_.phases(r.request_class)[r.phase];
    return phase.kind == PhaseKind::cpu && phase.owner == PhaseOwner::worker;
}

void SyncWorkers::spawn(std::uint32_t w, double fork_s, std::int64_t request_limit) {
    Worker& worker = workers_[w];
    worker.state = State::booting;
    worker.aborted = false;
    worker.retiring = false;
    worker.served = 0;
    worker.limit = request_limit;
    worker.last_notify_s = fork_s;  // the heartbeat file is made in the master at spawn
    events_.push(fork_s + scenario_.server.boot_s, EventKind::worker_booted, WorkerRef{w, worker.generation});
}

std::int64_t SyncWorkers::live() const {
    std::int64_t n = 0;
    for (const Worker& w : workers_)
        if (w.state == State::idle || w.state == State::busy) ++n;
    return n;
}

}  // namespace workersim
