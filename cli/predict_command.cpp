// workersim predict: what throughput, latency and memory N sync workers give.

#include <iostream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/field_flags.hpp"
#include "cli/gunicorn_command.hpp"
#include "cli/prediction_method.hpp"
#include "cli/replication_options.hpp"
#include "cli/scenario_file.hpp"
#include "cli/slo_options.hpp"
#include "cli/usage_error.hpp"
#include "cli/what_if_options.hpp"
#include "model/mva.hpp"
#include "analysis/profile_uncertainty.hpp"
#include "analysis/replications.hpp"
#include "report/analytic_prediction.hpp"
#include "report/calibration.hpp"
#include "report/replicated_prediction.hpp"
#include "report/slo.hpp"
#include "report/timeline.hpp"
#include "sim/simulator.hpp"

namespace workersim::cli {

namespace {

constexpr int kProfileUncertaintyReplications = 20;

// --replications when not given: --profile-uncertainty needs a spread (unless --precision
// decides the count).
int default_replications(const po::variables_map& vm) {
    return vm.count("profile-uncertainty") && !vm.count("precision") ? kProfileUncertaintyReplications : 1;
}

po::options_description predict_options() {
    po::options_description general("workersim predict: what throughput, latency and memory N sync workers give\n"
                                    "\nGeneral");
    general.add_options()("help,h", "this help")(
        "json",
        "print one JSON object instead of the summary; it echoes every option's effective value under \"scenario\" "
        "(for --scenario) and the profile's name and provenance under \"calibration\"")(
        "profile-uncertainty",
        "replications also draw the profile's fitted values from their fitted distributions (value ± standard "
        "error), beside the same replications with the profile as fitted: how much of the spread is the "
        "calibration's (default 20 replications)")(
        "timeline", po::value<std::string>(),
        "with --json: one run with the state sampled every SECONDS of simulated time (e.g. 1s, 500ms) in "
        "\"timeline\": [{time_s, accept_queue, busy_workers, live_workers, completed, worker_timeouts, "
        "worker_restarts}, ...]")(
        "scenario", po::value<std::string>(),
        "read the options from FILE, a JSON object of the option names predict --json prints under \"scenario\" "
        "(every option but --json, --timeline, --jobs, --gunicorn-conf and --help; null: not given, its default); a flag or a pasted Gunicorn command given beside it overrides the file's value, and one of --io-pct, "
        "--cpu-pct, --io-ms, --cpu-ms (or of --clients, --rate) replaces all of that group's. The same file and "
        "seed give byte-identical output");
    po::options_description all;
    all.add(general).add(slo_options()).add(method_options()).add(gunicorn_options()).add(server_options()).add(workload_options()).add(load_options()).add(profile_options()).add(replication_options());
    return all;
}

// What every output of one predict run carries besides its figures.
struct PredictRun {
    const po::variables_map& vm;
    const Profile& profile;
    nlohmann::json scenario_echo;
    sizing::ServiceLevel slo;
    nlohmann::json gunicorn;  // the pasted Gunicorn command's echo; null without one
};

// The checks of run.slo on `result`; none without an objective.
std::vector<sizing::ObjectiveCheck> checks_of(const PredictRun& run, const Result& result) {
    if (!sizing::has_slo(run.slo)) return {};
    return sizing::check_objectives(run.slo, result);
}

// `out` with the scenario to rerun it, the profile's name and provenance, and the SLO's checks.
void print_json(nlohmann::json out, const PredictRun& run, const std::vector<sizing::ObjectiveCheck>& checks,
                const std::string& estimate) {
    out["scenario"] = run.scenario_echo;
    if (!run.gunicorn.is_null()) out["gunicorn"] = run.gunicorn;
    if (!out.contains("calibration")) out["calibration"] = report::calibration_json(run.profile);
    if (!checks.empty()) out["slo"] = report::slo_json(checks, estimate);
    std::cout << out.dump(2) << "\n";
}

void print_text_slo(const std::vector<sizing::ObjectiveCheck>& checks) {
    if (!checks.empty()) report::print_slo(std::cout, checks);
}

// The exit status: 1 when an objective is missed, each named on stderr for a CI log (stdout
// may be JSON), 0 otherwise.
int verdict(const std::vector<sizing::ObjectiveCheck>& checks) {
    for (const sizing::ObjectiveCheck& c : checks)
        if (!c.met) std::cerr << "workersim predict: SLO missed: " << report::objective_line(c) << "\n";
    return sizing::all_met(checks) ? 0 : 1;
}

// One plain simulation with the state sampled every interval_s: a timeline belongs to one
// run, so averaging replications or an analytic model has none.
int print_timeline_run(const PredictRun& run, const Scenario& scenario, PredictionMethod method) {
    const po::variables_map& vm = run.vm;
    const std::string text = vm["timeline"].as<std::string>();
    const double interval_s = parse_seconds("--timeline", text, 1e-3, 1e7);
    if (!vm.count("json")) throw UsageError("--timeline " + text + ": the timeline is printed in the JSON output; add --json");
    if (method != PredictionMethod::sim)
        throw UsageError("--timeline " + text + ": needs --method sim (the analytic models have no time axis)");
    if (vm.count("precision") || (vm.count("replications") && vm["replications"].as<std::string>() != "1"))
        throw UsageError("--timeline " + text + ": samples one run; drop --replications and --precision");
    if (sizing::has_slo(run.slo))
        throw UsageError("--timeline " + text + ": a timeline is for looking at one run, not for an SLO gate; drop "
                         "--timeline or the --slo-* flags");
    SimulationOptions options;
    options.seed = seed_from(vm);
    options.timeline_interval_s = interval_s;
    print_json(report::timeline_json(simulate(scenario, options)), run, {}, "");
    return 0;
}

// --method mva: the analytic answer alone, held to the SLO; both: beside one simulated run,
// which is held to it.
int print_analytic_run(const PredictRun& run, const Scenario& scenario, PredictionMethod method) {
    const report::AnalyticModel model = report::analytic_model_of(scenario);
    const Result mva = predict_mva(scenario);
    const bool json = run.vm.count("json") > 0;
    if (method == PredictionMethod::mva) {
        const auto checks = checks_of(run, mva);
        if (json) {
            print_json(report::analytic_json(mva, model), run, checks, "the analytic answer (--method mva)");
        } else {
            report::print_analytic(std::cout, mva, model);
            print_text_slo(checks);
        }
        return verdict(checks);
    }
    const Result sim = simulate(scenario, seed_from(run.vm));
    const auto checks = checks_of(run, sim);
    if (json) {
        print_json(report::side_by_side_json(sim, mva, model), run, checks, "the simulated run (--method both)");
    } else {
        report::print_side_by_side(std::cout, sim, mva, model);
        print_text_slo(checks);
    }
    return verdict(checks);
}

// The replications --replications, --precision and --steady-state ask for, and with
// --profile-uncertainty the same again with the profile's values drawn.
report::SimulatedPrediction simulated_prediction(const po::variables_map& vm, const Profile& profile,
                                                 const WhatIf& what_if, const Scenario& scenario) {
    ReplicationOptions replication = replication_options_from(vm, seed_from(vm), scenario.load.kind);
    const bool profile_uncertainty = vm.count("profile-uncertainty") > 0;
    if (profile_uncertainty && profile.fit.empty())
        throw UsageError("--profile-uncertainty: profile '" + profile.name + "' has no standard errors to draw from");
    if (!vm.count("replications")) replication.replications = default_replications(vm);
    replication.latency_breakdown = true;
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

// The command line, with a pasted Gunicorn command's settings under it and --scenario's file
// under both (cli/gunicorn_command.hpp: the precedence).
CommandLine options_with_scenario(int argc, const char* const* argv, const po::options_description& all) {
    CommandLine line = parse_with_pasted_gunicorn(argc, argv, all);
    if (!line.vm.count("scenario") || line.vm.count("help")) return line;
    for (std::string& word : scenario_file_words(line.vm["scenario"].as<std::string>(), all, line.vm))
        line.words.push_back(std::move(word));
    line.vm = parse_command_line(line.words, all);
    return line;
}

// What --replications makes of the SLO's estimate: the figures the summary prints.
std::string estimate_of(const report::SimulatedPrediction& p) {
    const ReplicatedResult& r = p.replicated;
    if (r.replications > 1)
        return "the mean across " + std::to_string(r.replications) + " replications (the point estimate)";
    return r.warmup.requested ? "one simulated run, warm-up removed" : "one simulated run";
}

}  // namespace

int predict_command(int argc, const char* const* argv) {
    const po::options_description all = predict_options();
    CommandLine line = options_with_scenario(argc, argv, all);
    const po::variables_map& vm = line.vm;
    if (print_help_if_asked(vm, all)) return 0;
    const Profile profile = profile_from(vm);
    apply_pasted_preload(line, profile, all);
    if (line.gunicorn) print_gunicorn_warnings(std::cerr, "predict", *line.gunicorn);
    const WhatIf what_if = what_if_from(vm);
    const Scenario scenario = as_usage_error([&] { return build_scenario(profile, what_if); });
    const PredictionMethod method = method_from(vm);
    require_method_models(method, scenario);
    const nlohmann::json run_defaults{{"cores", scenario.host.cores}, {"replications", default_replications(vm)}};
    const PredictRun run{vm, profile, scenario_echo(vm, all, run_defaults), service_level_from(vm),
                         line.gunicorn ? gunicorn_echo(*line.gunicorn) : nlohmann::json()};
    if (vm.count("timeline")) return print_timeline_run(run, scenario, method);
    if (method != PredictionMethod::sim) return print_analytic_run(run, scenario, method);
    const report::SimulatedPrediction prediction = simulated_prediction(vm, profile, what_if, scenario);
    const auto checks = checks_of(run, prediction.replicated.representative);
    if (vm.count("json")) {
        print_json(report::prediction_json(prediction), run, checks, estimate_of(prediction));
    } else {
        report::print_prediction(std::cout, prediction);
        print_text_slo(checks);
    }
    return verdict(checks);
}

}  // namespace workersim::cli
