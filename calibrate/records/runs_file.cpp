#include "calibrate/records/runs_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "calibrate/records/run_json.hpp"
#include "model/json_reader.hpp"

namespace workersim {

namespace {

[[noreturn]] void fail_io(const std::string& path, const char* what) {
    throw std::runtime_error(path + ": cannot " + what + ": " + std::strerror(errno));
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

void append_run(const std::string& path, const Run& run) {
    const std::string line = to_json(run).dump() + "\n";
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail_io(path, "open for appending");
    std::size_t written = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            fail_io(path, "append");
        }
        written += static_cast<std::size_t>(n);
    }
    // The run took seconds of real load to measure: make it durable before starting the next.
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        fail_io(path, "fsync");
    }
    if (::close(fd) != 0) fail_io(path, "close");
}

LoadedRuns load_runs(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail_io(path, "open for reading");
    std::ostringstream all;
    all << in.rdbuf();
    const std::string text = all.str();

    // Split into lines, remembering where each ends and whether it had its newline.
    struct Line {
        std::string text;
        std::size_t end;  // offset just past the line's newline (or the file's end)
        bool complete;
    };
    std::vector<Line> lines;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            lines.push_back({text.substr(start), text.size(), false});
            break;
        }
        lines.push_back({text.substr(start, nl - start), nl + 1, true});
        start = nl + 1;
    }
    std::size_t last = lines.size();
    while (last > 0 && blank(lines[last - 1].text) && lines[last - 1].complete) --last;

    LoadedRuns out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& line = lines[i];
        if (blank(line.text)) {
            // Blank lines after a bad last line must not move the cut past it.
            if (line.complete && !out.bad_last_line) out.good_bytes = line.end;
            continue;
        }
        const std::string where = path + " line " + std::to_string(i + 1);
        const bool is_last = i + 1 == last;
        try {
            if (!line.complete) throw JsonError(where + ": truncated (no newline at the end)");
            nlohmann::json json;
            try {
                json = nlohmann::json::parse(line.text);
            } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e400
                throw JsonError(where + ": not valid JSON (" + e.what() + ")");
            }
            out.runs.push_back(run_from_json(json, where));
            out.good_bytes = line.end;
        } catch (const JsonError& e) {
            if (!is_last) throw;
            out.warnings.push_back(std::string(e.what()) +
                                   "; skipped as the unfinished write of an interrupted calibration");
            out.bad_last_line = true;
        }
    }
    return out;
}

void drop_bad_last_line(const std::string& path, const LoadedRuns& loaded) {
    if (!loaded.bad_last_line) return;
    std::error_code error;
    std::filesystem::resize_file(path, loaded.good_bytes, error);
    if (error) throw std::runtime_error(path + ": cannot cut off its bad last line: " + error.message());
}

std::vector<RunConfig> remaining_runs(const std::vector<RunConfig>& plan, const std::vector<Run>& done) {
    std::set<std::string> finished;
    for (const Run& run : done) finished.insert(run.config.id);
    std::vector<RunConfig> out;
    for (const RunConfig& config : plan)
        if (!finished.count(config.id)) out.push_back(config);
    return out;
}

}  // namespace workersim
