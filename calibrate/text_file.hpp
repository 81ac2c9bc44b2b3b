#pragma once
// A child's log or output file, whole: what the harness quotes when a tool fails.

#include <fstream>
#include <sstream>
#include <string>

namespace workersim {

// The file's text; "" if it cannot be read (a tool that died before writing it).
inline std::string read_text_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace workersim
