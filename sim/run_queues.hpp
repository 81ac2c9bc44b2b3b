#pragma once
// The host's cores as Linux schedules them: one run queue per core. A job (a CPU phase) is
// placed on the core with the fewest jobs and shares only that core; when the queues differ
// by two or more (a core went idle, say) one job moves over, as the kernel's load balancing
// does (sim/load_balance.hpp). With k cores busy each does capacity(k) / k of work per second.
//
// Against ProcessorSharing (one queue for all cores) this differs only when jobs do not
// divide evenly among the cores: three equal jobs on two cores finish at different times
// here, together there. That matters for requests that arrive together: on one core they
// stay together round after round; on two, the imbalance pulls them apart.
//
// Virtual time, twice over (as ProcessorSharing does once). Every busy core runs at the same
// speed, capacity(k) / k, so one clock, lone_s, counts the work a job alone on a core would
// have received; a core holding n jobs gives each of them 1/n of it, so its own clock,
// served_s, advances by d(lone_s) / n and is brought up to date only when its n changes. A
// job finishes when its core's served_s reaches the job's finish_s; its core finishes its
// first job when lone_s reaches the core's due_lone_s, and the cores wait in a winner tree
// by that.
// A change in the busy cores changes only lone_s's speed, not any core's due_lone_s. So an
// arrival, completion or move costs a shift among its core's few jobs (sim/core_queue.hpp)
// and O(log cores) in the cores' winner tree, where subtracting the work done from every job cost O(runnable + cores): the
// 64-core, 256-worker calibrated case spent 95% of its time there (perf, issue 15).

#include <cstdint>
#include <limits>
#include <vector>

#include "model/scenario.hpp"
#include "sim/core_queue.hpp"
#include "sim/load_balance.hpp"

namespace workersim {

class RunQueues {
public:
    explicit RunQueues(const Host& host);

    // `job` is a small dense id (a request slot); one live job per id.
    void add(double now_s, std::uint32_t job, double work_s);
    void remove(double now_s, std::uint32_t job);
    double remove_remaining(double now_s, std::uint32_t job);  // returns the work it had left
    bool contains(std::uint32_t job) const { return job < core_of_.size() && core_of_[job] != kNone; }

    // Brought up to date here, once for all the changes since it was last read: a completion,
    // the move it may cause and the next phase's arrival, at one instant, walk each core's
    // path in the winner tree once and divide once.
    double next_completion_s() { return stale_ ? settle() : next_completion_s_; }
    bool stale() const { return stale_; }
    // Returns the next completion's time, so that the event loop takes it from a register: read
    // back from memory, it waited on the store of a division's result.
    double settle();
    const double& cached_next_completion_s() const { return next_completion_s_; }  // as of the last settle()
    std::uint32_t pop_completed() { return pop_completed(next_completion_s()); }
    // The same, told the time the event loop already holds (== next_completion_s()).
    std::uint32_t pop_completed(double now_s);

    int runnable() const { return runnable_; }
    double occupied_core_s(double now_s) const;
    int jobs_on(int core) const { return balance_.jobs_on(core); }

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    static constexpr double kIdle = std::numeric_limits<double>::infinity();  // an idle core's due_lone_s

    struct Core {
        double served_s = 0;       // work each of its jobs has received, as of lone_s == synced_lone_s
        double synced_lone_s = 0;
        CoreQueue queue;           // its jobs, by when they finish
        double jobs = 0;           // queue.size(), kept as the double that divides and multiplies
        bool rescheduled = false;  // in rescheduled_
    };

    // Room for job ids up to `job`: out of line, as the event loop's other growth (sim/vector_growth.hpp).
    [[gnu::noinline]] void grow_jobs(std::uint32_t job);
    void advance(double now_s);
    void sync(Core& core);
    void push(std::uint32_t core, std::uint32_t job, double work_s);
    double take(std::uint32_t job);  // returns the work it had left
    double taken(std::uint32_t core, const CoreQueue::Entry& e);  // the same, once its entry is out
    void leave(std::uint32_t core);
    void reschedule(std::uint32_t core);

    std::vector<double> lone_rate_;  // capacity(k) / k for k = 1..cores (0 at k = 0)
    LoadBalance balance_;
    std::vector<Core> cores_;
    std::vector<std::uint32_t> core_of_;  // per job id: its core, or kNone
    // The cores by when their first job finishes: a winner tree over the cores (leaves padded
    // to a power of two with idle ones), each inner node the earlier of its two children's
    // winners, ties to the left child's (the lower-numbered core), as the scan over the cores
    // had it. An idle core is due at +infinity. Updating one core walks its leaf-to-root path
    // carrying the winner and comparing it with each sibling: log2(cores) integer compares
    // and masks, no branch. The binary heap it replaces sifted up and down and wrote back each
    // moved core's position; a walk that stopped early, or compared doubles, took branches
    // mispredicted at random, a third of the 64-core case's time (perf).
    struct Due {
        std::uint64_t key;   // due_key(lone_s when the core's first job finishes)
        std::uint32_t core;
    };
    std::vector<Due> due_;   // due_[1] the earliest core; core c's leaf at leaves_ + c
    // Walks core's leaf-to-root path; returns the root, due_[1], as it wrote it: settle() takes
    // the earliest core from the last walk's registers, not read back from the tree.
    Due walk(std::uint32_t core);
    std::uint32_t leaves_ = 1;
    // The cores whose jobs changed since the tree was last walked. A core's leaf is computed
    // from its clocks as they are when walked; every change to them (sync) is followed by a
    // reschedule within the same call, so that is the value an eager walk would have had.
    std::vector<std::uint32_t> rescheduled_;
    bool stale_ = false;     // next_completion_s_ and the tree wait for settle()
    std::uint64_t arrivals_ = 0;
    int busy_cores_ = 0;
    int runnable_ = 0;
    double lone_s_ = 0;
    double last_update_s_ = 0;
    double occupied_core_s_ = 0;
    double next_completion_s_ = std::numeric_limits<double>::infinity();
    // As of the last settle() with a busy core: lone_s when the earliest core's first job
    // finishes, and that core (due_[1], decoded).
    double due_lone_s_ = 0;
    std::uint32_t due_core_ = 0;
};

}  // namespace workersim
