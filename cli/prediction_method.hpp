#pragma once
// --method sim|mva|both: the simulator, the analytic models, or the two side by side.
// Shared by predict and sweep (and the way recommend labels its figures).

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "model/result.hpp"

namespace workersim::cli {

enum class PredictionMethod { sim, mva, both };

boost::program_options::options_description method_options();  // --method
PredictionMethod method_from(const boost::program_options::variables_map& vm);

// The analytic prediction as JSON: predict --json's keys plus "method" and "approximate"
// (what in it is not exact).
nlohmann::json analytic_json(const Result& mva, bool open_load);
// Text: the analytic prediction alone, or both methods in two columns; each says what is
// approximate and that the analytic answer is steady state.
void print_analytic(std::ostream& out, const Result& mva, bool open_load);
void print_side_by_side(std::ostream& out, const Result& sim, const Result& mva, bool open_load);

}  // namespace workersim::cli
