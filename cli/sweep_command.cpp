// workersim sweep: one or two of workers, cores, io-pct, clients, rate over ranges, each point
// simulated and/or solved analytically, in parallel; a table, CSV or JSON lines.

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/prediction_method.hpp"
#include "cli/replication_options.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "analysis/parallel_for.hpp"
#include "model/mva.hpp"
#include "model/result_json.hpp"
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

// "1..32", "0..100:10", "1,2,4" or a single value.
std::vector<double> parse_range(const Axis& axis, const std::string& text) {
    const std::string flag = std::string("--") + axis.flag;
    auto number = [&](const std::string& piece) {
        return axis.integer ? static_cast<double>(parse_integer(flag, piece, static_cast<std::int64_t>(axis.min),
                                                                static_cast<std::int64_t>(axis.max)))
                            : parse_number(flag, piece, axis.min, axis.max);
    };
    std::vector<double> values;
    const auto dots = text.find("..");
    if (dots != std::string::npos) {
        const auto colon = text.find(':', dots);
        const double from = number(text.substr(0, dots));
        const double to = number(text.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2));
        const double step = colon == std::string::npos ? 1.0 : parse_number(flag + " step", text.substr(colon + 1), 1e-9, 1e12);
        if (axis.integer && std::floor(step) != step) throw UsageError(flag + " " + text + ": the step must be an integer");
        if (to < from) throw UsageError(flag + " " + text + ": expected FROM..TO with FROM <= TO");
        if ((to - from) / step + 1 > static_cast<double>(kMaxPoints))
            throw UsageError(flag + " " + text + ": more than 100000 values");
        // Stepping by index, not by accumulation, so 0..1:0.1 ends exactly at 1.
        for (std::size_t i = 0;; ++i) {
            const double v = from + static_cast<double>(i) * step;
            if (v > to + 1e-9 * step) break;
            values.push_back(std::min(v, to));
        }
    } else {
        std::stringstream pieces(text);
        std::string piece;
        while (std::getline(pieces, piece, ',')) values.push_back(number(piece));
        if (values.empty()) throw UsageError(flag + " '" + text + "': expected FROM..TO[:STEP], a list A,B,C or a value");
    }
    return values;
}

std::string format_value(double v) {
    std::ostringstream m;
    m << v;
    return m.str();
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

}  // namespace

int sweep_command(int argc, const char* const* argv) {
    po::options_description general(
        "workersim sweep: vary one or two of --workers, --cores, --io-pct, --clients, --rate over ranges\n"
        "(FROM..TO, FROM..TO:STEP or A,B,C); every other flag is predict's\n\nGeneral");
    general.add_options()
        ("help,h", "this help")
        ("csv", "write CSV instead of a table")
        ("json", "write JSON lines: one object per point (and method) with predict --json's keys")
        ("threads", po::value<std::string>(), "parallel runs, 1..1024 (default: the cores here); the output does not depend on it");
    po::options_description all;
    all.add(general).add(method_options()).add(server_options()).add(workload_options()).add(load_options()).add(profile_options());
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        std::cout << all << "\n";
        return 0;
    }
    if (vm.count("csv") && vm.count("json")) throw UsageError("--csv and --json: choose one output format");

    std::vector<Axis> axes = {{"workers", "workers", true, 1, 100000, {}},
                              {"cores", "cores", true, 1, 4096, {}},
                              {"io-pct", "io_pct", false, 0, 100, {}},
                              {"clients", "clients", true, 1, 1000000, {}},
                              {"rate", "rate_per_s", false, 1e-9, 1e9, {}}};
    po::variables_map rest = vm;  // the flags what_if_from reads as single values
    std::vector<Axis> swept;
    for (Axis& axis : axes) {
        if (!vm.count(axis.flag)) continue;
        axis.values = parse_range(axis, vm[axis.flag].as<std::string>());
        if (axis.values.size() > 1) {
            swept.push_back(axis);
            rest.erase(axis.flag);
        }
    }
    if (swept.empty()) throw UsageError("nothing to sweep: give a range to one or two of --workers, --cores, --io-pct, --clients, --rate");
    if (swept.size() > 2) throw UsageError("sweep varies at most two of --workers, --cores, --io-pct, --clients, --rate at once");
    auto sweeps = [&](const char* flag) {
        for (const Axis& a : swept)
            if (std::string(a.flag) == flag) return true;
        return false;
    };
    if (sweeps("io-pct") && vm.count("cpu-pct")) throw UsageError("--io-pct swept: leave out --cpu-pct (it is 100 - io-pct)");
    if (sweeps("rate") && vm.count("clients")) throw UsageError("--rate and --clients: choose open loop (--rate) or closed loop (--clients)");
    if (sweeps("clients") && vm.count("rate")) throw UsageError("--rate and --clients: choose open loop (--rate) or closed loop (--clients)");
    if (sweeps("rate") && sweeps("clients")) throw UsageError("--rate and --clients cannot both be swept");

    const Profile profile = profile_from(vm);
    const WhatIf base = what_if_from(rest);
    const std::uint64_t seed = seed_from(vm);
    const PredictionMethod method = method_from(vm);
    const bool requests_given = vm.count("requests") > 0;

    // The grid, first axis slowest.
    std::vector<std::vector<double>> points;
    const std::size_t second = swept.size() > 1 ? swept[1].values.size() : 1;
    if (swept[0].values.size() * second > kMaxPoints) throw UsageError("the sweep has more than 100000 points");
    for (double a : swept[0].values)
        for (std::size_t j = 0; j < second; ++j)
            points.push_back(swept.size() > 1 ? std::vector<double>{a, swept[1].values[j]} : std::vector<double>{a});

    std::vector<Scenario> scenarios(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        WhatIf q = base;
        for (std::size_t k = 0; k < swept.size(); ++k) {
            const std::string flag = swept[k].flag;
            const double v = points[i][k];
            if (flag == "workers") q.workers = static_cast<int>(v);
            else if (flag == "cores") q.cores = static_cast<int>(v);
            else if (flag == "io-pct") {
                q.workload.io_pct = v;
                q.workload.cpu_pct.reset();
            } else if (flag == "clients") {
                q.load.kind = LoadKind::closed;
                q.load.clients = static_cast<int>(v);
                if (!requests_given) q.load.requests = std::max<std::int64_t>(200, q.load.clients);
                else if (q.load.requests < q.load.clients)
                    throw UsageError("--requests " + std::to_string(q.load.requests) + ": expected at least the largest --clients (" +
                                     format_value(v) + "), as hey requires");
            } else if (flag == "rate") {
                q.load.kind = LoadKind::open;
                q.load.rate_per_s = v;
            }
        }
        try {
            scenarios[i] = build_scenario(profile, q);
            validate(scenarios[i]);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    }

    // Run every point; the same seed everywhere (common random numbers: differences between
    // points are the parameters', not the draws'), so the thread count cannot matter.
    const bool want_sim = method != PredictionMethod::mva, want_mva = method != PredictionMethod::sim;
    std::vector<Result> sim(points.size()), mva(points.size());
    const int threads = threads_from(vm);
    auto run_point = [&](std::size_t i) {
        try {
            if (want_mva) mva[i] = predict_mva(scenarios[i]);
            if (want_sim) sim[i] = simulate(scenarios[i], seed);
        } catch (const std::exception& e) {
            std::string where;
            for (std::size_t k = 0; k < swept.size(); ++k) where += std::string(" --") + swept[k].flag + " " + format_value(points[i][k]);
            throw std::runtime_error("at" + where + ": " + e.what());
        }
    };
    ProgressReport progress;
    if (isatty(STDERR_FILENO) && points.size() > 1)
        progress = [&](std::size_t done) {
            const std::size_t bar = 30 * done / points.size();
            std::cerr << "\r[" << std::string(bar, '#') << std::string(30 - bar, ' ') << "] " << done << "/" << points.size()
                      << std::flush;
        };
    parallel_for(points.size(), threads, run_point, progress);
    if (progress) std::cerr << "\r" << std::string(50, ' ') << "\r" << std::flush;

    struct Output {
        const char* method;
        const std::vector<Result>* results;
    };
    std::vector<Output> outputs;
    if (want_sim) outputs.push_back({"sim", &sim});
    if (want_mva) outputs.push_back({"mva", &mva});

    if (vm.count("json")) {
        for (std::size_t i = 0; i < points.size(); ++i)
            for (const Output& o : outputs) {
                nlohmann::json line;
                for (std::size_t k = 0; k < swept.size(); ++k) line[swept[k].key] = points[i][k];
                line["method"] = o.method;
                const Result& r = (*o.results)[i];
                const nlohmann::json prediction = std::string(o.method) == "mva"
                                                      ? analytic_json(r, scenarios[i].load.kind == LoadKind::open)
                                                      : to_json(r);
                line.update(prediction);
                std::cout << line.dump() << "\n";
            }
        return 0;
    }
    if (vm.count("csv")) {
        for (const Axis& a : swept) std::cout << a.key << ",";
        std::cout << "method,throughput_rps,mean_s,p50_s,p90_s,p99_s,core_utilisation,worker_utilisation,"
                     "mean_accept_queue,memory_total_kib,errors,unstable\n";
        for (std::size_t i = 0; i < points.size(); ++i)
            for (const Output& o : outputs) {
                const Result& r = (*o.results)[i];
                for (double v : points[i]) std::cout << format_value(v) << ",";
                std::cout << o.method << "," << r.throughput_rps << "," << r.latency.mean_s << "," << r.latency.p50_s << ","
                          << r.latency.p90_s << "," << r.latency.p99_s << "," << r.core_utilisation << ","
                          << r.worker_utilisation << "," << r.mean_accept_queue << "," << r.memory.total_kib << ","
                          << r.errors.total() << "," << (r.unstable ? "true" : "false") << "\n";
            }
        return 0;
    }
    // The table: one row per point, the methods side by side.
    std::ostringstream header;
    for (const Axis& a : swept) header << std::string(10 - std::min<std::size_t>(9, std::string(a.key).size()), ' ') << a.key;
    for (const Output& o : outputs)
        header << "  " << o.method << ":req/s" << "  " << o.method << ":mean_s" << "   " << o.method << ":p99_s";
    header << "   cores%  workers%   memory";
    std::cout << header.str() << "\n";
    for (std::size_t i = 0; i < points.size(); ++i) {
        for (double v : points[i]) {
            const std::string s = format_value(v);
            std::cout << std::string(10 - std::min<std::size_t>(9, s.size()), ' ') << s;
        }
        for (const Output& o : outputs) {
            const Result& r = (*o.results)[i];
            const std::string cells[] = {fixed(r.throughput_rps, 3), fixed(r.latency.mean_s, 4), fixed(r.latency.p99_s, 4)};
            for (const std::string& c : cells) std::cout << std::string(11 - std::min<std::size_t>(10, c.size()), ' ') << c;
        }
        const Result& r = (*outputs.front().results)[i];
        std::cout << "  " << std::string(7 - std::min<std::size_t>(6, fixed(100 * r.core_utilisation, 1).size()), ' ')
                  << fixed(100 * r.core_utilisation, 1) << "  "
                  << std::string(8 - std::min<std::size_t>(7, fixed(100 * r.worker_utilisation, 1).size()), ' ')
                  << fixed(100 * r.worker_utilisation, 1) << "  " << fixed(r.memory.total_kib / 1024, 1) << " MiB"
                  << (r.unstable ? "  UNSTABLE" : "") << (r.errors.total() > 0 ? "  errors " + std::to_string(r.errors.total()) : "")
                  << "\n";
    }
    if (want_mva) std::cout << "\nmva: steady state; percentiles approximate (see predict --method mva)\n";
    return 0;
}

}  // namespace workersim::cli
