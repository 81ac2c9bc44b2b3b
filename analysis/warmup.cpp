#include "analysis/warmup.hpp"

namespace workersim {

WarmupTruncation mser5_truncation(const std::vector<double>& z) {
    WarmupTruncation t;
    const std::size_t m = z.size();
    if (m < 2) return t;
    // Welford's update run backwards from the end gives every suffix's mean and sum of
    // squared deviations in one stable O(m) pass.
    const std::size_t last_d = m / 2;
    double mean = 0, ss = 0;
    std::vector<double> mser(last_d + 1, 0.0);
    for (std::size_t i = m; i-- > 0;) {
        const double k = static_cast<double>(m - i);
        const double delta = z[i] - mean;
        mean += delta / k;
        ss += delta * (z[i] - mean);
        if (i <= last_d) mser[i] = ss / (k * k);
    }
    std::size_t best = 0;
    for (std::size_t d = 1; d <= last_d; ++d)
        if (mser[d] < mser[best]) best = d;
    t.batches = best;
    t.observations = best * kMserBatchSize;
    t.truncation_too_late = best == last_d && last_d > 0;
    return t;
}

std::vector<double> batch_means_of_5(const std::vector<double>& observations) {
    std::vector<double> means;
    means.reserve(observations.size() / kMserBatchSize);
    for (std::size_t i = 0; i + kMserBatchSize <= observations.size(); i += kMserBatchSize) {
        double s = 0;
        for (std::size_t j = 0; j < kMserBatchSize; ++j) s += observations[i + j];
        means.push_back(s / kMserBatchSize);
    }
    return means;
}

}  // namespace workersim
