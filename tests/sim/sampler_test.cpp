// Phase durations drawn from a Distribution: an empirical one in its measured order.

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "sim/sampler.hpp"

using namespace workersim;

TEST_CASE("samples in order replay their sequence, cycling from a random start") {
    Distribution d = Distribution::empirical({1, 2, 3, 4, 5});
    d.in_order = true;
    const Sampler sampler(d);
    Rng rng(7);
    std::vector<double> drawn;
    for (int i = 0; i < 12; ++i) drawn.push_back(sampler.draw(rng));
    for (std::size_t i = 1; i < drawn.size(); ++i) CHECK(drawn[i] == (drawn[i - 1] == 5 ? 1 : drawn[i - 1] + 1));
}

TEST_CASE("samples in order start at a place the seed chooses") {
    Distribution d = Distribution::empirical({1, 2, 3, 4, 5, 6, 7, 8});
    d.in_order = true;
    std::vector<double> starts;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const Sampler sampler(d);
        Rng rng(seed);
        starts.push_back(sampler.draw(rng));
    }
    CHECK(std::count(starts.begin(), starts.end(), starts.front()) < static_cast<long>(starts.size()));
}
