#include <iostream>

#include "cli/commands.hpp"
#include "cli/prediction_method.hpp"
#include "cli/replication_options.hpp"
#include "cli/report.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/mva.hpp"
#include "model/replicated_result_json.hpp"
#include "model/result_json.hpp"
#include "sim/replications.hpp"
#include "sim/simulator.hpp"

namespace workersim::cli {

int predict_command(int argc, const char* const* argv) {
    po::options_description general("workersim predict: what throughput, latency and memory N sync workers give\n"
                                    "\nGeneral");
    general.add_options()("help,h", "this help")("json", "print one JSON object instead of the summary");
    po::options_description all;
    all.add(general).add(method_options()).add(server_options()).add(workload_options()).add(load_options()).add(profile_options()).add(replication_options());
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        std::cout << all << "\n";
        return 0;
    }
    const Profile profile = profile_from(vm);
    const WhatIf what_if = what_if_from(vm, profile);
    Scenario scenario;
    try {
        scenario = build_scenario(profile, what_if);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    const PredictionMethod method = method_from(vm);
    if (method != PredictionMethod::sim) {
        const bool open = scenario.load.kind == LoadKind::open;
        const Result mva = predict_mva(scenario);
        const bool json = vm.count("json") > 0;
        if (method == PredictionMethod::mva) {
            if (json) std::cout << analytic_json(mva, open).dump(2) << "\n";
            else print_analytic(std::cout, mva, open);
            return 0;
        }
        const Result sim = simulate(scenario, seed_from(vm));
        if (json) std::cout << nlohmann::json{{"sim", to_json(sim)}, {"mva", analytic_json(mva, open)}}.dump(2) << "\n";
        else print_side_by_side(std::cout, sim, mva, open);
        return 0;
    }
    const ReplicatedResult replicated = replicate(scenario, replication_options_from(vm, seed_from(vm)));
    const Result& result = replicated.representative;  // the plain run when R = 1
    if (vm.count("json")) {
        std::cout << (replicated.replications > 1 ? to_json(replicated) : to_json(result)).dump(2) << "\n";
    } else {
        std::cout << "workersim: " << what_if.workers << " sync worker" << (what_if.workers == 1 ? "" : "s") << " on "
                  << scenario.host.cores << " core" << (scenario.host.cores == 1 ? "" : "s") << ", calibration '"
                  << profile.name << "'\n";
        print_hey_style(std::cout, result);
        print_confidence(std::cout, replicated);
    }
    return 0;
}

}  // namespace workersim::cli
