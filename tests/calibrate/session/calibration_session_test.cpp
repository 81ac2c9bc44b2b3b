// The calibration session's files and resuming; its runs themselves need the real server
// (tests/calibrate/harness/harness_integration_test.cpp).

#include <catch2/catch.hpp>

#include <fstream>

#include "calibrate/harness/temp_directory.hpp"
#include "calibrate/records/runs_file.hpp"
#include "calibrate/session/calibration_session.hpp"

using namespace workersim;

namespace {

Run run_with_id(const std::string& id) {
    Run r;
    r.config.id = id;
    r.measured.completed = 10;
    return r;
}

}  // namespace

TEST_CASE("a session's files are named after its runs file") {
    const SessionFiles files = session_files("data/full-runs.jsonl");
    CHECK(files.runs == "data/full-runs.jsonl");
    CHECK(files.unsteady == "data/full-runs.jsonl.unsteady");
    CHECK(files.host_probe == "data/full-runs.jsonl.probe.json");
}

TEST_CASE("a session with no runs file yet resumes from no runs") {
    const TempDirectory directory("workersim-session-test");
    const ResumedRuns resumed = resume_runs(directory.file("runs.jsonl"), true);
    CHECK(resumed.runs.empty());
    CHECK(resumed.warnings.empty());
}

TEST_CASE("a session resumes from the runs it finished and cuts off the line it was writing when it died") {
    const TempDirectory directory("workersim-session-test");
    const std::string path = directory.file("runs.jsonl");
    append_run(path, run_with_id("first"));
    append_run(path, run_with_id("second"));
    std::ofstream(path, std::ios::app) << "{\"format\": \"workersim-ru";
    SECTION("repairing") {
        const ResumedRuns resumed = resume_runs(path, true);
        REQUIRE(resumed.runs.size() == 2);
        CHECK(resumed.runs[1].config.id == "second");
        CHECK(resumed.warnings.size() == 1);
        CHECK_FALSE(load_runs(path).bad_last_line);
    }
    SECTION("only reading, as a fit does") {
        CHECK(resume_runs(path, false).runs.size() == 2);
        CHECK(load_runs(path).bad_last_line);
    }
}

TEST_CASE("a host probe file that does not read is ignored with a warning naming it") {
    const TempDirectory directory("workersim-session-test");
    const std::string path = directory.file("runs.jsonl.probe.json");
    CHECK_FALSE(load_session_host_probe(path).probe.has_value());
    CHECK(load_session_host_probe(path).warning.empty());
    std::ofstream(path) << "{\"loop_ns\": ";
    const SessionHostProbe probe = load_session_host_probe(path);
    CHECK_FALSE(probe.probe.has_value());
    CHECK_THAT(probe.warning, Catch::Contains(path) && Catch::Contains("ignored"));
}
