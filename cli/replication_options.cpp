#include "cli/replication_options.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli/arguments.hpp"
#include "cli/usage_error.hpp"
#include "analysis/parallel_for.hpp"

namespace workersim::cli {

namespace {

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

}  // namespace

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
        ("threads", po::value<std::string>(),
         "threads running replications, 1..1024 (default: the machine's cores); the output does not "
         "depend on it");
    return o;
}

int threads_from(const po::variables_map& vm) {
    if (!vm.count("threads")) return hardware_threads();
    return static_cast<int>(parse_integer("--threads", vm["threads"].as<std::string>(), 1, 1024));
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

namespace {

void print_warmup(std::ostream& out, const ReplicatedResult& r) {
    const WarmupRemoval& w = r.warmup;
    if (!w.requested) return;
    if (w.no_steady_state) {
        out << "\nSteady state: none (open load at or beyond capacity); no warm-up removed.\n";
        return;
    }
    const bool one = r.replications == 1;
    out << "\nSteady state: warm-up removed by MSER-5: the first " << fixed(w.mean_discarded, one ? 0 : 1)
        << " responses" << (one ? "" : " per replication on average") << ", up to " << fixed(w.mean_until_s, 3)
        << " s" << (one ? "" : " on average") << ", are not in the figures above.\n";
    if (w.too_long > 0)
        out << "  Warning: in " << w.too_long << " of " << r.replications
            << " runs the transient may be longer than half the run: raise -n.\n";
}

}  // namespace

void print_confidence(std::ostream& out, const ReplicatedResult& r) {
    print_warmup(out, r);
    if (r.replications <= 1) return;
    out << "\nConfidence (95%, " << r.replications << " replications; \u00B1 the mean's interval, sd one run's spread):\n";
    const auto line = [&out](const char* name, const Estimate& e, int decimals, const char* unit) {
        out << "  " << name << "\t" << fixed(e.mean, decimals) << " \u00B1 " << fixed(e.ci95_half_width, decimals) << unit
            << "\t(sd " << fixed(e.sd, decimals) << ")\n";
    };
    line("Requests/sec:", r.throughput_rps, 4, "");
    line("Total:", r.makespan_s, 4, " secs");
    line("Average:", r.latency.mean_s, 4, " secs");
    line("50% in", r.latency.p50_s, 4, " secs");
    line("90% in", r.latency.p90_s, 4, " secs");
    line("95% in", r.latency.p95_s, 4, " secs");
    line("99% in", r.latency.p99_s, 4, " secs");
    if (r.precision_target > 0) {
        out << "  Precision:\t" << (r.precision_reached ? "reached " : "NOT reached ") << fixed(100 * r.precision_target, 3)
            << "%";
        if (!r.precision_reached) out << " (stopped at the cap of " << r.replications << " replications)";
        out << "\n";
    }
}

void print_profile_uncertainty(std::ostream& out, const ReplicatedResult& fitted, const ReplicatedResult& drawn) {
    out << "\nWith the calibration's uncertainty (" << drawn.replications
        << " replications, each with the profile's values drawn from value \u00B1 standard error):\n";
    const auto line = [&out](const char* name, const Estimate& with, const Estimate& without, const char* unit) {
        const double share = with.sd > 0 ? std::max(0.0, 1 - (without.sd * without.sd) / (with.sd * with.sd)) : 0;
        out << "  " << name << "\t" << fixed(with.mean, 4) << " \u00B1 " << fixed(with.ci95_half_width, 4) << unit
            << "\t(sd " << fixed(with.sd, 4) << "; " << fixed(100 * share, 0) << "% of its variance the calibration's)\n";
    };
    line("Requests/sec:", drawn.throughput_rps, fitted.throughput_rps, "");
    line("Average:", drawn.latency.mean_s, fitted.latency.mean_s, " secs");
    line("99% in", drawn.latency.p99_s, fitted.latency.p99_s, " secs");
}

}  // namespace workersim::cli
