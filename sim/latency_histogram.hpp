#pragma once
// Streaming latency statistics in constant memory: exact count, mean, min and max, and
// quantiles from a log-linear histogram (HdrHistogram's layout) over nanoseconds. Every
// bucket is at most 2^-kSubBucketBits of its lower bound wide and a quantile is reported at
// its bucket's midpoint, so a reported quantile is within a relative 2^-(kSubBucketBits+1)
// (0.05%) of an exact order statistic of the recorded values.

#include <cstdint>
#include <vector>

#include "model/result.hpp"

namespace workersim {

class LatencyHistogram {
public:
    static constexpr int kSubBucketBits = 10;
    static constexpr double kRelativeError = 1.0 / (2 << kSubBucketBits);

    LatencyHistogram();

    void record(double latency_s);
    void merge(const LatencyHistogram& other);

    std::int64_t count() const { return count_; }
    double mean_s() const { return count_ ? sum_s_ / count_ : 0.0; }
    double min_s() const { return count_ ? min_s_ : 0.0; }
    double max_s() const { return count_ ? max_s_ : 0.0; }
    // q in [0, 1]; the value below which a fraction q of the recorded latencies lie.
    double quantile_s(double q) const;
    // Responses per latency bucket, hey's 10 linear marks from fastest to slowest.
    std::vector<HistogramBucket> hey_buckets() const;
    LatencySummary summary() const;

private:
    static std::size_t index_of(std::uint64_t ns);
    static double midpoint_s(std::size_t index);
    static std::uint64_t to_ns(double seconds);

    std::vector<std::int64_t> counts_;
    std::int64_t count_ = 0;
    double sum_s_ = 0;
    double min_s_ = 0, max_s_ = 0;
};

}  // namespace workersim
