#include "calibrate/harness/cpu_affinity.hpp"

#include <dirent.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace workersim {

int host_core_count() {
    cpu_set_t set;
    CPU_ZERO(&set);
    // The cores this process may use, which is what a container or taskset grants.
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    return static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
}

CoreList last_cores(int count) {
    const int host = host_core_count();
    if (count < 1 || count > host)
        throw std::invalid_argument("cores = " + std::to_string(count) + ": expected 1.." + std::to_string(host));
    CoreList cores;
    for (int core = host - count; core < host; ++core) cores.push_back(core);
    return cores;
}

CoreList cores_except(const CoreList& used) {
    CoreList rest;
    for (int core = 0; core < host_core_count(); ++core)
        if (std::find(used.begin(), used.end(), core) == used.end()) rest.push_back(core);
    return rest;
}

std::string to_string(const CoreList& cores) {
    std::string text;
    for (int core : cores) text += (text.empty() ? "" : ",") + std::to_string(core);
    return text;
}

void set_affinity(pid_t pid, const CoreList& cores) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int core : cores) CPU_SET(core, &set);
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = opendir(tasks.c_str());
    if (!dir) return;  // the process is gone
    while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        const pid_t tid = static_cast<pid_t>(std::stol(entry->d_name));
        if (sched_setaffinity(tid, sizeof set, &set) != 0 && errno != ESRCH) {
            const int error = errno;
            closedir(dir);
            throw std::system_error(error, std::generic_category(),
                                    "sched_setaffinity(" + std::to_string(tid) + ", " + to_string(cores) + ")");
        }
    }
    closedir(dir);
}

}  // namespace workersim
