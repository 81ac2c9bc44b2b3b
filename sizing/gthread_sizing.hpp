#pragma once
// gthread's processes x threads for a recommend query (sizing/recommend.hpp).
//
// The MVA solves no GIL, so the search screens with the asymptotic bounds (model/bounds.hpp)
// and lets the simulator decide. For each thread count T (the query's, else 1, 2, 4, ..., 32)
// it simulates the most processes worth running (twice those that hold every client, or the
// open load's requests in service, or whose GILs pass the cores' Python; more only when the
// SLO needs them, doubling up to the budget), then bisects down to the fewest processes that
// do as well, below which the bounds say none can: about 1 + log2(processes) simulations per
// thread count, some 30 to 50 in all. The bisection assumes that more processes never do
// worse, which holds while each adds threads and a GIL and the cores are shared fairly.
//
// The rule across thread counts, each at its fewest processes: with an SLO, the smallest
// memory (PSS) that meets it; without one, the smallest memory whose throughput (closed
// load) or mean latency (open load) is within 1% of the best any thread count reached.
// Memory ties go to fewer threads.

#include "sizing/recommend.hpp"

namespace workersim::sizing {

// query.worker_class is not read: this sizes gthread. The rule of thumb beside it is sync's
// (2 x cores) + 1 workers, the figure Gunicorn's docs give.
Recommendation recommend_gthread(const RecommendQuery& query);

}  // namespace workersim::sizing
