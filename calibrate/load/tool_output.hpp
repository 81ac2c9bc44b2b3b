#pragma once
// Numbers in a load tool's text output.

#include <string>

namespace workersim {

// The whole of `text` as a number; throws std::invalid_argument naming `where` and the text.
double number_in_output(const std::string& text, const std::string& where);

}  // namespace workersim
