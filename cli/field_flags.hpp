#pragma once
// The flag that sets each field the lower layers name in their errors: they speak of
// `cores` and `workload.io_pct` (model/invalid_field.hpp), the user typed --cores and
// --io-pct.

#include <stdexcept>

#include "cli/usage_error.hpp"

namespace workersim::cli {

// A lower layer's refusal as the user's mistake: an InvalidField in its flag's words
// ("--cores 5000: expected 1..4096"), any other message as it is.
UsageError usage_error(const std::invalid_argument& error);

// compute() with a lower layer's std::invalid_argument rethrown as usage_error(it).
template <class Compute>
auto as_usage_error(Compute compute) -> decltype(compute()) {
    try {
        return compute();
    } catch (const std::invalid_argument& e) {
        throw usage_error(e);
    }
}

}  // namespace workersim::cli
