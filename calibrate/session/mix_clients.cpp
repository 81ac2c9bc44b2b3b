#include "calibrate/session/mix_clients.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace workersim {

std::vector<int> split_clients(const std::vector<double>& weights, int clients) {
    const std::size_t n = weights.size();
    assert(clients >= static_cast<int>(n));
    std::vector<int> split(n, 1);
    double sum = 0;
    for (double w : weights) sum += w;
    int left = clients - static_cast<int>(n);
    std::vector<double> want(n);
    for (std::size_t i = 0; i < n; ++i) want[i] = std::max(0.0, weights[i] / sum * clients - 1);
    for (std::size_t i = 0; i < n && left > 0; ++i) {
        const int whole = std::min(left, static_cast<int>(std::floor(want[i])));
        split[i] += whole;
        want[i] -= whole;
        left -= whole;
    }
    while (left > 0) {
        const auto i = static_cast<std::size_t>(std::max_element(want.begin(), want.end()) - want.begin());
        ++split[i];
        want[i] -= 1;
        --left;
    }
    return split;
}

}  // namespace workersim
