#include "sim/run_queues.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

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
    if (!core.heap.empty()) core.served_s += (lone_s_ - core.synced_lone_s) / core.jobs;
    core.synced_lone_s = lone_s_;
}

void RunQueues::add(double now_s, std::uint32_t job, double work_s) {
    advance(now_s);
    if (job >= jobs_.size()) jobs_.resize(std::max<std::size_t>(job + 1, jobs_.size() * 2));
    assert(!contains(job));
    if (runnable_ == 0) lone_s_ = 0;  // rebase while idle: keeps the clocks small and precise
    push(static_cast<std::uint32_t>(balance_.place()), job, work_s);
    ++runnable_;
    stale_ = true;
}

void RunQueues::remove(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    const std::uint32_t core = jobs_[job].core;
    take(job);
    leave(core);
    --runnable_;
    stale_ = true;
}

double RunQueues::remove_remaining(double now_s, std::uint32_t job) {
    advance(now_s);
    assert(contains(job));
    const std::uint32_t core = jobs_[job].core;
    const double left_s = std::max(0.0, take(job));
    leave(core);
    --runnable_;
    stale_ = true;
    return left_s;
}

std::uint32_t RunQueues::pop_completed() {
    assert(runnable_ > 0 && busy_cores_ > 0);
    if (stale_) settle();
    const std::uint32_t core = due_[1].core;
    Core& c = cores_[core];
    const Entry done = c.heap.front();
    advance(next_completion_s_);
    // The completion time was computed from these clocks' targets: pin the clocks to them so
    // rounding never leaves a finished job with a sliver of work.
    lone_s_ = std::max(lone_s_, lone_s_of(due_[1].key));
    sync(c);
    c.served_s = std::max(c.served_s, done.finish_s);
    take(done.job);
    leave(core);
    --runnable_;
    stale_ = true;
    return done.job;
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
    j.core = core;
    j.newer = kNone;
    j.older = c.newest;
    if (c.newest != kNone) jobs_[c.newest].newer = job;
    c.newest = job;
    const Entry e{c.served_s + work_s, arrivals_++, job};
    c.heap.push_back(e);
    c.jobs += 1;
    job_sift_up(c, c.heap.size() - 1, e);
    reschedule(core);
}

double RunQueues::take(std::uint32_t job) {
    Job& j = jobs_[job];
    const std::uint32_t core = j.core;
    Core& c = cores_[core];
    sync(c);
    const std::size_t i = j.heap_index;
    const double left_s = c.heap[i].finish_s - c.served_s;
    const Entry last = c.heap.back();
    c.heap.pop_back();
    c.jobs -= 1;
    if (i < c.heap.size()) {
        // The last entry fills the hole: it moves up or down from there, never both.
        if (i > 0 && entry_before(last, c.heap[(i - 1) / 2]))
            job_sift_up(c, i, last);
        else
            job_sift_down(c, i, last);
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

// `core`'s jobs changed (it is synced): its place among the cores by when its first finishes,
// to be walked in the tree by settle().
void RunQueues::reschedule(std::uint32_t core) {
    Core& c = cores_[core];
    if (c.rescheduled) return;
    c.rescheduled = true;
    rescheduled_.push_back(core);
}

void RunQueues::settle() {
    for (const std::uint32_t core : rescheduled_) walk(core);
    rescheduled_.clear();
    stale_ = false;
    if (busy_cores_ == 0) {
        next_completion_s_ = std::numeric_limits<double>::infinity();
        return;
    }
    const double left_lone_s = std::max(0.0, lone_s_of(due_[1].key) - lone_s_);
    next_completion_s_ = last_update_s_ + left_lone_s / lone_rate_[static_cast<std::size_t>(busy_cores_)];
}

void RunQueues::walk(std::uint32_t core) {
    Core& c = cores_[core];
    c.rescheduled = false;
    Due winner{due_key(c.heap.empty() ? kIdle
                                      : c.synced_lone_s + (c.heap.front().finish_s - c.served_s) * c.jobs),
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
}

// Equal finishing work: the older on the core goes first, as the queue's order had it.
bool RunQueues::entry_before(const Entry& a, const Entry& b) {
    return a.finish_s < b.finish_s || (a.finish_s == b.finish_s && a.arrival < b.arrival);
}

void RunQueues::place_entry(Core& core, std::size_t i, const Entry& e) {
    core.heap[i] = e;
    jobs_[e.job].heap_index = static_cast<std::uint32_t>(i);
}

// Places e at i or above, moving the later parents down.
void RunQueues::job_sift_up(Core& core, std::size_t i, Entry e) {
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!entry_before(e, core.heap[parent])) break;
        place_entry(core, i, core.heap[parent]);
        i = parent;
    }
    place_entry(core, i, e);
}

// Places e at i or below, moving the earlier children up.
void RunQueues::job_sift_down(Core& core, std::size_t i, Entry e) {
    const std::size_t n = core.heap.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && entry_before(core.heap[child + 1], core.heap[child])) ++child;
        if (!entry_before(core.heap[child], e)) break;
        place_entry(core, i, core.heap[child]);
        i = child;
    }
    place_entry(core, i, e);
}

}  // namespace workersim
