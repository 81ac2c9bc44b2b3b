#include "sim/sampler.hpp"

#include <cmath>

namespace workersim {

Sampler::Sampler(const Distribution& d)
    : kind_(d.kind), mean_s_(d.mean_s), samples_(&d.samples_s), slow_probability_(d.slow_probability),
      slow_s_(d.slow_s), in_order_(d.in_order && !d.samples_s.empty()) {
    if (kind_ == DistributionKind::lognormal) {
        // Parameters of log X for E[X] = mean and CV = cv.
        const double sigma2 = std::log1p(d.cv * d.cv);
        sigma_ = std::sqrt(sigma2);
        mu_ = std::log(d.mean_s) - sigma2 / 2;
    }
    if (kind_ == DistributionKind::lognormal && !(d.mean_s > 0)) kind_ = DistributionKind::deterministic;
}

double Sampler::draw(Rng& rng) const {
    if (slow_probability_ > 0 && rng.uniform() < slow_probability_) return slow_s_;
    switch (kind_) {
        case DistributionKind::deterministic: return mean_s_;
        case DistributionKind::exponential: return rng.exponential(mean_s_);
        case DistributionKind::lognormal: return std::exp(mu_ + sigma_ * rng.normal());
        case DistributionKind::empirical: {
            if (!in_order_) return (*samples_)[rng.below(samples_->size())];
            if (!started_) {
                next_ = rng.below(samples_->size());
                started_ = true;
            }
            const double sample_s = (*samples_)[next_];
            next_ = next_ + 1 == samples_->size() ? 0 : next_ + 1;
            return sample_s;
        }
    }
    return mean_s_;
}

}  // namespace workersim
