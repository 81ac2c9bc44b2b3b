#pragma once
// The runs file: JSONL, one Run per line, appended as each experiment finishes so a
// calibration that dies (Ctrl-C, a crash, a power cut) loses nothing it had finished, and a
// re-run resumes where it stopped.

#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/records/run.hpp"

namespace workersim {

// Appends one line and fsyncs before returning. Throws std::runtime_error naming the file.
void append_run(const std::string& path, const Run& run);

struct LoadedRuns {
    std::vector<Run> runs;
    // A truncated or garbled last line (the run being written when the process died) is
    // skipped and reported here, naming the file and line; it is never used.
    std::vector<std::string> warnings;
    bool bad_last_line = false;
    std::uintmax_t good_bytes = 0;  // the file's length up to the end of its last good line
};

// Throws std::runtime_error if the file cannot be read and JsonError for a bad line that is
// not the last (that is damage, not an interrupted write), naming the file, line and key.
LoadedRuns load_runs(const std::string& path);

// Cuts a bad last line off (load_runs reported it) so appending starts on a clean line.
void drop_bad_last_line(const std::string& path, const LoadedRuns& loaded);

// The plan's runs whose id has no run in `done`, in plan order.
std::vector<RunConfig> remaining_runs(const std::vector<RunConfig>& plan, const std::vector<Run>& done);

}  // namespace workersim
