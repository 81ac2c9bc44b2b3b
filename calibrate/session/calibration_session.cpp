#include "calibrate/session/calibration_session.hpp"

#include <filesystem>
#include <stdexcept>
#include <thread>

#include "calibrate/harness/host_probe.hpp"
#include "calibrate/harness/speed_probe.hpp"
#include "calibrate/harness/text_file.hpp"
#include "calibrate/records/plan.hpp"
#include "calibrate/records/runs_file.hpp"
#include "model/profile_json.hpp"

namespace workersim {

namespace {

using Clock = std::chrono::steady_clock;

// The session's own probes, three taken now, so that the first run already has a usual speed
// to be held to. Not the resumed runs' probes: those may come from another day, and this VM's
// speed moves from day to day (123-142 ns/iteration on 2026-12-02 against 182-232 the day
// before), so holding today's runs to yesterday's speed would repeat every one of them.
std::vector<double> session_probes(const Harness& harness) {
    std::vector<double> probes;
    for (int k = 0; k < 3; ++k) probes.push_back(harness.probe_host_ns());
    return probes;
}

// The host as a probe sees it, beside the runs: `workersim probe` elsewhere moves the fitted
// profile by the ratios to this.
void write_host_probe(const HarnessOptions& harness_options, const Harness& harness, const std::string& path) {
    HostProbeOptions probe;
    probe.server_dir = harness_options.server_dir;
    probe.temp_root = harness_options.temp_root;
    probe.session_nice = harness_options.session_nice;
    write_text_file(path, to_json(probe_host(probe, harness.database())).dump(2) + "\n");
}

// One run of the plan, made again while the host ran off its usual speed (each time counted
// in `repeated`).
void make_steady_run(Harness& harness, const RunConfig& config, std::vector<double>& probes,
                     const SessionFiles& files, std::vector<Run>& runs, const SessionOptions& options,
                     const SessionReports& reports, std::size_t& repeated) {
    for (int attempt = 1;; ++attempt) {
        const Run run = harness.run(config);
        // The harness probes every run it makes.
        const double before_ns = *run.measured.probe_before_ns;
        const double after_ns = *run.measured.probe_after_ns;
        const double usual_ns = usual_probe_ns(probes);
        const double tolerance = unsteady_tolerance(probes);
        probes.push_back(before_ns);
        probes.push_back(after_ns);
        if (attempt >= options.attempts_per_run || steady_host(before_ns, after_ns, usual_ns, tolerance)) {
            append_run(files.runs, run);
            runs.push_back(run);
            return;
        }
        append_run(files.unsteady, run);
        ++repeated;
        if (reports.unsteady) reports.unsteady({config.id, before_ns, after_ns, usual_ns, tolerance});
        std::this_thread::sleep_for(options.pause_after_unsteady);
    }
}

}  // namespace

SessionFiles session_files(const std::string& runs_path) {
    return {runs_path, runs_path + ".unsteady", runs_path + ".probe.json"};
}

ResumedRuns resume_runs(const std::string& runs_path, bool repair) {
    ResumedRuns resumed;
    if (!std::filesystem::exists(runs_path)) return resumed;
    LoadedRuns loaded = load_runs(runs_path);
    if (repair) drop_bad_last_line(runs_path, loaded);
    resumed.runs = std::move(loaded.runs);
    resumed.warnings = std::move(loaded.warnings);
    return resumed;
}

SessionHostProbe load_session_host_probe(const std::string& path) {
    SessionHostProbe out;
    if (!std::filesystem::exists(path)) return out;
    try {
        out.probe = host_probe_from_json(nlohmann::json::parse(read_text_file(path)), path);
    } catch (const std::exception& e) {
        out.warning = path + " ignored: " + e.what();
    }
    return out;
}

SessionOutcome run_session(const HarnessOptions& harness_options, const std::vector<RunConfig>& todo,
                           const SessionFiles& files, std::vector<Run>& runs, const SessionOptions& options,
                           const SessionReports& reports) {
    SessionOutcome outcome;
    if (todo.empty()) return outcome;
    Harness harness(harness_options);
    // The probe beside the first runs stays: the fit's speeds are those runs' (a resumed
    // session on another day would otherwise pair them with another day's host).
    if (!std::filesystem::exists(files.host_probe)) write_host_probe(harness_options, harness, files.host_probe);
    const auto started = Clock::now();
    const double nominal_total_s = nominal_duration_s(todo);
    double nominal_done_s = 0;
    std::vector<double> probes = session_probes(harness);
    auto report_progress = [&](std::size_t done, const std::string& next_id) {
        if (!reports.progress) return;
        const double elapsed_s = std::chrono::duration<double>(Clock::now() - started).count();
        // The nominal estimate scaled by how this host has kept to it so far.
        const double pace = nominal_done_s > 0 ? elapsed_s / nominal_done_s : 1.0;
        const double left_s = next_id.empty() ? 0 : pace * (nominal_total_s - nominal_done_s);
        reports.progress({done, todo.size(), elapsed_s, left_s, next_id});
    };
    for (std::size_t i = 0; i < todo.size(); ++i) {
        report_progress(i, todo[i].id);
        try {
            make_steady_run(harness, todo[i], probes, files, runs, options, reports, outcome.repeated);
        } catch (const std::runtime_error& e) {
            ++outcome.failed;
            if (reports.failed) reports.failed({todo[i].id, e.what()});
        }
        nominal_done_s += nominal_load_s(todo[i]) + kRunOverheadS;
    }
    report_progress(todo.size(), "");
    return outcome;
}

}  // namespace workersim
