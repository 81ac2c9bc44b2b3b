#pragma once
// One process's GIL as CPython 3.11 runs it (Python/ceval_gil.h, take_gil / drop_gil;
// gthread spec section 5). A thread takes a free GIL at once. Otherwise it waits, and when the
// oldest waiter has waited a whole switch interval (sys.getswitchinterval(), 5 ms) with no
// switch at all, it sets gil_drop_request: the holder drops the GIL at its next check point
// and, with FORCE_SWITCHING (Include/internal/pycore_gil.h:19-21), cannot take it back before
// another thread has. A thread that blocks (IO, Py_BEGIN_ALLOW_THREADS) drops it voluntarily.
//
// This class is the GIL's state; the caller (sim/gthread_workers.hpp) runs the threads and
// schedules the switch-interval timer it asks for. Threads are ids: a request slot for a pool
// thread (the request it runs), kMainThread for the process's main thread.
//
// Approximations (spec 7.4, 7.6 A1-A3): the waiters are served oldest first (drop_gil's
// COND_SIGNAL wakes one waiter the OS picks); one timer stands for every waiter's timed wait,
// the oldest's (each waiter re-arms its own from when it began); the hand-over itself takes
// no time (the wake-up latency w of spec 5.6 is left out); a check point comes at once
// (granularity g = 0).

#include <cstdint>
#include <deque>

#include "sim/request.hpp"

namespace workersim {

class Gil {
public:
    static constexpr std::uint32_t kNobody = kNoWorker;
    static constexpr std::uint32_t kMainThread = kNoWorker - 1;

    std::uint32_t owner() const { return owner_; }
    bool has_waiters() const { return !waiters_.empty(); }
    std::size_t waiters() const { return waiters_.size(); }
    std::uint64_t switches() const { return switches_; }
    bool drop_requested() const { return drop_requested_; }

    // take_gil: true if the GIL was free and `thread` holds it now; false if it waits.
    bool acquire(std::uint32_t thread);
    // drop_gil from the holder, voluntarily (a blocking call, or done): the oldest waiter
    // holds it now and is returned, or kNobody.
    std::uint32_t release();
    // The holder reached a check point with a drop requested: it joins the waiters' tail
    // (FORCE_SWITCHING: it cannot win this round) and the oldest waiter, returned, holds it.
    std::uint32_t force_switch();
    // The holder goes on to another request on the same OS thread (the executor's queue had
    // one, so get() did not block and the GIL was never released): only its id changes.
    void transfer(std::uint32_t thread);

    // The switch-interval timer. When has_waiters() and no timer is pending, the caller
    // schedules one an interval from now with arm_timer()'s token and reports it back.
    bool needs_timer() const { return !waiters_.empty() && !timer_pending_; }
    std::uint32_t arm_timer();
    enum class Timeout {
        stale,    // not the pending timer, or nobody waits any more: nothing to do
        rearm,    // a switch happened during the interval: the waiter waits another interval
        drop,     // no switch for a whole interval: gil_drop_request is set now
    };
    Timeout timer_fired(std::uint32_t token);

    // The process ended: no owner, no waiters, pending timers stale.
    void clear();

private:
    void grant(std::uint32_t thread);

    std::uint32_t owner_ = kNobody;
    std::uint32_t last_holder_ = kNobody;
    std::deque<std::uint32_t> waiters_;
    std::uint64_t switches_ = 0;          // switch_number: bumped when the holder changes
    std::uint64_t timer_switches_ = 0;    // switch_number when the pending timer was armed
    std::uint32_t timer_token_ = 0;
    bool timer_pending_ = false;
    bool drop_requested_ = false;
};

}  // namespace workersim
