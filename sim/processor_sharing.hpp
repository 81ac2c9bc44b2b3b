#pragma once
// The host's cores, shared by every runnable job: with n runnable on C cores each gets
// capacity(min(n, C)) / n cores, as Linux's CFS does to a good approximation for a few
// CPU-bound processes.
//
// Virtual-time formulation: all runnable jobs progress at the same rate, so one virtual
// clock V (core-seconds received by each job) serves them all. A job that needs w
// core-seconds and arrives at V0 finishes when V reaches V0 + w, so the jobs wait in a heap
// by finishing virtual time and each arrival or completion costs O(log n), not O(n).

#include <cstdint>
#include <limits>
#include <vector>

#include "model/scenario.hpp"

namespace workersim {

class ProcessorSharing {
public:
    explicit ProcessorSharing(const Host& host);

    // `job` is a small dense id (a request slot); one live job per id.
    void add(double now_s, std::uint32_t job, double work_s);
    // Takes a job away before it finishes (its worker was killed).
    void remove(double now_s, std::uint32_t job);
    // Takes a job away and returns the work it had left (a thread preempted off the GIL).
    double remove_remaining(double now_s, std::uint32_t job);
    bool contains(std::uint32_t job) const { return job < token_.size() && token_[job] != 0; }

    // When the next job finishes, +infinity if none is runnable.
    double next_completion_s() const { return next_completion_s_; }
    const double& cached_next_completion_s() const { return next_completion_s_; }
    // Removes and returns the job finishing at next_completion_s().
    std::uint32_t pop_completed();

    int runnable() const { return runnable_; }
    // Integral of min(n, C) over time up to now: core-seconds occupied.
    double occupied_core_s(double now_s) const;

private:
    struct Entry {
        double finish_v;
        std::uint32_t job;
        std::uint32_t token;
    };
    // Room for job ids up to `job`: out of line, as the event loop's other growth (sim/vector_growth.hpp).
    [[gnu::noinline]] void grow_jobs(std::uint32_t job);
    void advance(double now_s);
    void drop_stale_top();
    void refresh_next_completion();
    void heap_push(Entry e);
    void heap_pop();

    std::vector<double> rate_per_job_;  // indexed by n up to cores; beyond, capacity(C)/n
    int cores_;
    double full_capacity_;
    std::vector<Entry> heap_;           // binary min-heap on finish_v
    std::vector<std::uint32_t> token_;  // live entry's token per job, 0 = none
    std::vector<double> finish_v_;      // live entry's finish_v per job
    std::uint32_t next_token_ = 1;
    int runnable_ = 0;
    double virtual_s_ = 0;
    double last_update_s_ = 0;
    double occupied_core_s_ = 0;
    double next_completion_s_ = std::numeric_limits<double>::infinity();
};

}  // namespace workersim
