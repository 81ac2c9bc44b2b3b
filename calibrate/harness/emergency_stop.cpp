#include "calibrate/harness/emergency_stop.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <ctime>

namespace workersim {

namespace {

constexpr int kMaxGroups = 64;
constexpr int kMaxDirectories = 16;
constexpr std::size_t kMaxPath = 256;

struct GroupSlot {
    std::atomic<pid_t> pgid{0};
    std::atomic<int> abort_signal{SIGKILL};
};

struct DirectorySlot {
    std::atomic<bool> used{false};
    std::atomic<bool> ready{false};
    char path[kMaxPath] = {};
};

// See the header: the registry a signal handler can reach.
GroupSlot groups[kMaxGroups];
DirectorySlot directories[kMaxDirectories];

static_assert(std::atomic<pid_t>::is_always_lock_free, "the signal handler needs lock-free atomics");

void sleep_ms(long ms) {
    timespec pause{0, ms * 1000000L};
    nanosleep(&pause, nullptr);
}

bool any_group_alive() {
    for (auto& slot : groups) {
        const pid_t pgid = slot.pgid.load();
        if (pgid > 0 && kill(-pgid, 0) == 0) return true;
    }
    return false;
}

void stop_everything(int) {
    for (auto& slot : groups) {
        const pid_t pgid = slot.pgid.load();
        if (pgid > 0) kill(-pgid, slot.abort_signal.load());
    }
    // Up to 3 s for a clean exit (PostgreSQL's immediate shutdown), reaping our zombies.
    for (int waited_ms = 0; waited_ms < 3000 && any_group_alive(); waited_ms += 20) {
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        sleep_ms(20);
    }
    for (auto& slot : groups) {
        const pid_t pgid = slot.pgid.load();
        if (pgid > 0) kill(-pgid, SIGKILL);
    }
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    for (auto& slot : directories) {
        if (!slot.ready.load()) continue;
        const pid_t rm = fork();
        if (rm == 0) {
            char* const argv[] = {const_cast<char*>("rm"), const_cast<char*>("-rf"), const_cast<char*>("--"),
                                  slot.path, nullptr};
            execv("/bin/rm", argv);
            _exit(127);
        }
        if (rm > 0) waitpid(rm, nullptr, 0);
    }
    _exit(130);
}

struct sigaction previous_int, previous_term;

}  // namespace

void register_process_group(pid_t pgid, int abort_signal) {
    for (auto& slot : groups) {
        pid_t empty = 0;
        slot.abort_signal.store(abort_signal);
        if (slot.pgid.compare_exchange_strong(empty, pgid)) return;
    }
    // More than kMaxGroups live children: the extra one is still stopped by its owner.
}

void unregister_process_group(pid_t pgid) {
    for (auto& slot : groups) {
        pid_t expected = pgid;
        if (slot.pgid.compare_exchange_strong(expected, 0)) return;
    }
}

void register_cleanup_directory(const std::string& path) {
    if (path.size() >= kMaxPath) return;
    for (auto& slot : directories) {
        bool free = false;
        if (!slot.used.compare_exchange_strong(free, true)) continue;
        std::memcpy(slot.path, path.c_str(), path.size() + 1);
        slot.ready.store(true);
        return;
    }
}

void unregister_cleanup_directory(const std::string& path) {
    for (auto& slot : directories) {
        if (slot.ready.load() && path == slot.path) {
            slot.ready.store(false);
            slot.used.store(false);
            return;
        }
    }
}

EmergencyStop::EmergencyStop() {
    struct sigaction action {};
    action.sa_handler = stop_everything;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGINT);
    sigaddset(&action.sa_mask, SIGTERM);
    sigaction(SIGINT, &action, &previous_int);
    sigaction(SIGTERM, &action, &previous_term);
}

EmergencyStop::~EmergencyStop() {
    sigaction(SIGINT, &previous_int, nullptr);
    sigaction(SIGTERM, &previous_term, nullptr);
}

}  // namespace workersim
