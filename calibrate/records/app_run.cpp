#include "calibrate/records/app_run.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "model/json_reader.hpp"

namespace workersim {

double RequestSample::io_s() const { return std::max(0.0, wall_s - cpu_s - run_delay_s); }

std::vector<RequestSample> parse_request_log(const std::string& text) {
    std::vector<RequestSample> samples;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (line.empty()) continue;
        std::istringstream fields(line);
        RequestSample s;
        std::string status;
        if (!std::getline(fields, s.path, '\t') || !std::getline(fields, status, '\t') ||
            !(fields >> s.cpu_s >> s.wall_s >> s.voluntary_switches >> s.run_delay_s))
            throw std::invalid_argument("request log line " + std::to_string(number) + " \"" + line +
                                        "\": expected path, status, cpu_s, wall_s, nvcsw, run_delay_s");
        try {
            s.status = std::stoi(status);
        } catch (const std::exception&) {
            throw std::invalid_argument("request log line " + std::to_string(number) + ": status \"" + status +
                                        "\" is not a number");
        }
        samples.push_back(std::move(s));
    }
    return samples;
}

const char* app_run_kind_name(AppRunKind kind) {
    switch (kind) {
        case AppRunKind::serial: return "serial";
        case AppRunKind::contended: return "contended";
        case AppRunKind::concurrent: return "concurrent";
        case AppRunKind::memory: return "memory";
        case AppRunKind::mix: return "mix";
    }
    return "serial";
}

nlohmann::json to_json(const AppRun& r) {
    nlohmann::json j = {{"id", r.id},
                        {"kind", app_run_kind_name(r.kind)},
                        {"path", r.path},
                        {"workers", r.workers},
                        {"clients", r.clients},
                        {"requests", r.requests},
                        {"preload", r.preload},
                        {"started_at", r.started_at},
                        {"completed", r.completed},
                        {"makespan_s", r.makespan_s},
                        {"throughput_rps", r.throughput_rps},
                        {"latency_mean_s", r.latency_mean_s},
                        {"latency_p99_s", r.latency_p99_s},
                        {"cpu_s", r.cpu_s},
                        {"io_s", r.io_s},
                        {"voluntary_switches", r.voluntary_switches},
                        {"worker_cpu_s", r.worker_cpu_s},
                        {"hooks_cpu_s", r.hooks_cpu_s},
                        {"hooked_requests", r.hooked_requests},
                        {"boot_s", r.boot_s},
                        {"worker_pss_boot_kib", r.worker_pss_boot_kib},
                        {"worker_pss_kib", r.worker_pss_kib}};
    if (r.cores) {
        j["cores"] = *r.cores;
        j["loadgen_shared"] = r.loadgen_shared;
    }
    if (r.probe_before_ns) j["probe_before_ns"] = *r.probe_before_ns;
    if (r.probe_after_ns) j["probe_after_ns"] = *r.probe_after_ns;
    if (r.loadgen_cpu_s > 0) j["loadgen_cpu_s"] = r.loadgen_cpu_s;
    if (r.hooks_wall_s > 0) j["hooks_wall_s"] = r.hooks_wall_s;
    if (r.server_cores_window_s > 0) {
        j["server_cores_busy_s"] = r.server_cores_busy_s;
        j["server_cores_window_s"] = r.server_cores_window_s;
    }
    if (r.hooks_run_delay_s > 0) j["hooks_run_delay_s"] = r.hooks_run_delay_s;
    if (!r.per_url.empty()) {
        j["per_url"] = nlohmann::json::array();
        for (const AppUrlLoad& u : r.per_url)
            j["per_url"].push_back({{"path", u.path},
                                    {"clients", u.clients},
                                    {"requests", u.requests},
                                    {"completed", u.completed},
                                    {"throughput_rps", u.throughput_rps},
                                    {"latency_mean_s", u.latency_mean_s},
                                    {"latency_p99_s", u.latency_p99_s}});
    }
    if (r.master_pss_boot_kib) j["master_pss_boot_kib"] = *r.master_pss_boot_kib;
    if (r.master_pss_kib) j["master_pss_kib"] = *r.master_pss_kib;
    return j;
}

AppRun app_run_from_json(const nlohmann::json& json, const std::string& where) {
    constexpr double kMax = 1e12;
    try {
        JsonReader r(json, where);
        AppRun run;
        run.id = r.string("id");
        const std::string kind = r.string("kind");
        if (kind == "serial") run.kind = AppRunKind::serial;
        else if (kind == "contended") run.kind = AppRunKind::contended;
        else if (kind == "concurrent") run.kind = AppRunKind::concurrent;
        else if (kind == "memory") run.kind = AppRunKind::memory;
        else if (kind == "mix") run.kind = AppRunKind::mix;
        else r.fail("kind", "\"serial\", \"contended\", \"concurrent\", \"memory\" or \"mix\"");
        run.path = r.string("path");
        run.workers = static_cast<int>(r.integer("workers", 1, 1024));
        run.clients = static_cast<int>(r.integer("clients", 1, 100000));
        run.requests = r.integer("requests", 0, 1'000'000'000);
        run.preload = r.boolean_or("preload", false);
        run.started_at = r.string_or("started_at", "");
        run.completed = r.integer("completed", 0, 1'000'000'000);
        run.makespan_s = r.number("makespan_s", 0, kMax);
        run.throughput_rps = r.number("throughput_rps", 0, kMax);
        run.latency_mean_s = r.number("latency_mean_s", 0, kMax);
        run.latency_p99_s = r.number("latency_p99_s", 0, kMax);
        run.cpu_s = r.numbers_or_empty("cpu_s", 0, kMax);
        run.io_s = r.numbers_or_empty("io_s", 0, kMax);
        run.voluntary_switches = r.numbers_or_empty("voluntary_switches", 0, kMax);
        run.worker_cpu_s = r.number("worker_cpu_s", 0, kMax);
        run.hooks_cpu_s = r.number("hooks_cpu_s", 0, kMax);
        run.hooked_requests = r.integer("hooked_requests", 0, 1'000'000'000);
        run.boot_s = r.number("boot_s", 0, kMax);
        run.worker_pss_boot_kib = r.numbers_or_empty("worker_pss_boot_kib", 0, kMax);
        run.worker_pss_kib = r.numbers_or_empty("worker_pss_kib", 0, kMax);
        if (r.has("cores")) {
            run.cores = static_cast<int>(r.integer("cores", 1, 4096));
            run.loadgen_shared = r.boolean_or("loadgen_shared", false);
        }
        if (r.has("probe_before_ns")) run.probe_before_ns = r.number("probe_before_ns", 0, kMax);
        if (r.has("probe_after_ns")) run.probe_after_ns = r.number("probe_after_ns", 0, kMax);
        run.loadgen_cpu_s = r.number_or("loadgen_cpu_s", 0, 0, kMax);
        run.hooks_wall_s = r.number_or("hooks_wall_s", 0, 0, kMax);
        run.server_cores_busy_s = r.number_or("server_cores_busy_s", 0, 0, kMax);
        run.server_cores_window_s = r.number_or("server_cores_window_s", 0, 0, kMax);
        run.hooks_run_delay_s = r.number_or("hooks_run_delay_s", 0, 0, kMax);
        if (r.has("per_url")) {
            const nlohmann::json& list = r.raw("per_url");
            if (!list.is_array()) r.fail("per_url", "an array of objects");
            for (std::size_t i = 0; i < list.size(); ++i) {
                JsonReader u(list[i], r.where(), r.qualified("per_url[" + std::to_string(i) + "]"));
                AppUrlLoad load;
                load.path = u.string("path");
                load.clients = static_cast<int>(u.integer("clients", 1, 100000));
                load.requests = u.integer("requests", 0, 1'000'000'000);
                load.completed = u.integer("completed", 0, 1'000'000'000);
                load.throughput_rps = u.number("throughput_rps", 0, kMax);
                load.latency_mean_s = u.number("latency_mean_s", 0, kMax);
                load.latency_p99_s = u.number("latency_p99_s", 0, kMax);
                u.reject_unknown_keys();
                run.per_url.push_back(std::move(load));
            }
        }
        if (r.has("master_pss_boot_kib")) run.master_pss_boot_kib = r.number("master_pss_boot_kib", 0, kMax);
        if (r.has("master_pss_kib")) run.master_pss_kib = r.number("master_pss_kib", 0, kMax);
        r.reject_unknown_keys();
        return run;
    } catch (const JsonError& e) {
        throw std::invalid_argument(e.what());
    }
}

}  // namespace workersim
