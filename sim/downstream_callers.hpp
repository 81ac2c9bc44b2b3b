#pragma once
// The requests waiting on each IO phase's downstream at once, for the phases whose downstream
// queues (Phase::slowdown_per_caller > 0): a request starting such a phase takes
// duration x (1 + slowdown_per_caller x the callers already there). Counted per class and
// phase: a downstream that several URLs share is seen by each URL apart.

#include <cstdint>
#include <vector>

#include "sim/request.hpp"
#include "sim/request_classes.hpp"

namespace workersim {

class DownstreamCallers {
public:
    explicit DownstreamCallers(const RequestClasses& classes) : classes_(classes) {
        callers_.resize(classes.size());
        for (std::uint16_t c = 0; c < classes.size(); ++c) {
            callers_[c].assign(classes.phases(c).size(), 0);
            for (const Phase& p : classes.phases(c)) queues_ = queues_ || p.slowdown_per_caller > 0;
        }
    }

    // The factor r's IO phase takes, counting r in until leave(r). 1 where the downstream
    // does not queue, without counting.
    double arrive(Request& r) {
        if (!queues_) return 1.0;
        const double slowdown = classes_.phases(r.request_class)[r.phase].slowdown_per_caller;
        if (slowdown <= 0) return 1.0;
        std::uint32_t& here = callers_[r.request_class][r.phase];
        r.at_downstream = true;
        return 1.0 + slowdown * static_cast<double>(here++);
    }

    // r's call is over (answered, or its worker killed): no-op unless arrive counted it.
    void leave(Request& r) {
        if (!r.at_downstream) return;
        r.at_downstream = false;
        --callers_[r.request_class][r.phase];
    }

private:
    const RequestClasses& classes_;
    std::vector<std::vector<std::uint32_t>> callers_;  // by class, then phase
    // Whether any phase's downstream queues: most scenarios have none, and then an IO phase's
    // start looks nothing up (the look-up of its Phase cost the calibrated 2-core case 2%).
    bool queues_ = false;
};

}  // namespace workersim
