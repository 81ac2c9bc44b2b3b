#include "sim/gil.hpp"

#include <cassert>

namespace workersim {

bool Gil::acquire(std::uint32_t thread) {
    assert(thread != owner_);
    if (owner_ == kNobody) {
        grant(thread);
        return true;
    }
    waiters_.push_back(thread);
    return false;
}

// take_gil's acquisition: a new holder bumps switch_number and clears gil_drop_request.
void Gil::grant(std::uint32_t thread) {
    owner_ = thread;
    if (thread != last_holder_) {
        last_holder_ = thread;
        ++switches_;
    }
    drop_requested_ = false;
}

std::uint32_t Gil::release() {
    assert(owner_ != kNobody);
    owner_ = kNobody;
    drop_requested_ = false;
    if (waiters_.empty()) return kNobody;
    const std::uint32_t next = waiters_.front();
    waiters_.pop_front();
    grant(next);
    return next;
}

std::uint32_t Gil::force_switch() {
    assert(owner_ != kNobody && !waiters_.empty());
    const std::uint32_t old = owner_;
    const std::uint32_t next = waiters_.front();
    waiters_.pop_front();
    waiters_.push_back(old);
    grant(next);
    return next;
}

void Gil::transfer(std::uint32_t thread) {
    assert(owner_ != kNobody);
    owner_ = thread;
    last_holder_ = thread;
}

std::uint32_t Gil::arm_timer() {
    timer_pending_ = true;
    timer_switches_ = switches_;
    return ++timer_token_;
}

Gil::Timeout Gil::timer_fired(std::uint32_t token) {
    if (!timer_pending_ || token != timer_token_) return Timeout::stale;
    timer_pending_ = false;
    if (waiters_.empty() || owner_ == kNobody) return Timeout::stale;
    if (switches_ != timer_switches_) return Timeout::rearm;
    drop_requested_ = true;
    return Timeout::drop;
}

void Gil::clear() {
    owner_ = kNobody;
    last_holder_ = kNobody;
    waiters_.clear();
    timer_pending_ = false;
    ++timer_token_;
    drop_requested_ = false;
}

}  // namespace workersim
