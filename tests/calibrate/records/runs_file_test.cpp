#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "calibrate/records/run_json.hpp"
#include "calibrate/records/runs_file.hpp"
#include "model/json_reader.hpp"

using namespace workersim;
namespace fs = std::filesystem;

namespace {

// A file name unique to this test process, removed when the case ends.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& name)
        : path((fs::temp_directory_path() / ("workersim-" + std::to_string(::getpid()) + "-" + name)).string()) {
        fs::remove(path);
    }
    ~TempFile() { fs::remove(path); }
};

Run run_with_id(const std::string& id, std::int64_t completed = 10) {
    Run r;
    r.config.id = id;
    r.measured.completed = completed;
    r.measured.worker_pss_kib = {1000};
    return r;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void append_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::app);
    out << text;
}

}  // namespace

TEST_CASE("appended runs load back in order, one line each") {
    TempFile f("append.jsonl");
    append_run(f.path, run_with_id("a", 1));
    append_run(f.path, run_with_id("b", 2));
    const LoadedRuns loaded = load_runs(f.path);
    REQUIRE(loaded.runs.size() == 2);
    CHECK(loaded.runs[0].config.id == "a");
    CHECK(loaded.runs[1].measured.completed == 2);
    CHECK(loaded.warnings.empty());
    const std::string text = read_all(f.path);
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
}

TEST_CASE("a truncated last line is reported with file and line and skipped") {
    TempFile f("truncated.jsonl");
    append_run(f.path, run_with_id("a"));
    append_run(f.path, run_with_id("b"));
    const std::string whole = to_json(run_with_id("c")).dump();
    append_text(f.path, whole.substr(0, whole.size() / 2));  // the write a crash interrupted
    const LoadedRuns loaded = load_runs(f.path);
    REQUIRE(loaded.runs.size() == 2);
    CHECK(loaded.bad_last_line);
    REQUIRE(loaded.warnings.size() == 1);
    CHECK_THAT(loaded.warnings[0], Catch::Contains(f.path + " line 3"));
}

TEST_CASE("appending after a truncated last line, once cut off, gives a clean file") {
    TempFile f("repair.jsonl");
    append_run(f.path, run_with_id("a"));
    append_text(f.path, "{\"format\": \"workersim-ru");
    drop_bad_last_line(f.path, load_runs(f.path));
    append_run(f.path, run_with_id("b"));
    const LoadedRuns loaded = load_runs(f.path);
    REQUIRE(loaded.runs.size() == 2);
    CHECK(loaded.runs[1].config.id == "b");
    CHECK(loaded.warnings.empty());
}

TEST_CASE("a complete but garbled last line is skipped with a warning, not used") {
    TempFile f("garbled-last.jsonl");
    append_run(f.path, run_with_id("a"));
    nlohmann::json bad = to_json(run_with_id("b"));
    bad["measured"]["completed"] = -1;
    append_text(f.path, bad.dump() + "\n");
    const LoadedRuns loaded = load_runs(f.path);
    CHECK(loaded.runs.size() == 1);
    REQUIRE(loaded.warnings.size() == 1);
    CHECK_THAT(loaded.warnings[0], Catch::Contains("line 2") && Catch::Contains("measured.completed"));
}

TEST_CASE("a garbled line before the last is an error naming the file, line and key") {
    TempFile f("garbled-middle.jsonl");
    append_run(f.path, run_with_id("a"));
    nlohmann::json bad = to_json(run_with_id("b"));
    bad["config"]["cores"] = 2.5;
    append_text(f.path, bad.dump() + "\n");
    append_run(f.path, run_with_id("c"));
    try {
        load_runs(f.path);
        FAIL("a damaged middle line was accepted");
    } catch (const JsonError& e) {
        const std::string what = e.what();
        CHECK_THAT(what, Catch::Contains(f.path + " line 2"));
        CHECK_THAT(what, Catch::Contains("config.cores"));
    }
}

TEST_CASE("blank lines are ignored") {
    TempFile f("blank.jsonl");
    append_text(f.path, "\n");
    append_run(f.path, run_with_id("a"));
    append_text(f.path, "\n\n");
    const LoadedRuns loaded = load_runs(f.path);
    CHECK(loaded.runs.size() == 1);
    CHECK(loaded.warnings.empty());
}

TEST_CASE("resuming leaves only the plan's runs not yet in the file, in plan order") {
    std::vector<RunConfig> plan(4);
    plan[0].id = "p0";
    plan[1].id = "p1";
    plan[2].id = "p2";
    plan[3].id = "p3";
    const std::vector<Run> done = {run_with_id("p2"), run_with_id("p0"), run_with_id("other")};
    const auto todo = remaining_runs(plan, done);
    REQUIRE(todo.size() == 2);
    CHECK(todo[0].id == "p1");
    CHECK(todo[1].id == "p3");
    CHECK(remaining_runs(plan, {}).size() == 4);
}

TEST_CASE("a missing runs file is an error naming it") {
    CHECK_THROWS_WITH(load_runs("/nonexistent/runs.jsonl"), Catch::Contains("/nonexistent/runs.jsonl"));
}
