#pragma once
// A sweep: one or two parameters over a grid, each point simulated and/or solved
// analytically, as a table, CSV or JSON lines (one object per point and method).

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/result.hpp"
#include "report/analytic_prediction.hpp"

namespace workersim::report {

struct Sweep {
    std::vector<std::string> keys;            // the swept parameters, as CSV and JSON name them
    std::vector<std::vector<double>> points;  // each point's values in the order of keys
    std::vector<AnalyticModel> analytic;      // per point: what the analytic answer approximates
    std::vector<Result> sim, mva;             // per point, each empty when its method did not run
    nlohmann::json echo = nlohmann::json::object();  // keys every JSON line carries (the pasted Gunicorn command)
};

// One row per point, the methods side by side; a note on the analytic columns.
void print_sweep_table(std::ostream& out, const Sweep& sweep);
// keys..., method, then a row per point and method.
void print_sweep_csv(std::ostream& out, const Sweep& sweep);
// The point's values, "method", then predict --json's keys (and analytic_json's for mva), then
// the sweep's echo.
void print_sweep_json_lines(std::ostream& out, const Sweep& sweep);

}  // namespace workersim::report
