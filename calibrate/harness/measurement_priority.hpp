#pragma once
// Measurements keep their priority on a shared host.

#include <ostream>

namespace workersim {

// The host is shared: Linux's autogroup gives every session an equal share of the cores
// whatever its processes' nice, so another session's `nice -n 19` build takes half a core
// from the server under test (measured: 100%-CPU requests took 3x their CPU seconds).
// Raising our session's autogroup and our own priority (children inherit both) restores the
// intent of those nice values. Best effort: without the privilege it says so on `log`.
void raise_priority(std::ostream& log);

}  // namespace workersim
