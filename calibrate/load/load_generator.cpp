#include "calibrate/load/load_generator.hpp"

#include <chrono>
#include <stdexcept>

#include "calibrate/harness/child_process.hpp"
#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/harness/text_file.hpp"
#include "calibrate/harness/utc_time.hpp"
#include "calibrate/load/hey.hpp"
#include "calibrate/load/httperf.hpp"

namespace workersim {

std::unique_ptr<LoadGenerator> make_load_generator(LoadGeneratorKind kind) {
    switch (kind) {
        case LoadGeneratorKind::hey: return std::make_unique<Hey>();
        case LoadGeneratorKind::httperf: return std::make_unique<Httperf>();
    }
    return nullptr;
}

void drive_load(const LoadGenerator& generator, const RunConfig& config, const LoadTarget& target,
                const LoadProcess& process, RunMeasurement& measured) {
    using Clock = std::chrono::steady_clock;
    if (const std::string problem = generator.check(config); !problem.empty())
        throw std::invalid_argument("run " + config.id + ": " + problem);
    ChildSpec spec;
    spec.argv = generator.command(config, target);
    spec.cores = process.cores;
    spec.session_nice = process.session_nice;
    TempDirectory directory("workersim-load", process.temp_root);
    spec.stdout_path = directory.file("stdout");
    spec.stderr_path = directory.file("stderr");
    measured.started_at = utc_now_iso8601();
    const auto started = Clock::now();
    ChildProcess tool(spec);
    const auto exit = tool.wait_for(process.limit);
    measured.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    if (!exit) {
        tool.stop(std::chrono::seconds(1));
        throw std::runtime_error(spec.argv.front() + " did not finish within " +
                                 std::to_string(process.limit.count() / 1000) +
                                 " s; stderr: " + read_text_file(spec.stderr_path));
    }
    if (exit->exit_code != 0)
        throw std::runtime_error(spec.argv.front() + " failed (" + describe(*exit) +
                                 "); stderr: " + read_text_file(spec.stderr_path));
    measured.loadgen_cpu_s = exit->cpu_s;
    generator.record(read_text_file(spec.stdout_path), config, measured);
}

}  // namespace workersim
