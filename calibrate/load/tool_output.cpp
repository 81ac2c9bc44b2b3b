#include "calibrate/load/tool_output.hpp"

#include <stdexcept>

namespace workersim {

double number_in_output(const std::string& text, const std::string& where) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size())
        throw std::invalid_argument(where + ": \"" + text + "\" is not a number");
    return value;
}

}  // namespace workersim
