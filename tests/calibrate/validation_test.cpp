#include <catch2/catch.hpp>

#include "calibrate/plan.hpp"
#include "calibrate/validation.hpp"
#include "synthetic_runs.hpp"

using namespace workersim;
using namespace workersim::testing;

TEST_CASE("a profile predicts the runs it generated within their simulation noise") {
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 21);
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
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 21);
    Profile wrong = known_profile();
    wrong.loop_cpu_s *= 1.5;
    const Validation v = validate_runs(wrong, runs, ValidationOptions{});
    // The saturated 100% CPU runs lose a third of their throughput.
    CHECK(v.metrics[static_cast<std::size_t>(Metric::throughput)].worst_abs_pct_error > 25);
}

TEST_CASE("unmeasured metrics are left out, not counted as errors") {
    auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 21);
    runs[0].measured.latency_p99_s = 0;  // httperf reports no p99
    const Validation v = validate_runs(known_profile(), runs, ValidationOptions{});
    CHECK_FALSE(v.runs[0].abs_pct_error[static_cast<std::size_t>(Metric::latency_p99)].has_value());
    CHECK(v.metrics[static_cast<std::size_t>(Metric::latency_p99)].points == static_cast<int>(runs.size()) - 1);
}

TEST_CASE("holdout-only validation compares only the held-out runs") {
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 21);
    ValidationOptions options;
    options.holdout_only = true;
    const Validation v = validate_runs(known_profile(), runs, options);
    std::size_t held = 0;
    for (const Run& r : runs) held += r.config.holdout ? 1 : 0;
    CHECK(v.runs.size() == held);
    for (const RunComparison& c : v.runs) CHECK(c.holdout);
}

TEST_CASE("validation is deterministic for a seed") {
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 21);
    const Validation a = validate_runs(known_profile(), runs, ValidationOptions{});
    const Validation b = validate_runs(known_profile(), runs, ValidationOptions{});
    for (std::size_t i = 0; i < a.runs.size(); ++i) CHECK(a.runs[i].predicted == b.runs[i].predicted);
}
