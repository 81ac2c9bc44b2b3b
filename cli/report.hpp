#pragma once
// Human-readable output: hey's summary layout, plus what hey cannot see (errors by cause,
// restarts, utilisation, memory).

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "model/profile.hpp"
#include "model/result.hpp"

namespace workersim::cli {

void print_hey_style(std::ostream& out, const Result& result);
std::string format_kib(double kib);

// Which host and day the profile holds for, in one line; with the embedded profile also how
// to move it to this host (a profile is a snapshot: the loop alone has drifted 3x here).
std::string calibration_line(const Profile& profile, bool embedded);
// The same as a JSON field: {"name", "cpu_model", "calibrated", "moved"}.
nlohmann::json calibration_json(const Profile& profile);

}  // namespace workersim::cli
