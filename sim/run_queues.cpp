#include "sim/run_queues.hpp"

#include <algorithm>
#include <cassert>

namespace workersim {

RunQueues::RunQueues(const Host& host) : queues_(static_cast<std::size_t>(host.cores)) {
    capacity_.resize(static_cast<std::size_t>(host.cores) + 1);
    for (int k = 0; k <= host.cores; ++k) capacity_[static_cast<std::size_t>(k)] = host.capacity(k);
}

double RunQueues::rate_on(std::size_t core) const {
    const std::size_t n = queues_[core].size();
    if (n == 0) return 0;
    return capacity_[static_cast<std::size_t>(busy_cores_)] / busy_cores_ / static_cast<double>(n);
}

double RunQueues::occupied_core_s(double now_s) const {
    return occupied_core_s_ + (now_s - last_update_s_) * busy_cores_;
}

void RunQueues::advance(double now_s) {
    const double dt = now_s - last_update_s_;
    if (dt > 0 && runnable_ > 0) {
        for (std::size_t c = 0; c < queues_.size(); ++c) {
            const double done = dt * rate_on(c);
            for (Job& j : queues_[c]) j.remaining_s -= done;
        }
        occupied_core_s_ += dt * busy_cores_;
    }
    last_update_s_ = now_s;
}

void RunQueues::add(double now_s, std::uint32_t job, double work_s) {
    advance(now_s);
    if (job >= core_of_.size()) core_of_.resize(std::max<std::size_t>(job + 1, core_of_.size() * 2), -1);
    assert(core_of_[job] < 0);
    // The emptiest core; the lowest-numbered among equals, so runs are reproducible.
    std::size_t target = 0;
    for (std::size_t c = 1; c < queues_.size(); ++c)
        if (queues_[c].size() < queues_[target].size()) target = c;
    if (queues_[target].empty()) ++busy_cores_;
    queues_[target].push_back({job, work_s});
    core_of_[job] = static_cast<int>(target);
    ++runnable_;
    refresh_next_completion();
}

void RunQueues::erase(std::uint32_t job) {
    auto& queue = queues_[static_cast<std::size_t>(core_of_[job])];
    queue.erase(std::find_if(queue.begin(), queue.end(), [&](const Job& j) { return j.id == job; }));
    if (queue.empty()) --busy_cores_;
    core_of_[job] = -1;
    --runnable_;
}

void RunQueues::remove(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    erase(job);
    balance();
    refresh_next_completion();
}

double RunQueues::remove_remaining(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    double left_s = 0;
    for (const Job& j : queues_[static_cast<std::size_t>(core_of_[job])])
        if (j.id == job) left_s = std::max(0.0, j.remaining_s);
    erase(job);
    balance();
    refresh_next_completion();
    return left_s;
}

std::uint32_t RunQueues::pop_completed() {
    assert(runnable_ > 0);
    const std::uint32_t done = next_job_;
    advance(next_completion_s_);
    erase(done);
    balance();
    refresh_next_completion();
    return done;
}

// The kernel pulls work to an idle core and evens out queues two or more apart; the job
// that moves is the newest on the busiest core (the least cache to lose).
void RunQueues::balance() {
    if (queues_.size() < 2) return;
    for (;;) {
        auto [least, most] = std::minmax_element(queues_.begin(), queues_.end(),
                                                 [](const auto& a, const auto& b) { return a.size() < b.size(); });
        if (most->size() < least->size() + 2) return;
        if (least->empty()) ++busy_cores_;
        least->push_back(most->back());
        most->pop_back();
        core_of_[least->back().id] = static_cast<int>(least - queues_.begin());
    }
}

void RunQueues::refresh_next_completion() {
    next_completion_s_ = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < queues_.size(); ++c) {
        if (queues_[c].empty()) continue;
        const double rate = rate_on(c);
        for (const Job& j : queues_[c]) {
            const double at = last_update_s_ + std::max(0.0, j.remaining_s) / rate;
            if (at < next_completion_s_) {
                next_completion_s_ = at;
                next_job_ = j.id;
            }
        }
    }
}

}  // namespace workersim
