// MSER-5 on synthetic series whose transient is known.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/rng.hpp"
#include "analysis/warmup.hpp"

using namespace workersim;

namespace {

// Steady state: N(10, 1) noise. Transient: the first `warmup` observations start at
// 10 + offset and decay linearly to 10.
std::vector<double> series_with_transient(std::size_t n, std::size_t warmup, double offset, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double bias = i < warmup ? offset * (1.0 - static_cast<double>(i) / warmup) : 0.0;
        x[i] = 10 + bias + rng.normal();
    }
    return x;
}

}  // namespace

TEST_CASE("MSER-5 truncates close to the end of a known linear transient") {
    // A 2000-observation transient from 10 + 20 down to 10, in 20000 observations. Most of
    // the transient's bias must go: MSER stops where the remaining bias is about the noise's
    // standard error, well inside the transient's tail, never before its steep part.
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto x = series_with_transient(20000, 2000, 20, seed);
        const WarmupTruncation t = mser5_truncation(batch_means_of_5(x));
        REQUIRE(t.observations == t.batches * 5);
        REQUIRE(t.observations >= 1500);
        REQUIRE(t.observations <= 2600);
        REQUIRE_FALSE(t.truncation_too_late);
    }
}

TEST_CASE("MSER-5 removes little from a stationary series") {
    int truncated_much = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto x = series_with_transient(20000, 0, 0, seed);
        const WarmupTruncation t = mser5_truncation(batch_means_of_5(x));
        if (t.observations > 2000) ++truncated_much;
    }
    // On white noise MSER's minimum wanders; it rarely lands beyond a tenth of the run.
    REQUIRE(truncated_much <= 4);
}

TEST_CASE("MSER-5 reports a transient longer than half the run") {
    const auto x = series_with_transient(10000, 9000, 50, 7);
    const WarmupTruncation t = mser5_truncation(batch_means_of_5(x));
    REQUIRE(t.truncation_too_late);
    REQUIRE(t.batches == 1000);  // m/2 with m = 2000 batches
}

TEST_CASE("MSER picks the exact change point of a noiseless step") {
    std::vector<double> z(100, 1.0);
    for (std::size_t i = 0; i < 17; ++i) z[i] = 5.0;
    REQUIRE(mser5_truncation(z).batches == 17);
}

TEST_CASE("batch means of 5 average consecutive fives and drop a partial batch") {
    const std::vector<double> x = {1, 2, 3, 4, 5, 10, 10, 10, 10, 10, 99, 99};
    const auto z = batch_means_of_5(x);
    REQUIRE(z.size() == 2);
    REQUIRE(z[0] == Approx(3));
    REQUIRE(z[1] == Approx(10));
}

TEST_CASE("MSER leaves too short a series alone") {
    REQUIRE(mser5_truncation({}).batches == 0);
    REQUIRE(mser5_truncation({3.0}).batches == 0);
}
