#include "model/units.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <utility>
#include <vector>

namespace workersim {

namespace {

// Splits "12.5ms" into 12.5 and "ms". The number must be plain decimal: no sign, no
// exponent, no hex, no inf/nan, so that "1e3s" or "-2s" are rejected rather than guessed.
std::pair<double, std::string> split(const std::string& text, const char* what, const char* forms) {
    std::size_t i = 0;
    bool digits = false, dot = false;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || (text[i] == '.' && !dot))) {
        if (text[i] == '.') dot = true; else digits = true;
        ++i;
    }
    if (!digits || i > 32) throw std::invalid_argument(std::string("'") + text + "' is not a " + what + ": expected " + forms);
    const double value = std::strtod(text.substr(0, i).c_str(), nullptr);
    if (!std::isfinite(value)) throw std::invalid_argument(std::string("'") + text + "' is not a " + what + ": expected " + forms);
    return {value, text.substr(i)};
}

}  // namespace

double parse_duration_s(const std::string& text) {
    static const char* forms = "a number with a unit: us, ms, s, min or h (e.g. 250ms, 2s)";
    const auto [value, unit] = split(text, "duration", forms);
    static const std::vector<std::pair<std::string, double>> units = {
        {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}};
    for (const auto& [name, factor] : units)
        if (unit == name) return value * factor;
    throw std::invalid_argument("'" + text + "' is not a duration: expected " + forms);
}

double parse_size_kib(const std::string& text) {
    static const char* forms = "a number with a unit: B, KiB, MiB, GiB, TiB (or KB, MB, GB, TB), e.g. 512MiB";
    const auto [value, unit] = split(text, "size", forms);
    static const std::vector<std::pair<std::string, double>> units = {
        {"B", 1.0 / 1024},          {"KiB", 1.0},         {"MiB", 1024.0},     {"GiB", 1024.0 * 1024},
        {"TiB", 1024.0 * 1024 * 1024}, {"KB", 1000.0 / 1024}, {"MB", 1e6 / 1024}, {"GB", 1e9 / 1024},
        {"TB", 1e12 / 1024}};
    for (const auto& [name, factor] : units)
        if (unit == name) return value * factor;
    throw std::invalid_argument("'" + text + "' is not a size: expected " + forms);
}

double parse_percent(const std::string& text) {
    static const char* forms = "a percentage such as 1% or 0.5%";
    const auto [value, unit] = split(text, "percentage", forms);
    if (unit != "%" || value > 100) throw std::invalid_argument("'" + text + "' is not a percentage: expected " + forms);
    return value / 100;
}

}  // namespace workersim
