#pragma once
// The host's cores as Linux schedules them: one run queue per core. A job (a CPU phase) is
// placed on the core with the fewest jobs and shares only that core; when the queues differ
// by two or more (a core went idle, say) one job moves over, as the kernel's load balancing
// does. With k cores busy each does capacity(k) / k of work per second.
//
// Against ProcessorSharing (one queue for all cores) this differs only when jobs do not
// divide evenly among the cores: three equal jobs on two cores finish at different times
// here, together there. That matters for requests that arrive together: on one core they
// stay together round after round; on two, the imbalance pulls them apart.
//
// O(runnable jobs) per event: for the few dozen jobs of a worker pool, not for millions.

#include <cstdint>
#include <limits>
#include <vector>

#include "model/scenario.hpp"

namespace workersim {

class RunQueues {
public:
    explicit RunQueues(const Host& host);

    void add(double now_s, std::uint32_t job, double work_s);
    void remove(double now_s, std::uint32_t job);
    double remove_remaining(double now_s, std::uint32_t job);  // returns the work it had left
    bool contains(std::uint32_t job) const { return job < core_of_.size() && core_of_[job] >= 0; }

    double next_completion_s() const { return next_completion_s_; }
    std::uint32_t pop_completed();

    int runnable() const { return runnable_; }
    double occupied_core_s(double now_s) const;
    int jobs_on(int core) const { return static_cast<int>(queues_[static_cast<std::size_t>(core)].size()); }

private:
    struct Job {
        std::uint32_t id;
        double remaining_s;  // work left, in seconds of one uncontended core
    };
    void advance(double now_s);
    void balance();
    void refresh_next_completion();
    double rate_on(std::size_t core) const;  // work per second each job on `core` receives
    void erase(std::uint32_t job);

    std::vector<double> capacity_;           // capacity(k) for k = 0..cores
    std::vector<std::vector<Job>> queues_;   // per core, in order of arrival
    std::vector<int> core_of_;               // per job id, -1 = not runnable
    int busy_cores_ = 0;
    int runnable_ = 0;
    double last_update_s_ = 0;
    double occupied_core_s_ = 0;
    double next_completion_s_ = std::numeric_limits<double>::infinity();
    std::uint32_t next_job_ = 0;             // the job finishing at next_completion_s_
};

}  // namespace workersim
