#include "calibrate/temp_directory.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include "calibrate/emergency_stop.hpp"

namespace workersim {

TempDirectory::TempDirectory(const std::string& prefix, const std::string& root) {
    std::string base = root;
    if (base.empty()) {
        const char* tmpdir = std::getenv("TMPDIR");
        base = tmpdir && *tmpdir ? tmpdir : "/tmp";
    }
    std::string pattern = base + "/" + prefix + "-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data()))
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path_ = buffer.data();
    register_cleanup_directory(path_);
}

TempDirectory::~TempDirectory() {
    unregister_cleanup_directory(path_);
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace workersim
