#include <catch2/catch.hpp>

#include "calibrate/records/latency_summary.hpp"

using namespace workersim;

TEST_CASE("nearest-rank percentiles pick the smallest value with p% of the sample at or below it") {
    // 1..10: p50 -> rank 5, p90 -> rank 9, p99 -> rank ceil(9.9) = 10.
    const std::vector<double> ten{7, 3, 10, 1, 5, 2, 9, 4, 8, 6};
    CHECK(nearest_rank_percentile(ten, 50) == 5);
    CHECK(nearest_rank_percentile(ten, 90) == 9);
    CHECK(nearest_rank_percentile(ten, 99) == 10);
    CHECK(nearest_rank_percentile(ten, 0) == 1);
}

TEST_CASE("the seed article's one-worker run summarizes to its mean and extremes") {
    // Ten requests served one after another, 1 s each: i-th response at i seconds.
    std::vector<double> latencies;
    for (int i = 1; i <= 10; ++i) latencies.push_back(i);
    const MeasuredLatency s = summarize_latencies(latencies);
    CHECK(s.mean_s == Approx(5.5));
    CHECK(s.min_s == 1);
    CHECK(s.max_s == 10);
    CHECK(s.p50_s == 5);
    CHECK(s.p90_s == 9);
    CHECK(s.p99_s == 10);
}

TEST_CASE("an empty sample summarizes to zeros") {
    const MeasuredLatency s = summarize_latencies({});
    CHECK(s.mean_s == 0);
    CHECK(s.p99_s == 0);
}
