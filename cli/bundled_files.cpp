#include "cli/bundled_files.hpp"

#include <filesystem>
#include <system_error>

// WORKERSIM_DATA_FROM_BINDIR: the installed data directory relative to the installed binary's
// (cmake --install and the .deb: bin/ and share/workersim/, GNUInstallDirs). WORKERSIM_SOURCE_DIR:
// the source tree a build-tree binary falls back on.
#ifndef WORKERSIM_DATA_FROM_BINDIR
#define WORKERSIM_DATA_FROM_BINDIR "../share/workersim"
#endif
#ifndef WORKERSIM_SOURCE_DIR
#define WORKERSIM_SOURCE_DIR "."
#endif

namespace workersim::cli {

namespace {

namespace fs = std::filesystem;

// share/workersim beside the running binary when it is an installed one, else empty.
// /proc/self/exe, not argv[0]: the binary may have been found through PATH or a symlink.
fs::path installed_data_dir() {
    std::error_code error;
    const fs::path exe = fs::read_symlink("/proc/self/exe", error);
    if (error) return {};
    const fs::path data = (exe.parent_path() / WORKERSIM_DATA_FROM_BINDIR).lexically_normal();
    return fs::is_directory(data / "server", error) ? data : fs::path();
}

}  // namespace

std::string bundled_server_dir() {
    const fs::path installed = installed_data_dir();
    if (!installed.empty()) return (installed / "server").string();
    return (fs::path(WORKERSIM_SOURCE_DIR) / "calibrate" / "server").string();
}

std::string gunicorn_settings_script() {
    const fs::path installed = installed_data_dir();
    if (!installed.empty()) return (installed / "gunicorn_settings.py").string();
    return (fs::path(WORKERSIM_SOURCE_DIR) / "cli" / "gunicorn_settings.py").string();
}

}  // namespace workersim::cli
