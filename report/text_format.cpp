#include "report/text_format.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace workersim::report {

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string general(double value) {
    std::ostringstream m;
    m << value;
    return m.str();
}

std::string format_kib(double kib) {
    if (kib >= 1024 * 1024) return fixed(kib / 1024 / 1024, 2) + " GiB";
    if (kib >= 1024) return fixed(kib / 1024, 1) + " MiB";
    return fixed(kib, 0) + " KiB";
}

std::string format_kib_rounded(double kib) {
    const int decimals = kib >= 10 * 1024 * 1024 ? 0 : 1;
    if (kib >= 1024 * 1024) return fixed(kib / 1024 / 1024, decimals) + " GiB";
    return fixed(kib / 1024, decimals) + " MiB";
}

std::string pad_left(const std::string& text, std::size_t width) {
    return std::string(width - std::min(width, text.size()), ' ') + text;
}

std::string pad_right(const std::string& text, std::size_t width) {
    return text + std::string(width - std::min(width, text.size()), ' ');
}

void print_wrapped(std::ostream& out, const std::string& text, std::size_t width) {
    std::size_t column = 0, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (column > 0 && column + 1 + word.size() > width) {
            out << "\n";
            column = 0;
        }
        out << (column == 0 ? "  " : " ") << word;
        column += word.size() + (column == 0 ? 2 : 1);
        start = end + 1;
    }
    out << "\n";
}

}  // namespace workersim::report
