#pragma once
// A child's log or output file, whole: what the harness quotes when a tool fails; and the
// small files the harness hands its children.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace workersim {

// The file's text; "" if it cannot be read (a tool that died before writing it).
inline std::string read_text_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Writes `text` as the whole file; throws std::runtime_error naming it on failure.
inline void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error(path + ": cannot write");
}

}  // namespace workersim
