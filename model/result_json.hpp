#pragma once
// The JSON shape of a prediction (`predict --json`), read by tools and notebooks.

#include <nlohmann/json.hpp>

#include "model/result.hpp"

namespace workersim {

nlohmann::json to_json(const Result& result);

}  // namespace workersim
