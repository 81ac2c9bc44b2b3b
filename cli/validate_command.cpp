// workersim validate: how well a calibration predicts measured runs, run by run and per metric.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "calibrate/records/runs_file.hpp"
#include "calibrate/fitting/app_validation.hpp"
#include "calibrate/session/app_session.hpp"
#include "calibrate/fitting/validation.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/json_reader.hpp"

namespace workersim::cli {

namespace {

// Seconds print as milliseconds, memory as MiB, throughput as is.
double display(Metric m, double value) {
    if (m == Metric::memory) return value / 1024;
    if (m == Metric::throughput) return value;
    return value * 1e3;
}

const char* display_header(Metric m) {
    switch (m) {
        case Metric::throughput: return "req/s";
        case Metric::latency_mean: return "mean ms";
        case Metric::latency_p50: return "p50 ms";
        case Metric::latency_p99: return "p99 ms";
        case Metric::memory: return "PSS MiB";
    }
    return "?";
}

std::string cell(const RunComparison& c, std::size_t m) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1);
    if (!c.abs_pct_error[m]) return "-";
    const auto metric = static_cast<Metric>(m);
    const double measured = *c.measured[m];  // an error is there only for a measured value
    out << display(metric, measured) << "/" << display(metric, c.predicted[m]) << " ";
    out << std::setprecision(0) << (c.predicted[m] >= measured ? "+" : "-") << *c.abs_pct_error[m] << "%";
    return out.str();
}

bool any_gthread(const Validation& v) {
    return std::any_of(v.runs.begin(), v.runs.end(),
                       [](const RunComparison& c) { return c.worker_class == WorkerClass::gthread; });
}

void print_summary(std::ostream& out, const std::string& title,
                   const std::array<MetricSummary, kMetricCount>& metrics) {
    out << "\n" << std::left << std::setw(30) << title + " " << std::right << "points   median    worst  (run)\n";
    for (const MetricSummary& s : metrics) {
        out << "  " << std::left << std::setw(28) << metric_name(s.metric) << std::right << std::setw(6) << s.points;
        if (s.points == 0) {
            out << "        -        -\n";
            continue;
        }
        out << std::fixed << std::setprecision(1) << std::setw(8) << s.median_abs_pct_error << "%" << std::setw(8)
            << s.worst_abs_pct_error << "%  (" << s.worst_run << ")\n";
    }
}

// A keep-alive run's throughput hangs on how its burst of connections split over the
// processes: one run is one draw, so say how often the model's own spread covers the draws.
void print_spread_coverage(std::ostream& out, const std::array<MetricSummary, kMetricCount>& metrics) {
    out << "  inside the model's 90% run-to-run range:";
    for (const MetricSummary& s : metrics)
        if (s.metric != Metric::memory && s.points > 0)
            out << " " << metric_name(s.metric) << " " << s.inside_spread << "/" << s.points;
    out << "\n";
}

void print_repeats(std::ostream& out, const std::vector<RepeatedRuns>& repeats) {
    if (repeats.empty()) return;
    out << "\nrepeated configurations: the runs' mean and sd, measured / predicted (one run's sd, as the model has it)\n";
    for (const RepeatedRuns& g : repeats) {
        out << "  " << g.id << " x" << g.runs << "\n";
        for (std::size_t m = 0; m < kMetricCount; ++m) {
            const auto metric = static_cast<Metric>(m);
            if (metric == Metric::memory || !g.abs_pct_error[m]) continue;
            out << "    " << std::left << std::setw(16) << metric_name(metric) << std::right << std::fixed
                << std::setprecision(1) << display(metric, g.measured_mean[m]) << " sd "
                << display(metric, g.measured_sd[m]) << " / " << display(metric, g.predicted_mean[m]) << " sd "
                << display(metric, g.predicted_sd[m]) << "  error of the mean " << *g.abs_pct_error[m] << "%\n";
        }
    }
}

void print_table(std::ostream& out, const Validation& v) {
    out << "measured/predicted and the error, per run (* held out of the fit; host: the run's CPU time factor)\n";
    std::size_t id_width = 4;
    for (const auto& c : v.runs) id_width = std::max(id_width, c.id.size() + 2);
    out << std::left << std::setw(static_cast<int>(id_width)) << "run";
    out << std::setw(7) << "host";
    for (std::size_t m = 0; m < kMetricCount; ++m) out << std::setw(22) << display_header(static_cast<Metric>(m));
    out << "\n";
    for (const auto& c : v.runs) {
        out << std::setw(static_cast<int>(id_width)) << ((c.holdout ? "*" : " ") + c.id);
        std::ostringstream host;
        host << std::fixed << std::setprecision(2) << c.cpu_time_factor;
        out << std::setw(7) << host.str();
        for (std::size_t m = 0; m < kMetricCount; ++m) out << std::setw(22) << cell(c, m);
        if (c.measured_busiest_share)
            out << std::fixed << std::setprecision(2) << "busiest process " << *c.measured_busiest_share << "/"
                << c.predicted_busiest_share;
        out << "\n";
    }
    const bool gthread = any_gthread(v);
    print_summary(out, gthread ? "sync runs, absolute percentage error" : "absolute percentage error", v.metrics);
    if (gthread) {
        print_summary(out, "gthread runs, absolute percentage error", v.gthread_metrics);
        print_spread_coverage(out, v.gthread_metrics);
    }
    print_repeats(out, v.repeats);
    if (!v.repeats.empty()) print_summary(out, "repeated configurations, error of the mean", v.repeat_metrics);
    if (v.knobs.empty()) return;
    out << "\nwhat-if knobs: throughput after / before, measured vs predicted (runs alike but for the knob)\n";
    for (const KnobComparison& k : v.knobs)
        out << "  " << std::left << std::setw(11) << k.knob + " " << std::setw(static_cast<int>(id_width)) << k.from_id
            << "-> " << std::setw(static_cast<int>(id_width)) << k.to_id << std::right << std::fixed
            << std::setprecision(2) << "measured " << k.measured_ratio << "  predicted " << k.predicted_ratio << "\n";
}

nlohmann::json as_json(const Validation& v) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& c : v.runs) {
        nlohmann::json run{{"id", c.id}, {"holdout", c.holdout}, {"cpu_time_factor", c.cpu_time_factor}};
        for (std::size_t m = 0; m < kMetricCount; ++m) {
            // 0 for a metric the run did not measure, as this report has always written it
            // (abs_pct_error null says which).
            nlohmann::json entry{{"measured", c.measured[m].value_or(0)},
                                 {"predicted", c.predicted[m]},
                                 {"predicted_sd", c.predicted_sd[m]}};
            entry["abs_pct_error"] = c.abs_pct_error[m] ? nlohmann::json(*c.abs_pct_error[m]) : nlohmann::json(nullptr);
            run[metric_name(static_cast<Metric>(m))] = entry;
        }
        if (c.worker_class == WorkerClass::gthread) run["worker_class"] = "gthread";
        if (c.measured_busiest_share)
            run["busiest_share"] = {{"measured", *c.measured_busiest_share}, {"predicted", c.predicted_busiest_share}};
        runs.push_back(run);
    }
    auto summary_json = [](const std::array<MetricSummary, kMetricCount>& summaries) {
        nlohmann::json metrics = nlohmann::json::object();
        for (const MetricSummary& s : summaries)
            metrics[metric_name(s.metric)] = {{"points", s.points},
                                              {"median_abs_pct_error", s.median_abs_pct_error},
                                              {"worst_abs_pct_error", s.worst_abs_pct_error},
                                              {"worst_run", s.worst_run},
                                              {"inside_spread", s.inside_spread}};
        return metrics;
    };
    nlohmann::json knobs = nlohmann::json::array();
    for (const KnobComparison& k : v.knobs)
        knobs.push_back({{"knob", k.knob},
                         {"from", k.from_id},
                         {"to", k.to_id},
                         {"measured_ratio", k.measured_ratio},
                         {"predicted_ratio", k.predicted_ratio}});
    nlohmann::json out = {{"runs", runs}, {"metrics", summary_json(v.metrics)}, {"knobs", knobs}};
    // Reports of sync runs keep their old form; "metrics" is the sync runs' summary.
    if (any_gthread(v)) out["gthread_metrics"] = summary_json(v.gthread_metrics);
    if (!v.repeats.empty()) {
        nlohmann::json repeats = nlohmann::json::array();
        for (const RepeatedRuns& g : v.repeats) {
            nlohmann::json group{{"id", g.id}, {"runs", g.runs}};
            for (std::size_t m = 0; m < kMetricCount; ++m) {
                if (!g.abs_pct_error[m]) continue;
                group[metric_name(static_cast<Metric>(m))] = {{"measured_mean", g.measured_mean[m]},
                                                              {"measured_sd", g.measured_sd[m]},
                                                              {"predicted_mean", g.predicted_mean[m]},
                                                              {"predicted_sd", g.predicted_sd[m]},
                                                              {"abs_pct_error", *g.abs_pct_error[m]}};
            }
            repeats.push_back(group);
        }
        out["repeats"] = repeats;
        out["repeat_metrics"] = summary_json(v.repeat_metrics);
    }
    return out;
}

// An app's held-out runs: one line per run (and per URL of a mix run), then the summary in
// the figures issue 14's bars are stated in.
void print_app_validation(std::ostream& out, const AppValidation& v) {
    out << std::left << std::setw(42) << "run" << std::right << std::setw(22) << "req/s meas/pred" << std::setw(24)
        << "mean ms meas/pred" << std::setw(24) << "p99 ms meas/pred" << std::setw(22) << "PSS MiB meas/pred"
        << "\n";
    const auto column = [&out](const AppRunComparison& c, AppMetric m, double scale) {
        const std::size_t i = static_cast<std::size_t>(m);
        std::ostringstream cell;
        cell << std::fixed << std::setprecision(1);
        if (c.abs_pct_error[i])
            cell << scale * *c.measured[i] << "/" << scale * c.predicted[i] << " " << std::setprecision(0)
                 << (c.predicted[i] >= *c.measured[i] ? "+" : "-") << *c.abs_pct_error[i] << "%";
        else
            cell << "-";
        out << std::setw(m == AppMetric::throughput ? 22 : 24) << cell.str();
    };
    for (const AppRunComparison& c : v.runs) {
        out << std::left << std::setw(42) << c.id << std::right;
        column(c, AppMetric::throughput, 1);
        column(c, AppMetric::latency_mean, 1e3);
        column(c, AppMetric::latency_p99, 1e3);
        column(c, AppMetric::memory, 1.0 / 1024);
        out << "\n";
        for (const UrlComparison& u : c.per_url)
            out << "    " << std::left << std::setw(38) << u.path << std::right << std::setw(22) << "" << std::setw(24)
                << [&u] {
                       std::ostringstream cell;
                       cell << std::fixed << std::setprecision(1) << 1e3 * u.measured_mean_s << "/"
                            << 1e3 * u.predicted_mean_s << " " << std::setprecision(0)
                            << (u.predicted_mean_s >= u.measured_mean_s ? "+" : "-") << u.abs_pct_error << "%";
                       return cell.str();
                   }()
                << "\n";
    }
    out << "\n" << std::left << std::setw(30) << "held-out app runs" << std::right << "points   median    worst  (run)\n";
    for (const AppMetricSummary& s : v.metrics) {
        out << "  " << std::left << std::setw(28) << app_metric_name(s.metric) << std::right << std::setw(6) << s.points;
        if (s.points > 0)
            out << std::fixed << std::setprecision(1) << std::setw(8) << s.median_abs_pct_error << "%" << std::setw(8)
                << s.worst_abs_pct_error << "%  (" << s.worst << ")" << std::defaultfloat;
        out << "\n";
    }
}

nlohmann::json app_validation_json(const AppValidation& v) {
    nlohmann::json runs = nlohmann::json::array();
    for (const AppRunComparison& c : v.runs) {
        nlohmann::json run{{"id", c.id}, {"kind", app_run_kind_name(c.kind)}, {"cpu_time_factor", c.cpu_time_factor}};
        for (std::size_t m = 0; m < kAppMetricCount; ++m)
            if (c.abs_pct_error[m])
                run[app_metric_name(static_cast<AppMetric>(m))] = {
                    {"measured", *c.measured[m]}, {"predicted", c.predicted[m]}, {"abs_pct_error", *c.abs_pct_error[m]}};
        if (!c.per_url.empty()) {
            run["per_url"] = nlohmann::json::array();
            for (const UrlComparison& u : c.per_url)
                run["per_url"].push_back({{"path", u.path},
                                          {"measured_latency_mean_s", u.measured_mean_s},
                                          {"predicted_latency_mean_s", u.predicted_mean_s},
                                          {"abs_pct_error", u.abs_pct_error}});
        }
        runs.push_back(run);
    }
    nlohmann::json metrics = nlohmann::json::object();
    for (const AppMetricSummary& s : v.metrics)
        metrics[app_metric_name(s.metric)] = {{"points", s.points},
                                              {"median_abs_pct_error", s.median_abs_pct_error},
                                              {"worst_abs_pct_error", s.worst_abs_pct_error},
                                              {"worst", s.worst}};
    return {{"runs", runs}, {"metrics", metrics}};
}

int validate_app(const po::variables_map& vm) {
    const std::string path = vm["app-runs"].as<std::string>();
    if (!std::filesystem::exists(path)) throw UsageError("--app-runs " + path + ": no such file");
    std::vector<AppRun> runs;
    try {
        runs = read_app_runs(path);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--app-runs ") + e.what());
    }
    const Profile profile = profile_from(vm);
    AppValidationOptions options;
    options.seed = seed_from(vm);
    options.host_speed = vm.count("ignore-host-speed") == 0;
    if (vm.count("seeds"))
        options.seeds = static_cast<int>(parse_integer("--seeds", vm["seeds"].as<std::string>(), 1, 100));
    AppValidation validation;
    try {
        validation = validate_app_runs(profile, runs, options);
    } catch (const std::invalid_argument& e) {
        throw UsageError("--app-runs " + path + " with --calibration: " + e.what());
    }
    if (vm.count("json")) {
        std::cout << app_validation_json(validation).dump(2) << "\n";
        return 0;
    }
    std::cout << "workersim validate: " << validation.runs.size() << " held-out runs of " << path
              << " against calibration '" << profile.name << "'"
              << (options.host_speed ? "" : " (host speed probes ignored)") << "\n";
    print_app_validation(std::cout, validation);
    return 0;
}

}  // namespace

int validate_command(int argc, const char* const* argv) {
    po::options_description general(
        "workersim validate: measured vs predicted for every run of a runs file, with the errors\n"
        "\nGeneral");
    general.add_options()("help,h", "this help")
        ("runs", po::value<std::string>(), "the runs file (JSON lines) from `workersim calibrate` (required, or --app-runs)")
        ("app-runs", po::value<std::string>(), "instead: the runs file of `workersim calibrate --app`, its held-out runs (contended and mix) against the app's profile given by --calibration")
        ("holdout-only", "only the runs held out of the fit: an out-of-sample check")
        ("ignore-host-speed", "predict every run at the profile's host speed, ignoring the speed probes the runs and the profile carry")
        ("seeds", po::value<std::string>(), "simulations averaged per run, 1..100 (default 16)")
        ("json", "print one JSON object instead of the table");
    po::options_description all;
    all.add(general).add(profile_options());
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        std::cout << all << "\n";
        return 0;
    }
    if (vm.count("app-runs")) {
        if (vm.count("runs") || vm.count("holdout-only"))
            throw UsageError("--app-runs with --runs or --holdout-only: an app's runs file is validated alone, and only its held-out runs");
        return validate_app(vm);
    }
    if (!vm.count("runs")) throw UsageError("--runs is required: the runs file to compare with");
    const std::string path = vm["runs"].as<std::string>();
    if (!std::filesystem::exists(path)) throw UsageError("--runs " + path + ": no such file");
    LoadedRuns loaded;
    try {
        loaded = load_runs(path);
    } catch (const JsonError& e) {
        throw UsageError(std::string("--runs ") + e.what());
    }
    for (const std::string& w : loaded.warnings) std::cerr << "workersim validate: warning: " << w << "\n";

    const Profile profile = profile_from(vm);
    ValidationOptions options;
    options.seed = seed_from(vm);
    options.holdout_only = vm.count("holdout-only") > 0;
    options.host_speed = vm.count("ignore-host-speed") == 0;
    if (vm.count("seeds"))
        options.seeds = static_cast<int>(parse_integer("--seeds", vm["seeds"].as<std::string>(), 1, 100));
    Validation validation;
    try {
        validation = validate_runs(profile, loaded.runs, options);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--runs ") + path + ": " + e.what());
    }
    if (vm.count("json")) {
        std::cout << as_json(validation).dump(2) << "\n";
    } else {
        std::cout << "workersim validate: " << validation.runs.size() << " runs of " << path << " against calibration '"
                  << profile.name << "'" << (options.holdout_only ? " (held-out runs only)" : "")
                  << (options.host_speed ? "" : " (host speed probes ignored)") << "\n";
        print_table(std::cout, validation);
    }
    return 0;
}

}  // namespace workersim::cli
