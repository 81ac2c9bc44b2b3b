// The random number generator's distributions against their exact laws.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/rng.hpp"

using namespace workersim;

TEST_CASE("ziggurat exponential draws fall into equiprobable bins of Exp(1) as often as chance allows") {
    // 200 bins of probability 1/200 each, bounded by the exact quantiles -log(1 - k/200), so
    // every layer, wedge and the tail are checked. Under Exp(1) the chi-square statistic
    // has 199 degrees of freedom: mean 199, sd sqrt(2 * 199) = 19.9. Accept up to 5 sd above;
    // a layer table off by one entry, or wedges always accepted, lands far beyond.
    constexpr int kBins = 200;
    constexpr long kDraws = 2'000'000;
    for (std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
        Rng rng(seed, 2);
        std::vector<long> counts(kBins, 0);
        for (long i = 0; i < kDraws; ++i) {
            const double x = rng.standard_exponential();
            REQUIRE(x >= 0);
            // the bin whose quantile range holds x: CDF(x) * kBins
            const auto bin = static_cast<int>((1 - std::exp(-x)) * kBins);
            ++counts[static_cast<std::size_t>(std::min(bin, kBins - 1))];
        }
        const double expected = static_cast<double>(kDraws) / kBins;
        double chi2 = 0;
        for (long c : counts) chi2 += (c - expected) * (c - expected) / expected;
        CAPTURE(seed, chi2);
        REQUIRE(chi2 < 199 + 5 * 19.9);
    }
}

TEST_CASE("ziggurat exponential draws reach beyond the base strip as often as exp(-r)") {
    // The tail beyond r = 7.697 is drawn separately (r + Exp(1)). P(X > r) = exp(-r) =
    // 4.54e-4: 908 of 2e6 draws expected, Poisson sd 30; accept within 5 sd. The mean beyond
    // r is r + 1 by memorylessness: sd of the mean of ~900 Exp(1) excesses is 0.033.
    const double r = 7.697117470131487;
    Rng rng(11, 2);
    long beyond = 0;
    double excess = 0;
    for (long i = 0; i < 2'000'000; ++i) {
        const double x = rng.standard_exponential();
        if (x > r) {
            ++beyond;
            excess += x - r;
        }
    }
    const double expected = 2e6 * std::exp(-r);
    CAPTURE(beyond, expected);
    REQUIRE(std::abs(beyond - expected) < 5 * std::sqrt(expected));
    REQUIRE(excess / beyond == Approx(1.0).margin(5 * 1.0 / std::sqrt(expected)));
}

TEST_CASE("exponential draws scale with the mean asked for") {
    Rng a(5, 1), b(5, 1);
    for (int i = 0; i < 1000; ++i) REQUIRE(a.exponential(0.25) == 0.25 * b.standard_exponential());
}
