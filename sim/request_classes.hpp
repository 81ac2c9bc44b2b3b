#pragma once
// The kinds of request the simulated app serves (Scenario::request_classes, or the one
// `request`), as the engine uses them: each class's phases with their samplers, and the load
// generator's draw of a new request's class by weight.

#include <cstdint>
#include <vector>

#include "model/scenario.hpp"
#include "sim/rng.hpp"
#include "sim/sampler.hpp"

namespace workersim {

class RequestClasses {
public:
    explicit RequestClasses(const Scenario& scenario);
    // Not copied or moved: the samplers point into the classes' distributions.
    RequestClasses(const RequestClasses&) = delete;
    RequestClasses& operator=(const RequestClasses&) = delete;

    // The class of a new request. With one class there is no draw, so a one-class run uses the
    // random streams exactly as a scenario without classes does.
    std::uint16_t draw(Rng& rng) const {
        if (cumulative_.size() <= 1) return 0;
        const double u = rng.uniform() * cumulative_.back();
        std::uint16_t c = 0;
        while (c + 1u < cumulative_.size() && u >= cumulative_[c]) ++c;
        return c;
    }

    std::size_t size() const { return classes_.size(); }
    // Whether the scenario named its classes (Scenario::request_classes): only then does the
    // result say how each did.
    bool named() const { return named_; }
    const RequestClass& operator[](std::uint16_t c) const { return classes_[c]; }
    const std::vector<Phase>& phases(std::uint16_t c) const { return classes_[c].phases; }
    // phases(c).size(), without the division by sizeof(Phase) that size() does (the event loop
    // asks at the end of every phase).
    std::size_t phase_count(std::uint16_t c) const { return phase_counts_[c]; }
    double draw_duration_s(std::uint16_t c, std::uint16_t phase, Rng& rng) const {
        return draws_[first_draw_[c] + phase].sampler.draw(rng);
    }
    // phases(c)[phase].kind == PhaseKind::cpu, from the same table as the draw.
    bool on_cores(std::uint16_t c, std::uint16_t phase) const { return draws_[first_draw_[c] + phase].on_cores; }

private:
    std::vector<RequestClass> classes_;
    // Every class's phases in one table, class after class, each with what the event loop
    // reads at a phase's start: its sampler and whether it runs on the cores. Padded to 64
    // bytes, so an index is a shift; a vector of vectors of samplers and the Phase itself cost
    // two more loads and two multiplies per phase (callgrind).
    struct alignas(64) PhaseDraw {
        Sampler sampler;
        bool on_cores;
    };
    std::vector<PhaseDraw> draws_;
    std::vector<std::uint32_t> first_draw_;  // per class: its first phase's place in draws_
    std::vector<double> cumulative_;  // running sums of the weights
    std::vector<std::size_t> phase_counts_;
    bool named_;
};

}  // namespace workersim
