#pragma once
// Draws phase durations from a Distribution, with the per-distribution constants
// (lognormal's mu and sigma) computed once.

#include "model/distribution.hpp"
#include "sim/rng.hpp"

namespace workersim {

class Sampler {
public:
    explicit Sampler(const Distribution& d);
    double draw(Rng& rng) const;

private:
    DistributionKind kind_;
    double mean_s_;
    double mu_ = 0, sigma_ = 0;
    const std::vector<double>* samples_;
    double slow_probability_, slow_s_;
};

}  // namespace workersim
