#pragma once
// The host's cores as the simulator sees them: either one processor-sharing queue for all of
// them (the textbook model, exact for MVA) or one run queue per core (Linux's), as the
// scenario's Host says.

#include <cstdint>

#include "model/scenario.hpp"
#include "sim/processor_sharing.hpp"
#include "sim/run_queues.hpp"

namespace workersim {

class Cores {
public:
    explicit Cores(const Host& host)
        : per_core_(host.scheduler == CpuScheduler::per_core_queues), shared_(host), per_core_queues_(host) {}

    void add(double now_s, std::uint32_t job, double work_s) {
        per_core_ ? per_core_queues_.add(now_s, job, work_s) : shared_.add(now_s, job, work_s);
    }
    void remove(double now_s, std::uint32_t job) {
        per_core_ ? per_core_queues_.remove(now_s, job) : shared_.remove(now_s, job);
    }
    bool contains(std::uint32_t job) const {
        return per_core_ ? per_core_queues_.contains(job) : shared_.contains(job);
    }
    double next_completion_s() const {
        return per_core_ ? per_core_queues_.next_completion_s() : shared_.next_completion_s();
    }
    std::uint32_t pop_completed() { return per_core_ ? per_core_queues_.pop_completed() : shared_.pop_completed(); }
    int runnable() const { return per_core_ ? per_core_queues_.runnable() : shared_.runnable(); }
    double occupied_core_s(double now_s) const {
        return per_core_ ? per_core_queues_.occupied_core_s(now_s) : shared_.occupied_core_s(now_s);
    }

private:
    bool per_core_;
    ProcessorSharing shared_;
    RunQueues per_core_queues_;
};

}  // namespace workersim
