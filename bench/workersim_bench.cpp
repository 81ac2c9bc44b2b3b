// workersim_bench: how fast the simulator runs the textbook scenarios, on one core.
// A plain wall-clock timer; not a test (ctest does not run it). Prints, per scenario, the
// median of 5 repetitions (and their min and max) of simulated requests per second and
// events per second, then the peak resident set size of runs of 10^5, 10^6 and 10^7
// requests, each in a fresh child process, to show memory flat in run length.
//
// Usage: workersim_bench [--repetitions K] [--scale F]   (F scales every run length)

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
    auto report = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        std::printf("%8.2f M/s (min %6.2f, max %6.2f)", v[v.size() / 2] / 1e6, v.front() / 1e6, v.back() / 1e6);
    };
    std::printf("%-44s %9lld req %10lld events  requests ", name, static_cast<long long>(completed),
                static_cast<long long>(events));
    report(rps);
    std::printf("  events ");
    report(eps);
    std::printf("\n");
    std::fflush(stdout);
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
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repetitions") && i + 1 < argc)
            repetitions = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc)
            scale = std::max(1e-3, std::atof(argv[++i]));
        else {
            std::fprintf(stderr, "usage: workersim_bench [--repetitions K] [--scale F]\n");
            return 2;
        }
    }
    const auto n = [scale](double requests) { return static_cast<std::int64_t>(requests * scale); };
    std::printf("workersim_bench: one thread, median of %d repetitions (seeds 1..%d)\n", repetitions, repetitions);
    bench("open M/M/8, 72/s, 100 ms exp IO, 10^6", open_mm8(n(1e6)), repetitions);
    bench("closed 30 clients, 5 workers, 1 s IO, 10^6", closed_30_on_5(n(1e6)), repetitions);
    bench("closed 30 clients, gthread 5 x 1, 1 s IO, 10^6", closed_30_on_gthread(5, 1, n(1e6)), repetitions);
    bench("closed 30 clients, gthread 1 x 5, 1 s IO, 10^6", closed_30_on_gthread(1, 5, n(1e6)), repetitions);
    bench("PS: 100 clients, 64 workers, 16 cores, 10^6", ps_heavy(n(1e6)), repetitions);
    bench("open M/M/8, 10^7", open_mm8(n(1e7)), repetitions);
    std::printf("replications (open M/M/8):\n");
    bench_replications(n(1e6));
    std::printf("memory (open M/M/8, each run in a fresh process):\n");
    for (double requests : {1e5, 1e6, 1e7}) rss_of_run_kib(n(requests));
    std::printf("peak RSS of this process: %ld KiB\n", peak_rss_kib());
    return 0;
}
