#include "cli/prediction_method.hpp"

#include <string>

#include "cli/usage_error.hpp"
#include "model/gthread_mva.hpp"

namespace workersim::cli {

boost::program_options::options_description method_options() {
    boost::program_options::options_description o("Method");
    o.add_options()("method", boost::program_options::value<std::string>(),
                    "sim (discrete-event simulation), mva (analytic, steady state, instant) or both side by side "
                    "(default sim)");
    return o;
}

PredictionMethod method_from(const boost::program_options::variables_map& vm) {
    if (!vm.count("method")) return PredictionMethod::sim;
    const std::string m = vm["method"].as<std::string>();
    if (m == "sim") return PredictionMethod::sim;
    if (m == "mva") return PredictionMethod::mva;
    if (m == "both") return PredictionMethod::both;
    throw UsageError("--method " + m + ": expected sim, mva or both");
}

void require_method_models(PredictionMethod method, const Scenario& scenario) {
    if (method == PredictionMethod::sim) return;
    const std::string refusal = gthread_mva_refusal(scenario);
    if (refusal.empty()) return;
    throw UsageError("--method " + std::string(method == PredictionMethod::mva ? "mva" : "both") + ": " + refusal);
}

}  // namespace workersim::cli
