#pragma once
// A calibration session: the plan's runs made against the real server one after another,
// resumed from the runs file, under the policy that keeps a shared host's slow spells out of
// it: a run whose speed probes left the host's usual speed is kept aside in the runs file's
// ".unsteady" companion and made again after a pause, up to attempts_per_run times in all (the
// last is kept whatever the host did: its probes still say at what speed it ran). The host
// probe taken beside the runs goes to the ".probe.json" companion. It prints nothing: it
// reports through the callbacks it is given and returns what happened.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/records/run.hpp"
#include "calibrate/session/experiment.hpp"
#include "model/profile.hpp"

namespace workersim {

// The files of a session, named after its runs file.
struct SessionFiles {
    std::string runs;        // JSON lines, appended run by run
    std::string unsteady;    // runs made in a slow spell, kept aside
    std::string host_probe;  // the host probe taken beside the runs (workersim probe's base)
};
SessionFiles session_files(const std::string& runs_path);

// The runs file as a session finds it: none if it does not exist. A bad last line (the run
// being written when a session died) is reported in `warnings`; with `repair` it is cut off
// so that appending starts on a clean line. Throws as load_runs does for worse damage.
struct ResumedRuns {
    std::vector<Run> runs;
    std::vector<std::string> warnings;
};
ResumedRuns resume_runs(const std::string& runs_path, bool repair);

// The host probe beside the runs, if it was taken and reads; `warning` says why one was not used.
struct SessionHostProbe {
    std::optional<HostProbe> probe;
    std::string warning;
};
SessionHostProbe load_session_host_probe(const std::string& path);

struct SessionProgress {
    std::size_t done = 0, total = 0;
    double elapsed_s = 0;
    double left_s = 0;    // the plan's nominal time left, scaled by the pace kept so far
    std::string next_id;  // the run about to start; empty when all are done
};

// A run made in a slow spell: kept aside and made again.
struct UnsteadyRun {
    std::string id;
    double probe_before_ns = 0, probe_after_ns = 0;
    double usual_ns = 0;   // the host's usual speed from every probe seen so far
    double tolerance = 0;  // relative (unsteady_tolerance)
};

struct FailedRun {
    std::string id;
    std::string reason;  // the tool's or the harness's error
};

struct SessionReports {
    std::function<void(const SessionProgress&)> progress;
    std::function<void(const UnsteadyRun&)> unsteady;
    std::function<void(const FailedRun&)> failed;
};

struct SessionOptions {
    int attempts_per_run = 3;
    std::chrono::milliseconds pause_after_unsteady{15000};
};

struct SessionOutcome {
    std::size_t failed = 0;    // runs that failed: a later session retries them
    std::size_t repeated = 0;  // attempts made again after a slow spell
};

// Starts the harness, writes the host probe to files.host_probe, then makes `todo` in order,
// appending each kept run to files.runs and to `runs` (whose probes seed the host's usual
// speed). A run that fails with std::runtime_error is reported and skipped.
SessionOutcome run_session(const HarnessOptions& harness_options, const std::vector<RunConfig>& todo,
                           const SessionFiles& files, std::vector<Run>& runs, const SessionOptions& options,
                           const SessionReports& reports);

}  // namespace workersim
