#pragma once
// The clients, behind one role: a LoadGenerator drives the server with the load a run's
// configuration asks for and says what it saw. Two tools implement it, each in its own file:
// hey for a closed loop (calibrate/load/hey.hpp), httperf for an open Poisson stream
// (calibrate/load/httperf.hpp); a run's config.load_generator names the one that drives it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/harness/cpu_affinity.hpp"
#include "calibrate/records/run.hpp"

namespace workersim {

// Where and how long the load generator's process runs, whichever tool it is.
struct LoadProcess {
    CoreList cores;  // empty: inherit
    std::chrono::milliseconds limit{600000};
    std::string temp_root;
    std::optional<int> session_nice;  // see ChildSpec::session_nice
};

// The server under load, as GunicornServer gives it: hey takes the URL, httperf the port
// (it connects to 127.0.0.1).
struct LoadTarget {
    std::string url;
    int port = 0;
};

class LoadGenerator {
public:
    virtual ~LoadGenerator() = default;
    // Why this tool cannot drive `config`'s load, naming the config's fields, or "" if it can.
    virtual std::string check(const RunConfig& config) const = 0;
    // The seconds the tool's own schedule takes, however fast the server answers (an open
    // stream's arrivals); 0 for a load the server's answers pace.
    virtual double schedule_s(const RunConfig& config) const = 0;
    // The tool's command line for `config`'s load against `target`.
    virtual std::vector<std::string> command(const RunConfig& config, const LoadTarget& target) const = 0;
    // What the tool's output says of the run, written into the fields of `measured` that the
    // load measures: makespan, completed, errors, latencies and their summary. Throws
    // std::invalid_argument naming the line of output that is not what the tool writes.
    virtual void record(const std::string& output, const RunConfig& config, RunMeasurement& measured) const = 0;
};

// The generator `kind` names.
std::unique_ptr<LoadGenerator> make_load_generator(LoadGeneratorKind kind);

// Runs the generator's tool to completion as a child on `process`'s cores and records what it
// saw in `measured`, with its start time, its own CPU (loadgen_cpu_s, from wait4's rusage) and
// its lifetime (wall_s). Throws std::invalid_argument for a config check() rejects and
// std::runtime_error (with the tool's stderr) if the tool fails or outlasts process.limit.
void drive_load(const LoadGenerator& generator, const RunConfig& config, const LoadTarget& target,
                const LoadProcess& process, RunMeasurement& measured);

}  // namespace workersim
