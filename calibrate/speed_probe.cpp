#include "calibrate/speed_probe.hpp"

#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "calibrate/child_process.hpp"
#include "calibrate/median.hpp"
#include "calibrate/temp_directory.hpp"
#include "calibrate/text_file.hpp"

namespace workersim {

double parse_probe_output(const std::string& text) {
    std::istringstream in(text);
    double ns = 0;
    std::string rest;
    if (!(in >> ns) || (in >> rest) || !std::isfinite(ns) || !(ns > 0))
        throw std::invalid_argument("speed probe printed \"" + text + "\": expected one positive number (ns per iteration)");
    return ns;
}

double probe_loop_ns(const SpeedProbeOptions& options) {
    const TempDirectory directory("workersim-probe", options.temp_root);
    ChildSpec spec;
    spec.argv = {options.python, options.server_dir + "/speed_probe.py", std::to_string(options.iterations),
                 std::to_string(options.repeats)};
    spec.cores = {options.core};
    spec.session_nice = options.session_nice;
    spec.stdout_path = directory.file("probe.out");
    spec.stderr_path = directory.file("probe.err");
    std::optional<ChildExit> exit;
    {
        ChildProcess child(spec);
        exit = child.wait_for(std::chrono::seconds(30));
        if (!exit) child.stop(std::chrono::seconds(1));
    }
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

double usual_probe_ns(const std::vector<double>& probes_ns) { return median(probes_ns); }

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
