#pragma once
// The calibration used when --calibration is not given: calibrate/data/default-profile.json,
// compiled in so the binary answers without any file beside it.

#include "model/profile.hpp"

namespace workersim {

Profile embedded_profile();
const char* embedded_profile_json();

}  // namespace workersim
