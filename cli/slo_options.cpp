#include "cli/slo_options.hpp"

#include <string>

#include "cli/arguments.hpp"

namespace workersim::cli {

namespace {

// A microsecond to about four months: below, no simulated request is that fast; above, no
// run is that long.
constexpr double kMinSloS = 1e-6;
constexpr double kMaxSloS = 1e7;
// The same bounds as --rate: a throughput floor no open load could reach is a typo.
constexpr double kMinSloRps = 1e-9;
constexpr double kMaxSloRps = 1e9;

}  // namespace

boost::program_options::options_description slo_options() {
    namespace po = boost::program_options;
    po::options_description o(
        "Objectives (for CI: exit 1 when the prediction misses one, naming each with predicted vs target; exit 0 "
        "when it meets them all; exit 2 on bad input). Any objective also requires no errors and a stable run. "
        "With --replications the point estimate is checked (the mean across replications, as the summary prints it), "
        "not a confidence bound; --method mva checks the analytic answer, both the simulated one");
    o.add_options()
        ("slo-p99", po::value<std::string>(), "99th percentile latency at most this, e.g. 2s, 250ms")
        ("slo-mean", po::value<std::string>(), "mean latency at most this, e.g. 500ms")
        ("slo-throughput", po::value<std::string>(), "throughput at least this many requests/s, e.g. 50");
    return o;
}

sizing::ServiceLevel service_level_from(const boost::program_options::variables_map& vm) {
    auto text = [&](const char* flag) { return vm[flag].as<std::string>(); };
    sizing::ServiceLevel level;
    if (vm.count("slo-p99")) level.p99_s = parse_seconds("--slo-p99", text("slo-p99"), kMinSloS, kMaxSloS);
    if (vm.count("slo-mean")) level.mean_s = parse_seconds("--slo-mean", text("slo-mean"), kMinSloS, kMaxSloS);
    if (vm.count("slo-throughput"))
        level.throughput_rps = parse_number("--slo-throughput", text("slo-throughput"), kMinSloRps, kMaxSloRps);
    return level;
}

}  // namespace workersim::cli
