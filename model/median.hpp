#pragma once
// The median of a sample (the mean of the middle two for an even count); NaN for none.

#include <algorithm>
#include <limits>
#include <vector>

namespace workersim {

inline double median(std::vector<double> values) {
    const std::size_t n = values.size();
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace workersim
