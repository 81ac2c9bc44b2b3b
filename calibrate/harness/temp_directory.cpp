#include "calibrate/harness/temp_directory.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "calibrate/harness/emergency_stop.hpp"
#include "calibrate/harness/proc_stats.hpp"

namespace workersim {

namespace {

constexpr const char* kOwnerFile = ".workersim-owner";

std::string root_or_default(const std::string& root) {
    if (!root.empty()) return root;
    const char* tmpdir = std::getenv("TMPDIR");
    return tmpdir && *tmpdir ? tmpdir : "/tmp";
}

// "PID STARTTIME": the start time tells our process apart from a later one that reuses its
// pid; "" once the process is gone.
std::string process_identity(pid_t pid) {
    const auto start_ticks = read_start_ticks(pid);
    return start_ticks ? std::to_string(pid) + " " + std::to_string(*start_ticks) : "";
}

}  // namespace

int remove_abandoned_temp_directories(const std::string& root) {
    int removed = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(root_or_default(root), error)) {
        if (!entry.is_directory(error) || entry.path().filename().string().rfind("workersim-", 0) != 0) continue;
        std::ifstream owner_file(entry.path() / kOwnerFile);
        std::string owner;
        if (!std::getline(owner_file, owner)) continue;  // not ours, or still being made
        std::istringstream fields(owner);
        pid_t pid = 0;
        if (!(fields >> pid) || pid <= 0) continue;
        if (process_identity(pid) == owner) continue;  // its owner still runs
        std::filesystem::remove_all(entry.path(), error);
        if (!error) ++removed;
    }
    return removed;
}

TempDirectory::TempDirectory(const std::string& prefix, const std::string& root) {
    const std::string base = root_or_default(root);
    std::string pattern = base + "/" + prefix + "-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data()))
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path_ = buffer.data();
    register_cleanup_directory(path_);
    // Ctrl-C and SIGTERM remove it (emergency_stop); after a SIGKILL the next run does.
    std::ofstream(file(kOwnerFile)) << process_identity(::getpid()) << "\n";
}

TempDirectory::~TempDirectory() {
    unregister_cleanup_directory(path_);
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace workersim
