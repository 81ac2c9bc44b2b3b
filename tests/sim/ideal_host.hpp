#pragma once
// A host of `cores` ideal cores (no capacity curve): k busy cores do k cores' work.

#include "model/scenario.hpp"

namespace workersim::testing {

inline Host ideal_host(int cores) {
    Host host;
    host.cores = cores;
    return host;
}

}  // namespace workersim::testing
