#pragma once
// How much of a prediction's spread is the calibration's: a profile whose fitted values are
// drawn from their fitted distributions (each value ~ Normal(value, std_error), independent,
// cut at the value's own range), so that replications each run with a profile the runs
// could equally have given. The fitter keeps no covariances: drawing independently
// overstates the spread of values fitted together (e.g. loop and request CPU), which is the
// cautious side.

#include <cstdint>

#include "model/profile.hpp"

namespace workersim {

// The profile with every value that has a standard error in profile.fit drawn once from
// the stream `seed`; names without a field (or a zero error) stay as they are. CPU and wall
// times stay >= 0, coefficients of variation >= 0, k busy cores worth 1e-3..k cores.
Profile draw_profile(const Profile& profile, std::uint64_t seed);

}  // namespace workersim
