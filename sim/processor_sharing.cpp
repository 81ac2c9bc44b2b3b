#include "sim/processor_sharing.hpp"

#include <algorithm>
#include <cassert>

#include "sim/vector_growth.hpp"

namespace workersim {

ProcessorSharing::ProcessorSharing(const Host& host)
    : cores_(host.cores), full_capacity_(host.capacity(host.cores)) {
    rate_per_job_.resize(static_cast<std::size_t>(cores_) + 1);
    rate_per_job_[0] = 0;
    for (int n = 1; n <= cores_; ++n) rate_per_job_[static_cast<std::size_t>(n)] = host.capacity(n) / n;
}

double ProcessorSharing::occupied_core_s(double now_s) const {
    return occupied_core_s_ + (now_s - last_update_s_) * std::min(runnable_, cores_);
}

void ProcessorSharing::advance(double now_s) {
    const double dt = now_s - last_update_s_;
    if (dt > 0 && runnable_ > 0) {
        const double rate = runnable_ <= cores_ ? rate_per_job_[static_cast<std::size_t>(runnable_)]
                                                : full_capacity_ / runnable_;
        virtual_s_ += dt * rate;
        occupied_core_s_ += dt * std::min(runnable_, cores_);
    }
    last_update_s_ = now_s;
}

void ProcessorSharing::grow_jobs(std::uint32_t job) {
    token_.resize(std::max<std::size_t>(job + 1, token_.size() * 2), 0);
    finish_v_.resize(token_.size());
}

void ProcessorSharing::add(double now_s, std::uint32_t job, double work_s) {
    advance(now_s);
    if (job >= token_.size()) grow_jobs(job);
    assert(token_[job] == 0);
    if (runnable_ == 0) virtual_s_ = 0;  // rebase while idle: keeps V small and precise
    const std::uint32_t token = next_token_++;
    if (next_token_ == 0) next_token_ = 1;
    token_[job] = token;
    finish_v_[job] = virtual_s_ + work_s;
    heap_push({finish_v_[job], job, token});
    ++runnable_;
    refresh_next_completion();
}

void ProcessorSharing::remove(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    token_[job] = 0;
    --runnable_;
    drop_stale_top();
    refresh_next_completion();
}

double ProcessorSharing::remove_remaining(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    const double left_s = std::max(0.0, finish_v_[job] - virtual_s_);
    remove(now_s, job);
    return left_s;
}

std::uint32_t ProcessorSharing::pop_completed() {
    assert(runnable_ > 0 && !heap_.empty());
    const Entry done = heap_.front();
    advance(next_completion_s_);
    // The completion time was computed from this job's finishing V: pin V to it so rounding
    // never leaves a finished job with a sliver of work.
    virtual_s_ = std::max(virtual_s_, done.finish_v);
    heap_pop();
    token_[done.job] = 0;
    --runnable_;
    drop_stale_top();
    refresh_next_completion();
    return done.job;
}

void ProcessorSharing::drop_stale_top() {
    while (!heap_.empty() && token_[heap_.front().job] != heap_.front().token) heap_pop();
    if (runnable_ == 0) heap_.clear();
}

void ProcessorSharing::refresh_next_completion() {
    if (runnable_ == 0) {
        next_completion_s_ = std::numeric_limits<double>::infinity();
        return;
    }
    const double rate = runnable_ <= cores_ ? rate_per_job_[static_cast<std::size_t>(runnable_)]
                                            : full_capacity_ / runnable_;
    next_completion_s_ = last_update_s_ + std::max(0.0, heap_.front().finish_v - virtual_s_) / rate;
}

void ProcessorSharing::heap_push(Entry e) {
    push_back_in_place(heap_, e);
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!(e.finish_v < heap_[parent].finish_v)) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = e;
}

void ProcessorSharing::heap_pop() {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (heap_.empty()) return;
    std::size_t i = 0;
    const std::size_t n = heap_.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && heap_[child + 1].finish_v < heap_[child].finish_v) ++child;
        if (!(heap_[child].finish_v < last.finish_v)) break;
        heap_[i] = heap_[child];
        i = child;
    }
    heap_[i] = last;
}

}  // namespace workersim
