#include "sim/run_queues.hpp"

#include <algorithm>
#include <cassert>

namespace workersim {

RunQueues::RunQueues(const Host& host)
    : balance_(host.cores), cores_(static_cast<std::size_t>(host.cores)) {
    lone_rate_.resize(static_cast<std::size_t>(host.cores) + 1);
    lone_rate_[0] = 0;
    for (int k = 1; k <= host.cores; ++k) lone_rate_[static_cast<std::size_t>(k)] = host.capacity(k) / k;
    due_.reserve(cores_.size());
}

double RunQueues::occupied_core_s(double now_s) const {
    return occupied_core_s_ + (now_s - last_update_s_) * busy_cores_;
}

void RunQueues::advance(double now_s) {
    const double dt = now_s - last_update_s_;
    if (dt > 0 && runnable_ > 0) {
        lone_s_ += dt * lone_rate_[static_cast<std::size_t>(busy_cores_)];
        occupied_core_s_ += dt * busy_cores_;
    }
    last_update_s_ = now_s;
}

void RunQueues::sync(Core& core) {
    if (!core.heap.empty()) core.served_s += (lone_s_ - core.synced_lone_s) / static_cast<double>(core.heap.size());
    core.synced_lone_s = lone_s_;
}

void RunQueues::add(double now_s, std::uint32_t job, double work_s) {
    advance(now_s);
    if (job >= jobs_.size()) jobs_.resize(std::max<std::size_t>(job + 1, jobs_.size() * 2));
    assert(!contains(job));
    if (runnable_ == 0) lone_s_ = 0;  // rebase while idle: keeps the clocks small and precise
    push(static_cast<std::uint32_t>(balance_.place()), job, work_s);
    ++runnable_;
    refresh_next_completion();
}

void RunQueues::remove(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    const std::uint32_t core = jobs_[job].core;
    take(job);
    leave(core);
    --runnable_;
    refresh_next_completion();
}

double RunQueues::remove_remaining(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    const std::uint32_t core = jobs_[job].core;
    const double left_s = std::max(0.0, take(job));
    leave(core);
    --runnable_;
    refresh_next_completion();
    return left_s;
}

std::uint32_t RunQueues::pop_completed() {
    assert(runnable_ > 0 && !due_.empty());
    const std::uint32_t core = due_.front();
    Core& c = cores_[core];
    const std::uint32_t done = c.heap.front();
    advance(next_completion_s_);
    // The completion time was computed from these clocks' targets: pin the clocks to them so
    // rounding never leaves a finished job with a sliver of work.
    lone_s_ = std::max(lone_s_, c.due_lone_s);
    sync(c);
    c.served_s = std::max(c.served_s, jobs_[done].finish_s);
    take(done);
    leave(core);
    --runnable_;
    refresh_next_completion();
    return done;
}

// Onto `core`'s queue as its newest job.
void RunQueues::push(std::uint32_t core, std::uint32_t job, double work_s) {
    Core& c = cores_[core];
    sync(c);
    if (c.heap.empty()) {
        c.served_s = 0;  // rebase while idle
        ++busy_cores_;
    }
    Job& j = jobs_[job];
    j.finish_s = c.served_s + work_s;
    j.arrival = arrivals_++;
    j.core = core;
    j.newer = kNone;
    j.older = c.newest;
    if (c.newest != kNone) jobs_[c.newest].newer = job;
    c.newest = job;
    j.heap_index = static_cast<std::uint32_t>(c.heap.size());
    c.heap.push_back(job);
    job_sift_up(c, j.heap_index);
    reschedule(core);
}

double RunQueues::take(std::uint32_t job) {
    Job& j = jobs_[job];
    const std::uint32_t core = j.core;
    Core& c = cores_[core];
    sync(c);
    const double left_s = j.finish_s - c.served_s;
    const std::size_t i = j.heap_index;
    const std::uint32_t last = c.heap.back();
    c.heap.pop_back();
    if (last != job) {
        c.heap[i] = last;
        jobs_[last].heap_index = static_cast<std::uint32_t>(i);
        job_sift_up(c, i);
        job_sift_down(c, jobs_[last].heap_index);
    }
    if (j.newer != kNone) jobs_[j.newer].older = j.older;
    else c.newest = j.older;
    if (j.older != kNone) jobs_[j.older].newer = j.newer;
    j.core = kNone;
    if (c.heap.empty()) --busy_cores_;
    reschedule(core);
    return left_s;
}

// A job has gone from `core`: if the queues now differ by two, the newest job of the fullest
// core moves over, with the work it has left.
void RunQueues::leave(std::uint32_t core) {
    const int from = balance_.leave(static_cast<int>(core));
    if (from < 0) return;
    const std::uint32_t moved = cores_[static_cast<std::size_t>(from)].newest;
    push(core, moved, take(moved));
}

// `core`'s jobs changed (it is synced): its place among the cores by when its first finishes.
void RunQueues::reschedule(std::uint32_t core) {
    Core& c = cores_[core];
    if (c.heap.empty()) {
        if (c.due_index == kNone) return;
        const std::size_t i = c.due_index;
        const std::uint32_t last = due_.back();
        due_.pop_back();
        c.due_index = kNone;
        if (last != core) {
            due_[i] = last;
            cores_[last].due_index = static_cast<std::uint32_t>(i);
            due_sift_up(i);
            due_sift_down(cores_[last].due_index);
        }
        return;
    }
    c.due_lone_s =
        c.synced_lone_s + (jobs_[c.heap.front()].finish_s - c.served_s) * static_cast<double>(c.heap.size());
    if (c.due_index == kNone) {
        c.due_index = static_cast<std::uint32_t>(due_.size());
        due_.push_back(core);
    }
    due_sift_up(c.due_index);
    due_sift_down(c.due_index);
}

void RunQueues::refresh_next_completion() {
    if (due_.empty()) {
        next_completion_s_ = std::numeric_limits<double>::infinity();
        return;
    }
    const double left_lone_s = std::max(0.0, cores_[due_.front()].due_lone_s - lone_s_);
    next_completion_s_ = last_update_s_ + left_lone_s / lone_rate_[static_cast<std::size_t>(busy_cores_)];
}

// Equal finishing work: the older on the core goes first, as the queue's order had it.
bool RunQueues::job_before(std::uint32_t a, std::uint32_t b) const {
    const Job& x = jobs_[a];
    const Job& y = jobs_[b];
    return x.finish_s < y.finish_s || (x.finish_s == y.finish_s && x.arrival < y.arrival);
}

void RunQueues::job_sift_up(Core& core, std::size_t i) {
    const std::uint32_t job = core.heap[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!job_before(job, core.heap[parent])) break;
        core.heap[i] = core.heap[parent];
        jobs_[core.heap[i]].heap_index = static_cast<std::uint32_t>(i);
        i = parent;
    }
    core.heap[i] = job;
    jobs_[job].heap_index = static_cast<std::uint32_t>(i);
}

void RunQueues::job_sift_down(Core& core, std::size_t i) {
    const std::uint32_t job = core.heap[i];
    const std::size_t n = core.heap.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && job_before(core.heap[child + 1], core.heap[child])) ++child;
        if (!job_before(core.heap[child], job)) break;
        core.heap[i] = core.heap[child];
        jobs_[core.heap[i]].heap_index = static_cast<std::uint32_t>(i);
        i = child;
    }
    core.heap[i] = job;
    jobs_[job].heap_index = static_cast<std::uint32_t>(i);
}

// Equal times: the lower-numbered core goes first, as the scan over the cores had it.
bool RunQueues::core_before(std::uint32_t a, std::uint32_t b) const {
    const double x = cores_[a].due_lone_s;
    const double y = cores_[b].due_lone_s;
    return x < y || (x == y && a < b);
}

void RunQueues::due_sift_up(std::size_t i) {
    const std::uint32_t core = due_[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!core_before(core, due_[parent])) break;
        due_[i] = due_[parent];
        cores_[due_[i]].due_index = static_cast<std::uint32_t>(i);
        i = parent;
    }
    due_[i] = core;
    cores_[core].due_index = static_cast<std::uint32_t>(i);
}

void RunQueues::due_sift_down(std::size_t i) {
    const std::uint32_t core = due_[i];
    const std::size_t n = due_.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && core_before(due_[child + 1], due_[child])) ++child;
        if (!core_before(due_[child], core)) break;
        due_[i] = due_[child];
        cores_[due_[i]].due_index = static_cast<std::uint32_t>(i);
        i = child;
    }
    due_[i] = core;
    cores_[core].due_index = static_cast<std::uint32_t>(i);
}

}  // namespace workersim
