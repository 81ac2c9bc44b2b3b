// workersim_bench: how fast the simulator runs, on one core. A plain wall-clock timer; not a
// test (ctest does not run it). Prints, per scenario, the median of 5 repetitions (and their
// min and max) of simulated requests per second and events per second:
//  - the textbook scenarios (no profile: shared processor sharing);
//  - the realistic ones of issue 15: the embedded profile (per-core run queues), clients =
//    2 x workers, from 2 cores / 16 workers to 64 / 256, and a gthread case; each repetition
//    in a fresh child process, so the row's peak RSS is its own; then the time per request at
//    64 / 256 over 2 / 16 (the cost's growth with the host, which a noisy machine's speed
//    swings cancel out of);
//  - then the peak resident set size of runs of 10^5, 10^6 and 10^7 requests, each in a fresh
//    child process, to show memory flat in run length;
//  - whole-product timings a user waits for: `workersim validate` of the committed full runs
//    and `recommend` over 1..256 workers on 64 cores with a p99 SLO (the workersim binary
//    run as a child), and a 32 x 11 sweep (workers x IO share) with 20 steady-state
//    replications per point, run here through the library on one thread (sweep has no
//    --replications; this is what predict --replications 20 does at each point).
//
// Usage: workersim_bench [--repetitions K] [--scale F] [--workersim PATH] [--skip-product] [--only TEXT]
//   F scales every run length; PATH defaults to ../cli/workersim beside this binary; TEXT
//   runs only the scenario rows whose name contains it, in this process (to profile one row:
//   perf record workersim_bench --only "64 cores" --repetitions 1).

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "analysis/replications.hpp"
#include "model/what_if.hpp"
#include "profiles/embedded_profile.hpp"
#include "sim/simulator.hpp"

using namespace workersim;

namespace {

Phase io(Distribution d) { return {PhaseKind::io, PhaseOwner::worker, d}; }
Phase cpu(Distribution d) { return {PhaseKind::cpu, PhaseOwner::worker, d}; }

Scenario ideal(int workers, int cores) {
    Scenario s;
    s.host.cores = cores;
    s.server.workers = workers;
    s.server.timeout_s = 0;
    s.server.backlog = 1000000;
    return s;
}

// M/M/8: Poisson 72/s, 100 ms exponential IO, 8 workers (Erlang C mean 0.18769 s).
Scenario open_mm8(std::int64_t requests) {
    Scenario s = ideal(8, 1);
    s.request = {io(Distribution::exponential(0.1))};
    s.load.kind = LoadKind::open;
    s.load.rate_per_s = 72;
    s.load.requests = requests;
    return s;
}

// hey -c 30 against 5 workers with 1 s deterministic IO.
Scenario closed_30_on_5(std::int64_t requests) {
    Scenario s = ideal(5, 2);
    s.request = {io(Distribution::deterministic(1.0))};
    s.load.kind = LoadKind::closed;
    s.load.clients = 30;
    s.load.requests = requests;
    return s;
}

// The same closed loop under gthread: 5 processes x 1 thread with hey's keep-alive, and
// 1 process x 5 threads (the main loop's default costs: the accept race runs).
Scenario closed_30_on_gthread(int processes, int threads, std::int64_t requests) {
    Scenario s = closed_30_on_5(requests);
    s.server.worker_class = WorkerClass::gthread;
    s.server.workers = processes;
    s.server.threads = threads;
    return s;
}

// Processor sharing under load: 100 clients, 64 workers on 16 cores, exponential 50 ms CPU
// then exponential 50 ms IO (about 20 runnable jobs on 16 cores at any time).
Scenario ps_heavy(std::int64_t requests) {
    Scenario s = ideal(64, 16);
    s.request = {cpu(Distribution::exponential(0.05)), io(Distribution::exponential(0.05))};
    s.load.kind = LoadKind::closed;
    s.load.clients = 100;
    s.load.requests = requests;
    return s;
}

// The reference app on the embedded profile's host model (per-core run queues), closed loop
// with clients = 2 x workers, as a user's `predict --cores C --workers W --io-pct IO` runs it.
Scenario calibrated(int cores, int workers, double io_pct, std::int64_t requests, int threads = 1) {
    WhatIf q;
    q.workers = workers;
    q.cores = cores;
    q.workload.io_pct = io_pct;
    q.workload.cpu_pct = 100 - io_pct;
    q.load.kind = LoadKind::closed;
    q.load.clients = 2 * workers * threads;
    q.load.requests = requests;
    q.server.threads = threads;
    if (threads > 1) q.server.worker_class = WorkerClass::gthread;
    return build_scenario(embedded_profile(), q);
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;  // KiB on Linux
}

struct Timing {
    double seconds;
    std::int64_t completed, events;
};

Timing time_run(const Scenario& s, std::uint64_t seed) {
    const auto start = std::chrono::steady_clock::now();
    const Result r = simulate(s, seed);
    const auto stop = std::chrono::steady_clock::now();
    return {std::chrono::duration<double>(stop - start).count(), r.completed, r.events};
}

// A row's name, counts and the repetitions' requests/s and events/s: median (min, max). The
// line is left open for what the caller adds.
void print_rates(const char* name, std::int64_t completed, std::int64_t events, std::vector<double> rps,
                 std::vector<double> eps) {
    const auto report = [](std::vector<double>& v) {
        std::sort(v.begin(), v.end());
        std::printf("%8.2f M/s (min %6.2f, max %6.2f)", v[v.size() / 2] / 1e6, v.front() / 1e6, v.back() / 1e6);
    };
    std::printf("%-44s %9lld req %10lld events  requests ", name, static_cast<long long>(completed),
                static_cast<long long>(events));
    report(rps);
    std::printf("  events ");
    report(eps);
}

void bench(const char* name, const Scenario& s, int repetitions) {
    std::vector<double> rps, eps;
    std::int64_t completed = 0, events = 0;
    for (int k = 0; k < repetitions; ++k) {
        const Timing t = time_run(s, 1 + static_cast<std::uint64_t>(k));
        rps.push_back(static_cast<double>(t.completed) / t.seconds);
        eps.push_back(static_cast<double>(t.events) / t.seconds);
        completed = t.completed;
        events = t.events;
    }
    print_rates(name, completed, events, rps, eps);
    std::printf("\n");
    std::fflush(stdout);
}

// One run in a fresh child process: its time, counts and peak RSS (the parent's few MiB of
// pages included, as they are mapped in the child too).
struct ForkedTiming {
    Timing timing;
    long peak_rss_kib;
};

bool time_run_forked(const Scenario& s, std::uint64_t seed, ForkedTiming& out) {
    int fds[2];
    if (pipe(fds) != 0) return false;
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        const ForkedTiming t{time_run(s, seed), peak_rss_kib()};
        const ssize_t written = write(fds[1], &t, sizeof t);
        _exit(written == sizeof t ? 0 : 1);
    }
    close(fds[1]);
    const ssize_t got = read(fds[0], &out, sizeof out);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return got == sizeof out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Returns the median seconds per completed request.
double bench_forked(const char* name, const Scenario& s, int repetitions) {
    std::vector<double> rps, eps, s_per_request;
    std::int64_t completed = 0, events = 0;
    long rss_kib = 0;
    for (int k = 0; k < repetitions; ++k) {
        ForkedTiming t{};
        if (!time_run_forked(s, 1 + static_cast<std::uint64_t>(k), t)) {
            std::printf("%-44s failed\n", name);
            return 0;
        }
        rps.push_back(static_cast<double>(t.timing.completed) / t.timing.seconds);
        eps.push_back(static_cast<double>(t.timing.events) / t.timing.seconds);
        s_per_request.push_back(t.timing.seconds / static_cast<double>(t.timing.completed));
        completed = t.timing.completed;
        events = t.timing.events;
        rss_kib = std::max(rss_kib, t.peak_rss_kib);
    }
    print_rates(name, completed, events, rps, eps);
    std::printf("  peak RSS %ld KiB\n", rss_kib);
    std::fflush(stdout);
    std::sort(s_per_request.begin(), s_per_request.end());
    return s_per_request[s_per_request.size() / 2];
}

// Wall time of the workersim command with `args`, its output discarded; < 0 if it could not
// run or failed (exit status > 1: 1 is an objective missed, still a full run).
double time_command(const std::string& workersim, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(workersim.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t child = fork();
    if (child == 0) {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execv(workersim.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) return -1;
    return s;
}

void bench_command(const char* name, const std::string& workersim, const std::vector<std::string>& args,
                   int repetitions) {
    std::vector<double> seconds;
    for (int k = 0; k < repetitions; ++k) {
        const double s = time_command(workersim, args);
        if (s < 0) {
            std::printf("  %-60s failed (%s)\n", name, workersim.c_str());
            return;
        }
        seconds.push_back(s);
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("  %-60s %7.3f s (min %.3f, max %.3f)\n", name, seconds[seconds.size() / 2], seconds.front(),
                seconds.back());
    std::fflush(stdout);
}

// Every point of a workers x IO-share grid on the embedded profile's 2 cores, with hey's
// default load (-c 50 -n 200), 20 steady-state replications each, on one thread.
void bench_sweep_replications(int max_workers, int replications) {
    const auto start = std::chrono::steady_clock::now();
    std::int64_t runs = 0;
    double checksum = 0;
    for (int workers = 1; workers <= max_workers; ++workers)
        for (int io_pct = 0; io_pct <= 100; io_pct += 10) {
            WhatIf q;
            q.workers = workers;
            q.workload.io_pct = io_pct;
            q.workload.cpu_pct = 100 - io_pct;
            ReplicationOptions o;
            o.replications = replications;
            o.steady_state = true;
            const ReplicatedResult r = replicate(build_scenario(embedded_profile(), q), o);
            checksum += r.throughput_rps.mean;
            runs += replications;
        }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  %-60s %7.3f s (%lld runs; sum of throughputs %.6g)\n",
                ("sweep " + std::to_string(max_workers) + " x 11, " + std::to_string(replications) +
                 " replications per point, 1 thread").c_str(),
                s, static_cast<long long>(runs), checksum);
    std::fflush(stdout);
}

// The workersim binary of the same build: ../cli/workersim beside this one.
std::string default_workersim() {
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return "workersim";
    std::string self(path, static_cast<std::size_t>(n));
    return self.substr(0, self.rfind('/')) + "/../cli/workersim";
}

// Peak RSS of one run of `requests` in a fresh process, so earlier runs do not count.
long rss_of_run_kib(std::int64_t requests) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        const long before = peak_rss_kib();
        (void)simulate(open_mm8(requests), 1);
        const long values[2] = {before, peak_rss_kib()};
        const ssize_t written = write(fds[1], values, sizeof values);
        _exit(written == sizeof values ? 0 : 1);
    }
    close(fds[1]);
    long values[2] = {-1, -1};
    const ssize_t got = read(fds[0], values, sizeof values);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (got != sizeof values) return -1;
    std::printf("  %9lld requests: peak RSS %6ld KiB (%6ld KiB before the run)\n", static_cast<long long>(requests),
                values[1], values[0]);
    return values[1];
}

// Wall time of 8 replications of M/M/8 on 1 and on 2 threads (same output either way).
void bench_replications(std::int64_t requests) {
    for (int threads : {1, 2}) {
        ReplicationOptions o;
        o.replications = 8;
        o.threads = threads;
        const auto start = std::chrono::steady_clock::now();
        const ReplicatedResult r = replicate(open_mm8(requests), o);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("  8 replications x %lld requests on %d thread%s: %.3f s, %.2f M req/s in all; mean %.5f +- %.5f s\n",
                    static_cast<long long>(requests), threads, threads == 1 ? "" : "s", s, 8.0 * requests / s / 1e6,
                    r.latency.mean_s.mean, r.latency.mean_s.ci95_half_width);
    }
}

}  // namespace

int main(int argc, char** argv) {
    int repetitions = 5;
    double scale = 1.0;
    std::string workersim = default_workersim();
    bool product = true;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repetitions") && i + 1 < argc)
            repetitions = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc)
            scale = std::max(1e-3, std::atof(argv[++i]));
        else if (!std::strcmp(argv[i], "--workersim") && i + 1 < argc)
            workersim = argv[++i];
        else if (!std::strcmp(argv[i], "--skip-product"))
            product = false;
        else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else {
            std::fprintf(stderr,
                         "usage: workersim_bench [--repetitions K] [--scale F] [--workersim PATH] [--skip-product] "
                         "[--only TEXT]\n");
            return 2;
        }
    }
    const auto n = [scale](double requests) { return static_cast<std::int64_t>(requests * scale); };
    struct Row {
        const char* name;
        Scenario scenario;
    };
    const std::vector<Row> textbook = {
        {"open M/M/8, 72/s, 100 ms exp IO, 10^6", open_mm8(n(1e6))},
        {"closed 30 clients, 5 workers, 1 s IO, 10^6", closed_30_on_5(n(1e6))},
        {"closed 30 clients, gthread 5 x 1, 1 s IO, 10^6", closed_30_on_gthread(5, 1, n(1e6))},
        {"closed 30 clients, gthread 1 x 5, 1 s IO, 10^6", closed_30_on_gthread(1, 5, n(1e6))},
        {"PS: 100 clients, 64 workers, 16 cores, 10^6", ps_heavy(n(1e6))},
        {"open M/M/8, 10^7", open_mm8(n(1e7))},
    };
    // The small and the large 50% IO rows are the cost ratio's two ends.
    const std::vector<Row> realistic = {
        {"2 cores / 16 workers, 90% IO, 10^6", calibrated(2, 16, 90, n(1e6))},
        {"2 cores / 16 workers, 50% IO, 10^6", calibrated(2, 16, 50, n(1e6))},
        {"16 cores / 64 workers, 50% IO, 2x10^5", calibrated(16, 64, 50, n(2e5))},
        {"64 cores / 256 workers, 50% IO, 10^6", calibrated(64, 256, 50, n(1e6))},
        {"gthread 2 cores / 4 x 4 threads, 50% IO, 2x10^5", calibrated(2, 4, 50, n(2e5), 4)},
    };
    std::printf("workersim_bench: one thread, median of %d repetitions (seeds 1..%d)\n", repetitions, repetitions);
    if (!only.empty()) {
        // In this process, so a profiler sees the runs.
        for (const std::vector<Row>* rows : {&textbook, &realistic})
            for (const Row& row : *rows)
                if (std::strstr(row.name, only.c_str())) bench(row.name, row.scenario, repetitions);
        return 0;
    }
    for (const Row& row : textbook) bench(row.name, row.scenario, repetitions);
    std::printf("calibrated (embedded profile, per-core run queues, clients = 2 x workers), each run in a fresh process:\n");
    std::vector<double> s_per_request;
    for (const Row& row : realistic) s_per_request.push_back(bench_forked(row.name, row.scenario, repetitions));
    const double small_s = s_per_request[1], large_s = s_per_request[3];
    if (small_s > 0 && large_s > 0)
        std::printf("  time per request, 64 cores / 256 workers over 2 / 16 (50%% IO): %.2f\n", large_s / small_s);
    std::printf("replications (open M/M/8):\n");
    bench_replications(n(1e6));
    std::printf("memory (open M/M/8, each run in a fresh process):\n");
    for (double requests : {1e5, 1e6, 1e7}) rss_of_run_kib(n(requests));
    std::printf("memory (2 cores / 16 workers, 50%% IO, each run in a fresh process):\n");
    for (double requests : {1e5, 1e6, 1e7}) {
        ForkedTiming t{};
        if (time_run_forked(calibrated(2, 16, 50, n(requests)), 1, t))
            std::printf("  %9lld requests: peak RSS %6ld KiB\n", static_cast<long long>(t.timing.completed),
                        t.peak_rss_kib);
    }
    if (product) {
        std::printf("whole product (median of %d):\n", repetitions);
        bench_command("validate --runs calibrate/data/full-runs.jsonl", workersim,
                      {"validate", "--runs", WORKERSIM_SOURCE_DIR "/calibrate/data/full-runs.jsonl"}, repetitions);
        bench_command("recommend 1..256 workers, 64 cores, 50% IO, p99 <= 2 s", workersim,
                      {"recommend", "--cores", "64", "--max-workers", "256", "--io-pct", "50", "--cpu-pct", "50",
                       "--slo-p99", "2s"},
                      repetitions);
        bench_command("recommend the same, 512 clients, 20000 requests, p99 <= 8 s", workersim,
                      {"recommend", "--cores", "64", "--max-workers", "256", "--io-pct", "50", "--cpu-pct", "50",
                       "--clients", "512", "--requests", "20000", "--slo-p99", "8s"},
                      repetitions);
        bench_sweep_replications(32, 20);
    }
    std::printf("peak RSS of this process: %ld KiB\n", peak_rss_kib());
    return 0;
}
