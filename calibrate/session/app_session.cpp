#include "calibrate/session/app_session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/harness/emergency_stop.hpp"
#include "calibrate/harness/gunicorn_server.hpp"
#include "calibrate/harness/proc_stats.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/harness/text_file.hpp"
#include "calibrate/harness/utc_time.hpp"
#include "calibrate/load/hey.hpp"

namespace workersim {

namespace {

// A worker's first requests pay one-off costs (its first query opens its connection, lazy
// imports, caches filling): left out of the serial run's samples.
constexpr int kWarmupRequests = 3;

struct Plan {
    std::int64_t serial_requests;
    int contended_clients;
    std::int64_t contended_requests;
    std::vector<int> memory_workers;
};

Plan plan_for(bool quick) {
    if (quick) return {33, 3, 30, {1, 2}};
    std::vector<int> workers;
    for (int w = 1; w <= std::max(2, host_core_count() + 1); ++w) workers.push_back(w);
    return {203, 3, 90, workers};
}

bool answered(int status) { return status >= 200 && status < 400; }

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

struct HeyOutcome {
    std::vector<HeyRecord> records;
    std::int64_t sent = 0;
};

HeyOutcome run_hey(const std::string& url, std::int64_t requests, int clients, double timeout_s,
                   const std::string& temp_root) {
    TempDirectory directory("workersim-hey", temp_root);
    ChildSpec spec;
    spec.argv = {"hey", "-n", std::to_string(requests), "-c", std::to_string(clients), "-t",
                 std::to_string(static_cast<int>(timeout_s) + 5), "-o", "csv", url};
    spec.stdout_path = directory.file("hey.csv");
    spec.stderr_path = directory.file("hey.err");
    ChildProcess hey(spec);
    // Every request could take the whole timeout: bounded, never forever.
    const auto limit = std::chrono::seconds(static_cast<long>(
        60 + (timeout_s + 5) * static_cast<double>(requests) / std::max(1, clients)));
    const auto exit = hey.wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(limit));
    if (!exit) throw std::runtime_error("hey on " + url + " outlasted " + std::to_string(limit.count()) + " s");
    if (exit->exit_code != 0)
        throw std::runtime_error("hey on " + url + " failed (" + describe(*exit) + "): " +
                                 read_text_file(directory.file("hey.err")).substr(0, 500));
    return {parse_hey_csv(read_text_file(spec.stdout_path)), hey_requests_sent(requests, clients)};
}

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

void record_load(const HeyOutcome& hey, AppRun& run) {
    std::vector<double> latencies;
    for (const HeyRecord& r : hey.records)
        if (answered(r.status)) latencies.push_back(r.response_time_s);
    run.completed = static_cast<std::int64_t>(latencies.size());
    run.makespan_s = hey_makespan_s(hey.records);
    run.throughput_rps = run.makespan_s > 0 ? run.completed / run.makespan_s : 0;
    if (latencies.empty()) return;
    double sum = 0;
    for (double l : latencies) sum += l;
    run.latency_mean_s = sum / static_cast<double>(latencies.size());
    std::sort(latencies.begin(), latencies.end());
    // The nearest-rank p99, as hey reports its percentiles.
    const auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(latencies.size())));
    run.latency_p99_s = latencies[std::min(latencies.size() - 1, rank > 0 ? rank - 1 : 0)];
}

std::string url_of(const GunicornServer& server, const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
}

class Session {
public:
    Session(const AppSessionOptions& options, AppSessionOutcome& outcome)
        : options_(options), outcome_(outcome), plan_(plan_for(options.quick)),
          logs_("workersim-requests", options.temp_root), log_(logs_.path()) {
        for (const AppRun& r : outcome_.runs) done_.insert(r.id);
        out_.open(options.runs_path, std::ios::app);
        if (!out_) throw std::runtime_error(options.runs_path + ": cannot append to the runs file");
    }

    void run() {
        std::vector<std::string> usable;
        {
            std::unique_ptr<GunicornServer> server;
            for (const auto& [path, weight] : options_.urls) {
                const std::string id = "serial " + path;
                if (done_.count(id)) {
                    usable.push_back(path);
                    continue;
                }
                if (!server) server = start(1, false);
                if (serial(*server, path)) usable.push_back(path);
            }
            for (const std::string& path : usable) {
                const std::string id = "contended " + path + " w1 c" + std::to_string(plan_.contended_clients);
                if (done_.count(id)) continue;
                if (!server) server = start(1, false);
                contended(*server, path, id);
            }
        }
        if (usable.empty()) return;
        for (bool preload : {false, true})
            for (int workers : plan_.memory_workers) {
                const std::string id =
                    "memory w" + std::to_string(workers) + (preload ? " preload" : "");
                if (!done_.count(id)) memory(workers, preload, usable, id);
            }
    }

private:
    std::unique_ptr<GunicornServer> start(int workers, bool preload) {
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
        g.temp_root = options_.temp_root;
        g.environment = options_.environment;
        g.environment.push_back({"WORKERSIM_REQUEST_LOG", logs_.path()});
        try {
            auto server = std::make_unique<GunicornServer>(g);
            log_.take();  // anything before the run is not the run's
            return server;
        } catch (const std::runtime_error& e) {
            throw AppInputError("the app " + options_.callable + " did not start under Gunicorn (" +
                                std::to_string(workers) + " worker" + (workers == 1 ? "" : "s") +
                                (preload ? ", --preload" : "") + "): " + e.what());
        }
    }

    void append(const AppRun& run) {
        out_ << to_json(run).dump() << "\n";
        out_.flush();
        if (!out_) throw std::runtime_error(options_.runs_path + ": cannot append to the runs file");
        outcome_.runs.push_back(run);
        done_.insert(run.id);
    }

    void say(const std::string& line) {
        if (options_.log) *options_.log << "workersim calibrate --app: " << line << std::endl;
    }

    void skip(const std::string& why) {
        outcome_.skipped.push_back(why);
        say("skipped: " + why);
    }

    bool serial(GunicornServer& server, const std::string& path) {
        AppRun run;
        run.id = "serial " + path;
        run.kind = AppRunKind::serial;
        run.path = path;
        run.requests = plan_.serial_requests;
        run.started_at = utc_now_iso8601();
        const double cpu_before_s = workers_cpu_s(server);
        const HeyOutcome hey = run_hey(url_of(server, path), run.requests, 1, options_.timeout_s, options_.temp_root);
        run.worker_cpu_s = workers_cpu_s(server) - cpu_before_s;
        const std::vector<RequestSample> samples = log_.take();
        if (const std::string why = check_url(path, hey, server, options_.timeout_s); !why.empty()) {
            skip(why);
            return false;
        }
        record_load(hey, run);
        int seen = 0;
        for (const RequestSample& s : samples) {
            run.hooks_cpu_s += s.cpu_s;
            ++run.hooked_requests;
            if (++seen <= kWarmupRequests) continue;
            run.cpu_s.push_back(s.cpu_s);
            run.io_s.push_back(s.io_s());
            run.voluntary_switches.push_back(static_cast<double>(s.voluntary_switches));
        }
        if (run.cpu_s.empty()) {
            skip("URL " + path + ": the hooks saw no request (is " + options_.server_dir +
                 "/request_hooks.py the config Gunicorn ran?)");
            return false;
        }
        append(run);
        double cpu = 0, io = 0;
        for (double c : run.cpu_s) cpu += c;
        for (double i : run.io_s) io += i;
        const double n = static_cast<double>(run.cpu_s.size());
        say(run.id + ": " + std::to_string(run.completed) + " requests, CPU " + std::to_string(1e3 * cpu / n) +
            " ms, IO " + std::to_string(1e3 * io / n) + " ms per request");
        return true;
    }

    void contended(GunicornServer& server, const std::string& path, const std::string& id) {
        AppRun run;
        run.id = id;
        run.kind = AppRunKind::contended;
        run.path = path;
        run.clients = plan_.contended_clients;
        run.requests = plan_.contended_requests;
        run.started_at = utc_now_iso8601();
        const HeyOutcome hey =
            run_hey(url_of(server, path), run.requests, run.clients, options_.timeout_s, options_.temp_root);
        log_.take();
        if (const std::string why = check_url(path, hey, server, options_.timeout_s); !why.empty()) {
            skip(why + " (with " + std::to_string(run.clients) + " clients)");
            return;
        }
        record_load(hey, run);
        append(run);
        say(run.id + ": " + std::to_string(run.throughput_rps) + " req/s, mean " +
            std::to_string(1e3 * run.latency_mean_s) + " ms");
    }

    void memory(int workers, bool preload, const std::vector<std::string>& paths, const std::string& id) {
        AppRun run;
        run.id = id;
        run.kind = AppRunKind::memory;
        run.workers = workers;
        run.clients = workers;
        run.preload = preload;
        run.started_at = utc_now_iso8601();
        const std::unique_ptr<GunicornServer> server = start(workers, preload);
        run.boot_s = server->boot_s();
        run.master_pss_boot_kib = read_pss_kib(server->master_pid());
        for (pid_t pid : server->worker_pids())
            if (const auto kib = read_pss_kib(pid)) run.worker_pss_boot_kib.push_back(*kib);
        // Every URL, so that each worker has served each kind of request (with -c workers,
        // hey's clients reach them all) and written to the pages it shares.
        for (const std::string& path : paths) {
            const HeyOutcome hey = run_hey(url_of(*server, path), 4 * workers, workers, options_.timeout_s,
                                           options_.temp_root);
            run.requests += hey.sent;
            for (const HeyRecord& r : hey.records) run.completed += answered(r.status) ? 1 : 0;
        }
        log_.take();
        run.master_pss_kib = read_pss_kib(server->master_pid());
        for (pid_t pid : server->worker_pids())
            if (const auto kib = read_pss_kib(pid)) run.worker_pss_kib.push_back(*kib);
        append(run);
        double total = run.master_pss_kib.value_or(0);
        for (double kib : run.worker_pss_kib) total += kib;
        say(run.id + ": boot " + std::to_string(run.boot_s) + " s, PSS " + std::to_string(total / 1024) +
            " MiB in all after the requests");
    }

    const AppSessionOptions& options_;
    AppSessionOutcome& outcome_;
    Plan plan_;
    TempDirectory logs_;
    RequestLog log_;
    std::set<std::string> done_;
    std::ofstream out_;
};

}  // namespace

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
