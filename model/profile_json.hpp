#pragma once
// The calibration profile's JSON form ("workersim-profile/1").

#include <nlohmann/json.hpp>
#include <string>

#include "model/profile.hpp"

namespace workersim {

nlohmann::json to_json(const Profile& profile);
// Strict: throws JsonError naming `where`, the key and what was expected.
Profile profile_from_json(const nlohmann::json& json, const std::string& where);

nlohmann::json to_json(const HostProbe& probe);
HostProbe host_probe_from_json(const nlohmann::json& json, const std::string& where, const std::string& path = "");

}  // namespace workersim
