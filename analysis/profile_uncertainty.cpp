#include "analysis/profile_uncertainty.hpp"

#include <algorithm>

#include "sim/rng.hpp"

namespace workersim {

namespace {

// Stream 7 of the replication's seed: apart from the simulation's own streams (sim/rng.hpp).
constexpr std::uint64_t kProfileStream = 7;

}  // namespace

Profile draw_profile(const Profile& profile, std::uint64_t seed) {
    Profile drawn = profile;
    Rng rng(seed, kProfileStream);
    for (const auto& [name, quality] : profile.fit) {  // std::map: the same order every time
        const FittedValue fitted = fitted_value(drawn, name);
        if (!fitted.value || !(quality.std_error > 0)) continue;
        *fitted.value = std::clamp(*fitted.value + quality.std_error * rng.normal(), fitted.min, fitted.max);
    }
    return drawn;
}

}  // namespace workersim
