#pragma once
// The one thread pool: runs body(i) for every index of [0, count) on up to `threads`
// threads. Each index is claimed once from a shared counter, so which thread runs it does
// not matter: when body(i) depends on i alone and writes only its own slot i, the results
// are identical for any thread count (replications and sweeps combine them in index order).

#include <cstddef>
#include <functional>

namespace workersim {

using IndexBody = std::function<void(std::size_t index)>;
// Called on the calling thread, about every 100 ms, with how many indices are done.
using ProgressReport = std::function<void(std::size_t done)>;

// Every index runs even when some throw; then the lowest failing index's exception is
// rethrown. With `progress` the calling thread only reports (until every index is done)
// and `threads` others work; without it the calling thread works as one of them.
// The default thread count: the machine's hardware threads, at least 1.
int hardware_threads();

void parallel_for(std::size_t count, int threads, const IndexBody& body, const ProgressReport& progress = {});

}  // namespace workersim
