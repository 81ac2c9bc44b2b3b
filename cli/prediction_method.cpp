#include "cli/prediction_method.hpp"

#include <string>

#include "cli/usage_error.hpp"

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

void require_method_models(PredictionMethod method, const ServerConfig& server) {
    if (method == PredictionMethod::sim || effective_worker_class(server) == WorkerClass::sync) return;
    throw UsageError("--method " + std::string(method == PredictionMethod::mva ? "mva" : "both") +
                     ": the analytic models (MVA, bounds) solve sync workers only; gthread (-k gthread, or "
                     "--threads > 1) is simulated: use --method sim");
}

}  // namespace workersim::cli
