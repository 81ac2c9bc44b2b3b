#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "calibrate/records/plan.hpp"
#include "calibrate/fitting/validation.hpp"
#include "synthetic_runs.hpp"

using namespace workersim;
using namespace workersim::testing;

TEST_CASE("a profile predicts the runs it generated within their simulation noise") {
    const auto runs = synthetic_runs(sync_runs_of(make_plan(PlanKind::quick)), known_profile(), SyntheticNoise{}, 21);
    ValidationOptions options;
    options.seed = 1000;  // other seeds than the runs'
    const Validation v = validate_runs(known_profile(), runs, options);
    REQUIRE(v.runs.size() == runs.size());
    const MetricSummary& x = v.metrics[static_cast<std::size_t>(Metric::throughput)];
    CHECK(x.points == static_cast<int>(runs.size()));
    CHECK(x.median_abs_pct_error < 3);
    // Memory noise is 40 KiB per process on tens of MiB.
    CHECK(v.metrics[static_cast<std::size_t>(Metric::memory)].worst_abs_pct_error < 2);
}

TEST_CASE("a wrong profile shows up as large errors on the affected metric") {
    const auto runs = synthetic_runs(sync_runs_of(make_plan(PlanKind::quick)), known_profile(), SyntheticNoise{}, 21);
    Profile wrong = known_profile();
    wrong.loop_cpu_s *= 1.5;
    const Validation v = validate_runs(wrong, runs, ValidationOptions{});
    // The saturated 100% CPU runs lose a third of their throughput.
    CHECK(v.metrics[static_cast<std::size_t>(Metric::throughput)].worst_abs_pct_error > 25);
}

TEST_CASE("unmeasured metrics are left out, not counted as errors") {
    auto runs = synthetic_runs(sync_runs_of(make_plan(PlanKind::quick)), known_profile(), SyntheticNoise{}, 21);
    runs[0].measured.latency_p99_s = std::nullopt;  // httperf reports no p99
    const Validation v = validate_runs(known_profile(), runs, ValidationOptions{});
    CHECK_FALSE(v.runs[0].abs_pct_error[static_cast<std::size_t>(Metric::latency_p99)].has_value());
    CHECK(v.metrics[static_cast<std::size_t>(Metric::latency_p99)].points == static_cast<int>(runs.size()) - 1);
}

TEST_CASE("holdout-only validation compares only the held-out runs") {
    const auto runs = synthetic_runs(sync_runs_of(make_plan(PlanKind::quick)), known_profile(), SyntheticNoise{}, 21);
    ValidationOptions options;
    options.holdout_only = true;
    const Validation v = validate_runs(known_profile(), runs, options);
    std::size_t held = 0;
    for (const Run& r : runs) held += r.config.holdout ? 1 : 0;
    CHECK(v.runs.size() == held);
    for (const RunComparison& c : v.runs) CHECK(c.holdout);
}

TEST_CASE("validation is deterministic for a seed") {
    const auto runs = synthetic_runs(sync_runs_of(make_plan(PlanKind::quick)), known_profile(), SyntheticNoise{}, 21);
    const Validation a = validate_runs(known_profile(), runs, ValidationOptions{});
    const Validation b = validate_runs(known_profile(), runs, ValidationOptions{});
    for (std::size_t i = 0; i < a.runs.size(); ++i) CHECK(a.runs[i].predicted == b.runs[i].predicted);
}

namespace {

// The quick plan's runs, two in five measured on a host 1.6 times slower (their probes say so).
std::vector<Run> runs_on_a_drifting_host() {
    SyntheticNoise noise;
    noise.slow_host_factor = 1.6;
    return synthetic_runs(sync_runs_of(make_plan(PlanKind::quick)), known_profile(), noise, 21);
}

// The truth, as fitted at the host's usual speed.
Profile probed_profile() {
    Profile profile = known_profile();
    profile.host_probe_ns = SyntheticNoise{}.probe_ns;
    return profile;
}

}  // namespace

TEST_CASE("each run is predicted at the host speed its probes measured") {
    const auto runs = runs_on_a_drifting_host();
    const Profile profile = probed_profile();
    const Validation v = validate_runs(profile, runs, ValidationOptions{});
    REQUIRE(v.runs.size() == runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) CHECK(v.runs[i].cpu_time_factor == (on_slow_host(i) ? 1.6 : 1.0));
    CHECK(v.metrics[static_cast<std::size_t>(Metric::throughput)].median_abs_pct_error < 3);
    // The slow runs themselves (closed loop: an open run of 13 requests is mostly sampling noise).
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (!on_slow_host(i) || runs[i].config.load != LoadKind::closed) continue;
        INFO(runs[i].config.id);
        CHECK(*v.runs[i].abs_pct_error[static_cast<std::size_t>(Metric::throughput)] < 6);
    }
}

TEST_CASE("ignoring the host speed mispredicts the runs made on a slower host") {
    const auto runs = runs_on_a_drifting_host();
    const Profile profile = probed_profile();
    ValidationOptions options;
    options.host_speed = false;
    const Validation v = validate_runs(profile, runs, options);
    for (const RunComparison& c : v.runs) CHECK(c.cpu_time_factor == 1.0);
    CHECK(v.metrics[static_cast<std::size_t>(Metric::throughput)].worst_abs_pct_error > 25);
}

TEST_CASE("a profile without a speed probe predicts every run as measured") {
    const auto runs = runs_on_a_drifting_host();
    const Validation v = validate_runs(known_profile(), runs, ValidationOptions{});  // host_probe_ns 0
    for (const RunComparison& c : v.runs) CHECK(c.cpu_time_factor == 1.0);
}

TEST_CASE("runs alike but for the cores or the load generator are compared as what-if pairs") {
    RunConfig two_cores;
    two_cores.id = "two-cores";
    two_cores.workers = 4;
    two_cores.cores = 2;
    two_cores.io_pct = 0;
    two_cores.cpu_pct = 100;
    two_cores.unit_s = 0.05;
    two_cores.clients = 8;
    two_cores.requests = 200;
    two_cores.loadgen_shared = true;
    RunConfig one_core = two_cores;
    one_core.id = "one-core";
    one_core.cores = 1;
    one_core.requests = 120;  // sized to a duration: the count may differ
    RunConfig one_core_separate = one_core;
    one_core_separate.id = "one-core-separate";
    one_core_separate.loadgen_shared = false;
    const auto runs =
        synthetic_runs({two_cores, one_core, one_core_separate}, known_profile(), SyntheticNoise{}, 3);
    const Validation v = validate_runs(known_profile(), runs, ValidationOptions{});
    REQUIRE(v.knobs.size() == 2);
    CHECK(v.knobs[0].knob == "cores");
    CHECK(v.knobs[0].from_id == "two-cores");
    CHECK(v.knobs[0].to_id == "one-core");
    // Saturated CPU: one core does about 1/1.8 of two cores' work.
    CHECK(v.knobs[0].predicted_ratio == Approx(1 / 1.8).epsilon(0.05));
    CHECK(v.knobs[0].measured_ratio == Approx(v.knobs[0].predicted_ratio).epsilon(0.05));
    CHECK(v.knobs[1].knob == "loadgen");
    CHECK(v.knobs[1].from_id == "one-core-separate");
    CHECK(v.knobs[1].to_id == "one-core");
    CHECK(v.knobs[1].predicted_ratio < 1);  // hey's CPU now competes with the workers
}

TEST_CASE("a run whose processes' PSS could not be read has no memory to compare") {
    auto runs = synthetic_runs(sync_runs_of(make_plan(PlanKind::quick)), known_profile(), SyntheticNoise{}, 21);
    runs[0].measured.master_pss_kib = std::nullopt;
    runs[0].measured.worker_pss_kib.clear();
    const Validation v = validate_runs(known_profile(), runs, ValidationOptions{});
    const auto memory = static_cast<std::size_t>(Metric::memory);
    CHECK_FALSE(v.runs[0].measured[memory].has_value());
    CHECK_FALSE(v.runs[0].abs_pct_error[memory].has_value());
    CHECK(v.metrics[memory].points == static_cast<int>(runs.size()) - 1);
}

TEST_CASE("gthread runs are summarised apart from sync runs, with their busiest process's share") {
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 21);
    int gthread = 0;
    for (const Run& r : runs) gthread += r.config.worker_class == WorkerClass::gthread ? 1 : 0;
    REQUIRE(gthread > 0);
    const Validation v = validate_runs(known_profile(), runs, ValidationOptions{});
    const auto throughput = static_cast<std::size_t>(Metric::throughput);
    CHECK(v.metrics[throughput].points == static_cast<int>(runs.size()) - gthread);
    CHECK(v.gthread_metrics[throughput].points == gthread);
    for (const RunComparison& c : v.runs) {
        INFO(c.id);
        CHECK(c.measured_busiest_share.has_value() == (c.worker_class == WorkerClass::gthread));
        if (c.measured_busiest_share) CHECK(c.predicted_busiest_share > 0);
    }
}

TEST_CASE("gthread runs alike but for hey's keep-alive are compared as a what-if pair") {
    std::vector<RunConfig> plan;
    for (const RunConfig& c : make_plan(PlanKind::quick))
        if (c.worker_class == WorkerClass::gthread && c.workers == 4) plan.push_back(c);
    REQUIRE(plan.size() == 2);
    const Validation v = validate_runs(known_profile(), synthetic_runs(plan, known_profile(), SyntheticNoise{}, 3),
                                       ValidationOptions{});
    REQUIRE(v.knobs.size() == 1);
    CHECK(v.knobs[0].knob == "keepalive");
    CHECK(v.knobs[0].from_id.find("-close") != std::string::npos);
}

TEST_CASE("a repeated run's id is its configuration's id without the -rN suffix") {
    CHECK(repeated_id("gthread-p4-t4-io90-u250ms-c32-n96-cores2-shared-r3") ==
          "gthread-p4-t4-io90-u250ms-c32-n96-cores2-shared");
    CHECK(repeated_id("x-r12") == "x");
    CHECK(repeated_id("w4-io100-u250ms-c8-n96-cores2-shared").empty());
    CHECK(repeated_id("x-r").empty());
    CHECK(repeated_id("x-r2b").empty());
}

TEST_CASE("repeated configurations are compared by the mean of their runs, beside the model's spread") {
    // Runs the profile itself generated, each configuration kRepeats times: the runs' mean is
    // one of kRepeats draws' means, so it sits within a few of its standard errors of the
    // prediction; the keep-alive configurations spread from run to run, and the model says so.
    const std::vector<RunConfig> plan = make_plan(PlanKind::repeats);
    const auto runs = synthetic_runs(plan, known_profile(), SyntheticNoise{}, 5);
    const Validation v = validate_runs(known_profile(), runs, ValidationOptions{});
    REQUIRE(v.repeats.size() * kRepeats == plan.size());
    const auto throughput = static_cast<std::size_t>(Metric::throughput);
    for (const RepeatedRuns& g : v.repeats) {
        INFO(g.id);
        CHECK(g.runs == kRepeats);
        CHECK(g.predicted_sd[throughput] > 0);
        const double standard_error = std::max(g.measured_sd[throughput], g.predicted_sd[throughput]) /
                                      std::sqrt(static_cast<double>(kRepeats));
        CHECK(std::abs(g.measured_mean[throughput] - g.predicted_mean[throughput]) < 4 * standard_error + 1e-9);
    }
    // The keep-alive knob pairs each round's runs, not every repeat with every other.
    REQUIRE(v.knobs.size() == static_cast<std::size_t>(kRepeats));
    for (const KnobComparison& k : v.knobs)
        CHECK(k.from_id.substr(k.from_id.rfind("-r")) == k.to_id.substr(k.to_id.rfind("-r")));
    // Most single runs fall inside the model's 90% range when the model made them.
    const MetricSummary& s = v.gthread_metrics[throughput];
    CHECK(s.inside_spread >= s.points / 2);
}
