#pragma once
// Which cores a process may run on (what `taskset -c` sets). The server, PostgreSQL and the
// load generator are pinned so that "cores" in a run means what the model assumes.

#include <sys/types.h>

#include <string>
#include <vector>

namespace workersim {

using CoreList = std::vector<int>;  // core numbers, as `taskset -c` takes them

int host_core_count();

// The last `count` cores of the host: with one core the server leaves core 0 to the rest.
CoreList last_cores(int count);
// Host cores not in `used`.
CoreList cores_except(const CoreList& used);
std::string to_string(const CoreList& cores);  // "0,1"

// Pins every thread of `pid`; throws std::system_error unless the process vanished meanwhile.
void set_affinity(pid_t pid, const CoreList& cores);

}  // namespace workersim
