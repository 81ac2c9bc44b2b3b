#pragma once
// Gunicorn's master process (gunicorn/arbiter.py): its loop wakes on SIGCHLD or after its 1 s
// select() timeout, kills workers whose heartbeat is older than --timeout (murder_workers:
// SIGABRT, then SIGKILL on a later pass) and forks a replacement for every worker that ended
// (manage_workers / spawn_workers), sleeping U(0, 0.1) s after each fork. It also draws each
// worker incarnation's max_requests, as Worker.__init__ does in the master before the fork.

#include <cstdint>
#include <limits>

#include "model/scenario.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"

namespace workersim {

class WorkerPool;

class Arbiter {
public:
    // Draws the first incarnations' request limits, worker 0 first.
    Arbiter(const ServerConfig& server, Rng master_rng, EventQueue& events, WorkerPool& pool);

    // The master was started before the load: its loop runs at some phase of its 1 s timeout.
    void start();
    // SIGCHLD: the handler reaps at once and wakes the master's select().
    void reaped(double now_s) {
        reaped_since_spawn_ = true;
        request_wakeup(now_s > busy_until_s_ ? now_s : busy_until_s_);
    }
    // The loop, if the wakeup is still the current one.
    // Out of line: once a simulated second, too rare to be flattened into the event loop.
    [[gnu::noinline]] bool wakeup(std::uint32_t generation, double now_s);  // false: a stale wakeup

private:
    void request_wakeup(double at_s);
    void murder_workers(double now_s);
    std::int64_t draw_request_limit();

    const ServerConfig& server_;
    Rng master_rng_;
    EventQueue& events_;
    WorkerPool& pool_;
    double next_wakeup_s_ = std::numeric_limits<double>::infinity();
    double busy_until_s_ = 0;  // forking the last replacement
    std::uint32_t generation_ = 0;
    // The loop's two scans over the workers, made only when they can find something: most
    // wakeups are the 1 s timeout's with no worker dead and none near its timeout, and the
    // scans, O(workers) per wakeup, were 3-5% of a calibrated run's instructions (callgrind).
    // A worker can be dead only if one was reaped since the last spawning pass (the first
    // pass looks anyway). Every heartbeat murder_workers() would read is at or after
    // oldest_heartbeat_s_: it is the oldest that its last full pass read, or that pass's time,
    // and a heartbeat only moves forward (a worker touches it at the time it happens; a
    // spawned worker's is its fork time, after the pass).
    bool reaped_since_spawn_ = true;
    double oldest_heartbeat_s_ = -std::numeric_limits<double>::infinity();
};

}  // namespace workersim
