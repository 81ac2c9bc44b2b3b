#include "sim/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace workersim {

namespace {
constexpr int kBits = LatencyHistogram::kSubBucketBits;
constexpr std::uint64_t kSubBuckets = 1ULL << kBits;
constexpr int kMaxExponent = 50;  // 2^50 ns is 13 days: anything longer is clamped
constexpr std::size_t kBuckets = (kMaxExponent - kBits + 2) * kSubBuckets;

// Bucket i covers [lower(i), lower(i) + width(i)) nanoseconds.
std::uint64_t lower_ns(std::size_t i) {
    if (i < kSubBuckets) return i;
    const std::uint64_t octave = i / kSubBuckets - 1;  // 0 for [2^kBits, 2^(kBits+1))
    return (kSubBuckets + i % kSubBuckets) << octave;
}
std::uint64_t width_ns(std::size_t i) { return i < kSubBuckets ? 1 : 1ULL << (i / kSubBuckets - 1); }
}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(kBuckets, 0) {}

std::size_t LatencyHistogram::index_of(std::uint64_t ns) {
    if (ns < kSubBuckets) return static_cast<std::size_t>(ns);
    const int exponent = 63 - __builtin_clzll(ns);  // >= kBits
    const int shift = exponent - kBits;
    const std::size_t index = static_cast<std::size_t>(shift + 1) * kSubBuckets + ((ns >> shift) - kSubBuckets);
    return std::min(index, kBuckets - 1);
}

double LatencyHistogram::midpoint_s(std::size_t i) {
    return (static_cast<double>(lower_ns(i)) + (static_cast<double>(width_ns(i)) - 1) / 2) * 1e-9;
}

std::uint64_t LatencyHistogram::to_ns(double seconds) {
    const double ns = seconds * 1e9;
    return ns <= 0 ? 0 : ns >= 0x1p62 ? (1ULL << 62) : static_cast<std::uint64_t>(ns + 0.5);
}

void LatencyHistogram::record(double latency_s) {
    ++counts_[index_of(to_ns(latency_s))];
    if (count_ == 0 || latency_s < min_s_) min_s_ = latency_s;
    if (count_ == 0 || latency_s > max_s_) max_s_ = latency_s;
    ++count_;
    sum_s_ += latency_s;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.count_ == 0) return;
    for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    min_s_ = count_ ? std::min(min_s_, other.min_s_) : other.min_s_;
    max_s_ = count_ ? std::max(max_s_, other.max_s_) : other.max_s_;
    count_ += other.count_;
    sum_s_ += other.sum_s_;
}

double LatencyHistogram::quantile_s(double q) const {
    if (count_ == 0) return 0.0;
    // The rank of the order statistic: the smallest value with at least q of the data at or
    // below it (the "nearest rank" definition).
    const std::int64_t rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(q * count_)));
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        seen += counts_[i];
        if (seen >= rank) return std::clamp(midpoint_s(i), min_s_, max_s_);
    }
    return max_s_;
}

std::vector<HistogramBucket> LatencyHistogram::hey_buckets() const {
    std::vector<HistogramBucket> buckets;
    if (count_ == 0) return buckets;
    constexpr int kMarks = 10;
    const double step = (max_s_ - min_s_) / kMarks;
    for (int i = 0; i < kMarks; ++i) buckets.push_back({min_s_ + step * i, 0});
    buckets.push_back({max_s_, 0});
    // The buckets holding the fastest and the slowest response stand for them exactly, so
    // they land on hey's first and last marks.
    const std::size_t fastest = index_of(to_ns(min_s_)), slowest = index_of(to_ns(max_s_));
    std::size_t mark = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        if (counts_[i] == 0) continue;
        const double value = i == fastest ? min_s_ : i == slowest ? max_s_ : std::clamp(midpoint_s(i), min_s_, max_s_);
        while (mark + 1 < buckets.size() && value > buckets[mark].upper_s) ++mark;
        buckets[mark].count += counts_[i];
    }
    return buckets;
}

LatencySummary LatencyHistogram::summary() const {
    LatencySummary s;
    s.mean_s = mean_s();
    s.min_s = min_s();
    s.max_s = max_s();
    s.p50_s = quantile_s(0.50);
    s.p90_s = quantile_s(0.90);
    s.p95_s = quantile_s(0.95);
    s.p99_s = quantile_s(0.99);
    s.p999_s = quantile_s(0.999);
    return s;
}

}  // namespace workersim
