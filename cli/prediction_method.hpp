#pragma once
// --method sim|mva|both: the simulator, the analytic models, or the two side by side.
// Shared by predict and sweep.

#include <boost/program_options.hpp>

namespace workersim::cli {

enum class PredictionMethod { sim, mva, both };

boost::program_options::options_description method_options();  // --method
PredictionMethod method_from(const boost::program_options::variables_map& vm);

}  // namespace workersim::cli
