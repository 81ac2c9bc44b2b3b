// The random number generator's distributions against their exact laws.

#include <catch2/catch.hpp>

#include <algorithm>
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

TEST_CASE("ziggurat normal draws fall into equiprobable bins of N(0, 1) as often as chance allows") {
    // As for the exponential: 200 bins of probability 1/200 under the normal CDF, both signs,
    // every layer, wedge and both tails; chi-square with 199 degrees of freedom, up to 5 sd.
    constexpr int kBins = 200;
    constexpr long kDraws = 2'000'000;
    for (std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
        Rng rng(seed, 2);
        std::vector<long> counts(kBins, 0);
        double sum = 0, sum_squares = 0;
        for (long i = 0; i < kDraws; ++i) {
            const double x = rng.normal();
            sum += x;
            sum_squares += x * x;
            const auto bin = static_cast<int>(0.5 * std::erfc(-x / std::sqrt(2.0)) * kBins);
            ++counts[static_cast<std::size_t>(std::clamp(bin, 0, kBins - 1))];
        }
        const double expected = static_cast<double>(kDraws) / kBins;
        double chi2 = 0;
        for (long c : counts) chi2 += (c - expected) * (c - expected) / expected;
        CAPTURE(seed, chi2);
        REQUIRE(chi2 < 199 + 5 * 19.9);
        // Mean 0 (sd of the mean 1 / sqrt(n)) and variance 1 (sd sqrt(2 / n)), within 5 sd.
        REQUIRE(std::abs(sum / kDraws) < 5 / std::sqrt(kDraws));
        REQUIRE(std::abs(sum_squares / kDraws - 1) < 5 * std::sqrt(2.0 / kDraws));
    }
}

TEST_CASE("ziggurat normal draws reach beyond the base strip as often as the normal's tails") {
    // Beyond |x| = r = 3.654 the draws come from Marsaglia's tail method. P(|X| > r) =
    // erfc(r / sqrt 2) = 2.58e-4: 1032 of 4e6 expected, Poisson sd 32; accept within 5 sd,
    // with each sign about half of them. Beyond r the mean excess is phi(r) / Q(r) - r = 0.246.
    const double r = 3.6541528853610088;
    Rng rng(11, 2);
    long beyond = 0, negative = 0;
    double excess = 0, excess_squares = 0;
    for (long i = 0; i < 4'000'000; ++i) {
        const double x = rng.normal();
        if (std::abs(x) > r) {
            ++beyond;
            negative += x < 0;
            excess += std::abs(x) - r;
            excess_squares += (std::abs(x) - r) * (std::abs(x) - r);
        }
    }
    const double tail = std::erfc(r / std::sqrt(2.0));
    const double expected = 4e6 * tail;
    CAPTURE(beyond, expected);
    REQUIRE(std::abs(beyond - expected) < 5 * std::sqrt(expected));
    REQUIRE(std::abs(negative - beyond / 2.0) < 5 * std::sqrt(beyond / 4.0));
    const double mean_excess = std::exp(-r * r / 2) / std::sqrt(2 * M_PI) / (tail / 2) - r;
    const double sd_excess = std::sqrt(excess_squares / beyond - (excess / beyond) * (excess / beyond));
    REQUIRE(excess / beyond == Approx(mean_excess).margin(5 * sd_excess / std::sqrt(beyond)));
}
