#include "report/timeline.hpp"

#include "model/result_json.hpp"

namespace workersim::report {

nlohmann::json timeline_json(const Simulation& simulation) {
    nlohmann::json points = nlohmann::json::array();
    for (const TimelinePoint& p : simulation.timeline)
        points.push_back({{"time_s", p.time_s},
                          {"accept_queue", p.accept_queue},
                          {"busy_workers", p.busy_workers},
                          {"live_workers", p.live_workers},
                          {"completed", p.completed},
                          {"worker_timeouts", p.worker_timeouts},
                          {"worker_restarts", p.worker_restarts}});
    nlohmann::json out = to_json(simulation.result);
    out["timeline"] = points;
    return out;
}

}  // namespace workersim::report
