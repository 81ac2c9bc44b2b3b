#include "analysis/confidence_interval.hpp"

#include <cmath>
#include <stdexcept>

#include "model/sample_statistics.hpp"

namespace workersim {

double student_t_975(int degrees_of_freedom) {
    static constexpr double kTable[] = {
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
        2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
        2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
        2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
    };
    constexpr int kTableSize = sizeof kTable / sizeof kTable[0];
    if (degrees_of_freedom < 1) throw std::invalid_argument("student_t_975: degrees of freedom must be >= 1");
    if (degrees_of_freedom <= kTableSize) return kTable[degrees_of_freedom - 1];
    // Abramowitz & Stegun 26.7.5: t = z + g1/v + g2/v^2 + g3/v^3 + ...
    const double z = 1.959963984540054, v = degrees_of_freedom;
    const double z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2;
    const double g1 = (z3 + z) / 4;
    const double g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
    const double g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
    const double g4 = (79 * z7 * z2 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
    return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
}

Estimate estimate_of(const std::vector<double>& values) {
    Estimate e;
    const auto n = values.size();
    if (n == 0) return e;
    e.mean = mean(values);
    if (n == 1) return e;
    e.sd = sample_sd(values, e.mean);
    e.ci95_half_width = student_t_975(static_cast<int>(n - 1)) * e.sd / std::sqrt(static_cast<double>(n));
    return e;
}

}  // namespace workersim
