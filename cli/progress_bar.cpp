#include "cli/progress_bar.hpp"

#include <iomanip>
#include <iostream>
#include <sstream>

namespace workersim::cli {

std::string clock_text(double seconds) {
    const auto s = static_cast<long>(seconds + 0.5);
    std::ostringstream out;
    out << s / 60 << "m" << std::setw(2) << std::setfill('0') << s % 60 << "s";
    return out.str();
}

void draw_progress(const SessionProgress& p) {
    const int width = 24;
    const int filled = p.total ? static_cast<int>(width * p.done / p.total) : width;
    std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << p.done << "/" << p.total
              << "  elapsed " << clock_text(p.elapsed_s) << "  ~" << clock_text(p.left_s) << " left  "
              << (p.next_id.empty() ? "done" : p.next_id) << "\x1b[K" << std::flush;
    if (p.next_id.empty()) std::cerr << "\n";
}

void clear_progress_line() { std::cerr << "\r\x1b[K"; }

}  // namespace workersim::cli
