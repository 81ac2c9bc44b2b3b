#include "sim/run_queues.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "sim/vector_growth.hpp"

namespace workersim {

namespace {

// A double's bits made to order as unsigned integers the way the doubles do (negatives
// reversed below the positives; no NaN here, and -0.0 never arises), and back.
std::uint64_t due_key(double lone_s) {
    std::uint64_t bits;
    std::memcpy(&bits, &lone_s, sizeof bits);
    return bits ^ (static_cast<std::uint64_t>(static_cast<std::int64_t>(bits) >> 63) | (std::uint64_t{1} << 63));
}
double lone_s_of(std::uint64_t key) {
    const std::uint64_t bits = key ^ (((key >> 63) - 1) | (std::uint64_t{1} << 63));
    double lone_s;
    std::memcpy(&lone_s, &bits, sizeof lone_s);
    return lone_s;
}

}  // namespace

RunQueues::RunQueues(const Host& host)
    : balance_(host.cores), cores_(static_cast<std::size_t>(host.cores)) {
    lone_rate_.resize(static_cast<std::size_t>(host.cores) + 1);
    lone_rate_[0] = 0;
    for (int k = 1; k <= host.cores; ++k) lone_rate_[static_cast<std::size_t>(k)] = host.capacity(k) / k;
    while (leaves_ < cores_.size()) leaves_ *= 2;
    due_.resize(2 * static_cast<std::size_t>(leaves_));
    rescheduled_.reserve(cores_.size());
    for (std::uint32_t c = 0; c < leaves_; ++c) due_[leaves_ + c] = {due_key(kIdle), c};
    for (std::uint32_t i = leaves_ - 1; i >= 1; --i) due_[i] = due_[2 * i];  // all idle: ties go left
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

// Already in sync (a completion syncs its core, then takes the job), it would add 0: the
// division is skipped, and served_s is the same.
void RunQueues::sync(Core& core) {
    if (core.synced_lone_s == lone_s_) return;
    if (!core.queue.empty()) core.served_s += (lone_s_ - core.synced_lone_s) / core.jobs;
    core.synced_lone_s = lone_s_;
}

void RunQueues::grow_jobs(std::uint32_t job) {
    core_of_.resize(std::max<std::size_t>(job + 1, core_of_.size() * 2), kNone);
}

void RunQueues::add(double now_s, std::uint32_t job, double work_s) {
    advance(now_s);
    if (job >= core_of_.size()) grow_jobs(job);
    assert(!contains(job));
    if (runnable_ == 0) lone_s_ = 0;  // rebase while idle: keeps the clocks small and precise
    push(static_cast<std::uint32_t>(balance_.place()), job, work_s);
    ++runnable_;
    stale_ = true;
}

void RunQueues::remove(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    const std::uint32_t core = core_of_[job];
    take(job);
    leave(core);
    --runnable_;
    stale_ = true;
}

double RunQueues::remove_remaining(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    const std::uint32_t core = core_of_[job];
    const double left_s = std::max(0.0, take(job));
    leave(core);
    --runnable_;
    stale_ = true;
    return left_s;
}

std::uint32_t RunQueues::pop_completed(double now_s) {
    assert(runnable_ > 0 && busy_cores_ > 0);
    assert(!stale_ && now_s == next_completion_s_);
    const std::uint32_t core = due_core_;
    Core& c = cores_[core];
    const CoreQueue::Entry done = c.queue.first();
    advance(now_s);
    // The completion time was computed from these clocks' targets: pin the clocks to them so
    // rounding never leaves a finished job with a sliver of work.
    lone_s_ = std::max(lone_s_, due_lone_s_);
    sync(c);
    c.served_s = std::max(c.served_s, done.finish_s);
    c.queue.pop_first();
    taken(core, done);
    leave(core);
    --runnable_;
    stale_ = true;
    return done.job;
}

// Onto `core`'s queue as its newest job.
void RunQueues::push(std::uint32_t core, std::uint32_t job, double work_s) {
    Core& c = cores_[core];
    sync(c);
    if (c.queue.empty()) {
        c.served_s = 0;  // rebase while idle
        ++busy_cores_;
    }
    core_of_[job] = core;
    c.queue.push(c.served_s + work_s, arrivals_++, job);
    c.jobs += 1;
    reschedule(core);
}

double RunQueues::take(std::uint32_t job) {
    const std::uint32_t core = core_of_[job];
    Core& c = cores_[core];
    sync(c);
    return taken(core, c.queue.take(job));
}

// `e` has left `core`'s queue (the core is synced).
double RunQueues::taken(std::uint32_t core, const CoreQueue::Entry& e) {
    Core& c = cores_[core];
    c.jobs -= 1;
    core_of_[e.job] = kNone;
    if (c.queue.empty()) --busy_cores_;
    reschedule(core);
    return e.finish_s - c.served_s;
}

// A job has gone from `core`: if the queues now differ by two, the newest job of the fullest
// core moves over, with the work it has left.
void RunQueues::leave(std::uint32_t core) {
    const int from = balance_.leave(static_cast<int>(core));
    if (from < 0) return;
    Core& source = cores_[static_cast<std::size_t>(from)];
    sync(source);
    const CoreQueue::Entry moved = source.queue.take_newest();
    push(core, moved.job, taken(static_cast<std::uint32_t>(from), moved));
}

// `core`'s jobs changed (it is synced): its place among the cores by when its first finishes,
// to be walked in the tree by settle().
void RunQueues::reschedule(std::uint32_t core) {
    Core& c = cores_[core];
    if (c.rescheduled) return;
    c.rescheduled = true;
    push_back_in_place(rescheduled_, core);
}

double RunQueues::settle() {
    Due root = due_[1];
    for (const std::uint32_t core : rescheduled_) root = walk(core);
    rescheduled_.clear();
    stale_ = false;
    if (busy_cores_ == 0) {
        next_completion_s_ = std::numeric_limits<double>::infinity();
        return next_completion_s_;
    }
    due_lone_s_ = lone_s_of(root.key);
    due_core_ = root.core;
    const double left_lone_s = std::max(0.0, due_lone_s_ - lone_s_);
    next_completion_s_ = last_update_s_ + left_lone_s / lone_rate_[static_cast<std::size_t>(busy_cores_)];
    return next_completion_s_;
}

RunQueues::Due RunQueues::walk(std::uint32_t core) {
    Core& c = cores_[core];
    c.rescheduled = false;
    Due winner{due_key(c.queue.empty() ? kIdle
                                       : c.synced_lone_s + (c.queue.first().finish_s - c.served_s) * c.jobs),
               core};
    std::uint32_t i = leaves_ + core;
    due_[i] = winner;
    for (; i > 1; i /= 2) {
        // The sibling wins if earlier, or as early and on the left (i odd: this is the right).
        const Due sibling = due_[i ^ 1];
        const std::uint64_t take = std::uint64_t{0} - static_cast<std::uint64_t>(sibling.key < winner.key + (i & 1));
        winner.key ^= (winner.key ^ sibling.key) & take;
        winner.core ^= (winner.core ^ sibling.core) & static_cast<std::uint32_t>(take);
        due_[i / 2] = winner;
    }
    return winner;
}

}  // namespace workersim
