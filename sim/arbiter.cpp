#include "sim/arbiter.hpp"

#include <algorithm>

#include "sim/worker_pool.hpp"

namespace workersim {

namespace {
// Gunicorn's spawn_workers() sleeps U(0, 0.1) s after each fork (arbiter.py L613-623).
constexpr double kSpawnStaggerS = 0.1;
}  // namespace

Arbiter::Arbiter(const ServerConfig& server, Rng master_rng, EventQueue& events, WorkerPool& pool)
    : server_(server), master_rng_(master_rng), events_(events), pool_(pool) {
    for (std::uint32_t w = 0; w < pool_.size(); ++w) pool_.set_request_limit(w, draw_request_limit());
}

void Arbiter::start() { request_wakeup(master_rng_.uniform() * server_.master_tick_s); }

void Arbiter::request_wakeup(double at_s) {
    if (at_s >= next_wakeup_s_) return;
    next_wakeup_s_ = at_s;
    events_.push_master_wakeup(at_s, ++generation_);
}

bool Arbiter::wakeup(std::uint32_t generation, double now_s) {
    if (generation != generation_) return false;
    murder_workers(now_s);
    double t = now_s;
    if (reaped_since_spawn_) {
        for (std::uint32_t w = 0; w < pool_.size(); ++w) {
            if (!pool_.dead(w)) continue;
            pool_.spawn(w, t, draw_request_limit());
            t += master_rng_.uniform() * kSpawnStaggerS;
        }
        reaped_since_spawn_ = false;
    }
    busy_until_s_ = t;
    next_wakeup_s_ = std::numeric_limits<double>::infinity();
    request_wakeup(t + server_.master_tick_s);
    return true;
}

// A pass that would find no stale heartbeat is skipped: every heartbeat it would read is at
// or after oldest_heartbeat_s_ (see arbiter.hpp), so none is older than the timeout yet.
void Arbiter::murder_workers(double now_s) {
    if (server_.timeout_s <= 0) return;
    if (now_s - oldest_heartbeat_s_ <= server_.timeout_s) return;
    double oldest_s = now_s;
    for (std::uint32_t w = 0; w < pool_.size(); ++w) {
        if (!pool_.may_time_out(w)) continue;
        if (now_s - pool_.heartbeat_s(w) > server_.timeout_s) {
            if (pool_.aborted(w))
                pool_.kill(w, now_s);  // still there on a later pass: SIGKILL
            else
                pool_.abort(w, now_s);  // SIGABRT
            if (!pool_.may_time_out(w)) continue;
        }
        oldest_s = std::min(oldest_s, pool_.heartbeat_s(w));
    }
    oldest_heartbeat_s_ = oldest_s;
}

// base.py: max_requests + randint(0, jitter), inclusive, per worker incarnation.
std::int64_t Arbiter::draw_request_limit() {
    if (server_.max_requests <= 0) return std::numeric_limits<std::int64_t>::max();
    const auto jitter = static_cast<std::uint64_t>(server_.max_requests_jitter);
    return server_.max_requests + static_cast<std::int64_t>(master_rng_.below(jitter + 1));
}

}  // namespace workersim
