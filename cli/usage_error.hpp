#pragma once
// Bad input from the user: the message names the flag, the value and what is accepted.
// main() prints it and exits with status 2.

#include <stdexcept>

namespace workersim::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace workersim::cli
