#include "calibrate/harness/speed_probe.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "calibrate/harness/child_process.hpp"
#include "model/sample_statistics.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/harness/text_file.hpp"

namespace workersim {

double parse_probe_output(const std::string& text) {
    std::istringstream in(text);
    double ns = 0;
    std::string rest;
    if (!(in >> ns) || (in >> rest) || !std::isfinite(ns) || !(ns > 0))
        throw std::invalid_argument("speed probe printed \"" + text + "\": expected one positive number (ns per iteration)");
    return ns;
}

namespace {

// One probe process pinned to `core`, its output going to `directory`.
ChildSpec probe_spec(const SpeedProbeOptions& options, int core, const TempDirectory& directory) {
    ChildSpec spec;
    spec.argv = {options.python, options.server_dir + "/speed_probe.py", std::to_string(options.iterations),
                 std::to_string(options.repeats)};
    spec.cores = {core};
    spec.session_nice = options.session_nice;
    spec.stdout_path = directory.file("probe" + std::to_string(core) + ".out");
    spec.stderr_path = directory.file("probe" + std::to_string(core) + ".err");
    return spec;
}

double probe_result_ns(const ChildSpec& spec, const std::optional<ChildExit>& exit) {
    if (!exit || exit->exit_code != 0)
        throw std::runtime_error("speed probe " + spec.argv[1] + " failed (" +
                                 (exit ? describe(*exit) : std::string("did not finish in 30 s")) +
                                 "): " + read_text_file(spec.stderr_path));
    try {
        return parse_probe_output(read_text_file(spec.stdout_path));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
}

}  // namespace

double probe_loop_ns(const SpeedProbeOptions& options) { return probe_cores_at_once_ns(options, {options.core})[0]; }

std::vector<double> probe_cores_at_once_ns(const SpeedProbeOptions& options, const CoreList& cores) {
    if (cores.empty()) throw std::invalid_argument("speed probe: no cores to probe");
    const TempDirectory directory("workersim-probe", options.temp_root);
    std::vector<ChildSpec> specs;
    std::vector<std::unique_ptr<ChildProcess>> children;
    for (int core : cores) {
        specs.push_back(probe_spec(options, core, directory));
        children.push_back(std::make_unique<ChildProcess>(specs.back()));
    }
    std::vector<double> ns;
    for (std::size_t i = 0; i < children.size(); ++i) {
        const std::optional<ChildExit> exit = children[i]->wait_for(std::chrono::seconds(30));
        if (!exit) children[i]->stop(std::chrono::seconds(1));
        ns.push_back(probe_result_ns(specs[i], exit));
    }
    return ns;
}

double usual_probe_ns(const std::vector<double>& probes_ns) { return median(probes_ns); }

double unsteady_tolerance(const std::vector<double>& probes_ns) {
    const double usual_ns = median(probes_ns);
    std::vector<double> deviations;
    for (double ns : probes_ns) deviations.push_back(std::abs(ns - usual_ns));
    const double robust_sd = 1.4826 * median(deviations);
    return probes_ns.size() < 3 ? 0.10 : std::max(0.10, 3 * robust_sd / usual_ns);
}

bool steady_host(double before_ns, double after_ns, double usual_ns, double tolerance) {
    auto near = [&](double ns) { return std::abs(ns - usual_ns) <= tolerance * usual_ns; };
    return near(before_ns) && near(after_ns);
}

double probe_cores_ns(SpeedProbeOptions options, const CoreList& cores) {
    if (cores.empty()) throw std::invalid_argument("speed probe: no cores to probe");
    double sum_ns = 0;
    for (int core : cores) {
        options.core = core;
        sum_ns += probe_loop_ns(options);
    }
    return sum_ns / static_cast<double>(cores.size());
}

}  // namespace workersim
