#pragma once
// Which host and day a profile holds for (a profile is a snapshot: on one VM the app's loop
// alone has drifted 3x), as the predictions print it.

#include <string>

#include <nlohmann/json.hpp>

#include "model/profile.hpp"

namespace workersim::report {

// One line, "" for a profile that says nothing of its host; with the embedded profile also
// how to move it to this host.
std::string calibration_line(const Profile& profile, bool embedded);
// The same as a JSON field: {"name", "cpu_model", "calibrated", "moved"}.
nlohmann::json calibration_json(const Profile& profile);

}  // namespace workersim::report
