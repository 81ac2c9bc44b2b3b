#include "calibrate/harness/gunicorn_server.hpp"

#include <sstream>
#include <stdexcept>
#include <thread>

#include "calibrate/harness/loopback_http.hpp"
#include "calibrate/harness/proc_stats.hpp"
#include "calibrate/harness/text_file.hpp"

namespace workersim {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// As a person writes them (ostream defaults: "0.25", "100").
std::string format_number(double s) {
    std::ostringstream text;
    text << s;
    return text.str();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> app_environment(
    std::vector<std::pair<std::string, std::string>> database, const AppWorkload& workload) {
    database.push_back({"IO_BOUND", format_number(workload.io_pct)});
    database.push_back({"CPU_BOUND", format_number(workload.cpu_pct)});
    database.push_back({"UNIT_S", format_number(workload.unit_s)});
    return database;
}

int count_ready_workers(const std::string& log_text) {
    int count = 0;
    for (std::size_t at = log_text.find("Worker ready: pid"); at != std::string::npos;
         at = log_text.find("Worker ready: pid", at + 1))
        ++count;
    return count;
}

GunicornServer::GunicornServer(const GunicornOptions& options) {
    if (options.workers < 1) throw std::invalid_argument("gunicorn workers = " + std::to_string(options.workers) + ": expected >= 1");
    directory_ = std::make_unique<TempDirectory>("workersim-gunicorn", options.temp_root);
    port_ = free_loopback_port();
    ChildSpec spec;
    spec.argv = {options.executable,
                 "-w", std::to_string(options.workers),
                 "-k", options.worker_class,
                 "--threads", std::to_string(options.threads),
                 "--timeout", format_number(options.timeout_s),
                 "--backlog", std::to_string(options.backlog),
                 "-b", "127.0.0.1:" + std::to_string(port_),
                 "--chdir", options.app_dir.empty() ? options.server_dir : options.app_dir,
                 "-c", options.config_file.empty() ? options.server_dir + "/gunicorn_hooks.py" : options.config_file,
                 // fchmod heartbeats on a disk-backed /tmp can stall workers (gunicorn FAQ).
                 "--worker-tmp-dir", "/dev/shm",
                 "--log-level", "info",
                 options.app};
    if (options.preload) spec.argv.insert(spec.argv.end() - 1, "--preload");
    if (options.access_log) {
        // Only the pid: the log's one use is counting each process's responses.
        const std::vector<std::string> access = {"--access-logfile", directory_->file("access.log"),
                                                 "--access-logformat", "%(p)s"};
        spec.argv.insert(spec.argv.end() - 1, access.begin(), access.end());  // before the app
    }
    spec.environment = options.environment;
    spec.cores = options.cores;
    spec.session_nice = options.session_nice;
    spec.stdout_path = directory_->file("gunicorn.out");
    spec.stderr_path = directory_->file("gunicorn.log");
    const auto started = Clock::now();
    master_ = std::make_unique<ChildProcess>(spec);

    const auto deadline = started + options.boot_limit;
    auto fail = [&](const std::string& why) {
        throw std::runtime_error("gunicorn " + why + "; its log ends: " + log_tail());
    };
    // Boot: every worker forked and past load_wsgi (the hook's line).
    for (;;) {
        if (master_->poll()) fail("exited while booting (" + describe(*master_->exit()) + ")");
        if (count_ready_workers(read_text_file(spec.stderr_path)) >= options.workers &&
            static_cast<int>(worker_pids().size()) >= options.workers)
            break;
        if (Clock::now() > deadline) fail("did not boot " + std::to_string(options.workers) + " workers in time");
        std::this_thread::sleep_for(5ms);
    }
    boot_s_ = std::chrono::duration<double>(Clock::now() - started).count();
    if (!options.probe) {
        std::this_thread::sleep_for(500ms);  // as below: the workers back in accept()
        if (master_->poll()) fail("exited after boot (" + describe(*master_->exit()) + ")");
        return;
    }

    // The app answers end to end (database reachable); not part of boot_s.
    const auto probe_limit = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const auto status = http_get_status(port_, "/", std::max(probe_limit, std::chrono::milliseconds(1000)));
    // With requests longer than --timeout (the failure plan) the master kills the probe's
    // worker: the app was reached, so wait for the replacement instead of failing.
    auto count_lines = [](const std::string& log, const std::string& marker) {
        int n = 0;
        for (auto at = log.find(marker); at != std::string::npos; at = log.find(marker, at + 1)) ++n;
        return n;
    };
    const bool killed_by_timeout = !status && count_lines(read_text_file(spec.stderr_path), "WORKER TIMEOUT") > 0;
    if (status != 204 && !killed_by_timeout)
        fail("answered the probe request with " + (status ? std::to_string(*status) : std::string("no response")) +
             " instead of 204");
    while (killed_by_timeout) {
        const std::string log = read_text_file(spec.stderr_path);
        if (count_ready_workers(log) >= options.workers + count_lines(log, "WORKER TIMEOUT")) break;
        if (Clock::now() > deadline + std::chrono::seconds(10)) fail("did not replace the worker its timeout killed");
        std::this_thread::sleep_for(5ms);
    }
    // Let the workers return to accept() and the master finish its spawn sleeps.
    std::this_thread::sleep_for(500ms);
    if (master_->poll()) fail("exited after boot (" + describe(*master_->exit()) + ")");
}

GunicornServer::~GunicornServer() { stop(); }

void GunicornServer::stop() {
    if (master_) master_->stop(std::chrono::seconds(10));
}

std::vector<pid_t> GunicornServer::worker_pids() const { return read_children(master_->pid()); }

std::vector<std::string> GunicornServer::access_log_lines() const {
    std::vector<std::string> lines;
    std::istringstream text(read_text_file(directory_->file("access.log")));
    for (std::string line; std::getline(text, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string GunicornServer::log_tail(std::size_t max_chars) const {
    const std::string text = read_text_file(directory_->file("gunicorn.log"));
    return text.size() > max_chars ? text.substr(text.size() - max_chars) : text;
}

}  // namespace workersim
