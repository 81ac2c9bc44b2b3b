#pragma once
// One prediction (a Result: one simulated run, or the analytic model's) as text. Its JSON
// is the type's own format, model/result_json.hpp, which notebooks and tools read.

#include <ostream>

#include "model/result.hpp"

namespace workersim::report {

// hey's summary layout (Total, Slowest, Fastest, Average, Requests/sec, histogram, latency
// distribution), then what hey cannot see: errors by cause, restarts, SYN retries,
// utilisation, the accept queue, memory, instability.
void print_hey_style(std::ostream& out, const Result& result);

// Two or three indented lines: throughput, latency, utilisation and memory, and whether the
// load outruns the pool (recommend's candidates).
void print_brief(std::ostream& out, const Result& result);

// Where the time went: each part of the latency with its mean and p99 (the parts that ever
// took time), their sum against the mean latency, and the one line on what limits the
// configuration. Nothing when the run was not asked for the breakdown.
void print_breakdown(std::ostream& out, const Result& result, bool gthread);

// "UNSTABLE:" and the pool's capacity: the line an open load beyond it earns.
void print_unstable(std::ostream& out, double capacity_rps);

}  // namespace workersim::report
