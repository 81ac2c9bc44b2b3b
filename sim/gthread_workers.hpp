#pragma once
// Gunicorn 20.1.0's gthread workers (gunicorn/workers/gthread.py). Each process runs a main
// thread and --threads pool threads, and holds one GIL (sim/gil.hpp) that all of them share.
//
// The main thread loops (ThreadWorker.run, gthread.py:183-229): notify() (the heartbeat), then,
// below worker_connections, select(1.0) on the shared listen socket and its kept connections;
// per pass it accepts one connection (gthread.py:117-124) and re-queues every kept connection
// with a new request (reuse_connection, gthread.py:130-142), then expires kept connections
// (murder_keepalived, gthread.py:144-174). Accepted connections wait in the process's own FIFO
// (the executor's SimpleQueue) for a pool thread, whether or not one is free: accepting never
// waits for a thread (gthread.py:198). A pool thread serves one request: Python holds the GIL
// and a core; IO and the database's CPU release the GIL; coming back from them takes the GIL
// again (the convoy, spec 5.4). After the response a connection stays with its process for
// keepalive_s (finish_request, gthread.py:231-260): the client's next request on it goes to
// that process's FIFO, not through the listen socket.
//
// The accept race (gthread.py:185-191 registers the socket without EPOLLEXCLUSIVE, so every
// process in epoll_wait wakes for a new connection): each sleeping main thread wakes after a
// scheduler delay drawn exponential with mean main_wake_s, needs its process's GIL, runs a pass
// of main_loop_pass_s, and the first to reach accept() wins; the others find the backlog empty
// (EAGAIN) and sleep again. A process whose threads hold the GIL gets there later.
//
// Approximations (each also named where it is made):
// - a pool thread is started, as ThreadPoolExecutor does, when a job finds none idle; the main
//   thread's wait in Thread.start() is a release of the GIL to the waiters, the new thread
//   first among them unless older ones wait, and its bootstrap (thread_start_s) is Python at
//   the start of its first job;
// - a pool thread woken by a job runs at once (no scheduler delay, unlike the main thread);
// - the main thread's pass holds the GIL for main_loop_pass_s but takes no core;
// - a CPU phase's Python part runs first, then its GIL-free part, one release per phase;
// - parsing, writing the response and finish_request take no time (but do take the GIL),
//   beyond connection_cpu_s of Python on each new connection: gthread's own per-connection
//   work (TConn, the parser, selector registration, the future) past what the sync-fitted
//   request costs hold, put at the job's start;
// - SIGABRT (a stale heartbeat) leads to SIGKILL on the master's next pass: every request the
//   process holds is lost (the handler's sys.exit would join the pool threads first);
// - a kept connection of a retiring process is closed at once and its client reconnects
//   through the listen socket (Go's Transport retries an idempotent GET; spec 6, unverified);
// - the open loop opens one connection per arrival and the client closes it after the response.

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "model/scenario.hpp"
#include "sim/cores.hpp"
#include "sim/downstream_callers.hpp"
#include "sim/event_queue.hpp"
#include "sim/gil.hpp"
#include "sim/request_classes.hpp"
#include "sim/request_slots.hpp"
#include "sim/rng.hpp"
#include "sim/sampler.hpp"
#include "sim/statistics.hpp"

namespace workersim {

class Arbiter;
class Clients;
class ListenSocket;

class GthreadWorkers {
public:
    GthreadWorkers(const Scenario& scenario, const RequestClasses& classes, Rng service_rng, Rng wake_rng,
                   RequestSlots& requests, EventQueue& events, Cores& cores, Statistics& statistics);
    // Whether responses leave connections open for the client's next request.
    static bool keeps_connections_alive(const Scenario& scenario);

    void connect_to(ListenSocket& socket, Clients& clients, Arbiter& arbiter) {
        socket_ = &socket;
        clients_ = &clients;
        arbiter_ = &arbiter;
    }

    // The worker-class role (sim/worker_pool.hpp). The entry points are out of line: the event
    // loop's step() is [[gnu::flatten]] for sync's sake, and flattening the threads' mutually
    // recursive hand-overs (a GIL release runs the next holder) into it took GCC -O3 over 20
    // minutes and 2.8 GiB; gthread's calls cost one call each instead.
    [[gnu::noinline]] bool accept(std::uint32_t slot, double now_s);  // wakes sleeping main threads; false
    [[gnu::noinline]] void phase_done(std::uint32_t slot, double now_s);
    [[gnu::noinline]] void booted(WorkerRef worker, double now_s);
    [[gnu::noinline]] void exited(WorkerRef worker, double now_s);
    [[gnu::noinline]] void thread_event(EventKind kind, WorkerRef ref, double now_s);
    [[gnu::noinline]] bool send_on_kept_connection(std::uint32_t slot, double now_s);

    std::uint32_t size() const { return static_cast<std::uint32_t>(processes_.size()); }
    bool may_time_out(std::uint32_t w) const { return processes_[w].state != State::dead; }
    double heartbeat_s(std::uint32_t w) const { return processes_[w].last_notify_s; }
    bool aborted(std::uint32_t w) const { return processes_[w].aborted; }
    [[gnu::noinline]] void abort(std::uint32_t w, double now_s);
    void kill(std::uint32_t w, double now_s) { end_process(w, now_s); }
    bool dead(std::uint32_t w) const { return processes_[w].state == State::dead; }
    [[gnu::noinline]] void spawn(std::uint32_t w, double fork_s, std::int64_t request_limit);
    void set_request_limit(std::uint32_t w, std::int64_t request_limit) { processes_[w].limit = request_limit; }

    std::int64_t busy() const { return busy_; }  // pool threads holding a request
    const std::int64_t& busy_count() const { return busy_; }
    std::int64_t live() const;
    // Responses written by each worker process, over all its incarnations.
    const std::vector<std::int64_t>& served_by_worker() const { return served_by_worker_; }

private:
    enum class State : std::uint8_t {
        alive,
        retiring,  // reached max_requests: alive = False, finishes what it holds, then exits
        booting,
        dead,
    };
    enum class Main : std::uint8_t {
        sleeping,   // in epoll_wait (or, at worker_connections, futures.wait): GIL released
        waking,     // woken; the scheduler has not run it yet
        wants_gil,  // waits for the GIL
        in_pass,    // runs a loop pass, holding the GIL
        stopped,    // not looping: booting, or past the loop after alive = False
    };
    // Where a pool thread is in its request: about to start it (waiting for the GIL to
    // parse it), or in its current phase.
    enum class Part : std::uint8_t { new_job, start, python, gil_free, blocked };
    struct ThreadWork {
        double python_s = 0;    // Python left in this CPU phase (holds the GIL)
        double gil_free_s = 0;  // then C code that released the GIL
        Part part = Part::start;
        bool fresh_connection = false;  // accepted, not kept: the job starts with connection_cpu_s
        bool new_thread = false;        // the job's thread was started for it: thread_start_s first
        bool connection_setup = false;  // python_s is that connection's Python
    };
    struct KeptEntry {
        std::uint32_t client;
        double deadline_s;
    };
    // A closed-loop client's connection while it is idle in a process's keep-alive list.
    struct Connection {
        std::uint32_t process = kNoWorker;
        std::uint32_t generation = 0;
        double deadline_s = 0;
        bool idle = false;
    };
    struct Process {
        State state = State::alive;
        Main main = Main::sleeping;
        bool aborted = false;
        bool stopped_looping = false;  // the main loop saw alive = False
        bool timer_pending = false;    // an epoll_timeout event is in the queue
        std::uint32_t generation = 0;
        std::uint32_t main_token = 0;   // the pending main_wake or main_pass
        std::uint32_t timer_token = 0;  // the pending epoll_timeout
        double last_notify_s = 0;
        double sleep_since_s = 0;
        std::int64_t handled = 0;  // self.nr (gthread.py:311)
        std::int64_t limit = std::numeric_limits<std::int64_t>::max();
        std::int64_t connections = 0;  // self.nr_conns: queued, running and kept
        std::int64_t kept_idle = 0;    // len(self._keep), live entries
        std::size_t threads_started = 0;  // len(tpool._threads): at most T, started on demand
        Gil gil;
        std::vector<std::uint32_t> running;  // requests on pool threads, at most T
        std::deque<std::uint32_t> queued;    // the executor's FIFO
        std::vector<std::uint32_t> readable; // kept connections with a new request
        std::deque<KeptEntry> keep;          // _keep, in deadline order; stale entries skipped
    };

    void wake_main(std::uint32_t w, double now_s, double behind_s = 0);
    void main_wants_gil(std::uint32_t w, double now_s);
    void start_pass(std::uint32_t w, double now_s);
    void pass_done(std::uint32_t w, double now_s);
    void sleep_main(std::uint32_t w, double now_s);
    void arm_select_timeout(std::uint32_t w, double at_s);
    void select_timed_out(std::uint32_t w, std::uint32_t token, double now_s);
    void murder_keepalived(std::uint32_t w, double now_s);
    void stop_looping(std::uint32_t w, double now_s);

    // Returns whether a pool thread was started for the job (the main thread must wait for it).
    bool submit(std::uint32_t w, std::uint32_t slot, double now_s);
    void run_job(std::uint32_t w, std::uint32_t slot, double now_s);
    void run_holding_gil(std::uint32_t slot, double now_s);
    void finish_request(std::uint32_t slot, double now_s);
    void thread_idle(std::uint32_t w, double now_s);
    bool keeps_connection(const Process& p, const Request& r) const;

    void resume(std::uint32_t w, std::uint32_t thread, double now_s);
    void release_gil(std::uint32_t w, double now_s);
    void arm_gil_timer(std::uint32_t w, double now_s);
    void gil_timed_out(std::uint32_t w, std::uint32_t token, double now_s);

    void retire(std::uint32_t w, double now_s);
    [[gnu::noinline]] void end_process(std::uint32_t w, double now_s);
    void process_ended(std::uint32_t w, double now_s);
    bool below_connection_limit(const Process& p) const { return p.connections < worker_connections_; }
    ThreadWork& work(std::uint32_t slot);

    const Scenario& scenario_;
    Rng service_rng_;
    Rng wake_rng_;
    const RequestClasses& classes_;
    DownstreamCallers callers_;
    RequestSlots& requests_;
    EventQueue& events_;
    Cores& cores_;
    Statistics& statistics_;
    ListenSocket* socket_ = nullptr;
    Clients* clients_ = nullptr;
    Arbiter* arbiter_ = nullptr;

    const std::size_t threads_;
    const std::int64_t worker_connections_;
    const bool keep_alive_;
    std::vector<Process> processes_;
    std::vector<Connection> connections_;  // per closed-loop client
    std::vector<ThreadWork> work_;         // per request slot
    std::vector<std::int64_t> served_by_worker_;
    std::vector<std::uint32_t> wake_order_;  // the listen socket's wait queue: boot order
    std::int64_t busy_ = 0;
};

}  // namespace workersim
