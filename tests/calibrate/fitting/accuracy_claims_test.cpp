// The README's accuracy tables are claims about committed runs of the real server: each
// table follows a comment naming the runs file, the profile and the validate options it was
// made with, and here every row is recomputed and held to what the README says. A simulator
// change that breaks a headline figure fails this test; so does a README edited by hand.

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "calibrate/records/runs_file.hpp"
#include "calibrate/fitting/validation.hpp"
#include "model/profile_json.hpp"

using namespace workersim;

namespace {

const std::string kSource = WORKERSIM_SOURCE_DIR;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Claim {
    Metric metric;
    std::string row;
    double median_pct, worst_pct;
};

struct Table {
    std::string runs, profile;
    bool holdout_only = false, host_speed = true;
    bool gthread = false;  // the gthread runs' summary, not the sync runs'
    bool repeats = false;  // the repeated configurations' errors of the mean

    std::vector<Claim> claims;
};

bool metric_of(const std::string& name, Metric& metric) {
    if (name.rfind("throughput", 0) == 0) metric = Metric::throughput;
    else if (name.rfind("mean latency", 0) == 0) metric = Metric::latency_mean;
    else if (name.rfind("p50 latency", 0) == 0) metric = Metric::latency_p50;
    else if (name.rfind("p99 latency", 0) == 0) metric = Metric::latency_p99;
    else if (name.rfind("memory", 0) == 0) metric = Metric::memory;
    else return false;
    return true;
}

// <!-- accuracy: runs=FILE profile=FILE [holdout-only] [ignore-host-speed] [gthread | repeats] --> then a table
// whose rows are | metric | median% | worst% ... |.
std::vector<Table> tables_in(const std::string& readme) {
    std::vector<Table> tables;
    std::istringstream lines(readme);
    std::string line;
    const std::regex header(R"(<!-- accuracy: (.*) -->)");
    const std::regex row(R"(^\| *([^|]+?) *\| *([0-9.]+)% *\| *([0-9.]+)%)");
    Table* open = nullptr;
    while (std::getline(lines, line)) {
        std::smatch m;
        if (std::regex_search(line, m, header)) {
            tables.emplace_back();
            open = &tables.back();
            std::istringstream words(m[1].str());
            for (std::string word; words >> word;) {
                if (word.rfind("runs=", 0) == 0) open->runs = word.substr(5);
                else if (word.rfind("profile=", 0) == 0) open->profile = word.substr(8);
                else if (word == "holdout-only") open->holdout_only = true;
                else if (word == "ignore-host-speed") open->host_speed = false;
                else if (word == "gthread") open->gthread = true;
                else if (word == "repeats") open->repeats = true;
                else FAIL("README accuracy comment has an unknown word: " << word);
            }
        } else if (open && std::regex_search(line, m, row)) {
            Claim c{};
            if (metric_of(m[1].str(), c.metric)) {
                c.row = m[1].str();
                c.median_pct = std::stod(m[2].str());
                c.worst_pct = std::stod(m[3].str());
                open->claims.push_back(c);
            }
        } else if (open && !open->claims.empty() && line.rfind("|", 0) != 0) {
            open = nullptr;  // the table ended
        }
    }
    return tables;
}

// A recomputed figure matches a claim printed to one decimal within 0.5 points or 10%:
// validation is deterministic for a seed, so this only allows for a simulator change that
// moves figures without breaking the claim.
bool holds(double computed, double claimed) { return std::abs(computed - claimed) <= std::max(0.5, 0.1 * claimed); }

}  // namespace

TEST_CASE("every accuracy table in the README is recomputed from its committed runs and profile", "[accuracy]") {
    const std::vector<Table> tables = tables_in(read_file(kSource + "/README.md"));
    REQUIRE(tables.size() >= 3);
    for (const Table& t : tables) {
        INFO("runs " << t.runs << ", profile " << t.profile);
        REQUIRE(!t.claims.empty());
        const LoadedRuns loaded = load_runs(kSource + "/" + t.runs);
        REQUIRE(loaded.warnings.empty());
        const Profile profile =
            profile_from_json(nlohmann::json::parse(read_file(kSource + "/" + t.profile)), t.profile);
        ValidationOptions options;
        options.holdout_only = t.holdout_only;
        options.host_speed = t.host_speed;
        const Validation v = validate_runs(profile, loaded.runs, options);
        for (const Claim& c : t.claims) {
            const auto& summaries = t.repeats ? v.repeat_metrics : t.gthread ? v.gthread_metrics : v.metrics;
            const MetricSummary& s = summaries[static_cast<std::size_t>(c.metric)];
            INFO(c.row << ": README says median " << c.median_pct << "%, worst " << c.worst_pct << "%; recomputed "
                       << s.median_abs_pct_error << "% and " << s.worst_abs_pct_error << "% (" << s.worst_run << ")");
            CHECK(s.points > 0);
            CHECK(holds(s.median_abs_pct_error, c.median_pct));
            CHECK(holds(s.worst_abs_pct_error, c.worst_pct));
        }
    }
}
