// A mix run's clients split over its URLs (one hey per URL).

#include <catch2/catch.hpp>

#include <numeric>

#include "calibrate/session/mix_clients.hpp"

using namespace workersim;

TEST_CASE("a mix run's clients split by the weights' shares, by largest remainder") {
    // 10 clients at 0.4/0.3/0.1/0.2: 4, 3, 1, 2 exactly.
    CHECK(split_clients({0.4, 0.3, 0.1, 0.2}, 10) == std::vector<int>{4, 3, 1, 2});
    // 5 clients: one each, the fifth to the largest share.
    CHECK(split_clients({0.4, 0.3, 0.1, 0.2}, 5) == std::vector<int>{2, 1, 1, 1});
}

TEST_CASE("every URL keeps a client however small its weight, and the split sums to the clients") {
    const std::vector<int> split = split_clients({100, 1, 1}, 7);
    CHECK(split[1] >= 1);
    CHECK(split[2] >= 1);
    CHECK(std::accumulate(split.begin(), split.end(), 0) == 7);
    CHECK(split_clients({1, 1, 1, 1}, 8) == std::vector<int>{2, 2, 2, 2});
}
