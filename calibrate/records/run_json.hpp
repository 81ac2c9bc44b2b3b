#pragma once
// A Run's JSON form ("workersim-run/1"): one object per line of a runs file. Keys carry
// their units as the fields of calibrate/records/run.hpp do.

#include <nlohmann/json.hpp>
#include <string>

#include "calibrate/records/run.hpp"

namespace workersim {

nlohmann::json to_json(const Run& run);

// Strict: every key must be present with the right type and range, unknown keys are
// rejected. Throws JsonError naming `where` (e.g. "runs.jsonl line 7"), the key and what was
// expected.
Run run_from_json(const nlohmann::json& json, const std::string& where);

}  // namespace workersim
