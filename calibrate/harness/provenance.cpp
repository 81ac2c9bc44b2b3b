#include "calibrate/harness/provenance.hpp"

#include <sys/utsname.h>

#include <cstdio>
#include <fstream>

#include "calibrate/harness/utc_time.hpp"

namespace workersim {

namespace {

// The first line a command prints, or "" if it cannot run.
std::string first_line_of(const std::string& command) {
    std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return "";
    char buffer[512];
    std::string line;
    if (std::fgets(buffer, sizeof buffer, pipe)) line = buffer;
    ::pclose(pipe);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    return line;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    return "";
}

}  // namespace

Provenance collect_provenance(const ProvenanceSources& sources) {
    Provenance p;
    p.date = utc_now_iso8601();
    p.cpu_model = cpu_model();
    utsname u{};
    if (::uname(&u) == 0) p.kernel = std::string(u.sysname) + " " + u.release;
    p.gunicorn_version = first_line_of(sources.gunicorn + " --version");
    p.python_version = first_line_of(sources.python + " --version");
    p.postgresql_version = first_line_of(sources.postgres_bin_dir + "/postgres --version");
    // hey has no --version flag: ask the package manager.
    p.hey_version = first_line_of("dpkg-query -W -f='${Version}' hey");
    p.runs_file = sources.runs_file;
    return p;
}

}  // namespace workersim
