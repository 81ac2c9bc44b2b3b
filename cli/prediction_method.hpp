#pragma once
// --method sim|mva|both: the simulator, the analytic models, or the two side by side.
// Shared by predict and sweep.

#include <boost/program_options.hpp>

#include "model/scenario.hpp"

namespace workersim::cli {

enum class PredictionMethod { sim, mva, both };

boost::program_options::options_description method_options();  // --method
PredictionMethod method_from(const boost::program_options::variables_map& vm);

// The analytic models solve sync pools only: a gthread server with --method mva or both is a
// usage error naming the way out, never a sync answer in disguise.
void require_method_models(PredictionMethod method, const ServerConfig& server);

}  // namespace workersim::cli
