#pragma once
// Strict parsing of quantities with units, as users type them on the command line.
// Throws std::invalid_argument with the text and the accepted forms.

#include <string>

namespace workersim {

// "250ms", "2s", "1.5s", "100us", "2min", "1h" -> seconds. A unit is required.
double parse_duration_s(const std::string& text);
// "1GiB", "512MiB", "100KiB", "4096B", "1GB" (decimal units too) -> KiB.
double parse_size_kib(const std::string& text);
// "1%" or "0.5%" -> 0.01 / 0.005.
double parse_percent(const std::string& text);

}  // namespace workersim
