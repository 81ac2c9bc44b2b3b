// workersim calibrate: parse the flags, run the plan's experiments through a calibration
// session (calibrate/session/calibration_session.hpp: resuming, slow spells, progress), fit a
// profile to them and write it; this file parses and prints only.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "calibrate/fitting/fitter.hpp"
#include "calibrate/harness/measurement_priority.hpp"
#include "calibrate/harness/provenance.hpp"
#include "calibrate/records/plan.hpp"
#include "calibrate/records/runs_file.hpp"
#include "calibrate/session/calibration_session.hpp"
#include "calibrate/session/experiment.hpp"
#include "cli/arguments.hpp"
#include "cli/bundled_files.hpp"
#include "cli/calibrate_app.hpp"
#include "cli/commands.hpp"
#include "cli/progress_bar.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/profile_json.hpp"

namespace workersim::cli {

namespace {

std::string text_of(const po::variables_map& vm, const char* key) { return vm[key].as<std::string>(); }

void print_fit_report(std::ostream& out, const Profile& p, std::size_t runs) {
    out << "workersim calibrate: profile '" << p.name << "' fitted from " << runs << " runs\n";
    // rms_scale: the residual's own unit where it is not the value's (a grid search's objective).
    auto row = [&](const std::string& name, double value, double scale, const char* unit, double rms_scale = 0) {
        out << "  " << std::left << std::setw(28) << name << std::right << std::setw(12) << std::setprecision(4)
            << value * scale << " " << unit;
        const auto q = p.fit.find(name);
        if (q != p.fit.end())
            out << "  ± " << std::setprecision(2) << q->second.std_error * scale << "  (rms "
                << q->second.rms_residual * (rms_scale > 0 ? rms_scale : scale) << ", " << q->second.points << " points)";
        out << "\n";
    };
    row("loop_cpu_s", p.loop_cpu_s, 1e3, "ms");
    row("request_cpu_s", p.request_cpu_s, 1e3, "ms");
    row("db_client_cpu_s", p.db_client_cpu_s, 1e3, "ms");
    row("db_backend_cpu_s", p.db_backend_cpu_s, 1e3, "ms");
    for (std::size_t k = 0; k < p.db_backend_cpu_s_by_cores.size(); ++k)
        row("db_backend_cpu_s_" + std::to_string(k + 1), p.db_backend_cpu_s_by_cores[k], 1e3, "ms");
    row("db_connect_s", p.db_connect_s, 1e3, "ms");
    row("io_cv", p.io_cv, 1, "");
    row("cpu_cv", p.cpu_cv, 1, "");
    row("loadgen_cpu_s", p.loadgen_cpu_s, 1e3, "ms");
    row("boot_s", p.boot_s, 1e3, "ms");
    for (std::size_t k = 0; k < p.core_capacity.size(); ++k)
        row("core_capacity_" + std::to_string(k + 1), p.core_capacity[k], 1, "cores");
    row("memory.master_private_kib", p.memory.master_private_kib, 1, "KiB");
    row("memory.worker_private_kib", p.memory.worker_private_kib, 1, "KiB");
    row("memory.shared_kib", p.memory.shared_kib, 1, "KiB");
    if (!p.fit.count("memory.thread_kib") && !p.gthread_main_wake_s) return;  // no gthread runs
    row("memory.gthread_worker_kib", p.memory.gthread_worker_kib, 1, "KiB");
    row("memory.thread_kib", p.memory.thread_kib, 1, "KiB");
    row("gthread_connection_cpu_s", p.gthread_connection_cpu_s, 1e3, "ms");
    // Its rms: of the log throughput ratio and the busiest process's share (gthread_fit.hpp).
    if (p.gthread_main_wake_s) row("gthread_main_wake_s", *p.gthread_main_wake_s, 1e3, "ms", 1);
    if (p.fit.count("gthread_main_wake_order_s")) row("gthread_main_wake_order_s", p.gthread_main_wake_order_s, 1e3, "ms", 1);
}

po::options_description calibrate_options() {
    po::options_description general(
        "workersim calibrate: measure the reference app under Gunicorn on this host and fit a profile\n"
        "\nGeneral");
    general.add_options()("help,h", "this help")
        ("plan", po::value<std::string>(), "quick (under 3 minutes), full (the seed article's grid and gthread's, about 40 minutes) failure (requests longer than --timeout, not fitted) or repeats (12 gthread configurations made 6 times each, not fitted, about 15 minutes); default quick")
        ("quick", "the same as --plan quick")
        ("runs", po::value<std::string>(), "the runs file (JSON lines), appended run by run and resumed from (default runs.jsonl)")
        ("out", po::value<std::string>(), "where the fitted profile JSON goes (default profile.json)")
        ("only-fit", "run no experiments: fit the runs file as it is")
        ("server-dir", po::value<std::string>(), "the reference app's directory (app.py, gunicorn_hooks.py; default: the one installed with workersim, or the source tree's calibrate/server)");
    po::options_description database("Database (default: a private PostgreSQL 15 cluster, scram-sha-256 like a stock one)");
    database.add_options()
        ("pg-dsn", po::value<std::string>(), "an existing PostgreSQL server instead, as a libpq string, e.g. \"host=127.0.0.1 port=5432 user=postgres password=password dbname=postgres\" (Debian's own cluster); its CPU is measured when its postmaster on this host can be read");
    po::options_description all;
    all.add(general).add(database).add(calibrate_app_options());
    return all;
}

struct CalibrateFlags {
    PlanKind plan = PlanKind::quick;
    SessionFiles files;
    std::string out_path;
    bool only_fit = false;
    HarnessOptions harness;
};

CalibrateFlags flags_from(const po::variables_map& vm) {
    CalibrateFlags flags;
    if (vm.count("quick") && vm.count("plan") && text_of(vm, "plan") != "quick")
        throw UsageError("--quick and --plan " + text_of(vm, "plan") + ": choose one plan");
    if (vm.count("plan")) {
        try {
            flags.plan = plan_kind_from_name(text_of(vm, "plan"));
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--plan ") + e.what());
        }
    }
    flags.files = session_files(vm.count("runs") ? text_of(vm, "runs") : "runs.jsonl");
    flags.out_path = vm.count("out") ? text_of(vm, "out") : "profile.json";
    flags.only_fit = vm.count("only-fit") > 0;
    flags.harness.server_dir = vm.count("server-dir") ? text_of(vm, "server-dir") : bundled_server_dir();
    if (!flags.only_fit && !std::filesystem::exists(flags.harness.server_dir + "/app.py"))
        throw UsageError("--server-dir " + flags.harness.server_dir + ": no app.py there (give calibrate/server)");
    if (vm.count("pg-dsn")) flags.harness.database = parse_pg_dsn_flag(text_of(vm, "pg-dsn"));
    if (flags.only_fit && !std::filesystem::exists(flags.files.runs))
        throw UsageError("--runs " + flags.files.runs + ": no such file to fit (--only-fit runs no experiments)");
    return flags;
}

// The session's reports on stderr: a progress bar redrawn in place for a person watching,
// the harness's log lines otherwise.
SessionReports stderr_reports(bool terminal, const std::string& unsteady_path) {
    const std::string break_line = terminal ? "\n" : "";
    SessionReports reports;
    if (terminal) reports.progress = draw_progress;
    reports.unsteady = [break_line, unsteady_path](const UnsteadyRun& u) {
        std::cerr << break_line << "workersim calibrate: run " << u.id << ": the host ran off its usual speed ("
                  << u.probe_before_ns << " -> " << u.probe_after_ns << " ns/iteration, usually " << u.usual_ns
                  << " ± " << u.tolerance * 100 << "%" << "); kept in " << unsteady_path
                  << ", running it again\n";
    };
    reports.failed = [break_line](const FailedRun& f) {
        std::cerr << break_line << "workersim calibrate: run " << f.id << " failed: " << f.reason << "\n";
    };
    return reports;
}

SessionOutcome measure(CalibrateFlags& flags, std::vector<Run>& runs) {
    const std::vector<RunConfig> todo = remaining_runs(make_plan(flags.plan), runs);
    std::cerr << "workersim calibrate: plan " << plan_name(flags.plan) << ", " << runs.size() << " runs in "
              << flags.files.runs << ", " << todo.size() << " to do (about " << clock_text(nominal_duration_s(todo))
              << ")\n";
    if (todo.empty()) return {};
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    if (!terminal) flags.harness.log = &std::cerr;
    raise_priority(std::cerr);
    const SessionReports reports = stderr_reports(terminal, flags.files.unsteady);
    return run_session(flags.harness, todo, flags.files, runs, SessionOptions{}, reports);
}

void write_profile(const std::string& path, const Profile& profile) {
    std::ofstream out(path);
    if (!out) throw std::runtime_error(path + ": cannot write the profile");
    out << to_json(profile).dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error(path + ": cannot write the profile");
}

void fit_and_write(const CalibrateFlags& flags, const std::vector<Run>& runs) {
    FitOptions fit_options;
    const SessionHostProbe probe = load_session_host_probe(flags.files.host_probe);
    if (!probe.warning.empty()) std::cerr << "workersim calibrate: warning: " << probe.warning << "\n";
    fit_options.host_probe = probe.probe;
    ProvenanceSources sources;
    sources.runs_file = flags.files.runs;
    sources.gunicorn = flags.harness.gunicorn;
    sources.postgres_bin_dir = flags.harness.postgres_bin_dir;
    fit_options.provenance = collect_provenance(sources);
    fit_options.name = "calibrated-" + std::string(plan_name(flags.plan));
    const Profile profile = fit_profile(runs, fit_options);
    write_profile(flags.out_path, profile);
    print_fit_report(std::cout, profile, runs.size());
    std::cout << "profile written to " << flags.out_path << "\n";
}

}  // namespace

int calibrate_command(int argc, const char* const* argv) {
    const po::options_description all = calibrate_options();
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        std::cout << all << "\n";
        return 0;
    }
    if (vm.count("app")) return calibrate_app(vm);
    for (const char* flag : {"chdir", "url", "env", "gunicorn", "timeout"})
        if (vm.count(flag)) throw UsageError(std::string("--") + flag + ": only with --app MODULE:CALLABLE");
    CalibrateFlags flags = flags_from(vm);
    ResumedRuns resumed = resume_runs(flags.files.runs, !flags.only_fit);
    for (const std::string& w : resumed.warnings) std::cerr << "workersim calibrate: warning: " << w << "\n";
    std::vector<Run> runs = std::move(resumed.runs);
    const SessionOutcome outcome = flags.only_fit ? SessionOutcome{} : measure(flags, runs);
    if (flags.plan == PlanKind::failure || flags.plan == PlanKind::repeats) {  // all held out: nothing to fit
        std::cout << runs.size() << " runs in " << flags.files.runs << "; check them with workersim validate\n";
        return outcome.failed > 0 ? 1 : 0;
    }
    fit_and_write(flags, runs);
    if (outcome.repeated > 0)
        std::cerr << "workersim calibrate: " << outcome.repeated << " run(s) made again after a slow spell of the host\n";
    if (outcome.failed > 0) {
        std::cerr << "workersim calibrate: " << outcome.failed << " run(s) failed; re-run to retry them\n";
        return 1;
    }
    return 0;
}

}  // namespace workersim::cli
