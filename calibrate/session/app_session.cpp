#include "calibrate/session/app_session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/emergency_stop.hpp"
#include "calibrate/harness/gunicorn_server.hpp"
#include "calibrate/harness/loopback_http.hpp"
#include "calibrate/harness/proc_stats.hpp"
#include "calibrate/harness/speed_probe.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/harness/text_file.hpp"
#include "calibrate/harness/utc_time.hpp"
#include "calibrate/load/hey.hpp"
#include "calibrate/session/app_url.hpp"
#include "calibrate/session/mix_clients.hpp"
#include "model/sample_statistics.hpp"

namespace workersim {

namespace {

// A worker's first requests pay one-off costs (its first query opens its connection, lazy
// imports, caches filling): left out of the serial run's samples.
constexpr int kWarmupRequests = 3;

// A mix run: every URL at once, `clients` split over them by weight (or evenly).
struct MixConfig {
    int workers;
    int clients;
    int cores;             // 0: all the host's
    bool uniform = false;  // the clients split evenly over the URLs: another mix than the weights'
};

struct Plan {
    std::int64_t serial_requests;
    int contended_clients;
    std::int64_t contended_requests;
    std::vector<int> contended_cores;  // 0: all the host's
    std::vector<int> memory_workers;
    std::vector<MixConfig> mixes;
    std::int64_t mix_requests_per_client;
    std::int64_t concurrent_requests_per_client;
};

// The mixes cover what the held-out bars ask for: two or three worker counts, clients above
// and below the workers, one core and all of them. One client per URL at least (hey takes one
// URL), so the clients scale with the URLs.
Plan plan_for(bool quick, int url_count) {
    const int u = std::max(1, url_count);
    std::vector<MixConfig> mixes = {{2, 2 * u, 0}, {u + 1, u, 0}, {2, 2 * u, 1}, {3, 2 * u, 0, true}};
    // Three worker counts for memory: two give private and shared pages exactly, with no
    // residual to say whether PSS is linear in the workers.
    // 100 serial samples per URL: a request's CPU can come in bursts (Flask's /report: a ~20
    // ms request every 8th, the collector), which 30 samples hold 3 or 4 of (+-4% on the mean).
    if (quick) return {103, 3, 60, {1, 0}, {1, 2, 3}, mixes, 20, 15};
    std::vector<int> workers;
    for (int w = 1; w <= std::max(2, host_core_count() + 1); ++w) workers.push_back(w);
    mixes.push_back({3, 3 * u, 0});
    return {203, 3, 120, {1, 0}, workers, mixes, 50, 30};
}

bool answered(int status) { return status >= 200 && status < 400; }

// A figure for the progress lines: "7.52", not std::to_string's "7.519730".
std::string decimals(double value, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

// What became of one attempt at a run: kept in the runs file, its URL skipped, or made while
// the host ran off its usual speed (kept aside in RUNS.unsteady, to be made again).
enum class Outcome { kept, skipped, unsteady };

// A run is made at most this many times while the host's probes say it ran off its usual speed
// (the reference session's policy, calibrate/session/calibration_session.cpp): a speed probe
// of 108 ns beside the usual 67 predicted a one-core run 29% slower than it ran.
constexpr int kAttemptsPerRun = 3;

// Gunicorn on the host's last `cores` cores, hey on the others: the harness's rule
// (calibrate/session/experiment.cpp), so that hey reading a large response does not take a
// core the model gives the server. All the host's cores: hey shares them, as recorded.
struct Placement {
    int cores = 1;
    CoreList server, loadgen;
    bool shared = false;
};

Placement placement(int cores) {
    const int host = host_core_count();
    Placement p;
    p.cores = cores <= 0 || cores > host ? host : cores;
    p.server = last_cores(p.cores);
    p.shared = p.cores >= host;
    p.loadgen = p.shared ? p.server : cores_except(p.server);
    return p;
}

std::string cores_label(const Placement& p) {
    return std::to_string(p.cores) + (p.cores == 1 ? " core" : " cores") + (p.shared ? " shared" : "");
}

// The hooks' lines written since the last call, from every worker's file.
class RequestLog {
public:
    explicit RequestLog(const std::string& directory) : directory_(directory) {}
    std::vector<RequestSample> take() {
        std::vector<RequestSample> samples;
        for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
            const std::string file = entry.path().filename().string();
            if (file.rfind("requests-", 0) != 0) continue;  // only the hooks' files
            const std::string name = entry.path().string();
            const std::string text = read_text_file(name);
            std::size_t& seen = seen_[name];
            // Only whole lines: a worker may be mid-write.
            const std::size_t end = text.rfind('\n');
            if (end == std::string::npos || end + 1 <= seen) continue;
            for (RequestSample& s : parse_request_log(text.substr(seen, end + 1 - seen))) samples.push_back(std::move(s));
            seen = end + 1;
        }
        return samples;
    }

private:
    std::string directory_;
    std::map<std::string, std::size_t> seen_;
};

double workers_cpu_s(const GunicornServer& server) {
    double s = 0;
    for (pid_t pid : server.worker_pids())
        if (const auto t = read_cpu_ticks(pid)) s += ticks_to_s(t->utime + t->stime);
    return s;
}

// The server's cores' busy time over the load and how long it lasted (/proc/stat), kept as
// a record of the host's load beside the run. Not a measure of what other processes took
// from the server: they also run in the time the workers leave idle (a one-worker /partner
// run's core was 50% busy with others while its requests waited on the stub), which slows
// nothing; the hooks' run delay is what the workers waited for a core.
class HostLoadWindow {
public:
    explicit HostLoadWindow(CoreList cores)
        : cores_(std::move(cores)), busy_before_(read_busy_ticks(cores_)), start_(std::chrono::steady_clock::now()) {}
    void close(AppRun& run) const {
        run.server_cores_busy_s = ticks_to_s(read_busy_ticks(cores_) - busy_before_);
        run.server_cores_window_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    CoreList cores_;
    std::int64_t busy_before_;
    std::chrono::steady_clock::time_point start_;
};

struct HeyOutcome {
    std::vector<HeyRecord> records;
    std::int64_t sent = 0;
    double cpu_s = 0;  // hey's own, from wait4
};

// One hey against one URL, started at once and waited for by finish(): a mix run starts one
// per URL before waiting for any.
class HeyRun {
public:
    HeyRun(const std::string& url, const HttpRequest& request, const std::string& body_file, std::int64_t requests,
           int clients, double timeout_s, const Placement& where, std::optional<int> session_nice,
           const std::string& temp_root)
        : url_(url), requests_(requests), clients_(clients), timeout_s_(timeout_s),
          directory_("workersim-hey", temp_root) {
        ChildSpec spec;
        spec.argv = {"hey", "-n", std::to_string(requests), "-c", std::to_string(clients), "-t",
                     std::to_string(static_cast<int>(timeout_s) + 5), "-o", "csv", "-m", request.method};
        for (const std::string& header : request.headers) {
            spec.argv.push_back("-H");
            spec.argv.push_back(header);
        }
        if (!body_file.empty()) {
            spec.argv.push_back("-D");
            spec.argv.push_back(body_file);
        }
        spec.argv.push_back(url);
        spec.cores = where.loadgen;
        spec.session_nice = session_nice;
        spec.stdout_path = directory_.file("hey.csv");
        spec.stderr_path = directory_.file("hey.err");
        process_ = std::make_unique<ChildProcess>(spec);
    }

    HeyOutcome finish() {
        // Every request could take the whole timeout: bounded, never forever.
        const auto limit = std::chrono::seconds(static_cast<long>(
            60 + (timeout_s_ + 5) * static_cast<double>(requests_) / std::max(1, clients_)));
        const auto exit = process_->wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(limit));
        if (!exit) throw std::runtime_error("hey on " + url_ + " outlasted " + std::to_string(limit.count()) + " s");
        if (exit->exit_code != 0)
            throw std::runtime_error("hey on " + url_ + " failed (" + describe(*exit) + "): " +
                                     read_text_file(directory_.file("hey.err")).substr(0, 500));
        return {parse_hey_csv(read_text_file(directory_.file("hey.csv"))), hey_requests_sent(requests_, clients_),
                exit->cpu_s};
    }

private:
    std::string url_;
    std::int64_t requests_;
    int clients_;
    double timeout_s_;
    TempDirectory directory_;
    std::unique_ptr<ChildProcess> process_;
};

// Why a URL's run cannot be used, naming the URL and the status; "" if it can.
std::string check_url(const std::string& path, const HeyOutcome& hey, const GunicornServer& server,
                      double timeout_s) {
    std::map<int, std::int64_t> bad;
    for (const HeyRecord& r : hey.records)
        if (!answered(r.status)) ++bad[r.status];
    if (!bad.empty()) {
        std::ostringstream m;
        m << "URL " << path << " answered";
        for (const auto& [status, count] : bad) m << " " << status << " to " << count << " of " << hey.sent;
        m << " requests";
        return m.str();
    }
    const auto missing = hey.sent - static_cast<std::int64_t>(hey.records.size());
    if (missing <= 0) return "";
    std::ostringstream m;
    m << "URL " << path << ": " << missing << " of " << hey.sent << " requests got no response";
    if (server.log_tail(20000).find("WORKER TIMEOUT") != std::string::npos)
        m << " (Gunicorn's --timeout " << timeout_s << " s killed the worker: WORKER TIMEOUT in its log)";
    return m.str();
}

struct LatencyFigures {
    std::int64_t completed = 0;
    double mean_s = 0, p99_s = 0;
};

LatencyFigures latency_figures(const std::vector<const HeyRecord*>& records) {
    std::vector<double> latencies;
    for (const HeyRecord* r : records)
        if (answered(r->status)) latencies.push_back(r->response_time_s);
    LatencyFigures f;
    f.completed = static_cast<std::int64_t>(latencies.size());
    if (latencies.empty()) return f;
    double sum = 0;
    for (double l : latencies) sum += l;
    f.mean_s = sum / static_cast<double>(latencies.size());
    std::sort(latencies.begin(), latencies.end());
    // The nearest-rank p99, as hey reports its percentiles.
    const auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(latencies.size())));
    f.p99_s = latencies[std::min(latencies.size() - 1, rank > 0 ? rank - 1 : 0)];
    return f;
}

std::vector<const HeyRecord*> pointers(const std::vector<HeyRecord>& records) {
    std::vector<const HeyRecord*> p;
    for (const HeyRecord& r : records) p.push_back(&r);
    return p;
}

void record_load(const HeyOutcome& hey, AppRun& run) {
    const LatencyFigures f = latency_figures(pointers(hey.records));
    run.completed = f.completed;
    run.makespan_s = hey_makespan_s(hey.records);
    run.throughput_rps = run.makespan_s > 0 ? static_cast<double>(run.completed) / run.makespan_s : 0;
    run.latency_mean_s = f.mean_s;
    run.latency_p99_s = f.p99_s;
    run.loadgen_cpu_s = hey.cpu_s;
}

// Every request the hooks saw: the run's totals and each request's CPU, IO and waits.
void record_samples(const std::vector<RequestSample>& samples, AppRun& run) {
    for (const RequestSample& s : samples) {
        run.hooks_cpu_s += s.cpu_s;
        run.hooks_wall_s += s.wall_s;
        run.hooks_run_delay_s += s.run_delay_s;
        ++run.hooked_requests;
        run.cpu_s.push_back(s.cpu_s);
        run.io_s.push_back(s.io_s());
        run.voluntary_switches.push_back(static_cast<double>(s.voluntary_switches));
    }
}

std::string url_of(const GunicornServer& server, const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
}

class Session {
public:
    Session(const AppSessionOptions& options, AppSessionOutcome& outcome)
        : options_(options), outcome_(outcome), plan_(plan_for(options.quick, static_cast<int>(options.urls.size()))),
          logs_("workersim-requests", options.temp_root), log_(logs_.path()) {
        for (const AppRun& r : outcome_.runs) done_.insert(r.id);
        out_.open(options.runs_path, std::ios::app);
        if (!out_) throw std::runtime_error(options.runs_path + ": cannot append to the runs file");
    }

    void run() {
        // The host's usual speed to judge each run's probes by: three probes before the first.
        for (int k = 0; k < 3; ++k) probes_.push_back(probe_ns(placement(1)));
        planned_ = static_cast<int>(options_.urls.size() * (2 + plan_.contended_cores.size()) +
                                    2 * plan_.memory_workers.size() + plan_.mixes.size());
        std::vector<std::string> usable;
        {
            const Placement one = placement(1);
            std::unique_ptr<GunicornServer> server;
            for (const auto& [path, weight] : options_.urls) {
                const std::string id = "serial " + path;
                if (done_.count(id)) {
                    ++finished_;
                    usable.push_back(path);
                    continue;
                }
                about_to_run(id);
                if (!server) server = start(1, false, one);
                if (steadily([&] { return serial(*server, one, path); }) == Outcome::kept) usable.push_back(path);
            }
        }
        // The URLs that wait on something (a serial IO of a millisecond or more): whether their
        // downstream queues is measured with several workers calling it at once.
        std::vector<std::string> waiting;
        for (const std::string& path : usable)
            if (serial_io_s(path) >= 1e-3) waiting.push_back(path);
        // The plan's length now that the skipped URLs are known.
        planned_ = finished_ + static_cast<int>(usable.size() * plan_.contended_cores.size() + waiting.size() +
                                                2 * plan_.memory_workers.size() + plan_.mixes.size());
        for (int cores : plan_.contended_cores) {
            const Placement where = placement(cores);
            std::unique_ptr<GunicornServer> server;
            for (const std::string& path : usable) {
                const std::string id = "contended " + path + " w1 c" + std::to_string(plan_.contended_clients) + " " +
                                       cores_label(where);
                if (done_.count(id)) {
                    ++finished_;
                    continue;
                }
                about_to_run(id);
                if (!server) {
                    server = start(1, false, where);
                    warm(*server, 1, usable, where);
                }
                steadily([&] { return contended(*server, where, path, id); });
            }
        }
        if (usable.empty()) return report_progress("");
        const Placement all = placement(0);
        for (const std::string& path : waiting) {
            const std::string id = "concurrent " + path + " w" + std::to_string(kConcurrentCallers) + " c" +
                                   std::to_string(kConcurrentCallers) + " " + cores_label(all);
            if (done_.count(id)) {
                ++finished_;
                continue;
            }
            about_to_run(id);
            steadily([&] { return concurrent(all, path, usable, id); });
        }
        for (bool preload : {false, true})
            for (int workers : plan_.memory_workers) {
                const std::string id = "memory w" + std::to_string(workers) + (preload ? " preload" : "");
                if (done_.count(id)) {
                    ++finished_;
                    continue;
                }
                about_to_run(id);
                memory(workers, preload, all, usable, id);
            }
        for (const MixConfig& m : plan_.mixes) {
            const Placement where = placement(m.cores);
            const std::string id = "mix w" + std::to_string(m.workers) + " c" + std::to_string(m.clients) + " " +
                                   cores_label(where) + (m.uniform ? " uniform" : "");
            if (done_.count(id)) {
                ++finished_;
                continue;
            }
            about_to_run(id);
            steadily([&] { return mix(m, where, usable, id); });
        }
        report_progress("");
    }

private:
    std::unique_ptr<GunicornServer> start(int workers, bool preload, const Placement& where) {
        GunicornOptions g;
        g.executable = options_.gunicorn;
        g.server_dir = options_.server_dir;
        g.app = options_.callable;
        g.app_dir = options_.chdir;
        g.config_file = options_.server_dir + "/request_hooks.py";
        g.workers = workers;
        g.preload = preload;
        g.probe = false;
        g.timeout_s = options_.timeout_s;
        g.cores = where.server;
        g.session_nice = options_.session_nice;
        g.temp_root = options_.temp_root;
        g.environment = options_.environment;
        g.environment.push_back({"WORKERSIM_REQUEST_LOG", logs_.path()});
        try {
            auto server = std::make_unique<GunicornServer>(g);
            log_.take();  // anything before the run is not the run's
            if (!outcome_.runtime)
                outcome_.runtime = parse_app_runtime(read_text_file(logs_.path() + "/runtime.tsv"));
            return server;
        } catch (const std::runtime_error& e) {
            throw AppInputError("the app " + options_.callable + " did not start under Gunicorn (" +
                                std::to_string(workers) + " worker" + (workers == 1 ? "" : "s") +
                                (preload ? ", --preload" : "") + "): " + e.what());
        }
    }

    double probe_ns(const Placement& where) const {
        SpeedProbeOptions probe;
        probe.server_dir = options_.server_dir;
        probe.session_nice = options_.session_nice;
        probe.temp_root = options_.temp_root;
        return probe_cores_ns(probe, where.server);
    }

    AppRun begin(const std::string& id, AppRunKind kind, const Placement& where) const {
        AppRun run;
        run.id = id;
        run.kind = kind;
        run.cores = where.cores;
        run.loadgen_shared = where.shared;
        run.started_at = utc_now_iso8601();
        return run;
    }

    // The request a URL name stands for, without its body (hey reads --body's file itself).
    HttpRequest request_of(const std::string& name) const {
        const AppUrl url = app_url(name);
        HttpRequest request;
        request.method = url.method;
        request.target = url.path;
        request.headers = options_.headers;
        return request;
    }

    std::string body_file_of(const std::string& name) const {
        const auto body = options_.body_files.find(name);
        return body == options_.body_files.end() ? "" : body->second;
    }

    std::unique_ptr<HeyRun> hey(const GunicornServer& server, const std::string& name, std::int64_t requests,
                                int clients, const Placement& where) const {
        const HttpRequest request = request_of(name);
        return std::make_unique<HeyRun>(url_of(server, request.target), request, body_file_of(name), requests, clients,
                                        options_.timeout_s, where, options_.session_nice, options_.temp_root);
    }

    void append(const AppRun& run) {
        out_ << to_json(run).dump() << "\n";
        out_.flush();
        if (!out_) throw std::runtime_error(options_.runs_path + ": cannot append to the runs file");
        outcome_.runs.push_back(run);
        done_.insert(run.id);
    }

    // A load run is kept when both its probes were near the host's usual speed, or on its
    // last attempt; else it goes to RUNS.unsteady and the caller makes it again.
    bool keep(const AppRun& run) {
        const double usual_ns = usual_probe_ns(probes_);
        const double tolerance = unsteady_tolerance(probes_);
        const double before_ns = run.probe_before_ns.value_or(usual_ns);
        const double after_ns = run.probe_after_ns.value_or(usual_ns);
        probes_.push_back(before_ns);
        probes_.push_back(after_ns);
        if (attempt_ >= kAttemptsPerRun || steady_host(before_ns, after_ns, usual_ns, tolerance)) {
            append(run);
            return true;
        }
        std::ofstream unsteady(options_.runs_path + ".unsteady", std::ios::app);
        unsteady << to_json(run).dump() << "\n";
        say(run.id + ": made again, the host ran off its usual speed (probes " + decimals(before_ns, 1) + " and " +
            decimals(after_ns, 1) + " ns against " + decimals(usual_ns, 1) + ")");
        return false;
    }

    // Runs `make` until its run is kept or skipped, at most kAttemptsPerRun times.
    template <class Make>
    Outcome steadily(Make make) {
        Outcome outcome = Outcome::unsteady;
        for (attempt_ = 1; attempt_ <= kAttemptsPerRun && outcome == Outcome::unsteady; ++attempt_) outcome = make();
        return outcome;
    }

    void say(const std::string& line) {
        if (options_.said) options_.said(line);
    }

    // Each run's line starts with its place in the plan: [7/19].
    void said_run(const std::string& line) {
        ++finished_;
        ++made_;
        say("[" + std::to_string(finished_) + "/" + std::to_string(planned_) + "] " + line);
    }

    void about_to_run(const std::string& id) { report_progress(id); }

    // The time left at the pace of the runs made so far in this call (a resumed call's
    // earlier runs took no time in it); a first guess of 5 s a run before any.
    void report_progress(const std::string& next_id) {
        if (!options_.progress) return;
        const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        const double per_run_s = made_ > 0 ? elapsed_s / made_ : 5.0;
        const int left = std::max(0, planned_ - finished_);
        options_.progress({static_cast<std::size_t>(finished_), static_cast<std::size_t>(planned_), elapsed_s,
                           per_run_s * left, next_id});
    }

    void skip(const std::string& why) {
        ++finished_;
        ++made_;
        outcome_.skipped.push_back(why);
        say("skipped: " + why);
    }

    // A fresh server's first requests pay one-off costs in each worker (lazy imports, a first
    // database connection, caches filling) that the serial runs' warm-up leaves out of the
    // profile: the held-out runs measure warm workers too. Each URL, three requests per worker.
    void warm(GunicornServer& server, int workers, const std::vector<std::string>& paths, const Placement& where) {
        for (const std::string& path : paths) hey(server, path, 3 * workers, workers, where)->finish();
        log_.take();
    }

    Outcome serial(GunicornServer& server, const Placement& where, const std::string& path) {
        // One request first: a URL that fails (an error status, a worker killed by the
        // timeout) is skipped after one request, not after the serial run's dozens.
        HttpRequest first = request_of(path);
        if (const std::string body_file = body_file_of(path); !body_file.empty()) first.body = read_text_file(body_file);
        const auto status = http_status(server.port(), first,
                                        std::chrono::milliseconds(static_cast<long>(1000 * (options_.timeout_s + 5))));
        if (!status || !answered(*status)) {
            std::string why = "URL " + path + (status ? " answered " + std::to_string(*status) + " to its first request"
                                                      : ": its first request got no response");
            if (server.log_tail(20000).find("WORKER TIMEOUT") != std::string::npos)
                why += " (Gunicorn's --timeout " + std::to_string(static_cast<int>(options_.timeout_s)) +
                       " s killed the worker: WORKER TIMEOUT in its log)";
            skip(why);
            return Outcome::skipped;
        }
        log_.take();
        AppRun run = begin("serial " + path, AppRunKind::serial, where);
        run.path = path;
        run.requests = plan_.serial_requests;
        run.probe_before_ns = probe_ns(where);
        const double cpu_before_s = workers_cpu_s(server);
        const HostLoadWindow window(where.server);
        const HeyOutcome outcome = hey(server, path, run.requests, 1, where)->finish();
        run.worker_cpu_s = workers_cpu_s(server) - cpu_before_s;
        window.close(run);
        const std::vector<RequestSample> samples = log_.take();
        run.probe_after_ns = probe_ns(where);
        if (const std::string why = check_url(path, outcome, server, options_.timeout_s); !why.empty()) {
            skip(why);
            return Outcome::skipped;
        }
        record_load(outcome, run);
        int seen = 0;
        for (const RequestSample& s : samples) {
            run.hooks_cpu_s += s.cpu_s;
            run.hooks_wall_s += s.wall_s;
            run.hooks_run_delay_s += s.run_delay_s;
            ++run.hooked_requests;
            if (++seen <= kWarmupRequests) continue;
            run.cpu_s.push_back(s.cpu_s);
            run.io_s.push_back(s.io_s());
            run.voluntary_switches.push_back(static_cast<double>(s.voluntary_switches));
        }
        if (run.cpu_s.empty()) {
            skip("URL " + path + ": the hooks saw no request (is " + options_.server_dir +
                 "/request_hooks.py the config Gunicorn ran?)");
            return Outcome::skipped;
        }
        if (!keep(run)) return Outcome::unsteady;
        double cpu = 0, io = 0;
        for (double c : run.cpu_s) cpu += c;
        for (double i : run.io_s) io += i;
        const double n = static_cast<double>(run.cpu_s.size());
        said_run(run.id + ": " + std::to_string(run.completed) + " requests, CPU " + decimals(1e3 * cpu / n, 2) +
                 " ms, IO " + decimals(1e3 * io / n, 2) + " ms per request, hey " +
                 decimals(1e3 * run.latency_mean_s, 2) + " ms");
        return Outcome::kept;
    }

    Outcome contended(GunicornServer& server, const Placement& where, const std::string& path, const std::string& id) {
        AppRun run = begin(id, AppRunKind::contended, where);
        run.path = path;
        run.clients = plan_.contended_clients;
        run.requests = plan_.contended_requests;
        run.probe_before_ns = probe_ns(where);
        const double cpu_before_s = workers_cpu_s(server);
        const HostLoadWindow window(where.server);
        const HeyOutcome outcome = hey(server, path, run.requests, run.clients, where)->finish();
        run.worker_cpu_s = workers_cpu_s(server) - cpu_before_s;
        window.close(run);
        const std::vector<RequestSample> samples = log_.take();
        run.probe_after_ns = probe_ns(where);
        if (const std::string why = check_url(path, outcome, server, options_.timeout_s); !why.empty()) {
            skip(why + " (with " + std::to_string(run.clients) + " clients)");
            return Outcome::skipped;
        }
        record_load(outcome, run);
        record_samples(samples, run);
        run.per_url.push_back({path, run.clients, run.requests, run.completed, run.throughput_rps,
                               run.latency_mean_s, run.latency_p99_s});
        if (!keep(run)) return Outcome::unsteady;
        said_run(run.id + ": " + decimals(run.throughput_rps, 1) + " req/s, mean " +
                 decimals(1e3 * run.latency_mean_s, 1) + " ms");
        return Outcome::kept;
    }

    // The mean IO of the URL's kept serial run (resumed or new); 0 without one.
    double serial_io_s(const std::string& path) const {
        for (const AppRun& r : outcome_.runs)
            if (r.kind == AppRunKind::serial && r.path == path && !r.io_s.empty()) return mean(r.io_s);
        return 0;
    }

    // kConcurrentCallers workers and as many clients on one URL, every core: each request's
    // IO while the others call the same downstream (calibrate/fitting/app_fit's slowdown).
    Outcome concurrent(const Placement& where, const std::string& path, const std::vector<std::string>& usable,
                       const std::string& id) {
        AppRun run = begin(id, AppRunKind::concurrent, where);
        run.path = path;
        run.workers = kConcurrentCallers;
        run.clients = kConcurrentCallers;
        run.requests = plan_.concurrent_requests_per_client * kConcurrentCallers;
        const std::unique_ptr<GunicornServer> server = start(kConcurrentCallers, false, where);
        warm(*server, kConcurrentCallers, usable, where);
        run.probe_before_ns = probe_ns(where);
        const double cpu_before_s = workers_cpu_s(*server);
        const HostLoadWindow window(where.server);
        const HeyOutcome outcome = hey(*server, path, run.requests, run.clients, where)->finish();
        run.worker_cpu_s = workers_cpu_s(*server) - cpu_before_s;
        window.close(run);
        const std::vector<RequestSample> samples = log_.take();
        run.probe_after_ns = probe_ns(where);
        if (const std::string why = check_url(path, outcome, *server, options_.timeout_s); !why.empty()) {
            skip(why + " (with " + std::to_string(run.clients) + " workers at once)");
            return Outcome::skipped;
        }
        record_load(outcome, run);
        record_samples(samples, run);
        if (run.io_s.empty()) {
            skip("URL " + path + ": the hooks saw no request in " + id);
            return Outcome::skipped;
        }
        if (!keep(run)) return Outcome::unsteady;
        double io = 0;
        for (double i : run.io_s) io += i;
        said_run(run.id + ": IO " + decimals(1e3 * io / static_cast<double>(run.io_s.size()), 2) +
                 " ms per request against " + decimals(1e3 * serial_io_s(path), 2) + " ms alone, " +
                 decimals(run.throughput_rps, 1) + " req/s");
        return Outcome::kept;
    }

    void memory(int workers, bool preload, const Placement& where, const std::vector<std::string>& paths,
                const std::string& id) {
        AppRun run = begin(id, AppRunKind::memory, where);
        run.workers = workers;
        run.clients = workers;
        run.preload = preload;
        const std::unique_ptr<GunicornServer> server = start(workers, preload, where);
        run.boot_s = server->boot_s();
        run.master_pss_boot_kib = read_pss_kib(server->master_pid());
        for (pid_t pid : server->worker_pids())
            if (const auto kib = read_pss_kib(pid)) run.worker_pss_boot_kib.push_back(*kib);
        // Every URL, so that each worker has served each kind of request (with -c workers,
        // hey's clients reach them all) and written to the pages it shares; ten per worker, as
        // a worker's memory grows with its first requests (the Django example's 2 workers: 110.7
        // MiB after 32 requests, 119.3 MiB after a mix run's 248 with warm-up).
        for (const std::string& path : paths) {
            const HeyOutcome outcome = hey(*server, path, 10 * workers, workers, where)->finish();
            run.requests += outcome.sent;
            for (const HeyRecord& r : outcome.records) run.completed += answered(r.status) ? 1 : 0;
        }
        log_.take();
        run.master_pss_kib = read_pss_kib(server->master_pid());
        for (pid_t pid : server->worker_pids())
            if (const auto kib = read_pss_kib(pid)) run.worker_pss_kib.push_back(*kib);
        append(run);
        double total = run.master_pss_kib.value_or(0);
        for (double kib : run.worker_pss_kib) total += kib;
        said_run(run.id + ": boot " + decimals(run.boot_s, 3) + " s, PSS " + decimals(total / 1024, 1) +
                 " MiB in all after the requests");
    }

    // One hey per URL, all started before any is waited for; the run's makespan is the
    // longest hey's (they start within milliseconds of each other), each URL's throughput its
    // responses over that makespan, as the simulator counts them.
    Outcome mix(const MixConfig& config, const Placement& where, const std::vector<std::string>& paths,
                const std::string& id) {
        std::vector<double> weights;
        for (const std::string& path : paths)
            for (const auto& [p, w] : options_.urls)
                if (p == path) weights.push_back(w);
        if (config.uniform) weights.assign(weights.size(), 1.0);
        const int clients = std::max(config.clients, static_cast<int>(paths.size()));
        const std::vector<int> split = split_clients(weights, clients);
        AppRun run = begin(id, AppRunKind::mix, where);
        run.workers = config.workers;
        run.clients = clients;
        const std::unique_ptr<GunicornServer> server = start(config.workers, false, where);
        warm(*server, config.workers, paths, where);
        run.probe_before_ns = probe_ns(where);
        const double cpu_before_s = workers_cpu_s(*server);
        const HostLoadWindow window(where.server);
        std::vector<HeyOutcome> outcomes;
        {
            std::vector<std::unique_ptr<HeyRun>> heys;
            for (std::size_t i = 0; i < paths.size(); ++i)
                heys.push_back(hey(*server, paths[i], plan_.mix_requests_per_client * split[i], split[i], where));
            for (const auto& h : heys) outcomes.push_back(h->finish());
        }
        run.worker_cpu_s = workers_cpu_s(*server) - cpu_before_s;
        window.close(run);
        for (const RequestSample& s : log_.take()) {
            run.hooks_cpu_s += s.cpu_s;
            run.hooks_wall_s += s.wall_s;
            run.hooks_run_delay_s += s.run_delay_s;
            ++run.hooked_requests;
        }
        // PSS after the load: the memory model's held-out check at these worker counts.
        run.master_pss_kib = read_pss_kib(server->master_pid());
        for (pid_t pid : server->worker_pids())
            if (const auto kib = read_pss_kib(pid)) run.worker_pss_kib.push_back(*kib);
        run.probe_after_ns = probe_ns(where);
        std::vector<const HeyRecord*> all;
        for (std::size_t i = 0; i < paths.size(); ++i) {
            if (const std::string why = check_url(paths[i], outcomes[i], *server, options_.timeout_s); !why.empty()) {
                skip(why + " (in " + id + ")");
                return Outcome::skipped;
            }
            run.makespan_s = std::max(run.makespan_s, hey_makespan_s(outcomes[i].records));
            run.requests += outcomes[i].sent;
            run.loadgen_cpu_s += outcomes[i].cpu_s;
            for (const HeyRecord& r : outcomes[i].records) all.push_back(&r);
        }
        const LatencyFigures f = latency_figures(all);
        run.completed = f.completed;
        run.latency_mean_s = f.mean_s;
        run.latency_p99_s = f.p99_s;
        run.throughput_rps = run.makespan_s > 0 ? static_cast<double>(run.completed) / run.makespan_s : 0;
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const LatencyFigures u = latency_figures(pointers(outcomes[i].records));
            run.per_url.push_back({paths[i], split[i], outcomes[i].sent, u.completed,
                                   run.makespan_s > 0 ? static_cast<double>(u.completed) / run.makespan_s : 0,
                                   u.mean_s, u.p99_s});
        }
        if (!keep(run)) return Outcome::unsteady;
        said_run(run.id + ": " + decimals(run.throughput_rps, 1) + " req/s, mean " +
                 decimals(1e3 * run.latency_mean_s, 1) + " ms, p99 " + decimals(1e3 * run.latency_p99_s, 1) +
                 " ms");
        return Outcome::kept;
    }

    const AppSessionOptions& options_;
    AppSessionOutcome& outcome_;
    Plan plan_;
    TempDirectory logs_;
    RequestLog log_;
    std::set<std::string> done_;
    std::ofstream out_;
    int planned_ = 0, finished_ = 0;
    int made_ = 0;  // finished_ less the runs a resumed call found done
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::vector<double> probes_;  // every speed probe so far: the host's usual speed
    int attempt_ = 1;
};

}  // namespace

std::optional<AppRuntime> parse_app_runtime(const std::string& text) {
    std::istringstream fields(text.substr(0, text.find('\n')));
    AppRuntime r;
    if (!std::getline(fields, r.python, '\t') || !std::getline(fields, r.python_version, '\t') ||
        !std::getline(fields, r.gunicorn_version) || r.python.empty() || r.python_version.empty() ||
        r.gunicorn_version.empty())
        return std::nullopt;
    return r;
}

std::vector<AppRun> read_app_runs(const std::string& path, bool* cut_off) {
    std::vector<AppRun> runs;
    if (cut_off) *cut_off = false;
    std::ifstream in(path);
    if (!in) return runs;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.empty()) continue;
        const auto json = nlohmann::json::parse(line, nullptr, false);
        const std::string where = path + " line " + std::to_string(number);
        if (json.is_discarded()) {
            // A run cut off mid-write by a kill: the last line only; it is made again.
            if (in.peek() == EOF) {
                if (cut_off) *cut_off = true;
                break;
            }
            throw std::invalid_argument(where + ": not valid JSON");
        }
        runs.push_back(app_run_from_json(json, where));
    }
    return runs;
}

AppSessionOutcome run_app_session(const AppSessionOptions& options) {
    const EmergencyStop emergency_stop;  // Ctrl-C stops Gunicorn and hey before we exit
    AppSessionOutcome outcome;
    bool cut_off = false;
    outcome.runs = read_app_runs(options.runs_path, &cut_off);
    if (cut_off) {  // rewritten without the cut-off line, so that the next append starts a line
        std::ofstream rewrite(options.runs_path, std::ios::trunc);
        for (const AppRun& r : outcome.runs) rewrite << to_json(r).dump() << "\n";
        if (!rewrite.flush()) throw std::runtime_error(options.runs_path + ": cannot rewrite the runs file");
    }
    Session(options, outcome).run();
    return outcome;
}

}  // namespace workersim
