#pragma once
// The host's cores as the simulator sees them: either one processor-sharing queue for all of
// them (the textbook model, exact for MVA) or one run queue per core (Linux's), as the
// scenario's Host says.

#include <cstdint>
#include <variant>

#include "model/scenario.hpp"
#include "sim/processor_sharing.hpp"
#include "sim/run_queues.hpp"

namespace workersim {

class Cores {
    // The two schedulers, and the dispatch between them (declared first: the members below
    // deduce their return types from it).
    using Engine = std::variant<ProcessorSharing, RunQueues>;
    static Engine make(const Host& host) {
        if (host.scheduler == CpuScheduler::per_core_queues) return Engine(std::in_place_type<RunQueues>, host);
        return Engine(std::in_place_type<ProcessorSharing>, host);
    }

    // An index test, not std::visit, as WorkerPool::visit does (sim/worker_pool.hpp): GCC's
    // visit went through a jump table on every CPU event.
    template <class F>
    decltype(auto) visit(F&& f) {
        if (auto* shared = std::get_if<ProcessorSharing>(&engine_)) return f(*shared);
        return f(*std::get_if<RunQueues>(&engine_));
    }
    template <class F>
    decltype(auto) visit(F&& f) const {
        if (const auto* shared = std::get_if<ProcessorSharing>(&engine_)) return f(*shared);
        return f(*std::get_if<RunQueues>(&engine_));
    }

public:
    explicit Cores(const Host& host)
        : engine_(make(host)),
          queues_(std::get_if<RunQueues>(&engine_)),
          next_completion_s_(visit([](const auto& e) { return &e.cached_next_completion_s(); })) {}
    // queues_ and next_completion_s_ point into engine_: built in place, never copied or moved.
    Cores(const Cores&) = delete;
    Cores& operator=(const Cores&) = delete;

    void add(double now_s, std::uint32_t job, double work_s) {
        visit([&](auto& e) { e.add(now_s, job, work_s); });
    }
    void remove(double now_s, std::uint32_t job) {
        visit([&](auto& e) { e.remove(now_s, job); });
    }
    double remove_remaining(double now_s, std::uint32_t job) {
        return visit([&](auto& e) { return e.remove_remaining(now_s, job); });
    }
    bool contains(std::uint32_t job) const {
        return visit([&](const auto& e) { return e.contains(job); });
    }
    // Read by the event loop before every event: a load, and a test that the run queues have
    // no changes to settle (a dispatch through visit() here cost the textbook closed loop 6%).
    double next_completion_s() {
        if (queues_ && queues_->stale()) return queues_->settle();
        return *next_completion_s_;
    }
    // now_s: next_completion_s(), as the event loop holds it.
    std::uint32_t pop_completed(double now_s) {
        if (queues_) return queues_->pop_completed(now_s);
        return std::get_if<ProcessorSharing>(&engine_)->pop_completed();
    }
    int runnable() const {
        return visit([](const auto& e) { return e.runnable(); });
    }
    double occupied_core_s(double now_s) const {
        return visit([&](const auto& e) { return e.occupied_core_s(now_s); });
    }

private:
    Engine engine_;
    RunQueues* queues_;  // the run queues, or null under processor sharing
    const double* next_completion_s_;
};

}  // namespace workersim
