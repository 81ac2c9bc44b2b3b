// workersim recommend: how many sync workers for this host, memory, workload and objective.

#include <iostream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/field_flags.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "report/recommendation.hpp"
#include "sizing/recommend.hpp"

namespace workersim::cli {

namespace {

po::options_description recommend_options() {
    po::options_description general(
        "workersim recommend: how many Gunicorn sync workers, with Gunicorn's (2 x cores) + 1 beside it\n\nGeneral");
    const std::string cores_help = "CPU cores of the host, " + kCoresRange.text() + " (default: the calibration's host)";
    const std::string max_workers_help = "the largest count to consider, " + kMaxWorkersRange.text() + " (default 64)";
    general.add_options()
        ("help,h", "this help")
        ("json", "print one JSON object instead of the summary")
        ("cores", po::value<std::string>(), cores_help.c_str())
        ("memory", po::value<std::string>(), "PSS budget for the master and its workers, e.g. 4GiB, 512MiB (default: none)")
        ("worker-mib", po::value<std::string>(), "one worker's PSS in MiB, e.g. 100 for a Django process (default: the calibration's)")
        ("slo-p99", po::value<std::string>(), "objective: 99th percentile latency at most this, e.g. 2s, 250ms")
        ("slo-mean", po::value<std::string>(), "objective: mean latency at most this")
        ("max-workers", po::value<std::string>(), max_workers_help.c_str());
    po::options_description all;
    all.add(general).add(workload_options()).add(load_options()).add(profile_options());
    return all;
}

RecommendQuery query_from(const po::variables_map& vm) {
    auto text = [&](const char* flag) { return vm[flag].as<std::string>(); };
    RecommendQuery q;
    q.profile = profile_from(vm);
    q.what_if = what_if_from(vm);
    q.seed = seed_from(vm);
    if (vm.count("memory")) q.memory_kib = parse_kib("--memory", text("memory"), 1, 64.0 * 1024 * 1024 * 1024);
    if (vm.count("worker-mib")) q.worker_kib = parse_number("--worker-mib", text("worker-mib"), 0.001, 1e7) * 1024;
    if (vm.count("slo-p99")) q.slo_p99_s = parse_seconds("--slo-p99", text("slo-p99"), 1e-6, 1e7);
    if (vm.count("slo-mean")) q.slo_mean_s = parse_seconds("--slo-mean", text("slo-mean"), 1e-6, 1e7);
    if (vm.count("max-workers"))
        q.max_workers = static_cast<int>(
            parse_integer("--max-workers", text("max-workers"), kMaxWorkersRange.min, kMaxWorkersRange.max));
    return q;
}

}  // namespace

int recommend_command(int argc, const char* const* argv) {
    const po::options_description all = recommend_options();
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (print_help_if_asked(vm, all)) return 0;
    const RecommendQuery q = query_from(vm);
    const Recommendation rec = as_usage_error([&] { return recommend(q); });
    if (vm.count("json")) std::cout << report::recommendation_json(q, rec).dump(2) << "\n";
    else report::print_recommendation(std::cout, q, rec);
    return 0;
}

}  // namespace workersim::cli
