#pragma once
// Replication estimates with Student's t tolerances at a false-alarm rate of 1 in 16,000, for
// the simulator's tests: a tolerance is t's quantile for the replications' degrees of freedom
// times their standard error (with 4-9 degrees of freedom the normal tail would understate the
// false alarms: 4 standard errors are exceeded once in 62 runs at 4).

#include <cmath>
#include <vector>

#include "model/sample_statistics.hpp"

namespace workersim::testing {

// P(|T| > x) for Student's t with `degrees_of_freedom`: 1 - 2 * (the density integrated from 0
// to x), by Simpson's rule on panels of at most 1e-3 (the density is smooth and at most 0.4,
// so the rule's error is below 1e-14).
inline double student_t_two_sided_tail(double x, int degrees_of_freedom) {
    const double v = degrees_of_freedom;
    const double log_norm = std::lgamma((v + 1) / 2) - std::lgamma(v / 2) - 0.5 * std::log(v * std::acos(-1.0));
    const auto density = [&](double t) { return std::exp(log_norm - (v + 1) / 2 * std::log1p(t * t / v)); };
    const int panels = 2 * static_cast<int>(std::ceil(x / 2e-3));
    const double h = x / panels;
    double sum = density(0) + density(x);
    for (int i = 1; i < panels; ++i) sum += (i % 2 ? 4 : 2) * density(i * h);
    return 1 - 2 * sum * h / 3;
}

// The x with P(|T| > x) = false_alarm_rate, by bisection (the tail falls monotonically).
inline double student_t_quantile(double false_alarm_rate, int degrees_of_freedom) {
    double lo = 0, hi = 1e3;
    while (hi - lo > 1e-9 * hi) {
        const double mid = (lo + hi) / 2;
        (student_t_two_sided_tail(mid, degrees_of_freedom) > false_alarm_rate ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

inline constexpr double kFalseAlarmRate = 1.0 / 16000;

struct Estimate {
    double mean, standard_error;
    int degrees_of_freedom;

    // The half-width that a correct simulator exceeds once in 16,000 runs.
    double tolerance() const { return student_t_quantile(kFalseAlarmRate, degrees_of_freedom) * standard_error; }
};

// Mean and standard error of independent replications' values.
inline Estimate estimate_of(const std::vector<double>& values) {
    const auto n = static_cast<double>(values.size());
    const double m = mean(values);
    return {m, std::sqrt(squared_deviations(values, m) / (n - 1) / n), static_cast<int>(values.size()) - 1};
}

}  // namespace workersim::testing
