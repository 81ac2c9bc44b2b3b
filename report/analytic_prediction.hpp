#pragma once
// The analytic prediction (model/mva.hpp: exact MVA for closed load, an M/G/c-type
// approximation for open load; gthread approximate throughout, model/gthread_mva.hpp), alone
// or beside the simulated one, as text and JSON. Each says what in it is approximate and
// that it is the steady state.

#include <ostream>

#include <nlohmann/json.hpp>

#include "model/result.hpp"
#include "model/scenario.hpp"

namespace workersim::report {

// Which analytic model answered, for the notes to say what is approximate.
struct AnalyticModel {
    bool open_load = false;
    bool gthread = false;  // the per-process GIL station: approximate for any load
};
AnalyticModel analytic_model_of(const Scenario& scenario);

// predict --json's keys (model/result_json.hpp) plus "method": "mva" and "approximate".
nlohmann::json analytic_json(const Result& mva, AnalyticModel model);
// {"sim": the simulated prediction, "mva": analytic_json}.
nlohmann::json side_by_side_json(const Result& sim, const Result& mva, AnalyticModel model);

// hey's summary layout, then the notes.
void print_analytic(std::ostream& out, const Result& mva, AnalyticModel model);
// Both methods in two columns, then the notes.
void print_side_by_side(std::ostream& out, const Result& sim, const Result& mva, AnalyticModel model);

}  // namespace workersim::report
