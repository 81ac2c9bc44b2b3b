#include "sim/gthread_workers.hpp"

#include <algorithm>
#include <cassert>

#include "sim/arbiter.hpp"
#include "sim/clients.hpp"
#include "sim/listen_socket.hpp"

namespace workersim {

namespace {
// select(1.0) and futures.wait(timeout=1.0) in the main loop (gthread.py:200, 210).
constexpr double kSelectTimeoutS = 1.0;

void erase_one(std::vector<std::uint32_t>& v, std::uint32_t x) {
    const auto it = std::find(v.begin(), v.end(), x);
    assert(it != v.end());
    *it = v.back();
    v.pop_back();
}
}  // namespace

GthreadWorkers::GthreadWorkers(const Scenario& scenario, const RequestClasses& classes, Rng service_rng, Rng wake_rng,
                               RequestSlots& requests, EventQueue& events, Cores& cores, Statistics& statistics)
    : scenario_(scenario),
      service_rng_(service_rng),
      wake_rng_(wake_rng),
      classes_(classes),
      callers_(classes),
      requests_(requests),
      events_(events),
      cores_(cores),
      statistics_(statistics),
      threads_(static_cast<std::size_t>(scenario.server.threads)),
      worker_connections_(scenario.server.worker_connections),
      keep_alive_(keeps_connections_alive(scenario)),
      processes_(static_cast<std::size_t>(scenario.server.workers)),
      served_by_worker_(processes_.size(), 0) {
    for (std::uint32_t w = 0; w < size(); ++w) wake_order_.push_back(w);
    if (keep_alive_) connections_.resize(static_cast<std::size_t>(scenario.load.clients));
    // Every process starts booted, its main thread in select(1.0) since t = 0.
    for (std::uint32_t w = 0; w < size(); ++w) arm_select_timeout(w, kSelectTimeoutS);
}

// hey keeps each client's connection (spec 6); Gunicorn keeps it for keepalive_s > 0
// (gunicorn/http/message.py should_close). The open loop's arrivals are new connections.
bool GthreadWorkers::keeps_connections_alive(const Scenario& scenario) {
    return scenario.load.kind == LoadKind::closed && scenario.load.keep_alive && scenario.server.keepalive_s > 0;
}

GthreadWorkers::ThreadWork& GthreadWorkers::work(std::uint32_t slot) {
    if (slot >= work_.size()) work_.resize(std::max<std::size_t>(slot + 1, 2 * work_.size()));
    return work_[slot];
}

// ---- The main thread -------------------------------------------------------------------

// The listen socket has a new connection. Every process in epoll_wait wakes (no
// EPOLLEXCLUSIVE: selectors.py:351-359); the connection waits in the backlog for the first
// accept().
bool GthreadWorkers::accept(std::uint32_t /*slot*/, double now_s) {
    double place_s = 0;
    for (const std::uint32_t w : wake_order_) {
        const Process& p = processes_[w];
        if (p.main == Main::sleeping && p.state == State::alive && below_connection_limit(p)) {
            wake_main(w, now_s, place_s);
            place_s += scenario_.server.main_wake_order_s;
        }
    }
    return false;
}

void GthreadWorkers::wake_main(std::uint32_t w, double now_s, double behind_s) {
    Process& p = processes_[w];
    p.main = Main::waking;
    const double mean_s = scenario_.server.main_wake_s;
    const double delay_s = mean_s > 0 ? wake_rng_.exponential(mean_s) : 0.0;
    events_.push(now_s + behind_s + delay_s, EventKind::main_wake, WorkerRef{w, ++p.main_token});
}

// Back from epoll_wait, the main thread needs the GIL like any other thread (spec 5.5).
void GthreadWorkers::main_wants_gil(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    if (p.gil.acquire(Gil::kMainThread)) {
        start_pass(w, now_s);
        return;
    }
    p.main = Main::wants_gil;
    arm_gil_timer(w, now_s);
}

void GthreadWorkers::start_pass(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    p.main = Main::in_pass;
    events_.push(now_s + scenario_.server.main_loop_pass_s, EventKind::main_pass, WorkerRef{w, ++p.main_token});
}

// The pass's work, done at its end, the main thread holding the GIL: notify(), one accept()
// and every readable kept connection (gthread.py:195-203), murder_keepalived (gthread.py:221).
void GthreadWorkers::pass_done(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    if (!p.aborted) p.last_notify_s = now_s;
    if (p.state == State::retiring) {
        stop_looping(w, now_s);
        return;
    }
    bool started_thread = false;
    if (below_connection_limit(p)) {
        const std::uint32_t slot = socket_->next_connection();
        if (slot != ListenSocket::kNoConnection) {
            Request& r = requests_[slot];
            r.worker = w;
            r.stage = Stage::serving;
            ++p.connections;
            work(slot).fresh_connection = true;
            started_thread |= submit(w, slot, now_s);
        }
        for (const std::uint32_t kept : p.readable) {
            work(kept).fresh_connection = false;
            started_thread |= submit(w, kept, now_s);
        }
        p.readable.clear();
    }
    murder_keepalived(w, now_s);
    if (started_thread) {
        // Thread.start() waits for the new thread's bootstrap: the GIL goes to the waiters and
        // the main thread queues for it again; it loops on once it holds it.
        p.main = Main::wants_gil;
        const std::uint32_t next = p.gil.release();
        const bool took = p.gil.acquire(Gil::kMainThread);
        assert(next != Gil::kNobody && !took);
        (void)took;
        arm_gil_timer(w, now_s);
        resume(w, next, now_s);
        return;
    }
    arm_gil_timer(w, now_s);  // the pool threads just woken wait for the GIL
    // select() returns at once while something is ready: a release that short keeps the GIL
    // (the waiter wakes slower than the syscall, spec 5.6), so the loop goes on holding it,
    // unless a waiter's switch interval ran out (FORCE_SWITCHING).
    const bool ready = below_connection_limit(p) && (socket_->queued() > 0 || !p.readable.empty());
    if (!ready) {
        sleep_main(w, now_s);
        return;
    }
    if (p.gil.drop_requested()) {
        p.main = Main::wants_gil;
        const std::uint32_t next = p.gil.force_switch();
        arm_gil_timer(w, now_s);
        resume(w, next, now_s);
        return;
    }
    start_pass(w, now_s);
}

void GthreadWorkers::sleep_main(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    p.main = Main::sleeping;
    p.sleep_since_s = now_s;
    if (!p.timer_pending) arm_select_timeout(w, now_s + kSelectTimeoutS);
    release_gil(w, now_s);
}

// One pending select timeout per process at most: a timeout that fires after the thread
// slept again is re-armed for that sleep's end, so a busy loop schedules no event per pass.
void GthreadWorkers::arm_select_timeout(std::uint32_t w, double at_s) {
    Process& p = processes_[w];
    p.timer_pending = true;
    events_.push(at_s, EventKind::epoll_timeout, WorkerRef{w, ++p.timer_token});
}

void GthreadWorkers::select_timed_out(std::uint32_t w, std::uint32_t token, double now_s) {
    Process& p = processes_[w];
    if (token != p.timer_token) return;
    p.timer_pending = false;
    if (p.main != Main::sleeping) return;  // awake: its next sleep arms a new one
    const double due_s = p.sleep_since_s + kSelectTimeoutS;
    if (now_s < due_s) {
        arm_select_timeout(w, due_s);
        return;
    }
    wake_main(w, now_s);
}

void GthreadWorkers::murder_keepalived(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    while (!p.keep.empty() && p.keep.front().deadline_s <= now_s) {
        const KeptEntry e = p.keep.front();
        p.keep.pop_front();
        Connection& c = connections_[e.client];
        if (!c.idle || c.process != w || c.generation != p.generation || c.deadline_s != e.deadline_s) continue;
        c.idle = false;
        --p.kept_idle;
        --p.connections;
    }
}

// alive = False seen at the loop's test: tpool.shutdown(False), poller.close(), then
// futures.wait for what the pool holds (gthread.py:223-229). The main thread no longer
// notifies. Requests sent on kept connections are never read: their clients reconnect.
void GthreadWorkers::stop_looping(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    p.stopped_looping = true;
    p.main = Main::stopped;
    std::vector<std::uint32_t> unread;
    unread.swap(p.readable);
    p.connections -= static_cast<std::int64_t>(unread.size());
    const bool drained = p.running.empty() && p.queued.empty();
    if (drained) {
        const std::uint32_t next = p.gil.release();  // nobody else runs in the process
        assert(next == Gil::kNobody);
        (void)next;
        retire(w, now_s);
    } else {
        release_gil(w, now_s);
    }
    for (const std::uint32_t slot : unread) {
        requests_[slot].worker = kNoWorker;
        statistics_.clocks().recount_current_as(slot, LatencyPart::retry);
        socket_->connect(slot, now_s);
    }
}

// ---- Keep-alive ------------------------------------------------------------------------

// A closed-loop client sends its next request: on its kept connection if it has one, which
// makes that connection readable in its process's poller (gthread.py:130-142).
bool GthreadWorkers::send_on_kept_connection(std::uint32_t slot, double now_s) {
    Request& r = requests_[slot];
    Connection& c = connections_[r.client];
    if (!c.idle) return false;
    c.idle = false;
    Process& p = processes_[c.process];
    if (p.generation != c.generation) return false;  // the process ended: the kernel closed it
    --p.kept_idle;
    if (p.state != State::alive) {
        --p.connections;  // closed by the retiring process
        return false;
    }
    r.worker = c.process;
    r.stage = Stage::serving;
    statistics_.clocks().enter(slot, LatencyPart::process_queue, now_s);  // until the main thread reads it
    p.readable.push_back(slot);
    if (p.main == Main::sleeping && below_connection_limit(p)) wake_main(c.process, now_s);
    return true;
}

// finish_request keeps the connection if the response did not close it (gthread.py:241-255):
// keep-alive asked for and granted, the worker alive, fewer than worker_connections - threads
// kept (max_keepalived, gthread.py:71, 318-321).
bool GthreadWorkers::keeps_connection(const Process& p, const Request& r) const {
    return keep_alive_ && p.state == State::alive && !r.client_gone &&
           p.kept_idle < worker_connections_ - static_cast<std::int64_t>(threads_);
}

// ---- Pool threads ----------------------------------------------------------------------

// tpool.submit (gthread.py:111-115): an idle pool thread, or one started for it below
// --threads, takes the job and asks for the GIL (the main thread holds it now); with all T
// busy, the job waits in the FIFO.
bool GthreadWorkers::submit(std::uint32_t w, std::uint32_t slot, double now_s) {
    Process& p = processes_[w];
    if (p.running.size() >= threads_) {
        statistics_.clocks().enter(slot, LatencyPart::process_queue, now_s);
        work(slot).new_thread = false;  // a running thread takes it from the FIFO later
        p.queued.push_back(slot);
        return false;
    }
    const bool start_thread = p.running.size() == p.threads_started;
    if (start_thread) ++p.threads_started;
    p.running.push_back(slot);
    ++busy_;
    statistics_.clocks().enter(slot, LatencyPart::gil_wait, now_s);
    ThreadWork& t = work(slot);
    t.part = Part::new_job;
    t.new_thread = start_thread;
    const bool took = p.gil.acquire(slot);
    assert(!took);
    (void)took;
    return start_thread;
}

// The pool thread holding the GIL starts `slot`. A connection whose client left reads EOF and
// is closed (gthread.py:277-278); the thread goes on to the next job.
void GthreadWorkers::run_job(std::uint32_t w, std::uint32_t slot, double now_s) {
    Process& p = processes_[w];
    while (requests_[slot].client_gone) {
        --p.connections;
        erase_one(p.running, slot);
        requests_.release(slot);
        if (p.queued.empty()) {
            thread_idle(w, now_s);
            return;
        }
        slot = p.queued.front();
        p.queued.pop_front();
        p.running.push_back(slot);
        p.gil.transfer(slot);
    }
    // handle_request counts the request and stops the worker before the app runs
    // (gthread.py:311-316).
    if (++p.handled >= p.limit && p.state == State::alive) p.state = State::retiring;
    ThreadWork& t = work(slot);
    const double setup_s = (t.fresh_connection ? scenario_.server.connection_cpu_s : 0.0) +
                           (t.new_thread ? scenario_.server.thread_start_s : 0.0);
    t = ThreadWork{};
    if (setup_s > 0) {
        t.connection_setup = true;
        t.part = Part::python;
        t.python_s = setup_s;
    }
    requests_[slot].phase = 0;
    run_holding_gil(slot, now_s);
}

// The thread holds the GIL: Python runs until the request needs a core, blocks or ends.
void GthreadWorkers::run_holding_gil(std::uint32_t slot, double now_s) {
    Request& r = requests_[slot];
    const std::uint32_t w = r.worker;
    if (ThreadWork& t = work(slot); t.connection_setup) {
        if (t.python_s > 0) {
            statistics_.clocks().run_on_cores(slot, t.python_s, now_s);
            cores_.add(now_s, slot, t.python_s);
            return;
        }
        t.connection_setup = false;
        t.part = Part::start;
    }
    for (;;) {
        if (r.phase == classes_.phase_count(r.request_class)) {
            finish_request(slot, now_s);
            return;
        }
        const Phase& phase = classes_.phases(r.request_class)[r.phase];
        ThreadWork& t = work(slot);
        if (phase.kind == PhaseKind::cpu && phase.owner == PhaseOwner::worker) {
            if (t.part == Part::start) {
                const double cpu_s = classes_.draw_duration_s(r.request_class, r.phase, service_rng_);
                t.gil_free_s = cpu_s * phase.gil_free_share;
                t.python_s = cpu_s - t.gil_free_s;
                t.part = Part::python;
            }
            if (t.part == Part::python) {
                if (t.python_s > 0) {
                    statistics_.clocks().run_on_cores(slot, t.python_s, now_s);
                    cores_.add(now_s, slot, t.python_s);  // the GIL is the gate to the cores
                    return;
                }
                t.part = Part::gil_free;
            }
            if (t.gil_free_s > 0) {
                t.part = Part::blocked;
                statistics_.clocks().run_on_cores(slot, t.gil_free_s, now_s);
                cores_.add(now_s, slot, t.gil_free_s);
                release_gil(w, now_s);
                return;
            }
            ++r.phase;
            t.part = Part::start;
            continue;
        }
        // IO, or the database backend's CPU: the thread waits in C with the GIL released.
        const double duration_s = classes_.draw_duration_s(r.request_class, r.phase, service_rng_);
        t.part = Part::blocked;
        if (phase.kind == PhaseKind::cpu) {
            statistics_.clocks().run_on_cores(slot, duration_s, now_s);
            cores_.add(now_s, slot, duration_s);
        } else {
            statistics_.clocks().enter(slot, LatencyPart::io, now_s);
            events_.push(now_s + duration_s * callers_.arrive(r), EventKind::io_done, requests_.ref(slot));
        }
        release_gil(w, now_s);
        return;
    }
}

void GthreadWorkers::phase_done(std::uint32_t slot, double now_s) {
    Request& r = requests_[slot];
    const std::uint32_t w = r.worker;
    ThreadWork& t = work(slot);
    if (t.part == Part::python) {
        assert(processes_[w].gil.owner() == slot);
        t.python_s = 0;
        t.part = Part::gil_free;
        run_holding_gil(slot, now_s);
        return;
    }
    // Back from C code: PyEval_RestoreThread takes the GIL again, behind whoever computes
    // (the convoy effect, spec 5.4).
    callers_.leave(r);
    ++r.phase;
    t.part = Part::start;
    if (processes_[w].gil.acquire(slot)) {
        run_holding_gil(slot, now_s);
    } else {
        statistics_.clocks().enter(slot, LatencyPart::gil_wait, now_s);
        arm_gil_timer(w, now_s);
    }
}

// The response is written; finish_request runs on the pool thread (gthread.py:231-260).
void GthreadWorkers::finish_request(std::uint32_t slot, double now_s) {
    Request& r = requests_[slot];
    const std::uint32_t w = r.worker;
    Process& p = processes_[w];
    ++served_by_worker_[w];
    if (keeps_connection(p, r)) {
        Connection& c = connections_[r.client];
        c = Connection{w, p.generation, now_s + scenario_.server.keepalive_s, true};
        p.keep.push_back(KeptEntry{r.client, c.deadline_s});
        ++p.kept_idle;
    } else {
        --p.connections;
    }
    erase_one(p.running, slot);
    // Bound before the client hears: a closed-loop client sends its next request at once.
    if (r.client_gone) {
        statistics_.served_after_client_left();
    } else {
        statistics_.response(now_s - r.sent_s, slot, now_s, r.request_class);
        clients_->resolve(r, now_s);
    }
    requests_.release(slot);
    // At worker_connections the main thread waits in futures.wait, which a completion ends.
    if (p.main == Main::sleeping && p.state == State::alive && below_connection_limit(p) &&
        (socket_->queued() > 0 || !p.readable.empty()))
        wake_main(w, now_s);
    if (!p.queued.empty()) {
        const std::uint32_t next = p.queued.front();
        p.queued.pop_front();
        p.running.push_back(next);
        p.gil.transfer(next);
        run_job(w, next, now_s);
        return;
    }
    thread_idle(w, now_s);
}

// The thread blocks on the empty FIFO (GIL released). A stopped process exits when its pool
// has drained.
void GthreadWorkers::thread_idle(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    --busy_;
    if (p.stopped_looping && p.running.empty() && p.queued.empty()) {
        const std::uint32_t next = p.gil.release();  // the main thread is past its loop
        assert(next == Gil::kNobody);
        (void)next;
        retire(w, now_s);
        return;
    }
    release_gil(w, now_s);
}

// ---- The GIL ---------------------------------------------------------------------------

void GthreadWorkers::resume(std::uint32_t w, std::uint32_t thread, double now_s) {
    if (thread == Gil::kMainThread)
        start_pass(w, now_s);
    else if (work(thread).part == Part::new_job)
        run_job(w, thread, now_s);
    else
        run_holding_gil(thread, now_s);
}

// A voluntary drop_gil: the oldest waiter goes on. Every caller makes this its last step,
// because the waiter runs from here (and may end the process).
void GthreadWorkers::release_gil(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    const std::uint32_t next = p.gil.release();
    if (next == Gil::kNobody) return;
    arm_gil_timer(w, now_s);
    resume(w, next, now_s);
}

void GthreadWorkers::arm_gil_timer(std::uint32_t w, double now_s) {
    Gil& gil = processes_[w].gil;
    if (!gil.needs_timer()) return;
    events_.push(now_s + scenario_.server.gil_switch_interval_s, EventKind::gil_timeout,
                 WorkerRef{w, gil.arm_timer()});
}

// The oldest waiter's interval ran out. A pool thread computing drops the GIL at once (a
// check point comes every few bytecodes); the main thread at the end of its pass.
void GthreadWorkers::gil_timed_out(std::uint32_t w, std::uint32_t token, double now_s) {
    Gil& gil = processes_[w].gil;
    switch (gil.timer_fired(token)) {
        case Gil::Timeout::stale:
            return;
        case Gil::Timeout::rearm:
            arm_gil_timer(w, now_s);
            return;
        case Gil::Timeout::drop:
            break;
    }
    const std::uint32_t holder = gil.owner();
    if (holder == Gil::kMainThread) return;  // pass_done sees drop_requested()
    assert(work(holder).part == Part::python);
    work(holder).python_s = cores_.remove_remaining(now_s, holder);
    statistics_.clocks().enter(holder, LatencyPart::gil_wait, now_s, work(holder).python_s);
    const std::uint32_t next = gil.force_switch();
    arm_gil_timer(w, now_s);
    resume(w, next, now_s);
}

// ---- Events ----------------------------------------------------------------------------

void GthreadWorkers::thread_event(EventKind kind, WorkerRef ref, double now_s) {
    Process& p = processes_[ref.worker];
    switch (kind) {
        case EventKind::main_wake:
            if (ref.generation == p.main_token && p.main == Main::waking) main_wants_gil(ref.worker, now_s);
            return;
        case EventKind::main_pass:
            if (ref.generation == p.main_token && p.main == Main::in_pass) pass_done(ref.worker, now_s);
            return;
        case EventKind::epoll_timeout:
            select_timed_out(ref.worker, ref.generation, now_s);
            return;
        case EventKind::gil_timeout:
            gil_timed_out(ref.worker, ref.generation, now_s);
            return;
        case EventKind::syn_retry:
        case EventKind::io_done:
        case EventKind::client_timeout:
        case EventKind::master_wakeup:
        case EventKind::worker_booted:
        case EventKind::worker_exit:
            break;
    }
    assert(false && "not a thread event");
}

// ---- The process's life ----------------------------------------------------------------

// Graceful exit after max_requests: run() returns, sys.exit(0); the master reaps and respawns
// (arbiter.py:507-551). Idle kept connections close with the process.
void GthreadWorkers::retire(std::uint32_t w, double now_s) { process_ended(w, now_s); }

// SIGKILL (or SIGABRT's exit): every request the process holds is lost: running, queued in
// its FIFO, and sent on its kept connections.
void GthreadWorkers::end_process(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    std::vector<std::uint32_t> lost(p.running);
    lost.insert(lost.end(), p.queued.begin(), p.queued.end());
    lost.insert(lost.end(), p.readable.begin(), p.readable.end());
    for (const std::uint32_t slot : lost)
        if (cores_.contains(slot)) cores_.remove(now_s, slot);
    process_ended(w, now_s);  // dead before the clients hear: their next requests go elsewhere
    for (const std::uint32_t slot : lost) {
        Request& r = requests_[slot];
        callers_.leave(r);
        if (!r.client_gone) {
            statistics_.worker_timeout();
            clients_->resolve(r, now_s);
        }
        requests_.release(slot);
    }
}

void GthreadWorkers::process_ended(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    busy_ -= static_cast<std::int64_t>(p.running.size());
    p.state = State::dead;
    p.main = Main::stopped;
    ++p.generation;
    ++p.main_token;
    ++p.timer_token;
    p.timer_pending = false;
    p.gil.clear();
    p.running.clear();
    p.queued.clear();
    p.readable.clear();
    p.keep.clear();
    p.connections = 0;
    p.kept_idle = 0;
    p.threads_started = 0;  // the next incarnation starts its own
    statistics_.worker_restart();
    arbiter_->reaped(now_s);
}

void GthreadWorkers::exited(WorkerRef ref, double now_s) {
    if (processes_[ref.worker].generation == ref.generation) end_process(ref.worker, now_s);
}

void GthreadWorkers::booted(WorkerRef ref, double now_s) {
    Process& p = processes_[ref.worker];
    if (p.generation != ref.generation) return;
    assert(p.state == State::booting);
    if (p.aborted) return;  // SIGABRT during boot: it exits, it never accepts
    p.state = State::alive;
    // It registers the listen socket now: last in the herd's wake order.
    wake_order_.erase(std::find(wake_order_.begin(), wake_order_.end(), ref.worker));
    wake_order_.push_back(ref.worker);
    main_wants_gil(ref.worker, now_s);  // the loop's first pass
}

// The handler runs on the main thread once it holds the GIL (spec 4); approximation: it never
// notifies again and the master's next pass, still seeing it stale, sends SIGKILL.
void GthreadWorkers::abort(std::uint32_t w, double now_s) {
    Process& p = processes_[w];
    p.aborted = true;
    if (p.state == State::booting)
        events_.push(now_s + scenario_.server.kill_s, EventKind::worker_exit, WorkerRef{w, p.generation});
}

void GthreadWorkers::spawn(std::uint32_t w, double fork_s, std::int64_t request_limit) {
    Process& p = processes_[w];
    p.state = State::booting;
    p.main = Main::stopped;
    p.aborted = false;
    p.stopped_looping = false;
    p.handled = 0;
    p.limit = request_limit;
    p.last_notify_s = fork_s;  // the heartbeat file is made in the master at spawn
    events_.push(fork_s + scenario_.server.boot_s, EventKind::worker_booted, WorkerRef{w, p.generation});
}

std::int64_t GthreadWorkers::live() const {
    std::int64_t n = 0;
    for (const Process& p : processes_)
        if (p.state == State::alive || p.state == State::retiring) ++n;
    return n;
}

}  // namespace workersim
