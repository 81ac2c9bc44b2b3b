#include "calibrate/session/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/gunicorn_server.hpp"
#include "calibrate/load/load_generator.hpp"
#include "calibrate/harness/proc_stats.hpp"
#include "calibrate/harness/speed_probe.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "model/limits.hpp"

namespace workersim {

namespace {

using namespace std::chrono_literals;

std::string number_text(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

// CPU ticks of the server's processes at one instant.
struct ServerCpu {
    std::int64_t master_ticks = 0;         // utime + stime
    std::int64_t reaped_worker_ticks = 0;  // master's cutime + cstime: workers that exited
    std::map<pid_t, std::int64_t> worker_ticks;
};

ServerCpu read_server_cpu(const GunicornServer& server) {
    ServerCpu cpu;
    const auto master = read_cpu_ticks(server.master_pid());
    if (!master) throw std::runtime_error("the gunicorn master is gone; its log ends: " + server.log_tail());
    cpu.master_ticks = master->utime + master->stime;
    cpu.reaped_worker_ticks = master->cutime + master->cstime;
    for (pid_t worker : server.worker_pids())
        if (const auto ticks = read_cpu_ticks(worker)) cpu.worker_ticks[worker] = ticks->utime + ticks->stime;
    return cpu;
}

// Workers replaced during the load (a timeout kill, say) still count: the master has reaped
// them, so their CPU is in its cutime/cstime.
double worker_cpu_s(const ServerCpu& before, const ServerCpu& after) {
    std::int64_t ticks = after.reaped_worker_ticks - before.reaped_worker_ticks;
    for (const auto& [pid, now] : after.worker_ticks) {
        const auto earlier = before.worker_ticks.find(pid);
        ticks += now - (earlier == before.worker_ticks.end() ? 0 : earlier->second);
    }
    return ticks_to_s(ticks);
}

// Each process's count of the access log's lines after the first `skip`, most first.
std::vector<std::int64_t> responses_by_process(const std::vector<std::string>& lines, std::size_t skip) {
    std::map<std::string, std::int64_t> by_pid;
    for (std::size_t i = skip; i < lines.size(); ++i) ++by_pid[lines[i]];
    std::vector<std::int64_t> counts;
    for (const auto& [pid, n] : by_pid) counts.push_back(n);
    std::sort(counts.rbegin(), counts.rend());
    return counts;
}

std::chrono::milliseconds load_limit(const RunConfig& config, const LoadGenerator& generator) {
    // Generous: every request served one after another, four times slower than nominal, after
    // the tool's own schedule.
    double seconds = 60 + 4.0 * static_cast<double>(config.requests) * config.unit_s;
    seconds += generator.schedule_s(config);
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace

std::string check_runnable(const RunConfig& c) {
    const int host = host_core_count();
    if (c.workers < 1) return "workers = " + std::to_string(c.workers) + ": expected >= 1";
    if (!kThreadsRange.contains(c.threads))
        return "threads = " + std::to_string(c.threads) + ": expected " + kThreadsRange.text();
    if (c.worker_class == WorkerClass::sync && c.threads != 1)
        return "threads = " + std::to_string(c.threads) + " with worker_class sync: expected 1 (Gunicorn would run gthread)";
    if (c.cores < 1 || c.cores > host)
        return "cores = " + std::to_string(c.cores) + ": expected 1.." + std::to_string(host) + " (this host)";
    // The article's app reads its percentages with int() (calibrate/server/app.py).
    if (c.io_pct < 0 || c.cpu_pct < 0 || c.io_pct + c.cpu_pct != 100 || c.io_pct != std::floor(c.io_pct))
        return "io_pct = " + number_text(c.io_pct) + ", cpu_pct = " + number_text(c.cpu_pct) +
               ": expected whole, non-negative percentages summing to 100";
    if (!(c.unit_s > 0)) return "unit_s = " + number_text(c.unit_s) + ": expected > 0";
    if (!(c.timeout_s > 0)) return "timeout_s = " + number_text(c.timeout_s) + ": expected > 0";
    if (c.backlog < 1) return "backlog = " + std::to_string(c.backlog) + ": expected >= 1";
    if (const std::string problem = make_load_generator(c.load_generator)->check(c); !problem.empty()) return problem;
    if (!c.loadgen_shared && c.cores >= host)
        return "cores = " + std::to_string(c.cores) + " with a separate load generator: all " + std::to_string(host) +
               " host cores go to the server, none is left for the load generator (use loadgen_shared)";
    return "";
}

Harness::Harness(HarnessOptions options) : options_(std::move(options)) {
    if (const int removed = remove_abandoned_temp_directories(options_.temp_root); removed > 0 && options_.log)
        *options_.log << "removed " << removed << " temporary directories a killed run left behind\n";
    if (options_.database) {
        database_ = std::make_unique<PostgresCluster>(*options_.database);
    } else {
        PostgresOptions postgres;
        postgres.bin_dir = options_.postgres_bin_dir;
        postgres.temp_root = options_.temp_root;
        postgres.session_nice = options_.session_nice;
        database_ = std::make_unique<PostgresCluster>(postgres);
        if (options_.log)
            *options_.log << "PostgreSQL started: pid " << *database_->postmaster_pid() << ", port "
                          << database_->connection().port << "\n";
    }
}

Harness::~Harness() = default;

double Harness::probe_host_ns() const { return probe_ns(last_cores(1)); }

double Harness::probe_ns(const CoreList& cores) const {
    SpeedProbeOptions probe;
    probe.server_dir = options_.server_dir;
    probe.session_nice = options_.session_nice;
    probe.temp_root = options_.temp_root;
    return probe_cores_ns(probe, cores);
}

Run Harness::run(const RunConfig& config) {
    if (const std::string problem = check_runnable(config); !problem.empty())
        throw std::invalid_argument("run " + config.id + ": " + problem);
    const CoreList server_cores = last_cores(config.cores);
    const CoreList loadgen_cores = config.loadgen_shared ? server_cores : cores_except(server_cores);
    std::ostream* log = options_.log;

    // New backends inherit the postmaster's mask: the database shares the server's cores.
    database_->set_affinity(server_cores);

    GunicornOptions gunicorn;
    gunicorn.executable = options_.gunicorn;
    gunicorn.server_dir = options_.server_dir;
    gunicorn.workers = config.workers;
    gunicorn.worker_class = worker_class_name(config.worker_class);
    gunicorn.threads = config.threads;
    gunicorn.access_log = config.worker_class == WorkerClass::gthread;
    gunicorn.timeout_s = config.timeout_s;
    gunicorn.backlog = config.backlog;
    gunicorn.cores = server_cores;
    gunicorn.temp_root = options_.temp_root;
    gunicorn.session_nice = options_.session_nice;
    gunicorn.environment = app_environment(database_->environment(), {config.io_pct, config.cpu_pct, config.unit_s});
    GunicornServer server(gunicorn);
    if (log)
        *log << "run " << config.id << ": gunicorn booted " << config.workers << " workers in " << server.boot_s()
             << " s on cores " << to_string(server_cores) << "; load generator on " << to_string(loadgen_cores)
             << "\n";

    Run run;
    run.config = config;
    RunMeasurement& m = run.measured;
    m.boot_s = server.boot_s();

    // The host's speed on the server's cores, with the server idle, just before and just
    // after the load: the run says at what speed it was measured.
    m.probe_before_ns = probe_ns(server_cores);

    const ServerCpu server_before = read_server_cpu(server);
    const bool database_measured = database_->cpu_measured();
    const double database_before_s = database_measured ? database_->cpu_s() : 0;
    const std::int64_t busy_before = read_busy_ticks(server_cores);

    const std::size_t access_lines_before = server.access_log_lines().size();  // the boot's probe request
    const std::unique_ptr<LoadGenerator> generator = make_load_generator(config.load_generator);
    LoadProcess load_process;
    load_process.cores = loadgen_cores;
    load_process.limit = load_limit(config, *generator);
    load_process.temp_root = options_.temp_root;
    load_process.session_nice = options_.session_nice;
    drive_load(*generator, config, {server.url(), server.port()}, load_process, m);
    m.throughput_rps = m.makespan_s > 0 ? static_cast<double>(m.completed) / m.makespan_s : 0;

    // The last requests' backends exit just after their responses: let the postmaster reap
    // them, so their CPU lands in its cutime before we read it.
    std::this_thread::sleep_for(200ms);
    const ServerCpu server_after = read_server_cpu(server);
    m.server_cores_busy_s = ticks_to_s(read_busy_ticks(server_cores) - busy_before);
    if (database_measured) m.database_cpu_s = database_->cpu_s() - database_before_s;
    m.master_cpu_s = ticks_to_s(server_after.master_ticks - server_before.master_ticks);
    m.worker_cpu_s = worker_cpu_s(server_before, server_after);

    if (gunicorn.access_log) m.requests_by_worker = responses_by_process(server.access_log_lines(), access_lines_before);

    m.master_pss_kib = read_pss_kib(server.master_pid());
    for (pid_t worker : server.worker_pids())
        if (const auto pss = read_pss_kib(worker)) m.worker_pss_kib.push_back(*pss);
    m.probe_after_ns = probe_ns(server_cores);

    server.stop();
    if (log)
        *log << "run " << config.id << ": " << m.completed << " completed, " << m.errors << " errors, makespan "
             << m.makespan_s << " s, workers " << m.worker_cpu_s << " CPU s, database "
             << (m.database_cpu_s ? number_text(*m.database_cpu_s) + " CPU s" : "CPU not measured") << ", host probe "
             << *m.probe_before_ns << " -> " << *m.probe_after_ns << " ns/iteration\n";
    return run;
}

}  // namespace workersim
