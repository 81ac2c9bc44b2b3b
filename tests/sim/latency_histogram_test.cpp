#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/latency_histogram.hpp"
#include "sim/rng.hpp"

using namespace workersim;

TEST_CASE("quantiles are within the stated relative error of exact order statistics") {
    Rng rng(42);
    LatencyHistogram h;
    std::vector<double> values;
    for (int i = 0; i < 100000; ++i) {
        const double x = std::exp(rng.normal() * 1.5 - 3);  // lognormal over several decades
        values.push_back(x);
        h.record(x);
    }
    std::sort(values.begin(), values.end());
    for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999}) {
        const auto rank = static_cast<std::size_t>(std::ceil(q * values.size()));  // nearest rank
        const double exact = values[rank - 1];
        // Half a bucket is 2^-(bits+1) of the value, plus 0.5 ns of rounding to whole ns.
        REQUIRE(std::abs(h.quantile_s(q) - exact) <= exact * LatencyHistogram::kRelativeError + 1e-9);
    }
}

TEST_CASE("mean, min and max are exact") {
    LatencyHistogram h;
    for (double x : {0.5, 1.5, 2.0, 4.0}) h.record(x);
    REQUIRE(h.mean_s() == Approx(2.0));
    REQUIRE(h.min_s() == 0.5);
    REQUIRE(h.max_s() == 4.0);
    REQUIRE(h.count() == 4);
}

TEST_CASE("hey's histogram counts every response once between fastest and slowest") {
    LatencyHistogram h;
    for (int i = 1; i <= 10; ++i) h.record(1.0 * i);
    const auto buckets = h.hey_buckets();
    REQUIRE(buckets.size() == 11);
    std::int64_t total = 0;
    for (const auto& b : buckets) total += b.count;
    REQUIRE(total == 10);
    REQUIRE(buckets.front().upper_s == 1.0);
    REQUIRE(buckets.back().upper_s == 10.0);
}

TEST_CASE("merging two histograms equals recording into one") {
    Rng rng(3);
    LatencyHistogram a, b, both;
    for (int i = 0; i < 1000; ++i) {
        const double x = rng.exponential(0.1);
        (i % 2 ? a : b).record(x);
        both.record(x);
    }
    a.merge(b);
    REQUIRE(a.count() == both.count());
    REQUIRE(a.quantile_s(0.99) == both.quantile_s(0.99));
    REQUIRE(a.mean_s() == Approx(both.mean_s()));
}
