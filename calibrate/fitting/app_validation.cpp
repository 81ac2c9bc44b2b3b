#include "calibrate/fitting/app_validation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "analysis/replications.hpp"
#include "model/sample_statistics.hpp"
#include "model/what_if.hpp"
#include "sim/simulator.hpp"

namespace workersim {

namespace {

std::size_t index(AppMetric m) { return static_cast<std::size_t>(m); }

double pct_error(double predicted, double measured) { return 100 * std::abs(predicted - measured) / measured; }

std::optional<double> probe_ns(const AppRun& run) {
    if (run.probe_before_ns && run.probe_after_ns) return (*run.probe_before_ns + *run.probe_after_ns) / 2;
    if (run.probe_before_ns) return run.probe_before_ns;
    return run.probe_after_ns;
}

// The run as the simulator takes it: its workers, cores and hey placement; each URL's hey
// as its own clients (Load::clients_per_class), weighted by its clients so that the classes
// the profile builds are exactly the URLs the run drove.
Scenario scenario_for(const Profile& profile, const AppRun& run, double cpu_time_factor) {
    WhatIf q;
    q.workers = run.workers;
    if (run.cores) q.cores = *run.cores;
    q.loadgen_shared = run.loadgen_shared;
    q.cpu_time_factor = cpu_time_factor;
    q.load.clients = run.clients;
    q.load.requests = run.requests;
    q.load.client_timeout_s = 0;
    for (const AppUrlLoad& u : run.per_url) q.workload.url_weights.emplace_back(u.path, u.clients);
    Scenario s = build_scenario(profile, q);
    if (run.kind == AppRunKind::mix) {
        for (const RequestClass& c : s.request_classes)
            for (const AppUrlLoad& u : run.per_url)
                if (u.path == c.path) s.load.clients_per_class.push_back(u.clients);
        // hey -n c_u * k per URL: every client sends k, as one hey of all the clients would.
        s.load.requests = hey_requests_per_client(run.requests, run.clients) * run.clients;
    }
    return s;
}

AppMetricSummary summary_of(AppMetric metric, const std::vector<std::pair<double, std::string>>& errors) {
    AppMetricSummary s;
    s.metric = metric;
    s.points = static_cast<int>(errors.size());
    if (errors.empty()) return s;
    std::vector<double> values;
    for (const auto& [e, where] : errors) values.push_back(e);
    s.median_abs_pct_error = median(values);
    const auto worst = std::max_element(errors.begin(), errors.end());
    s.worst_abs_pct_error = worst->first;
    s.worst = worst->second;
    return s;
}

}  // namespace

const char* app_metric_name(AppMetric metric) {
    switch (metric) {
        case AppMetric::throughput: return "throughput_rps";
        case AppMetric::latency_mean: return "latency_mean_s";
        case AppMetric::latency_p99: return "latency_p99_s";
        case AppMetric::memory: return "memory_pss_kib";
        case AppMetric::url_latency_mean: return "per_url_latency_mean_s";
    }
    return "?";
}

double app_run_cpu_time_factor(const Profile& profile, const AppRun& run) {
    const std::optional<double> run_ns = probe_ns(run);
    if (!run_ns || profile.host_probe_ns <= 0) return 1.0;
    return *run_ns / profile.host_probe_ns;
}

AppValidation validate_app_runs(const Profile& profile, const std::vector<AppRun>& runs,
                                const AppValidationOptions& options) {
    if (!profile.app) throw std::invalid_argument("the profile '" + profile.name + "' is not of an app (calibrate --app)");
    AppValidation out;
    std::array<std::vector<std::pair<double, std::string>>, kAppMetricCount> errors;
    for (const AppRun& run : runs) {
        if (run.kind != AppRunKind::contended && run.kind != AppRunKind::mix) continue;
        if (run.completed <= 0 || run.per_url.empty()) continue;
        AppRunComparison c;
        c.id = run.id;
        c.kind = run.kind;
        c.cpu_time_factor = options.host_speed ? app_run_cpu_time_factor(profile, run) : 1.0;
        Scenario scenario;
        try {
            scenario = scenario_for(profile, run, c.cpu_time_factor);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("run " + run.id + ": " + e.what());
        }
        const int seeds = std::max(1, options.seeds);
        std::vector<double> url_means(scenario.request_classes.size(), 0.0);
        for (int i = 0; i < seeds; ++i) {
            // The replications' seeds (analysis/replications.hpp), as predict's are.
            const Result r = simulate(scenario, replication_seed(options.seed, i));
            c.predicted[index(AppMetric::throughput)] += r.throughput_rps / seeds;
            c.predicted[index(AppMetric::latency_mean)] += r.latency.mean_s / seeds;
            c.predicted[index(AppMetric::latency_p99)] += r.latency.p99_s / seeds;
            for (std::size_t u = 0; u < r.per_url.size() && u < url_means.size(); ++u)
                url_means[u] += r.per_url[u].latency.mean_s / seeds;
        }
        c.measured[index(AppMetric::throughput)] = run.throughput_rps;
        c.measured[index(AppMetric::latency_mean)] = run.latency_mean_s;
        c.measured[index(AppMetric::latency_p99)] = run.latency_p99_s;
        if (run.kind == AppRunKind::mix && run.master_pss_kib && !run.worker_pss_kib.empty()) {
            double total = *run.master_pss_kib;
            for (double kib : run.worker_pss_kib) total += kib;
            c.measured[index(AppMetric::memory)] = total;
            c.predicted[index(AppMetric::memory)] = profile.memory.total_pss_kib(scenario.server);
        }
        for (std::size_t m = 0; m < index(AppMetric::url_latency_mean); ++m)
            if (c.measured[m] && *c.measured[m] > 0) {
                c.abs_pct_error[m] = pct_error(c.predicted[m], *c.measured[m]);
                errors[m].emplace_back(*c.abs_pct_error[m], run.id);
            }
        // One point per URL of a mix run (a contended run's one URL is its run-level mean).
        if (run.kind == AppRunKind::mix)
            for (std::size_t u = 0; u < scenario.request_classes.size(); ++u)
                for (const AppUrlLoad& load : run.per_url)
                    if (load.path == scenario.request_classes[u].path && load.completed > 0) {
                        const UrlComparison uc{load.path, load.latency_mean_s, url_means[u],
                                               pct_error(url_means[u], load.latency_mean_s)};
                        c.per_url.push_back(uc);
                        errors[index(AppMetric::url_latency_mean)].emplace_back(uc.abs_pct_error,
                                                                                run.id + " " + load.path);
                    }
        out.runs.push_back(std::move(c));
    }
    for (std::size_t m = 0; m < kAppMetricCount; ++m) out.metrics[m] = summary_of(static_cast<AppMetric>(m), errors[m]);
    return out;
}

}  // namespace workersim
