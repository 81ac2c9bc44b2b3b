#include "calibrate/harness/proc_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace workersim {

namespace {

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
}

std::string proc_path(pid_t pid, const char* file) {
    return "/proc/" + std::to_string(pid) + "/" + file;
}

}  // namespace

namespace {

// Fields 3..last of a /proc/PID/stat line, as integers where asked: the command name (field 2)
// may contain spaces and ')', so fields are counted from the last ')'.
class StatFields {
public:
    StatFields(const std::string& stat_text, int last) {
        const auto close = stat_text.rfind(')');
        if (close == std::string::npos)
            throw std::invalid_argument("/proc stat line without ')': \"" + stat_text.substr(0, 80) + "\"");
        std::istringstream fields(stat_text.substr(close + 1));
        for (std::string token; static_cast<int>(tokens_.size()) < last - 2 && fields >> token;)
            tokens_.push_back(token);
        if (static_cast<int>(tokens_.size()) < last - 2)
            throw std::invalid_argument("/proc stat line has too few fields: \"" + stat_text.substr(0, 80) + "\"");
    }

    std::int64_t integer(int number) const {
        const std::string& token = tokens_.at(static_cast<std::size_t>(number - 3));
        std::size_t used = 0;
        const long long value = std::stoll(token, &used);
        if (used != token.size())
            throw std::invalid_argument("/proc stat field " + std::to_string(number) + " = \"" + token +
                                        "\": expected an integer");
        return static_cast<std::int64_t>(value);
    }

private:
    std::vector<std::string> tokens_;
};

}  // namespace

CpuTicks parse_proc_stat_cpu(const std::string& stat_text) {
    const StatFields fields(stat_text, 17);  // utime, stime, cutime, cstime: fields 14-17
    return CpuTicks{fields.integer(14), fields.integer(15), fields.integer(16), fields.integer(17)};
}

std::int64_t parse_proc_stat_start_ticks(const std::string& stat_text) {
    return StatFields(stat_text, 22).integer(22);  // starttime, ticks after boot
}

double parse_smaps_rollup_pss_kib(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("Pss:", 0) != 0) continue;
        std::istringstream words(line.substr(4));
        double kib = 0;
        std::string unit;
        if (!(words >> kib >> unit) || unit != "kB")
            throw std::invalid_argument("smaps_rollup line \"" + line + "\": expected \"Pss: <n> kB\"");
        return kib;
    }
    throw std::invalid_argument("smaps_rollup text has no \"Pss:\" line");
}

std::vector<pid_t> parse_children(const std::string& text) {
    std::istringstream words(text);
    std::vector<pid_t> pids;
    for (long pid = 0; words >> pid;) pids.push_back(static_cast<pid_t>(pid));
    return pids;
}

double clock_ticks_per_s() {
    static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return ticks;
}

double ticks_to_s(std::int64_t ticks) { return static_cast<double>(ticks) / clock_ticks_per_s(); }

std::int64_t parse_proc_stat_busy_ticks(const std::string& text, int core) {
    const std::string label = "cpu" + std::to_string(core) + " ";
    std::size_t at = text.rfind(label, 0) == 0 ? 0 : text.find("\n" + label);
    if (at != 0 && at != std::string::npos) ++at;  // past the newline
    if (at == std::string::npos) throw std::invalid_argument("/proc/stat has no \"" + label + "\" line");
    std::istringstream fields(text.substr(at + label.size(), text.find('\n', at) - at - label.size()));
    // user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
    std::int64_t value[8] = {};
    for (int i = 0; i < 8; ++i)
        if (!(fields >> value[i]) || value[i] < 0)
            throw std::invalid_argument("/proc/stat's \"" + label + "\" line has fewer than 8 counters");
    return value[0] + value[1] + value[2] + value[5] + value[6] + value[7];
}

std::int64_t read_busy_ticks(const std::vector<int>& cores) {
    const auto text = read_text("/proc/stat");
    if (!text) throw std::runtime_error("cannot read /proc/stat");
    std::int64_t ticks = 0;
    for (int core : cores) ticks += parse_proc_stat_busy_ticks(*text, core);
    return ticks;
}

std::optional<CpuTicks> read_cpu_ticks(pid_t pid) {
    const auto text = read_text(proc_path(pid, "stat"));
    if (!text || text->empty()) return std::nullopt;
    return parse_proc_stat_cpu(*text);
}

std::optional<std::int64_t> read_start_ticks(pid_t pid) {
    const auto text = read_text(proc_path(pid, "stat"));
    if (!text || text->empty()) return std::nullopt;
    return parse_proc_stat_start_ticks(*text);
}

std::optional<double> read_pss_kib(pid_t pid) {
    const auto text = read_text(proc_path(pid, "smaps_rollup"));
    if (!text || text->empty()) return std::nullopt;
    return parse_smaps_rollup_pss_kib(*text);
}

std::vector<pid_t> read_children(pid_t pid) {
    std::vector<pid_t> children;
    const std::string tasks = proc_path(pid, "task");
    DIR* dir = opendir(tasks.c_str());
    if (!dir) return children;
    while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        if (const auto text = read_text(tasks + "/" + entry->d_name + "/children")) {
            for (pid_t child : parse_children(*text)) children.push_back(child);
        }
    }
    closedir(dir);
    return children;
}

std::optional<std::string> read_comm(pid_t pid) {
    auto text = read_text(proc_path(pid, "comm"));
    if (!text) return std::nullopt;
    while (!text->empty() && text->back() == '\n') text->pop_back();
    return text;
}

bool process_exists(pid_t pid) {
    const auto text = read_text(proc_path(pid, "stat"));
    if (!text || text->empty()) return false;
    const auto close = text->rfind(')');
    return close != std::string::npos && close + 2 < text->size() && (*text)[close + 2] != 'Z' &&
           (*text)[close + 2] != 'X';
}

std::optional<std::uint64_t> parse_listening_inode(const std::string& text, int port) {
    constexpr const char* kListen = "0A";  // TCP_LISTEN in include/net/tcp_states.h
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
        if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
            continue;
        const auto colon = local.find(':');
        if (colon == std::string::npos || state != kListen) continue;
        if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) return std::stoull(inode);
    }
    return std::nullopt;
}

std::optional<pid_t> find_listening_pid(int port) {
    const auto text = read_text("/proc/net/tcp");
    const auto inode = text ? parse_listening_inode(*text, port) : std::nullopt;
    if (!inode) return std::nullopt;
    const std::string wanted = "socket:[" + std::to_string(*inode) + "]";
    std::optional<pid_t> oldest;
    DIR* proc = ::opendir("/proc");
    if (!proc) return std::nullopt;
    while (const dirent* entry = ::readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (*end != '\0' || pid <= 0) continue;
        const std::string fd_dir = "/proc/" + std::string(entry->d_name) + "/fd";
        DIR* fds = ::opendir(fd_dir.c_str());
        if (!fds) continue;
        while (const dirent* fd = ::readdir(fds)) {
            char target[128];
            const ssize_t n = ::readlink((fd_dir + "/" + fd->d_name).c_str(), target, sizeof target - 1);
            if (n > 0 && std::string(target, static_cast<std::size_t>(n)) == wanted) {
                if (!oldest || pid < *oldest) oldest = static_cast<pid_t>(pid);
                break;
            }
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return oldest;
}

}  // namespace workersim
