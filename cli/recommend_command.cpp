// workersim recommend: how many sync workers, or gthread processes x threads, for this host,
// memory, workload and objective.

#include <iostream>
#include <sstream>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/field_flags.hpp"
#include "cli/gunicorn_command.hpp"
#include "cli/slo_options.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "report/recommendation.hpp"
#include "sizing/recommend.hpp"

namespace workersim::cli {

namespace {

po::options_description recommend_options() {
    po::options_description general(
        "workersim recommend: how many Gunicorn sync workers, or gthread processes x threads, with Gunicorn's\n"
        "(2 x cores) + 1 beside it\n\nGeneral");
    const std::string cores_help = "CPU cores of the host, " + kCoresRange.text() + " (default: the calibration's host)";
    const std::string max_workers_help =
        "the largest count of processes to consider, " + kMaxWorkersRange.text() + " (default 64)";
    std::string default_threads;
    for (int t : default_thread_counts()) default_threads += (default_threads.empty() ? "" : ",") + std::to_string(t);
    const std::string threads_help = "gthread: the threads per process to search, A,B,C, FROM..TO or FROM..TO:STEP, each " +
                                     kThreadsRange.text() + ", at most " + std::to_string(kThreadCountsRange.max) +
                                     " counts (default " + default_threads + ")";
    general.add_options()
        ("help,h", "this help")
        ("json", "print one JSON object instead of the summary")
        ("cores", po::value<std::string>(), cores_help.c_str())
        ("memory", po::value<std::string>(), "PSS budget for the master and its workers, e.g. 4GiB, 512MiB (default: none)")
        ("worker-mib", po::value<std::string>(), "one worker's PSS in MiB, e.g. 100 for a Django process (default: the calibration's)")
        ("slo-p99", po::value<std::string>(), "objective: 99th percentile latency at most this, e.g. 2s, 250ms")
        ("slo-mean", po::value<std::string>(), "objective: mean latency at most this")
        ("max-workers", po::value<std::string>(), max_workers_help.c_str())
        ("worker-class,k", po::value<std::string>(), "sync (processes), gthread (processes x threads) or any (the best of each side by side); default sync")
        ("threads", po::value<std::string>(), threads_help.c_str());
    add_gthread_server_options(general);
    po::options_description all;
    all.add(general).add(gunicorn_options()).add(workload_options()).add(load_options()).add(profile_options());
    return all;
}

// The classes to search: -k's, else the pasted command's (a gthread user is sized as gthread),
// else sync.
WorkerClassSearch worker_class_from(const po::variables_map& vm, const std::optional<PastedGunicorn>& pasted) {
    if (!vm.count("worker-class") && pasted && effective_worker_class(pasted->what_if.server) == WorkerClass::gthread)
        return WorkerClassSearch::gthread;
    if (!vm.count("worker-class")) return WorkerClassSearch::sync;
    const std::string name = vm["worker-class"].as<std::string>();
    if (name == "sync") return WorkerClassSearch::sync;
    if (name == "gthread") return WorkerClassSearch::gthread;
    if (name == "any") return WorkerClassSearch::any;
    throw UsageError("--worker-class " + name + ": expected sync, gthread or any");
}

// The thread counts to search: "1,2,4", "1..8" or "2..32:2", as sweep's axes are written.
std::vector<int> thread_counts_from(const std::string& text) {
    std::vector<int> counts;
    for (double t : parse_values("--threads", text, true, static_cast<double>(kThreadsRange.min),
                                 static_cast<double>(kThreadsRange.max),
                                 static_cast<std::size_t>(kThreadCountsRange.max)))
        counts.push_back(static_cast<int>(t));
    return counts;
}

RecommendQuery query_from(const po::variables_map& vm, std::optional<PastedGunicorn>& pasted) {
    auto text = [&](const char* flag) { return vm[flag].as<std::string>(); };
    RecommendQuery q;
    q.profile = profile_from(vm);
    q.worker_class = worker_class_from(vm, pasted);
    if (vm.count("threads")) q.threads = thread_counts_from(text("threads"));
    for (int t : q.threads)
        if (t > 1 && q.worker_class == WorkerClassSearch::sync)
            throw UsageError("--threads " + text("threads") +
                             ": threads are gthread's; add -k gthread or -k any (-k sync sizes processes only)");
    po::variables_map server = vm;  // the class and the threads are searched, not given
    server.erase("worker-class");
    server.erase("threads");
    q.what_if = what_if_from(server);
    if (pasted) {
        // The server settings recommend takes no flag for come from the pasted command; its
        // size is the baseline the answer is compared with.
        const ServerConfig& p = pasted->what_if.server;
        q.what_if.server.timeout_s = p.timeout_s;
        q.what_if.server.backlog = p.backlog;
        q.what_if.server.max_requests = p.max_requests;
        q.what_if.server.max_requests_jitter = p.max_requests_jitter;
        q.baseline = Baseline{effective_worker_class(p), pasted->what_if.workers, p.threads};
        q.what_if.preload = pasted_preload(*pasted, q.profile);
    }
    q.seed = seed_from(vm);
    if (vm.count("memory")) q.memory_kib = parse_kib("--memory", text("memory"), 1, 64.0 * 1024 * 1024 * 1024);
    if (vm.count("worker-mib")) q.worker_kib = parse_number("--worker-mib", text("worker-mib"), 0.001, 1e7) * 1024;
    const sizing::ServiceLevel level = service_level_from(vm);  // recommend takes no --slo-throughput
    q.slo_p99_s = level.p99_s;
    q.slo_mean_s = level.mean_s;
    if (vm.count("max-workers"))
        q.max_workers = static_cast<int>(
            parse_integer("--max-workers", text("max-workers"), kMaxWorkersRange.min, kMaxWorkersRange.max));
    return q;
}

}  // namespace

int recommend_command(int argc, const char* const* argv) {
    const po::options_description all = recommend_options();
    // --worker-class and --threads are what recommend searches: the pasted command's are its baseline.
    CommandLine line = parse_with_pasted_gunicorn(argc, argv, all, {"worker-class", "threads"});
    const po::variables_map& vm = line.vm;
    if (print_help_if_asked(vm, all)) return 0;
    const RecommendQuery q = query_from(vm, line.gunicorn);
    if (line.gunicorn) print_gunicorn_warnings(std::cerr, "recommend", *line.gunicorn);
    const bool json = vm.count("json") > 0;
    auto with_echo = [&](nlohmann::json out) {
        if (line.gunicorn) out["gunicorn"] = gunicorn_echo(*line.gunicorn);
        return out;
    };
    if (q.worker_class == WorkerClassSearch::any) {
        const WorkerClassComparison both = as_usage_error([&] { return compare_worker_classes(q); });
        if (json) std::cout << with_echo(report::comparison_json(q, both)).dump(2) << "\n";
        else report::print_comparison(std::cout, q, both);
        return 0;
    }
    const Recommendation rec = as_usage_error([&] { return recommend(q); });
    if (json) std::cout << with_echo(report::recommendation_json(q, rec)).dump(2) << "\n";
    else report::print_recommendation(std::cout, q, rec);
    return 0;
}

}  // namespace workersim::cli
