// workersim probe: measure what drifts on this host (seconds, not the minutes of a
// calibration) and write a profile moved to it.

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "calibrate/harness/emergency_stop.hpp"
#include "calibrate/harness/host_probe.hpp"
#include "calibrate/fitting/host_transfer.hpp"
#include "calibrate/harness/measurement_priority.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "cli/arguments.hpp"
#include "cli/bundled_files.hpp"
#include "cli/commands.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/json_reader.hpp"
#include "model/profile_json.hpp"

namespace workersim::cli {

namespace {

HostProbe read_probe(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw UsageError("--from " + path + ": no such file");
    try {
        const nlohmann::json json = nlohmann::json::parse(in);
        return host_probe_from_json(json, "--from " + path);
    } catch (const nlohmann::json::exception& e) {
        throw UsageError("--from " + path + ": not a probe's JSON (" + e.what() + ")");
    } catch (const JsonError& e) {
        throw UsageError("--from " + path + ": " + e.what());
    }
}

void print_probe(std::ostream& out, const Profile& base, const Profile& moved);

void write_moved(const po::variables_map& vm, const Profile& base, const Profile& moved, const HostProbe& probe,
                 const std::string& out_path) {
    std::ofstream out(out_path);
    out << to_json(moved).dump(2) << "\n";
    if (!out.flush()) throw UsageError("--out " + out_path + ": cannot write the profile there");
    if (vm.count("json")) {
        std::cout << to_json(probe).dump(2) << "\n";
    } else {
        print_probe(std::cout, base, moved);
        std::cout << "profile written to " << out_path << "\n";
    }
}

void print_probe(std::ostream& out, const Profile& base, const Profile& moved) {
    const HostProbe& h = *moved.host_probe;
    out << std::fixed << std::setprecision(1) << "workersim probe: this host, " << h.date << "\n"
        << "  loop            " << h.loop_ns << " ns/iteration (cores:";
    for (double ns : h.loop_ns_by_core) out << " " << ns;
    out << ")\n  cores at once  ";
    for (double c : h.core_capacity) out << " " << std::setprecision(2) << c;
    out << " cores' worth\n" << std::setprecision(1);
    if (!h.db_backend_cpu_s_by_cores.empty()) {
        out << "  connection      backend CPU";
        for (double s : h.db_backend_cpu_s_by_cores) out << " " << s * 1e3;
        out << " ms (1.." << h.db_backend_cpu_s_by_cores.size() << " cores), ";
    } else {
        out << "  connection      backend CPU not readable, ";
    }
    out << "client CPU " << h.db_client_cpu_s * 1e3 << " ms, wall beyond it " << h.db_connect_s * 1e3 << " ms\n"
        << "  boot            " << h.boot_s << " s for " << h.boot_workers << " workers\n"
        << "profile '" << base.name << "' moved to this host:\n";
    auto row = [&](const char* name, double then, double now, double scale, const char* unit) {
        out << "  " << std::left << std::setw(18) << name << std::right << std::setw(9) << then * scale << " -> "
            << std::setw(9) << now * scale << " " << unit << "\n";
    };
    row("loop_cpu_s", base.loop_cpu_s, moved.loop_cpu_s, 1e3, "ms");
    row("request_cpu_s", base.request_cpu_s, moved.request_cpu_s, 1e3, "ms");
    row("db_client_cpu_s", base.db_client_cpu_s, moved.db_client_cpu_s, 1e3, "ms");
    const int cores = moved.host_cores;
    for (int k = 1; k <= cores; ++k)
        row(("db_backend_cpu_s_" + std::to_string(k)).c_str(), db_backend_cpu_s(base, k), db_backend_cpu_s(moved, k),
            1e3, "ms");
    row("db_connect_s", base.db_connect_s, moved.db_connect_s, 1e3, "ms");
    const auto base_curve = capacity_curve(base, cores);
    for (int k = 1; k <= cores; ++k)
        row(("core_capacity_" + std::to_string(k)).c_str(), base_curve[static_cast<std::size_t>(k - 1)],
            moved.core_capacity[static_cast<std::size_t>(k - 1)], 1, "cores");
    row("boot_s", base.boot_s, moved.boot_s, 1e3, "ms");
}

}  // namespace

int probe_command(int argc, const char* const* argv) {
    po::options_description general(
        "workersim probe: measure this host's loop speed, cores, PostgreSQL connection and boot costs (about 9 s)\n"
        "and write the calibration moved to it\n\nGeneral");
    general.add_options()("help,h", "this help")
        ("out", po::value<std::string>(), "where the moved profile JSON goes (required)")
        ("json", "print the probe's figures as JSON instead of the summary")
        ("from", po::value<std::string>(), "measure nothing: move the profile with a probe already taken, e.g. the RUNS.probe.json that calibrate writes beside a runs file")
        ("pg-dsn", po::value<std::string>(), "an existing PostgreSQL server instead of a private cluster, as a libpq string (\"host=127.0.0.1 port=5432 user=postgres password=password dbname=postgres\")")
        ("server-dir", po::value<std::string>(), "the bundled app's directory (default: the one installed with workersim, or the source tree's calibrate/server)");
    po::options_description all;
    all.add(general).add(profile_options());
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        std::cout << all << "\n";
        return 0;
    }
    if (!vm.count("out")) throw UsageError("--out: required (where the moved profile goes)");
    if (vm.count("seed")) throw UsageError("--seed: probe measures, it draws nothing at random");
    if (vm.count("calibration") && vm["calibration"].as<std::string>() == "none")
        throw UsageError("--calibration none: the ideal server has no costs to move; give a profile file or leave it out");
    const std::string out_path = vm["out"].as<std::string>();
    const Profile base = profile_from(vm);
    if (vm.count("from")) {
        if (vm.count("pg-dsn")) throw UsageError("--from and --pg-dsn: --from measures nothing, so it takes no server");
        const HostProbe probe = read_probe(vm["from"].as<std::string>());
        write_moved(vm, base, profile_for_host(base, probe), probe, out_path);
        return 0;
    }

    HostProbeOptions options;
    options.server_dir = vm.count("server-dir") ? vm["server-dir"].as<std::string>() : bundled_server_dir();
    if (!std::filesystem::exists(options.server_dir + "/connection_probe.py"))
        throw UsageError("--server-dir " + options.server_dir + ": no connection_probe.py there (give calibrate/server)");
    std::optional<ExistingDatabase> existing;
    if (vm.count("pg-dsn")) existing = parse_pg_dsn_flag(vm["pg-dsn"].as<std::string>());
    {  // fail on an unwritable --out before measuring
        std::ofstream test(out_path, std::ios::app);
        if (!test) throw UsageError("--out " + out_path + ": cannot write there");
    }

    const EmergencyStop emergency_stop;  // before any child exists
    remove_abandoned_temp_directories();
    raise_priority(std::cerr);
    HostProbe probe;
    {
        PostgresOptions postgres;
        postgres.session_nice = options.session_nice;
        const PostgresCluster database = existing ? PostgresCluster(*existing) : PostgresCluster(postgres);
        probe = probe_host(options, database);
    }
    write_moved(vm, base, profile_for_host(base, probe), probe, out_path);
    return 0;
}

}  // namespace workersim::cli
