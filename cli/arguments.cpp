#include "cli/arguments.hpp"

#include <cctype>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "cli/usage_error.hpp"
#include "model/units.hpp"

namespace workersim::cli {

namespace {

template <class T>
[[noreturn]] void out_of_range(const std::string& flag, const std::string& text, T min, T max, const char* what) {
    std::ostringstream m;
    m << flag << " " << text << ": expected " << what << " in " << min << ".." << max;
    throw UsageError(m.str());
}

bool plain_decimal(const std::string& text, bool allow_fraction) {
    if (text.empty() || text.size() > 40) return false;
    bool digit = false, dot = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c))) digit = true;
        else if (c == '.' && allow_fraction && !dot) dot = true;
        else if (c == '-' && i == 0) continue;
        else return false;
    }
    return digit;
}

}  // namespace

std::int64_t parse_integer(const std::string& flag, const std::string& text, std::int64_t min, std::int64_t max) {
    if (!plain_decimal(text, false)) out_of_range(flag, "'" + text + "'", min, max, "an integer");
    errno = 0;
    const long long value = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE || value < min || value > max) out_of_range(flag, text, min, max, "an integer");
    return value;
}

std::int64_t parse_integer(const std::string& flag, const std::string& text, const IntegerRange& range) {
    return parse_integer(flag, text, range.min, range.max);
}

double parse_number(const std::string& flag, const std::string& text, double min, double max) {
    if (!plain_decimal(text, true)) out_of_range(flag, "'" + text + "'", min, max, "a number");
    const double value = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(value) || value < min || value > max) out_of_range(flag, text, min, max, "a number");
    return value;
}

double parse_seconds(const std::string& flag, const std::string& text, double min_s, double max_s) {
    double value = 0;
    if (plain_decimal(text, true)) {
        value = std::strtod(text.c_str(), nullptr);
    } else {
        try {
            value = parse_duration_s(text);
        } catch (const std::invalid_argument& e) {
            throw UsageError(flag + " " + e.what());
        }
    }
    if (!std::isfinite(value) || value < min_s || value > max_s)
        out_of_range(flag, text, min_s, max_s, "seconds (or a duration such as 250ms, 2s)");
    return value;
}

double parse_kib(const std::string& flag, const std::string& text, double min_kib, double max_kib) {
    double value = 0;
    try {
        value = parse_size_kib(text);
    } catch (const std::invalid_argument& e) {
        throw UsageError(flag + " " + e.what());
    }
    if (value < min_kib || value > max_kib) {
        std::ostringstream m;
        m << flag << " " << text << ": expected a size from " << min_kib << " KiB to " << max_kib / 1024 / 1024
          << " GiB";
        throw UsageError(m.str());
    }
    return value;
}

ExistingDatabase parse_pg_dsn_flag(const std::string& text) {
    try {
        return parse_pg_dsn(text);
    } catch (const std::invalid_argument& e) {
        // parse_pg_dsn names "the DSN"; the user typed it as --pg-dsn.
        std::string message = e.what();
        const std::string the_dsn = "the DSN ";
        if (message.compare(0, the_dsn.size(), the_dsn) == 0) message.replace(0, the_dsn.size(), "--pg-dsn ");
        throw UsageError(message);
    }
}

std::vector<double> parse_values(const std::string& flag, const std::string& text, bool integer, double min, double max,
                                 std::size_t max_values) {
    auto number = [&](const std::string& piece) {
        return integer ? static_cast<double>(parse_integer(flag, piece, static_cast<std::int64_t>(min),
                                                                static_cast<std::int64_t>(max)))
                            : parse_number(flag, piece, min, max);
    };
    std::vector<double> values;
    const auto dots = text.find("..");
    if (dots != std::string::npos) {
        const auto colon = text.find(':', dots);
        const double from = number(text.substr(0, dots));
        const double to = number(text.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2));
        const double step = colon == std::string::npos ? 1.0 : parse_number(flag + " step", text.substr(colon + 1), 1e-9, 1e12);
        if (integer && std::floor(step) != step) throw UsageError(flag + " " + text + ": the step must be an integer");
        if (to < from) throw UsageError(flag + " " + text + ": expected FROM..TO with FROM <= TO");
        if ((to - from) / step + 1 > static_cast<double>(max_values))
            throw UsageError(flag + " " + text + ": more than " + std::to_string(max_values) + " values");
        // Stepping by index, not by accumulation, so 0..1:0.1 ends exactly at 1.
        for (std::size_t i = 0;; ++i) {
            const double v = from + static_cast<double>(i) * step;
            if (v > to + 1e-9 * step) break;
            values.push_back(std::min(v, to));
        }
    } else {
        std::stringstream pieces(text);
        std::string piece;
        while (std::getline(pieces, piece, ',')) values.push_back(number(piece));
        if (values.size() > max_values)
            throw UsageError(flag + " " + text + ": more than " + std::to_string(max_values) + " values");
        if (values.empty()) throw UsageError(flag + " '" + text + "': expected FROM..TO[:STEP], a list A,B,C or a value");
    }
    return values;
}

}  // namespace workersim::cli
