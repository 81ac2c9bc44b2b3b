#pragma once
// --method sim|mva|both: the simulator, the analytic models, or the two side by side.
// Shared by predict and sweep.

#include <boost/program_options.hpp>

#include "model/scenario.hpp"

namespace workersim::cli {

enum class PredictionMethod { sim, mva, both };

boost::program_options::options_description method_options();  // --method
PredictionMethod method_from(const boost::program_options::variables_map& vm);

// What the analytic models cannot answer (model/gthread_mva.hpp's gthread_mva_refusal: gthread
// with keep-alive binding clients to processes, or past the approximation's cost) is a usage
// error naming the way out, never an answer under an assumption that does not hold.
void require_method_models(PredictionMethod method, const Scenario& scenario);

}  // namespace workersim::cli
