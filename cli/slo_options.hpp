#pragma once
// --slo-p99, --slo-mean (predict and recommend) and --slo-throughput (predict): the service
// level a prediction is held to, parsed in one place.

#include <boost/program_options.hpp>

#include "sizing/objective.hpp"

namespace workersim::cli {

// predict's objectives group: the three flags, and what a miss does to the exit status.
boost::program_options::options_description slo_options();
// The flags present in `vm`; throws UsageError naming the flag, the value and the range.
sizing::ServiceLevel service_level_from(const boost::program_options::variables_map& vm);

}  // namespace workersim::cli
