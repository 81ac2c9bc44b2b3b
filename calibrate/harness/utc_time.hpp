#pragma once
// When a measurement was made, as runs, probes and profiles record it.

#include <ctime>
#include <string>

namespace workersim {

// Now, in ISO 8601 UTC to the second ("2026-12-01T21:32:25Z").
inline std::string utc_now_iso8601() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace workersim
