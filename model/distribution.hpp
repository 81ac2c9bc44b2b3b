#pragma once
// The duration of one phase of a request, as a random variable.

#include <string>
#include <vector>

namespace workersim {

enum class DistributionKind { deterministic, exponential, lognormal, empirical };

struct Distribution {
    DistributionKind kind = DistributionKind::deterministic;
    double mean_s = 0.0;
    double cv = 0.0;                 // coefficient of variation; lognormal only
    std::vector<double> samples_s;   // empirical only; drawn uniformly, mean_s is their mean
    // Empirical only: the samples in the order they were measured, cycling from a random start,
    // rather than drawn independently (sim/sampler.hpp).
    bool in_order = false;
    // A slow tail mixed in: with this probability a draw takes slow_s instead
    // ("1% of calls to the payment API take 45 s").
    double slow_probability = 0.0;
    double slow_s = 0.0;

    static Distribution deterministic(double mean_s);
    static Distribution exponential(double mean_s);
    static Distribution lognormal(double mean_s, double cv);
    static Distribution empirical(std::vector<double> samples_s);

    // The mean including the slow tail.
    double expected_s() const;
    // Squared coefficient of variation including the slow tail.
    double scv() const;
    // The same shape with every duration multiplied by factor.
    Distribution scaled(double factor) const;
};

// "det", "exp", "lognormal:CV"; throws std::invalid_argument naming the text otherwise.
DistributionKind parse_distribution_kind(const std::string& text, double& cv_out);
std::string to_string(const Distribution& d);

}  // namespace workersim
