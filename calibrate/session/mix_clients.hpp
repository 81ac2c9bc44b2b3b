#pragma once
// A mix run's clients per URL: hey drives one URL, so a mix of URLs is one hey per URL at
// once, each with its share of the clients.

#include <vector>

namespace workersim {

// The weights' shares of `clients` by largest remainder, at least one client each; requires
// clients >= weights.size() and weights > 0. Sums to `clients`.
std::vector<int> split_clients(const std::vector<double>& weights, int clients);

}  // namespace workersim
