// workersim calibrate: run the plan's experiments against the real server (resuming from the
// runs file), fit a profile to them and write it.

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "calibrate/session/experiment.hpp"
#include "calibrate/fitting/fitter.hpp"
#include "calibrate/harness/host_probe.hpp"
#include "calibrate/harness/measurement_priority.hpp"
#include "calibrate/records/plan.hpp"
#include "calibrate/records/runs_file.hpp"
#include "calibrate/harness/speed_probe.hpp"
#include "calibrate/harness/text_file.hpp"
#include "calibrate/harness/utc_time.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/profile_json.hpp"

#ifndef WORKERSIM_SERVER_DIR
#define WORKERSIM_SERVER_DIR "calibrate/server"
#endif

namespace workersim::cli {

namespace {

std::string text_of(const po::variables_map& vm, const char* key) { return vm[key].as<std::string>(); }

// The first line a command prints, or "" if it cannot run.
std::string first_line_of(const std::string& command) {
    std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return "";
    char buffer[512];
    std::string line;
    if (std::fgets(buffer, sizeof buffer, pipe)) line = buffer;
    ::pclose(pipe);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    return line;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    return "";
}

Provenance collect_provenance(const std::string& runs_file, const std::string& gunicorn,
                              const std::string& postgres_bin_dir) {
    Provenance p;
    p.date = utc_now_iso8601();
    p.cpu_model = cpu_model();
    utsname u{};
    if (::uname(&u) == 0) p.kernel = std::string(u.sysname) + " " + u.release;
    p.gunicorn_version = first_line_of(gunicorn + " --version");
    p.python_version = first_line_of("/usr/bin/python3 --version");
    p.postgresql_version = first_line_of(postgres_bin_dir + "/postgres --version");
    // hey has no --version flag: ask the package manager.
    p.hey_version = first_line_of("dpkg-query -W -f='${Version}' hey");
    p.runs_file = runs_file;
    return p;
}

std::string clock_text(double seconds) {
    const auto s = static_cast<long>(seconds + 0.5);
    std::ostringstream out;
    out << s / 60 << "m" << std::setw(2) << std::setfill('0') << s % 60 << "s";
    return out.str();
}

// One line redrawn in place: only when a person watches stderr.
void draw_progress(std::size_t done, std::size_t total, double elapsed_s, double left_s, const std::string& id) {
    const int width = 24;
    const int filled = total ? static_cast<int>(width * done / total) : width;
    std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/" << total
              << "  elapsed " << clock_text(elapsed_s) << "  ~" << clock_text(left_s) << " left  " << id
              << "\x1b[K" << std::flush;
}

void print_fit_report(std::ostream& out, const Profile& p, std::size_t runs) {
    out << "workersim calibrate: profile '" << p.name << "' fitted from " << runs << " runs\n";
    auto row = [&](const std::string& name, double value, double scale, const char* unit) {
        out << "  " << std::left << std::setw(28) << name << std::right << std::setw(12) << std::setprecision(4)
            << value * scale << " " << unit;
        const auto q = p.fit.find(name);
        if (q != p.fit.end())
            out << "  ± " << std::setprecision(2) << q->second.std_error * scale << "  (rms "
                << q->second.rms_residual * scale << ", " << q->second.points << " points)";
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
}

// A run measured in a slow spell is made again up to this many times in all; the last is kept
// whatever the host did (its probes still say at what speed it ran).
constexpr int kAttemptsPerRun = 3;

}  // namespace

int calibrate_command(int argc, const char* const* argv) {
    po::options_description general(
        "workersim calibrate: measure the reference app under Gunicorn on this host and fit a profile\n"
        "\nGeneral");
    general.add_options()("help,h", "this help")
        ("plan", po::value<std::string>(), "quick (under 3 minutes), full (the seed article's grid, about 25 minutes) or failure (requests longer than --timeout, not fitted); default quick")
        ("quick", "the same as --plan quick")
        ("runs", po::value<std::string>(), "the runs file (JSON lines), appended run by run and resumed from (default runs.jsonl)")
        ("out", po::value<std::string>(), "where the fitted profile JSON goes (default profile.json)")
        ("only-fit", "run no experiments: fit the runs file as it is")
        ("server-dir", po::value<std::string>(), "the reference app's directory (app.py, gunicorn_hooks.py)");
    po::options_description database("Database (default: a private PostgreSQL 15 cluster, scram-sha-256 like a stock one)");
    database.add_options()
        ("pg-dsn", po::value<std::string>(), "an existing PostgreSQL server instead, as a libpq string, e.g. \"host=127.0.0.1 port=5432 user=postgres password=password dbname=postgres\" (Debian's own cluster); its CPU is measured when its postmaster on this host can be read");
    po::options_description all;
    all.add(general).add(database);
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        std::cout << all << "\n";
        return 0;
    }
    PlanKind kind = PlanKind::quick;
    if (vm.count("quick") && vm.count("plan") && text_of(vm, "plan") != "quick")
        throw UsageError("--quick and --plan " + text_of(vm, "plan") + ": choose one plan");
    if (vm.count("plan")) {
        try {
            kind = plan_kind_from_name(text_of(vm, "plan"));
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    }
    const std::string runs_path = vm.count("runs") ? text_of(vm, "runs") : "runs.jsonl";
    const std::string out_path = vm.count("out") ? text_of(vm, "out") : "profile.json";
    const bool only_fit = vm.count("only-fit") > 0;
    const std::string probe_path = runs_path + ".probe.json";

    HarnessOptions harness_options;
    harness_options.server_dir = vm.count("server-dir") ? text_of(vm, "server-dir") : WORKERSIM_SERVER_DIR;
    if (!only_fit && !std::filesystem::exists(harness_options.server_dir + "/app.py"))
        throw UsageError("--server-dir " + harness_options.server_dir + ": no app.py there (give calibrate/server)");
    if (vm.count("pg-dsn")) harness_options.database = parse_pg_dsn_flag(text_of(vm, "pg-dsn"));

    std::vector<Run> runs;
    if (std::filesystem::exists(runs_path)) {
        LoadedRuns loaded = load_runs(runs_path);
        for (const std::string& w : loaded.warnings) std::cerr << "workersim calibrate: warning: " << w << "\n";
        if (!only_fit) drop_bad_last_line(runs_path, loaded);
        runs = std::move(loaded.runs);
    } else if (only_fit) {
        throw UsageError("--runs " + runs_path + ": no such file to fit (--only-fit runs no experiments)");
    }

    std::size_t failed = 0, repeated = 0;
    if (!only_fit) {
        const std::vector<RunConfig> todo = remaining_runs(make_plan(kind), runs);
        std::cerr << "workersim calibrate: plan " << plan_name(kind) << ", " << runs.size() << " runs in " << runs_path
                  << ", " << todo.size() << " to do (about " << clock_text(nominal_duration_s(todo)) << ")\n";
        if (!todo.empty()) {
            const bool terminal = ::isatty(STDERR_FILENO) == 1;
            if (!terminal) harness_options.log = &std::cerr;
            raise_priority(std::cerr);
            Harness harness(harness_options);
            // The host as a probe sees it, beside the runs: `workersim probe` elsewhere moves
            // the fitted profile by the ratios to this.
            HostProbeOptions probe_options;
            probe_options.server_dir = harness_options.server_dir;
            probe_options.temp_root = harness_options.temp_root;
            probe_options.session_nice = harness_options.session_nice;
            write_text_file(probe_path, to_json(probe_host(probe_options, harness.database())).dump(2) + "\n");
            const auto started = std::chrono::steady_clock::now();
            const double nominal_total_s = nominal_duration_s(todo);
            double nominal_done_s = 0;
            // A run measured in a slow spell of the host is kept aside (runs file + ".unsteady")
            // and made again after a pause.
            std::vector<double> probes_seen;
            for (const Run& r : runs)
                for (const auto& ns : {r.measured.probe_before_ns, r.measured.probe_after_ns})
                    if (ns) probes_seen.push_back(*ns);
            for (int k = 0; probes_seen.size() < 3 && k < 3; ++k) probes_seen.push_back(harness.probe_host_ns());
            for (std::size_t i = 0; i < todo.size(); ++i) {
                const double elapsed_s =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                // Scale the nominal estimate by how this host has kept to it so far.
                const double pace = nominal_done_s > 0 ? elapsed_s / nominal_done_s : 1.0;
                if (terminal) draw_progress(i, todo.size(), elapsed_s, pace * (nominal_total_s - nominal_done_s), todo[i].id);
                try {
                    for (int attempt = 1;; ++attempt) {
                        const Run run = harness.run(todo[i]);
                        // The harness probes every run it makes.
                        const double before_ns = *run.measured.probe_before_ns;
                        const double after_ns = *run.measured.probe_after_ns;
                        const double usual_ns = usual_probe_ns(probes_seen);
                        const double tolerance = unsteady_tolerance(probes_seen);
                        probes_seen.push_back(before_ns);
                        probes_seen.push_back(after_ns);
                        if (attempt == kAttemptsPerRun ||
                            steady_host(before_ns, after_ns, usual_ns, tolerance)) {
                            append_run(runs_path, run);
                            runs.push_back(run);
                            break;
                        }
                        append_run(runs_path + ".unsteady", run);
                        ++repeated;
                        std::cerr << (terminal ? "\n" : "") << "workersim calibrate: run " << todo[i].id
                                  << ": the host ran off its usual speed (" << before_ns << " -> "
                                  << after_ns << " ns/iteration, usually " << usual_ns << " ± " << tolerance * 100 << "%"
                                  << "); kept in " << runs_path << ".unsteady, running it again\n";
                        std::this_thread::sleep_for(std::chrono::seconds(15));
                    }
                } catch (const std::runtime_error& e) {
                    ++failed;
                    std::cerr << (terminal ? "\n" : "") << "workersim calibrate: run " << todo[i].id
                              << " failed: " << e.what() << "\n";
                }
                nominal_done_s += nominal_load_s(todo[i]) + kRunOverheadS;
            }
            if (terminal) {
                const double elapsed_s =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                draw_progress(todo.size(), todo.size(), elapsed_s, 0, "done");
                std::cerr << "\n";
            }
        }
    }

    if (kind == PlanKind::failure) {  // mechanics runs, all held out: nothing to fit
        std::cout << runs.size() << " runs in " << runs_path << "; check them with workersim validate\n";
        return failed > 0 ? 1 : 0;
    }
    FitOptions fit_options;
    if (std::filesystem::exists(probe_path)) {
        try {
            fit_options.host_probe = host_probe_from_json(nlohmann::json::parse(read_text_file(probe_path)), probe_path);
        } catch (const std::exception& e) {
            std::cerr << "workersim calibrate: warning: " << probe_path << " ignored: " << e.what() << "\n";
        }
    }
    fit_options.provenance = collect_provenance(runs_path, harness_options.gunicorn, harness_options.postgres_bin_dir);
    fit_options.name = "calibrated-" + std::string(plan_name(kind));
    const Profile profile = fit_profile(runs, fit_options);
    {
        std::ofstream out(out_path);
        if (!out) throw std::runtime_error(out_path + ": cannot write the profile");
        out << to_json(profile).dump(2) << "\n";
        if (!out.flush()) throw std::runtime_error(out_path + ": cannot write the profile");
    }
    print_fit_report(std::cout, profile, runs.size());
    std::cout << "profile written to " << out_path << "\n";
    if (repeated > 0)
        std::cerr << "workersim calibrate: " << repeated << " run(s) made again after a slow spell of the host\n";
    if (failed > 0) {
        std::cerr << "workersim calibrate: " << failed << " run(s) failed; re-run to retry them\n";
        return 1;
    }
    return 0;
}

}  // namespace workersim::cli
