#include "calibrate/records/latency_summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace workersim {

double nearest_rank_percentile(std::vector<double> sample, double percent) {
    if (sample.empty()) return 0;
    std::sort(sample.begin(), sample.end());
    const double rank = std::ceil(percent / 100.0 * static_cast<double>(sample.size()));
    const auto index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
    return sample[std::min(index, sample.size() - 1)];
}

MeasuredLatency summarize_latencies(const std::vector<double>& latencies_s) {
    MeasuredLatency s;
    if (latencies_s.empty()) return s;
    s.mean_s = std::accumulate(latencies_s.begin(), latencies_s.end(), 0.0) / static_cast<double>(latencies_s.size());
    s.min_s = *std::min_element(latencies_s.begin(), latencies_s.end());
    s.max_s = *std::max_element(latencies_s.begin(), latencies_s.end());
    s.p50_s = nearest_rank_percentile(latencies_s, 50);
    s.p90_s = nearest_rank_percentile(latencies_s, 90);
    s.p99_s = nearest_rank_percentile(latencies_s, 99);
    return s;
}

}  // namespace workersim
