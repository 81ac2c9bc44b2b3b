#include "cli/replication_options.hpp"

#include <algorithm>
#include <string>

#include "cli/arguments.hpp"
#include "cli/usage_error.hpp"
#include "analysis/parallel_for.hpp"

namespace workersim::cli {

po::options_description replication_options() {
    po::options_description o("Replications (confidence intervals)");
    o.add_options()
        ("replications", po::value<std::string>(),
         "independent runs, 1..10000 (default 1); with R > 1 every figure is the mean across runs "
         "with its 95% confidence interval (Student t) and the spread of one run (sd). Run i uses a "
         "seed derived from --seed and i; run 0 uses --seed itself")
        ("precision", po::value<std::string>(),
         "relative 95% half-width target, e.g. 1% (0.001%..50%): replications are added until the "
         "intervals of throughput and latency mean, p50, p90, p95 and p99 are all within it, starting "
         "from max(5, --replications) and stopping at max(200, --replications) runs")
        ("steady-state", po::value<std::string>()->implicit_value("on"),
         "on, off or auto (the default): remove each run's warm-up (the start from an idle server, or "
         "every client firing at t = 0) before its statistics, by MSER-5 (White 1997) on a pilot run "
         "of the same seed; throughput is then counted from the end of the warm-up. auto: on for an "
         "open load (--rate) with --replications > 1 or --precision, which ask for the long-run "
         "figures; off for a closed -n/-c load and a single run, which are compared with one "
         "load-generator run, start-up included. `--steady-state` alone means on. An open load at or "
         "beyond capacity has no steady state: nothing is removed")
        ("jobs", po::value<std::string>(),
         "threads running replications, 1..1024 (default: the machine's cores); the output does not "
         "depend on it");
    return o;
}

int threads_from(const po::variables_map& vm) {
    if (!vm.count("jobs")) return hardware_threads();
    return static_cast<int>(parse_integer("--jobs", vm["jobs"].as<std::string>(), 1, 1024));
}

ReplicationOptions replication_options_from(const po::variables_map& vm, std::uint64_t seed, LoadKind load) {
    ReplicationOptions o;
    o.seed = seed;
    if (vm.count("replications"))
        o.replications = static_cast<int>(parse_integer("--replications", vm["replications"].as<std::string>(), 1, 10000));
    o.threads = threads_from(vm);
    if (vm.count("precision")) {
        std::string text = vm["precision"].as<std::string>();
        if (!text.empty() && text.back() == '%') text.pop_back();
        o.precision = parse_number("--precision (percent)", text, 0.001, 50) / 100;
        o.max_replications = std::max(kPrecisionReplicationCap, o.replications);
    }
    const std::string mode = vm.count("steady-state") ? vm["steady-state"].as<std::string>() : "auto";
    if (mode == "on")
        o.steady_state = true;
    else if (mode == "off")
        o.steady_state = false;
    else if (mode == "auto")
        o.steady_state = load == LoadKind::open && (o.replications > 1 || o.precision > 0);
    else
        throw UsageError("--steady-state: expected on, off or auto, got '" + mode + "'");
    return o;
}

}  // namespace workersim::cli
