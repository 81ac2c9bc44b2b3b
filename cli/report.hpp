#pragma once
// Human-readable output: hey's summary layout, plus what hey cannot see (errors by cause,
// restarts, utilisation, memory).

#include <ostream>
#include <string>

#include "model/result.hpp"

namespace workersim::cli {

void print_hey_style(std::ostream& out, const Result& result);
std::string format_kib(double kib);

}  // namespace workersim::cli
