#include "calibrate/harness/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "calibrate/harness/emergency_stop.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/harness/text_file.hpp"

extern char** environ;

namespace workersim {

namespace {

std::vector<std::string> merged_environment(const std::vector<std::pair<std::string, std::string>>& additions) {
    std::vector<std::string> entries;
    for (char** entry = environ; *entry; ++entry) {
        const std::string text = *entry;
        const std::string key = text.substr(0, text.find('='));
        bool overridden = false;
        for (const auto& [name, value] : additions) overridden = overridden || name == key;
        if (!overridden) entries.push_back(text);
    }
    for (const auto& [name, value] : additions) entries.push_back(name + "=" + value);
    return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& text : strings) result.push_back(text.data());
    result.push_back(nullptr);
    return result;
}

double seconds(const timeval& time) { return static_cast<double>(time.tv_sec) + time.tv_usec / 1e6; }

// In the forked child, before exec: only async-signal-safe calls. On failure the errno goes
// back to the parent through the close-on-exec pipe.
[[noreturn]] void become_child(const ChildSpec& spec, char* const* argv, char* const* envp,
                               const passwd* user, int report_fd) {
    auto fail = [report_fd]() {
        const int error = errno;
        (void)!write(report_fd, &error, sizeof error);
        _exit(127);
    };
    if (spec.session_nice) {
        // setsid also makes the child its group's leader, as setpgid would.
        if (setsid() < 0) fail();
        const int fd = open("/proc/self/autogroup", O_WRONLY);
        if (fd >= 0) {
            char text[16];
            int length = 0;
            int value = *spec.session_nice;
            if (value < 0) {
                text[length++] = '-';
                value = -value;
            }
            char digits[12];
            int count = 0;
            do {
                digits[count++] = static_cast<char>('0' + value % 10);
                value /= 10;
            } while (value > 0);
            while (count > 0) text[length++] = digits[--count];
            // Best effort: without the privilege the child still runs, at the default weight.
            (void)!write(fd, text, static_cast<std::size_t>(length));
            close(fd);
        }
    } else {
        setpgid(0, 0);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (!spec.cores.empty()) {
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int core : spec.cores) CPU_SET(core, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) fail();
    }
    const int in = open("/dev/null", O_RDONLY);
    const char* out_path = spec.stdout_path.empty() ? "/dev/null" : spec.stdout_path.c_str();
    const char* err_path = spec.stderr_path.empty() ? "/dev/null" : spec.stderr_path.c_str();
    const int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0 || err < 0) fail();
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) fail();
    // The output files were opened as us; the new user writes through the inherited fds.
    if (user) {
        if (setgroups(0, nullptr) != 0 || setgid(user->pw_gid) != 0 || setuid(user->pw_uid) != 0) fail();
    }
    // Should this harness die without cleaning up (SIGKILL), the child goes too. Set after
    // setuid, which clears it.
    prctl(PR_SET_PDEATHSIG, spec.abort_signal);
    if (!spec.working_directory.empty() && chdir(spec.working_directory.c_str()) != 0) fail();
    execvpe(argv[0], argv, envp);
    fail();
    _exit(127);
}

}  // namespace

std::string describe(const ChildExit& exit) {
    return exit.signal ? "signal " + std::to_string(exit.signal) : "exit status " + std::to_string(exit.exit_code);
}

ChildProcess::ChildProcess(const ChildSpec& spec) : stop_signal_(spec.stop_signal) {
    if (spec.argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
    name_ = spec.argv.front();
    std::vector<std::string> argv_strings = spec.argv;
    std::vector<std::string> env_strings = merged_environment(spec.environment);
    auto argv = pointers(argv_strings);
    auto envp = pointers(env_strings);
    const passwd* user = nullptr;
    passwd user_copy{};
    if (!spec.run_as_user.empty() && geteuid() == 0) {
        user = getpwnam(spec.run_as_user.c_str());
        if (!user) throw std::runtime_error("no such user \"" + spec.run_as_user + "\" to run " + name_ + " as");
        user_copy = *user;
        user = &user_copy;
    }
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    pid_ = fork();
    if (pid_ < 0) {
        const int error = errno;
        close(report[0]);
        close(report[1]);
        throw std::system_error(error, std::generic_category(), "fork for " + name_);
    }
    if (pid_ == 0) {
        close(report[0]);
        become_child(spec, argv.data(), envp.data(), user, report[1]);
    }
    // Both sides set the group, so that it exists before the parent ever signals it. A child
    // starting a session must do it alone (setsid fails for a group leader); it has done so
    // by the time the report pipe below reads EOF at its exec.
    if (!spec.session_nice) setpgid(pid_, pid_);
    register_process_group(pid_, spec.abort_signal);
    close(report[1]);
    int child_errno = 0;
    ssize_t got;
    do {
        got = read(report[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == sizeof child_errno) {
        wait_for(std::chrono::seconds(5));
        unregister_process_group(pid_);
        throw std::system_error(child_errno, std::generic_category(), "starting " + name_);
    }
}

ChildProcess::~ChildProcess() {
    try {
        stop();
    } catch (...) {
        // A destructor that throws would terminate; the group got SIGKILL in any case.
    }
}

std::optional<ChildExit> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
    if (exit_) return exit_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        rusage usage{};
        const pid_t reaped = wait4(pid_, &status, WNOHANG, &usage);
        if (reaped == pid_) {
            ChildExit result;
            if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
            if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
            result.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
            exit_ = result;
            return exit_;
        }
        if (reaped < 0 && errno != EINTR) {
            // Someone else reaped it (a subreaper test, say): it is gone, with unknown status.
            exit_ = ChildExit{};
            return exit_;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void ChildProcess::kill_group(int signal) const { ::kill(-pid_, signal); }

ChildExit ChildProcess::stop(std::chrono::milliseconds grace) {
    if (!exit_) {
        kill_group(stop_signal_);
        if (!wait_for(grace)) {
            kill_group(SIGKILL);
            wait_for(std::chrono::hours(1));
        }
    }
    // Members that outlived the leader (orphaned workers) still carry its group id.
    kill_group(SIGKILL);
    unregister_process_group(pid_);
    return *exit_;
}

void run_to_completion(ChildSpec spec, std::chrono::milliseconds timeout, const std::string& temp_root) {
    // A TempDirectory, not a bare file: under temp_root, and removed on Ctrl-C or by the next
    // run after a SIGKILL like every other.
    const TempDirectory directory("workersim-command", temp_root);
    const std::string path = directory.file("stderr");
    spec.stderr_path = path;
    std::string command;
    for (const auto& word : spec.argv) command += (command.empty() ? "" : " ") + word;
    std::optional<ChildExit> result;
    {
        ChildProcess child(spec);
        result = child.wait_for(timeout);
        if (!result) child.stop(std::chrono::seconds(1));
    }
    const std::string err_text = read_text_file(path);
    if (!result)
        throw std::runtime_error("`" + command + "` did not finish within " + std::to_string(timeout.count()) +
                                 " ms; stderr: " + err_text);
    if (result->exit_code != 0)
        throw std::runtime_error("`" + command + "` failed (" + describe(*result) + "); stderr: " + err_text);
}

}  // namespace workersim
