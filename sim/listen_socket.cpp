#include "sim/listen_socket.hpp"

#include <cmath>

#include "sim/clients.hpp"
#include "sim/worker_pool.hpp"

namespace workersim {

void ListenSocket::connect(std::uint32_t slot, double now_s) {
    if (pool_->accept(slot, now_s)) return;
    Request& r = requests_[slot];
    if (queue_.full()) {
        r.stage = Stage::connecting;
        statistics_.clocks().enter(slot, LatencyPart::syn_retry, now_s);
        const double backoff_s = load_.syn_initial_timeout_s * std::ldexp(1.0, r.syn_drops);
        ++r.syn_drops;
        events_.push(now_s + backoff_s, EventKind::syn_retry, requests_.ref(slot));
        return;
    }
    r.stage = Stage::queued;
    statistics_.clocks().enter(slot, LatencyPart::backlog, now_s);
    queue_.push(slot);
    max_queued_ = std::max<std::int64_t>(max_queued_, static_cast<std::int64_t>(queue_.size()));
}

void ListenSocket::syn_retry(RequestRef ref, double now_s) {
    Request& r = requests_[ref.slot];
    if (r.syn_drops > load_.syn_retries) {
        statistics_.backlog_overflow();
        clients_->resolve(r, now_s);
        requests_.release(ref.slot);
        return;
    }
    statistics_.syn_retry();
    connect(ref.slot, now_s);
}

std::uint32_t ListenSocket::next_connection() {
    while (!queue_.empty()) {
        const std::uint32_t slot = queue_.pop();
        if (!requests_[slot].client_gone) return slot;
        requests_.release(slot);
    }
    return kNoConnection;
}

}  // namespace workersim
