#pragma once
// Draws phase durations from a Distribution, with the per-distribution constants
// (lognormal's mu and sigma) computed once.

#include <cstddef>

#include "model/distribution.hpp"
#include "sim/rng.hpp"

namespace workersim {

class Sampler {
public:
    explicit Sampler(const Distribution& d);
    // const for its callers: a replayed sequence's position (Distribution::in_order) is the
    // only state, and each simulation has its own samplers.
    double draw(Rng& rng) const;

private:
    DistributionKind kind_;
    double mean_s_;
    double mu_ = 0, sigma_ = 0;
    const std::vector<double>* samples_;
    double slow_probability_, slow_s_;
    bool in_order_;
    mutable std::size_t next_ = 0;  // in order: the next sample, once a random start is drawn
    mutable bool started_ = false;
};

}  // namespace workersim
