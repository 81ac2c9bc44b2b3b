#include "report/calibration.hpp"

namespace workersim::report {

std::string calibration_line(const Profile& profile, bool embedded) {
    const Provenance& v = profile.provenance;
    if (v.date.empty() && v.cpu_model.empty()) return "";
    std::string line = "calibrated on " + (v.cpu_model.empty() ? std::string("an unnamed host") : v.cpu_model) +
                       (v.date.empty() ? "" : ", " + v.date.substr(0, 10));
    if (!v.moved.empty()) line += ", moved to a host probed " + v.moved.substr(0, 10);
    if (embedded)
        line += "; for this host: workersim probe --out host.json (seconds) or workersim calibrate --quick (minutes), "
                "then --calibration FILE";
    return line;
}

nlohmann::json calibration_json(const Profile& profile) {
    return {{"name", profile.name},
            {"cpu_model", profile.provenance.cpu_model},
            {"calibrated", profile.provenance.date},
            {"moved", profile.provenance.moved.empty() ? nlohmann::json(nullptr) : nlohmann::json(profile.provenance.moved)}};
}

}  // namespace workersim::report
