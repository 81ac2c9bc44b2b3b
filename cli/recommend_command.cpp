// workersim recommend: how many sync workers for this host, memory, workload and objective.

#include <iostream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/result_json.hpp"
#include "report/prediction.hpp"
#include "report/text_format.hpp"
#include "sizing/recommend.hpp"

namespace workersim::cli {

namespace {

std::string objective_text(const RecommendQuery& q) {
    std::string text;
    if (q.slo_p99_s) text += "p99 <= " + report::fixed(*q.slo_p99_s, 3) + " s";
    if (q.slo_mean_s) text += std::string(text.empty() ? "" : " and ") + "mean <= " + report::fixed(*q.slo_mean_s, 3) + " s";
    if (text.empty()) text = "maximum throughput with the fewest workers (within 1% of the best)";
    else text += ", then the fewest workers";
    return text;
}

}  // namespace

int recommend_command(int argc, const char* const* argv) {
    po::options_description general(
        "workersim recommend: how many Gunicorn sync workers, with Gunicorn's (2 x cores) + 1 beside it\n\nGeneral");
    general.add_options()
        ("help,h", "this help")
        ("json", "print one JSON object instead of the summary")
        ("cores", po::value<std::string>(), "CPU cores of the host, 1..4096 (default: the calibration's host)")
        ("memory", po::value<std::string>(), "PSS budget for the master and its workers, e.g. 4GiB, 512MiB (default: none)")
        ("worker-mib", po::value<std::string>(), "one worker's PSS in MiB, e.g. 100 for a Django process (default: the calibration's)")
        ("slo-p99", po::value<std::string>(), "objective: 99th percentile latency at most this, e.g. 2s, 250ms")
        ("slo-mean", po::value<std::string>(), "objective: mean latency at most this")
        ("max-workers", po::value<std::string>(), "the largest count to consider, 1..4096 (default 64)");
    po::options_description all;
    all.add(general).add(workload_options()).add(load_options()).add(profile_options());
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        std::cout << all << "\n";
        return 0;
    }
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
        q.max_workers = static_cast<int>(parse_integer("--max-workers", text("max-workers"), 1, 4096));

    Recommendation rec;
    try {
        rec = recommend(q);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }

    if (vm.count("json")) {
        nlohmann::json screening = nlohmann::json::array();
        for (const ScreenedCount& c : rec.screening)
            screening.push_back({{"workers", c.workers},
                                 {"throughput_rps", c.throughput_rps},
                                 {"mean_s", c.mean_s},
                                 {"p99_s", c.p99_s},
                                 {"memory_kib", c.memory_kib},
                                 {"fits_memory", c.fits_memory},
                                 {"meets_objective", c.meets_objective}});
        const nlohmann::json out = {
            {"workers", rec.workers},
            {"feasible", rec.feasible},
            {"limited_by", rec.limited_by},
            {"objective", objective_text(q)},
            {"predicted", to_json(rec.predicted)},
            {"predicted_method", "sim"},
            {"rule_of_thumb",
             {{"workers", rec.rule_of_thumb_workers},
              {"predicted", to_json(rec.rule_of_thumb_predicted)},
              {"fits_memory", rec.rule_of_thumb_fits_memory}}},
            {"max_workers_in_memory", rec.max_workers_in_memory},
            {"best_throughput_rps", rec.best_throughput_rps},
            {"advice", rec.advice},
            {"simulations", rec.simulations},
            {"screening", screening},
        };
        std::cout << out.dump(2) << "\n";
        return 0;
    }

    std::cout << "workersim recommend: objective " << objective_text(q) << "; calibration '" << q.profile.name << "'\n"
              << "  analytic screening of 1.." << q.max_workers << " workers, then " << rec.simulations
              << " simulated runs where they decide the answer\n\n";
    if (rec.feasible) {
        std::cout << "Recommended: " << rec.workers << " worker" << (rec.workers == 1 ? "" : "s") << " (limited by "
                  << rec.limited_by << ")\n";
    } else {
        std::cout << "NOT FEASIBLE: nothing in 1.." << q.max_workers << " workers meets the objective within the budget"
                  << " (limited by " << rec.limited_by << ")\n";
        if (rec.workers > 0) std::cout << "  best achievable: " << rec.workers << " workers\n";
    }
    if (rec.workers > 0) report::print_brief(std::cout, rec.predicted);
    if (q.memory_kib)
        std::cout << "  memory budget " << report::format_kib(*q.memory_kib)
                  << (rec.max_workers_in_memory == q.max_workers ? " fits every count up to --max-workers, "
                                                                  : " fits at most ")
                  << rec.max_workers_in_memory << " workers\n";
    for (const std::string& a : rec.advice) std::cout << "  -> " << a << "\n";
    std::cout << "\nRule of thumb, (2 x cores) + 1 = " << rec.rule_of_thumb_workers << " workers"
              << (rec.rule_of_thumb_fits_memory ? "" : " (does NOT fit the memory budget)") << ":\n";
    report::print_brief(std::cout, rec.rule_of_thumb_predicted);
    return 0;
}

}  // namespace workersim::cli
