#include "sim/request_classes.hpp"

namespace workersim {

RequestClasses::RequestClasses(const Scenario& scenario)
    : classes_(scenario.request_classes.empty() ? std::vector<RequestClass>{RequestClass{"", 1.0, scenario.request}}
                                                : scenario.request_classes),
      named_(!scenario.request_classes.empty()) {
    double total = 0;
    for (const RequestClass& c : classes_) {
        first_draw_.push_back(static_cast<std::uint32_t>(draws_.size()));
        for (const Phase& p : c.phases) draws_.push_back({Sampler(p.duration), p.kind == PhaseKind::cpu});
        phase_counts_.push_back(c.phases.size());
        total += c.weight;
        cumulative_.push_back(total);
    }
}

}  // namespace workersim
