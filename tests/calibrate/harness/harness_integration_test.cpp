// The harness against the real thing: a private PostgreSQL 15, Debian's Gunicorn 20.1.0 and
// hey. Small runs (unit 0.05 s) so that the whole file takes well under a minute.

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "calibrate/session/experiment.hpp"
#include "calibrate/harness/proc_stats.hpp"
#include "calibrate/harness/temp_directory.hpp"

#ifndef WORKERSIM_SERVER_DIR
#error "WORKERSIM_SERVER_DIR must name calibrate/server"
#endif

using namespace workersim;

namespace {

RunConfig tiny_run(const std::string& id, double io_pct) {
    RunConfig c;
    c.id = id;
    c.workers = 2;
    c.cores = 1;  // the last core; hey gets the other one
    c.io_pct = io_pct;
    c.cpu_pct = 100 - io_pct;
    c.unit_s = 0.05;
    c.load = LoadKind::closed;
    c.clients = 4;
    c.requests = 8;
    return c;
}

HarnessOptions options_in(const std::string& temp_root) {
    // mkdtemp makes it 0700; PostgreSQL's own user must be able to pass through it.
    std::filesystem::permissions(temp_root, std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
                                 std::filesystem::perm_options::add);
    HarnessOptions options;
    options.server_dir = WORKERSIM_SERVER_DIR;
    options.temp_root = temp_root;
    return options;
}

// Everything descending from `pid`, found through /proc's children lists.
std::set<pid_t> descendants(pid_t pid) {
    std::set<pid_t> found;
    std::vector<pid_t> frontier{pid};
    while (!frontier.empty()) {
        const pid_t next = frontier.back();
        frontier.pop_back();
        for (pid_t child : read_children(next))
            if (found.insert(child).second) frontier.push_back(child);
    }
    return found;
}

}  // namespace

TEST_CASE("a 100% IO run completes every request, each at least one IO phase long, and costs the database CPU") {
    TempDirectory root("workersim-it");
    Harness harness(options_in(root.path()));
    const Run run = harness.run(tiny_run("it-io", 100));
    const RunMeasurement& m = run.measured;
    CHECK(m.completed == 8);
    CHECK(m.errors == 0);
    REQUIRE(m.latencies_s.size() == 8);
    for (double latency : m.latencies_s) CHECK(latency >= 0.05);
    CHECK(m.latency_min_s >= 0.05);
    REQUIRE(m.latency_p90_s);
    REQUIRE(m.latency_p99_s);
    CHECK(m.latency_p50_s <= *m.latency_p90_s);
    CHECK(*m.latency_p90_s <= *m.latency_p99_s);
    CHECK(*m.latency_p99_s == m.latency_max_s);
    // 2 workers, 8 requests of >= 0.05 s: at least 4 rounds.
    CHECK(m.makespan_s >= 4 * 0.05);
    CHECK(m.throughput_rps == Approx(8 / m.makespan_s));
    REQUIRE(m.database_cpu_s);
    CHECK(*m.database_cpu_s > 0);  // a backend forked per request
    REQUIRE(m.master_pss_kib);
    CHECK(*m.master_pss_kib > 0);
    REQUIRE(m.worker_pss_kib.size() == 2);
    for (double pss : m.worker_pss_kib) CHECK(pss > 0);
    CHECK(m.boot_s > 0);
    CHECK(m.loadgen_cpu_s > 0);
    CHECK(m.wall_s >= m.makespan_s);
    CHECK_FALSE(m.started_at.empty());
}

TEST_CASE("a 100% CPU run spends its time in the workers, not in the database") {
    TempDirectory root("workersim-it");
    Harness harness(options_in(root.path()));
    const Run run = harness.run(tiny_run("it-cpu", 0));
    const RunMeasurement& m = run.measured;
    CHECK(m.completed == 8);
    CHECK(m.errors == 0);
    // Each request runs 250,000 loop iterations: clearly measurable worker CPU (ticks are
    // 10 ms), and no database connection at all.
    CHECK(m.worker_cpu_s > 0.05);
    REQUIRE(m.database_cpu_s);
    CHECK(*m.database_cpu_s < m.worker_cpu_s / 4);
    // One core for two workers: the makespan is at least the total CPU on it.
    CHECK(m.makespan_s >= m.worker_cpu_s * 0.8);
}

TEST_CASE("a run is bracketed by two speed probes that time the app's own loop") {
    TempDirectory root("workersim-it");
    Harness harness(options_in(root.path()));
    const Run run = harness.run(tiny_run("it-probe", 0));
    const RunMeasurement& m = run.measured;
    REQUIRE(m.probe_before_ns);
    REQUIRE(m.probe_after_ns);
    CHECK(*m.probe_before_ns > 0);
    CHECK(*m.probe_after_ns > 0);
    // The workers ran 8 x 250,000 iterations of the same loop the probe times: their CPU per
    // iteration is the probe's, give or take the host's drift and the per-request overhead.
    const double worker_ns_per_iteration = m.worker_cpu_s / (8 * 250'000.0) * 1e9;
    CHECK(worker_ns_per_iteration > *probe_ns(m) / 3);
    CHECK(worker_ns_per_iteration < *probe_ns(m) * 3);
}

TEST_CASE("a separate load generator with every host core given to the server is rejected") {
    RunConfig config = tiny_run("it-reject", 100);
    config.cores = host_core_count();
    config.loadgen_shared = false;
    CHECK_FALSE(check_runnable(config).empty());
    config.loadgen_shared = true;
    CHECK(check_runnable(config).empty());
}

TEST_CASE("Ctrl-C, SIGTERM or SIGKILL in the middle of a run leaves no PostgreSQL, Gunicorn or hey process and no temp directory") {
    const int signal = GENERATE(SIGINT, SIGTERM, SIGKILL);
    INFO("signal " << signal);
    // Not a TempDirectory: the forked harness would inherit its emergency-stop registration
    // and remove it, hiding whether the harness's own directories were removed.
    char root_path[] = "/tmp/workersim-it-XXXXXX";
    REQUIRE(mkdtemp(root_path) != nullptr);
    const std::string root = root_path;
    // Orphans of the killed harness are re-parented to us, so nothing can hide under init.
    REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        try {
            Harness harness(options_in(root));
            RunConfig long_run = tiny_run("it-interrupted", 100);
            long_run.unit_s = 0.5;
            long_run.workers = 1;
            long_run.requests = 40;  // about 20 s: it is interrupted long before
            harness.run(long_run);
        } catch (...) {
            _exit(3);
        }
        _exit(0);
    }
    // Wait until the load is running: hey among the harness's descendants.
    std::set<pid_t> seen;
    bool load_running = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!load_running && std::chrono::steady_clock::now() < deadline) {
        for (pid_t pid : descendants(child)) {
            seen.insert(pid);
            load_running = load_running || read_comm(pid) == std::optional<std::string>("hey");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Let a few requests be in flight, so backends and workers are busy.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (pid_t pid : descendants(child)) seen.insert(pid);
    kill(child, signal);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    // Reap any orphan that comes to us; after a few seconds nothing may be left.
    const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::vector<pid_t> alive;
    do {
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        alive.clear();
        for (pid_t pid : seen)
            if (process_exists(pid)) alive.push_back(pid);
        if (!alive.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (!alive.empty() && std::chrono::steady_clock::now() < settle);
    prctl(PR_SET_CHILD_SUBREAPER, 0);

    CHECK(load_running);
    CHECK(seen.size() >= 4);  // postmaster and its helpers, gunicorn master and worker, hey
    CHECK(alive.empty());
    if (signal == SIGKILL) {
        // Nothing ran to remove its directories: the next run does.
        CHECK(WIFSIGNALED(status));
        CHECK_FALSE(std::filesystem::is_empty(root));
        CHECK(remove_abandoned_temp_directories(root) >= 2);  // PostgreSQL's and Gunicorn's
    } else {
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 130);
    }
    CHECK(std::filesystem::is_empty(root));
    std::filesystem::remove_all(root);
}
