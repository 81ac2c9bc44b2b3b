#pragma once
// The analytic prediction (model/mva.hpp: exact MVA for closed load, an M/G/c-type
// approximation for open load), alone or beside the simulated one, as text and JSON. Each
// says what in it is approximate and that it is the steady state.

#include <ostream>

#include <nlohmann/json.hpp>

#include "model/result.hpp"

namespace workersim::report {

// predict --json's keys (model/result_json.hpp) plus "method": "mva" and "approximate".
nlohmann::json analytic_json(const Result& mva, bool open_load);
// {"sim": the simulated prediction, "mva": analytic_json}.
nlohmann::json side_by_side_json(const Result& sim, const Result& mva, bool open_load);

// hey's summary layout, then the notes.
void print_analytic(std::ostream& out, const Result& mva, bool open_load);
// Both methods in two columns, then the notes.
void print_side_by_side(std::ostream& out, const Result& sim, const Result& mva, bool open_load);

}  // namespace workersim::report
