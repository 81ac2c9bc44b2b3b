// libFuzzer target: arbitrary bytes as a runs file (JSONL, calibrate/records/runs_file.hpp), and as
// one line of it (calibrate/records/run_json.hpp). Loading may only fail with std::runtime_error
// (JsonError is one) naming the file and line; a bad last line is skipped and reported, never
// used; cutting it off leaves a file that loads cleanly with the same runs. An accepted run
// survives a round trip through to_json.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "calibrate/records/run_json.hpp"
#include "calibrate/records/runs_file.hpp"
#include "model/json_reader.hpp"

using namespace workersim;

namespace {

// Known (H4 report): nlohmann throws out_of_range 406 (not parse_error) for a number beyond
// double's range such as 1e400; load_runs (runs_file.cpp) catches only parse_error, so it
// escapes as a non-JsonError. Ignored here so the fuzzer keeps looking for other failures.
bool known_number_overflow(const nlohmann::json::exception& e) { return e.id == 406; }

void one_line(const std::uint8_t* data, std::size_t size) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(data, data + size);
    } catch (const nlohmann::json::parse_error&) {
        return;
    } catch (const nlohmann::json::out_of_range& e) {
        if (known_number_overflow(e)) return;
        throw;
    }
    Run run;
    try {
        run = run_from_json(json, "fuzz line");
    } catch (const JsonError&) {
        return;
    }
    const nlohmann::json written = to_json(run);
    if (to_json(run_from_json(written, "round trip")) != written) std::abort();
}

const std::string& scratch_path() {
    static const std::string path = [] {
        const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        return std::string(dir) + "/workersim-run-json-fuzz-" + std::to_string(getpid()) + ".jsonl";
    }();
    static const bool cleanup = std::atexit([] { std::remove(scratch_path().c_str()); }) == 0;
    (void)cleanup;
    return path;
}

void whole_file(const std::uint8_t* data, std::size_t size) {
    const std::string& path = scratch_path();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    LoadedRuns loaded;
    try {
        loaded = load_runs(path);
    } catch (const nlohmann::json::out_of_range& e) {
        if (known_number_overflow(e)) return;
        throw;
    } catch (const std::runtime_error&) {
        return;
    }
    if (loaded.bad_last_line != !loaded.warnings.empty()) std::abort();
    if (loaded.good_bytes > size) std::abort();
    if (!loaded.bad_last_line) return;
    // Known (H4 report): blank lines after the bad last line move good_bytes to the end of the
    // file (runs_file.cpp, the blank-line branch of load_runs), so drop_bad_last_line cuts
    // nothing and the bad line stays. Remove this once fixed.
    if (loaded.good_bytes == size) return;
    drop_bad_last_line(path, loaded);
    const LoadedRuns again = load_runs(path);
    if (again.bad_last_line || again.runs.size() != loaded.runs.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    one_line(data, size);
    whole_file(data, size);
    return 0;
}
