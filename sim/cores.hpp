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
public:
    explicit Cores(const Host& host) : engine_(make(host)) {}

    void add(double now_s, std::uint32_t job, double work_s) {
        std::visit([&](auto& e) { e.add(now_s, job, work_s); }, engine_);
    }
    void remove(double now_s, std::uint32_t job) {
        std::visit([&](auto& e) { e.remove(now_s, job); }, engine_);
    }
    double remove_remaining(double now_s, std::uint32_t job) {
        return std::visit([&](auto& e) { return e.remove_remaining(now_s, job); }, engine_);
    }
    bool contains(std::uint32_t job) const {
        return std::visit([&](const auto& e) { return e.contains(job); }, engine_);
    }
    double next_completion_s() const {
        return std::visit([](const auto& e) { return e.next_completion_s(); }, engine_);
    }
    std::uint32_t pop_completed() {
        return std::visit([](auto& e) { return e.pop_completed(); }, engine_);
    }
    int runnable() const {
        return std::visit([](const auto& e) { return e.runnable(); }, engine_);
    }
    double occupied_core_s(double now_s) const {
        return std::visit([&](const auto& e) { return e.occupied_core_s(now_s); }, engine_);
    }

private:
    using Engine = std::variant<ProcessorSharing, RunQueues>;
    static Engine make(const Host& host) {
        if (host.scheduler == CpuScheduler::per_core_queues) return Engine(std::in_place_type<RunQueues>, host);
        return Engine(std::in_place_type<ProcessorSharing>, host);
    }

    Engine engine_;
};

}  // namespace workersim
