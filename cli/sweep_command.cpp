// workersim sweep: one or two of workers, cores, io-pct, clients, rate over ranges, each point
// simulated and/or solved analytically, in parallel (report/sweep.hpp prints them).

#include <unistd.h>

#include <cmath>
#include <iostream>
#include <sstream>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/field_flags.hpp"
#include "cli/gunicorn_command.hpp"
#include "cli/prediction_method.hpp"
#include "cli/replication_options.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "analysis/parallel_for.hpp"
#include "model/limits.hpp"
#include "model/mva.hpp"
#include "report/sweep.hpp"
#include "report/text_format.hpp"
#include "sim/simulator.hpp"

namespace workersim::cli {

namespace {

constexpr std::size_t kMaxPoints = 100000;

struct Axis {
    const char* flag;      // without the dashes
    const char* key;       // in CSV and JSON
    bool integer;
    double min, max;
    std::vector<double> values;
};

std::vector<double> parse_range(const Axis& axis, const std::string& text) {
    return parse_values(std::string("--") + axis.flag, text, axis.integer, axis.min, axis.max, kMaxPoints);
}

po::options_description sweep_options() {
    po::options_description general(
        "workersim sweep: vary one or two of --workers, --cores, --io-pct, --clients, --rate over ranges\n"
        "(FROM..TO, FROM..TO:STEP or A,B,C); every other flag is predict's\n\nGeneral");
    general.add_options()
        ("help,h", "this help")
        ("csv", "write CSV instead of a table")
        ("json", "write JSON lines: one object per point (and method) with predict --json's keys")
        ("jobs", po::value<std::string>(), "parallel runs, 1..1024 (default: the cores here); the output does not depend on it");
    po::options_description all;
    all.add(general).add(method_options()).add(gunicorn_options()).add(server_options()).add(workload_options()).add(load_options()).add(profile_options());
    return all;
}

// The axes given a range (more than one value), at most two; `rest` loses their flags, so
// that what_if_from reads the others as single values.
std::vector<Axis> swept_axes(const po::variables_map& vm, po::variables_map& rest) {
    auto integers = [](const char* flag, const char* key, const IntegerRange& r) {
        return Axis{flag, key, true, static_cast<double>(r.min), static_cast<double>(r.max), {}};
    };
    std::vector<Axis> axes = {integers("workers", "workers", kWorkersRange),
                              integers("cores", "cores", kCoresRange),
                              integers("threads", "threads", kThreadsRange),
                              {"io-pct", "io_pct", false, 0, 100, {}},
                              integers("clients", "clients", kClientsRange),
                              {"rate", "rate_per_s", false, 1e-9, 1e9, {}}};
    std::vector<Axis> swept;
    for (Axis& axis : axes) {
        if (!vm.count(axis.flag)) continue;
        axis.values = parse_range(axis, vm[axis.flag].as<std::string>());
        if (axis.values.size() > 1) {
            swept.push_back(axis);
            rest.erase(axis.flag);
        }
    }
    if (swept.empty()) throw UsageError("nothing to sweep: give a range to one or two of --workers, --cores, --threads, --io-pct, --clients, --rate");
    if (swept.size() > 2) throw UsageError("sweep varies at most two of --workers, --cores, --threads, --io-pct, --clients, --rate at once");
    auto sweeps = [&](const char* flag) {
        for (const Axis& a : swept)
            if (std::string(a.flag) == flag) return true;
        return false;
    };
    if (sweeps("io-pct") && vm.count("cpu-pct")) throw UsageError("--io-pct swept: leave out --cpu-pct (it is 100 - io-pct)");
    if (sweeps("rate") && vm.count("clients")) throw UsageError("--rate and --clients: choose open loop (--rate) or closed loop (--clients)");
    if (sweeps("clients") && vm.count("rate")) throw UsageError("--rate and --clients: choose open loop (--rate) or closed loop (--clients)");
    if (sweeps("rate") && sweeps("clients")) throw UsageError("--rate and --clients cannot both be swept");
    return swept;
}

// Every combination of the axes' values, the first axis slowest.
std::vector<std::vector<double>> grid(const std::vector<Axis>& swept) {
    std::vector<std::vector<double>> points;
    const std::size_t second = swept.size() > 1 ? swept[1].values.size() : 1;
    if (swept[0].values.size() * second > kMaxPoints) throw UsageError("the sweep has more than 100000 points");
    for (double a : swept[0].values)
        for (std::size_t j = 0; j < second; ++j)
            points.push_back(swept.size() > 1 ? std::vector<double>{a, swept[1].values[j]} : std::vector<double>{a});
    return points;
}

// The what-if at one point: `base` with the swept flags set to the point's values.
WhatIf what_if_at(WhatIf q, const std::vector<Axis>& swept, const std::vector<double>& point, bool requests_given) {
    for (std::size_t k = 0; k < swept.size(); ++k) {
        const std::string flag = swept[k].flag;
        const double v = point[k];
        if (flag == "workers") q.workers = static_cast<int>(v);
        else if (flag == "cores") q.cores = static_cast<int>(v);
        else if (flag == "threads") q.server.threads = static_cast<int>(v);  // > 1 runs gthread, as Gunicorn does
        else if (flag == "io-pct") {
            q.workload.io_pct = v;
            q.workload.cpu_pct.reset();
        } else if (flag == "clients") {
            q.load.kind = LoadKind::closed;
            q.load.clients = static_cast<int>(v);
            if (!requests_given) q.load.requests = std::max<std::int64_t>(kDefaultRequests, q.load.clients);
            else if (q.load.requests < q.load.clients)
                throw UsageError("--requests " + std::to_string(q.load.requests) + ": expected at least the largest --clients (" +
                                 report::general(v) + "), as hey requires");
        } else if (flag == "rate") {
            q.load.kind = LoadKind::open;
            q.load.rate_per_s = v;
        }
    }
    return q;
}

// Runs every point; the same seed everywhere (common random numbers: differences between
// points are the parameters', not the draws'), so the thread count cannot matter. A bar on
// a terminal's stderr shows the progress.
void run_points(const std::vector<Axis>& swept, const std::vector<Scenario>& scenarios, std::uint64_t seed,
                int threads, report::Sweep& sweep) {
    auto run_point = [&](std::size_t i) {
        try {
            if (!sweep.mva.empty()) sweep.mva[i] = predict_mva(scenarios[i]);
            if (!sweep.sim.empty()) sweep.sim[i] = simulate(scenarios[i], seed);
        } catch (const std::exception& e) {
            std::string where;
            for (std::size_t k = 0; k < swept.size(); ++k)
                where += std::string(" --") + swept[k].flag + " " + report::general(sweep.points[i][k]);
            throw std::runtime_error("at" + where + ": " + e.what());
        }
    };
    const std::size_t total = scenarios.size();
    ProgressReport progress;
    if (isatty(STDERR_FILENO) && total > 1)
        progress = [total](std::size_t done) {
            const std::size_t bar = 30 * done / total;
            std::cerr << "\r[" << std::string(bar, '#') << std::string(30 - bar, ' ') << "] " << done << "/" << total
                      << std::flush;
        };
    parallel_for(total, threads, run_point, progress);
    if (progress) std::cerr << "\r" << std::string(50, ' ') << "\r" << std::flush;
}

}  // namespace

int sweep_command(int argc, const char* const* argv) {
    const po::options_description all = sweep_options();
    CommandLine line = parse_with_pasted_gunicorn(argc, argv, all);
    const po::variables_map& vm = line.vm;
    if (print_help_if_asked(vm, all)) return 0;
    if (vm.count("csv") && vm.count("json")) throw UsageError("--csv and --json: choose one output format");
    const Profile profile = profile_from(vm);
    apply_pasted_preload(line, profile, all);
    if (line.gunicorn) print_gunicorn_warnings(std::cerr, "sweep", *line.gunicorn);
    po::variables_map rest = vm;
    const std::vector<Axis> swept = swept_axes(vm, rest);
    const WhatIf base = what_if_from(rest);
    const std::uint64_t seed = seed_from(vm);
    const PredictionMethod method = method_from(vm);

    report::Sweep sweep;
    if (line.gunicorn) sweep.echo["gunicorn"] = gunicorn_echo(*line.gunicorn);
    for (const Axis& a : swept) sweep.keys.push_back(a.key);
    sweep.points = grid(swept);
    std::vector<Scenario> scenarios(sweep.points.size());
    for (std::size_t i = 0; i < sweep.points.size(); ++i) {
        const WhatIf q = what_if_at(base, swept, sweep.points[i], vm.count("requests") > 0);
        scenarios[i] = as_usage_error([&] {
            Scenario s = build_scenario(profile, q);
            validate(s);
            return s;
        });
        sweep.analytic.push_back(report::analytic_model_of(scenarios[i]));
        require_method_models(method, scenarios[i]);
    }
    if (method != PredictionMethod::mva) sweep.sim.resize(scenarios.size());
    if (method != PredictionMethod::sim) sweep.mva.resize(scenarios.size());
    run_points(swept, scenarios, seed, threads_from(vm), sweep);

    if (vm.count("json")) report::print_sweep_json_lines(std::cout, sweep);
    else if (vm.count("csv")) report::print_sweep_csv(std::cout, sweep);
    else report::print_sweep_table(std::cout, sweep);
    return 0;
}

}  // namespace workersim::cli
