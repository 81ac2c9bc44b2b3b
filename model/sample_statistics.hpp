#pragma once
// A sample's median, mean and standard deviation: one home for the fitter, validation, the
// probes and the replications' confidence intervals.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace workersim {

// The mean of the middle two for an even count; NaN for none.
inline double median(std::vector<double> values) {
    const std::size_t n = values.size();
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// NaN for none.
inline double mean(const std::vector<double>& values) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// Squared deviations from the sample's own mean, summed in a second pass: the samples here
// are few, and two passes avoid the one-pass formula's cancellation.
inline double squared_deviations(const std::vector<double>& values, double mean_of_values) {
    double sum = 0;
    for (double v : values) sum += (v - mean_of_values) * (v - mean_of_values);
    return sum;
}

// With n - 1 degrees of freedom; 0 for fewer than two values.
inline double sample_sd(const std::vector<double>& values, double mean_of_values) {
    if (values.size() < 2) return 0.0;
    return std::sqrt(squared_deviations(values, mean_of_values) / static_cast<double>(values.size() - 1));
}

}  // namespace workersim
