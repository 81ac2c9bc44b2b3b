#pragma once
// The number and layout formats of the text outputs, one home for each.

#include <cstddef>
#include <ostream>
#include <string>

namespace workersim::report {

// printf's %.*f: `decimals` digits after the point.
std::string fixed(double value, int decimals);
// As an ostream prints a double by default (6 significant digits, no trailing zeros): the
// swept values and CSV cells.
std::string general(double value);
// A size for a figure: "512 KiB", "196.8 MiB", "4.00 GiB".
std::string format_kib(double kib);
// A size for advice, coarser: "0.0 MiB", "2.3 GiB", "12 GiB".
std::string format_kib_rounded(double kib);

// `text` after spaces up to `width` characters (none when it is that long already), or
// before them.
std::string pad_left(const std::string& text, std::size_t width);
std::string pad_right(const std::string& text, std::size_t width);
// Greedy word wrap at `width` columns, each line indented by two spaces.
void print_wrapped(std::ostream& out, const std::string& text, std::size_t width);

}  // namespace workersim::report
