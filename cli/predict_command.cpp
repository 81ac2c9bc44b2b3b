// workersim predict: what throughput, latency and memory N sync workers give.

#include <iostream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/field_flags.hpp"
#include "cli/prediction_method.hpp"
#include "cli/replication_options.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/mva.hpp"
#include "analysis/profile_uncertainty.hpp"
#include "analysis/replications.hpp"
#include "report/analytic_prediction.hpp"
#include "report/replicated_prediction.hpp"
#include "report/timeline.hpp"
#include "sim/simulator.hpp"

namespace workersim::cli {

namespace {

constexpr int kProfileUncertaintyReplications = 20;

po::options_description predict_options() {
    po::options_description general("workersim predict: what throughput, latency and memory N sync workers give\n"
                                    "\nGeneral");
    general.add_options()("help,h", "this help")("json", "print one JSON object instead of the summary")(
        "profile-uncertainty",
        "replications also draw the profile's fitted values from their fitted distributions (value ± standard "
        "error), beside the same replications with the profile as fitted: how much of the spread is the "
        "calibration's (default 20 replications)")(
        "timeline", po::value<std::string>(),
        "with --json: one run with the state sampled every SECONDS of simulated time (e.g. 1s, 500ms) in "
        "\"timeline\": [{time_s, accept_queue, busy_workers, live_workers, completed, worker_timeouts, "
        "worker_restarts}, ...]");
    po::options_description all;
    all.add(general).add(method_options()).add(server_options()).add(workload_options()).add(load_options()).add(profile_options()).add(replication_options());
    return all;
}

// One plain simulation with the state sampled every interval_s: a timeline belongs to one
// run, so averaging replications or an analytic model has none.
int print_timeline_run(const po::variables_map& vm, const Scenario& scenario, PredictionMethod method) {
    const std::string text = vm["timeline"].as<std::string>();
    const double interval_s = parse_seconds("--timeline", text, 1e-3, 1e7);
    if (!vm.count("json")) throw UsageError("--timeline " + text + ": the timeline is printed in the JSON output; add --json");
    if (method != PredictionMethod::sim)
        throw UsageError("--timeline " + text + ": needs --method sim (the analytic models have no time axis)");
    if (vm.count("precision") || (vm.count("replications") && vm["replications"].as<std::string>() != "1"))
        throw UsageError("--timeline " + text + ": samples one run; drop --replications and --precision");
    SimulationOptions options;
    options.seed = seed_from(vm);
    options.timeline_interval_s = interval_s;
    std::cout << report::timeline_json(simulate(scenario, options)).dump(2) << "\n";
    return 0;
}

// --method mva: the analytic answer alone; both: beside one simulated run.
int print_analytic_run(const po::variables_map& vm, const Scenario& scenario, PredictionMethod method) {
    const report::AnalyticModel model = report::analytic_model_of(scenario);
    const Result mva = predict_mva(scenario);
    const bool json = vm.count("json") > 0;
    if (method == PredictionMethod::mva) {
        if (json) std::cout << report::analytic_json(mva, model).dump(2) << "\n";
        else report::print_analytic(std::cout, mva, model);
        return 0;
    }
    const Result sim = simulate(scenario, seed_from(vm));
    if (json) std::cout << report::side_by_side_json(sim, mva, model).dump(2) << "\n";
    else report::print_side_by_side(std::cout, sim, mva, model);
    return 0;
}

// The replications --replications, --precision and --steady-state ask for, and with
// --profile-uncertainty the same again with the profile's values drawn.
report::SimulatedPrediction simulated_prediction(const po::variables_map& vm, const Profile& profile,
                                                 const WhatIf& what_if, const Scenario& scenario) {
    ReplicationOptions replication = replication_options_from(vm, seed_from(vm), scenario.load.kind);
    const bool profile_uncertainty = vm.count("profile-uncertainty") > 0;
    if (profile_uncertainty && profile.fit.empty())
        throw UsageError("--profile-uncertainty: profile '" + profile.name + "' has no standard errors to draw from");
    if (profile_uncertainty && !vm.count("replications") && !vm.count("precision"))
        replication.replications = kProfileUncertaintyReplications;
    if (profile_uncertainty && replication.replications < 2 && replication.precision <= 0)
        throw UsageError("--profile-uncertainty with --replications 1: a spread needs at least 2");
    report::SimulatedPrediction p;
    p.workers = what_if.workers;
    p.cores = scenario.host.cores;
    p.worker_class = effective_worker_class(scenario.server);
    p.threads = scenario.server.threads;
    p.profile = profile;
    p.embedded_profile = !vm.count("calibration");
    p.replicated = replicate(scenario, replication);
    if (profile_uncertainty) {
        // The same replication seeds (common random numbers): the difference between the two
        // spreads is the calibration's.
        ReplicationOptions same = replication;
        same.replications = p.replicated.replications;
        same.precision = 0;
        p.with_profile_drawn = replicate(
            [&](int i) { return build_scenario(draw_profile(profile, replication_seed(same.seed, i)), what_if); }, same);
    }
    return p;
}

}  // namespace

int predict_command(int argc, const char* const* argv) {
    const po::options_description all = predict_options();
    const po::variables_map vm = parse_command_line(argc, argv, all);
    if (print_help_if_asked(vm, all)) return 0;
    const Profile profile = profile_from(vm);
    const WhatIf what_if = what_if_from(vm);
    const Scenario scenario = as_usage_error([&] { return build_scenario(profile, what_if); });
    const PredictionMethod method = method_from(vm);
    require_method_models(method, scenario);
    if (vm.count("timeline")) return print_timeline_run(vm, scenario, method);
    if (method != PredictionMethod::sim) return print_analytic_run(vm, scenario, method);
    const report::SimulatedPrediction prediction = simulated_prediction(vm, profile, what_if, scenario);
    if (vm.count("json")) std::cout << report::prediction_json(prediction).dump(2) << "\n";
    else report::print_prediction(std::cout, prediction);
    return 0;
}

}  // namespace workersim::cli
