#include <catch2/catch.hpp>

#include <cmath>

#include "calibrate/fitting/fitter.hpp"
#include "calibrate/fitting/validation.hpp"
#include "calibrate/records/plan.hpp"
#include "synthetic_runs.hpp"

using namespace workersim;
using namespace workersim::testing;

namespace {

// Within z standard errors of the truth, and the standard error itself small enough that the
// check means something (a fit that reports a huge error must fail, not pass trivially).
void check_recovered(const Profile& fitted, const std::string& name, double value, double truth,
                     double max_relative_se) {
    INFO(name << ": fitted " << value << ", truth " << truth);
    REQUIRE(fitted.fit.count(name) == 1);
    const FitQuality& q = fitted.fit.at(name);
    INFO("standard error " << q.std_error << " from " << q.points << " points");
    CHECK(q.points > 0);
    CHECK(q.std_error <= max_relative_se * std::abs(truth));
    // 4 standard errors: a false failure about once in 16,000 per parameter.
    CHECK(std::abs(value - truth) <= 4 * q.std_error + 1e-12);
}

// The full plan's synthetic runs of `truth`, fitted.
Profile fit_of_full_plan(const Profile& truth) {
    return fit_profile(synthetic_runs(make_plan(PlanKind::full), truth, SyntheticNoise{}, 7), FitOptions{});
}

const Profile& fitted_full() {
    static const Profile fitted = fit_of_full_plan(known_profile());
    return fitted;
}

}  // namespace

TEST_CASE("the fitter recovers the CPU costs of a request from synthetic runs") {
    const Profile truth = known_profile();
    const Profile& p = fitted_full();
    check_recovered(p, "loop_cpu_s", p.loop_cpu_s, truth.loop_cpu_s, 0.02);
    check_recovered(p, "request_cpu_s", p.request_cpu_s, truth.request_cpu_s, 0.5);
    check_recovered(p, "db_client_cpu_s", p.db_client_cpu_s, truth.db_client_cpu_s, 0.5);
    check_recovered(p, "db_backend_cpu_s", p.db_backend_cpu_s, truth.db_backend_cpu_s, 0.02);
    check_recovered(p, "loadgen_cpu_s", p.loadgen_cpu_s, truth.loadgen_cpu_s, 0.02);
}

TEST_CASE("the fitter recovers the connection time from uncontended runs", "[long]") {
    const Profile truth = known_profile();
    const Profile& p = fitted_full();
    // db_connect_s is a small difference of large latencies: its standard error is the IO
    // phase's spread over sqrt(requests), compared with the truth directly.
    REQUIRE(p.fit.count("db_connect_s") == 1);
    CHECK(std::abs(p.db_connect_s - truth.db_connect_s) <= 4 * p.fit.at("db_connect_s").std_error);
}

TEST_CASE("the uncontended requests' spread is reported as it grows, not put on the sleep") {
    // The runs' whole-request spread is the connection's CPU, not pg_sleep's (calibrate/data/
    // README.md): three times the spread in the runs moves the report, not the sleep's cv.
    Profile spread = known_profile();
    spread.io_cv = 3 * known_profile().io_cv;
    const Profile narrow =
        fit_profile(synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 11), FitOptions{});
    const Profile wide = fit_profile(synthetic_runs(make_plan(PlanKind::quick), spread, SyntheticNoise{}, 11), FitOptions{});
    REQUIRE(narrow.fit.count("uncontended_request_cv") == 1);
    REQUIRE(wide.fit.count("uncontended_request_cv") == 1);
    const double narrow_sd_s = narrow.fit.at("uncontended_request_cv").rms_residual;
    const double wide_sd_s = wide.fit.at("uncontended_request_cv").rms_residual;
    CHECK(wide_sd_s == Approx(3 * narrow_sd_s).epsilon(0.2));
    CHECK(wide.io_cv == narrow.io_cv);
    CHECK(narrow.io_cv < known_profile().io_cv);
}

TEST_CASE("a profile fitted to synthetic runs predicts them within their simulation noise") {
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 11);
    const Profile fitted = fit_profile(runs, FitOptions{});
    ValidationOptions options;
    options.seed = 1000;  // other seeds than the runs'
    const Validation v = validate_runs(fitted, runs, options);
    CHECK(v.metrics[static_cast<std::size_t>(Metric::throughput)].median_abs_pct_error < 3);
    CHECK(v.metrics[static_cast<std::size_t>(Metric::latency_mean)].median_abs_pct_error < 3);
    CHECK(v.metrics[static_cast<std::size_t>(Metric::memory)].worst_abs_pct_error < 2);
}

TEST_CASE("the fitter recovers memory's private and shared parts from several worker counts", "[long]") {
    const Profile truth = known_profile();
    const Profile& p = fitted_full();
    check_recovered(p, "memory.master_private_kib", p.memory.master_private_kib, truth.memory.master_private_kib, 0.05);
    check_recovered(p, "memory.worker_private_kib", p.memory.worker_private_kib, truth.memory.worker_private_kib, 0.05);
    check_recovered(p, "memory.shared_kib", p.memory.shared_kib, truth.memory.shared_kib, 0.05);
}

TEST_CASE("the fitter recovers a worker's boot time as the slope of the whole start-up", "[long]") {
    const Profile& p = fitted_full();
    check_recovered(p, "boot_s", p.boot_s, known_profile().boot_s, 0.1);
}

TEST_CASE("the fitter recovers two cores' capacity from saturated CPU runs", "[long]") {
    const Profile truth = known_profile();
    const Profile& p = fitted_full();
    REQUIRE(p.core_capacity.size() == 2);
    CHECK(p.core_capacity[0] == 1.0);  // by definition: loop_cpu_s is one busy core's
    // The closed loop's last round leaves cores idle while the final requests drain; with
    // at least 8 rounds per run that costs under 1/8 of a round's time, so within 3%.
    CHECK(p.core_capacity[1] == Approx(truth.core_capacity[1]).epsilon(0.03));
}

TEST_CASE("held-out runs do not influence the fit", "[long]") {
    auto runs = synthetic_runs(make_plan(PlanKind::full), known_profile(), SyntheticNoise{}, 7);
    const Profile before = fit_profile(runs, FitOptions{});
    for (Run& r : runs)
        if (r.config.holdout) {
            r.measured.worker_cpu_s *= 10;
            *r.measured.master_pss_kib *= 3;
        }
    const Profile after = fit_profile(runs, FitOptions{});
    CHECK(after.loop_cpu_s == before.loop_cpu_s);
    CHECK(after.memory.shared_kib == before.memory.shared_kib);
}

TEST_CASE("the quick plan's runs inform every fitted parameter") {
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 11);
    const Profile p = fit_profile(runs, FitOptions{});
    for (const char* name : {"loop_cpu_s", "request_cpu_s", "db_client_cpu_s", "db_backend_cpu_s", "db_connect_s",
                             "uncontended_request_cv", "loadgen_cpu_s", "boot_s", "core_capacity_2", "memory.master_private_kib",
                             "memory.worker_private_kib", "memory.shared_kib", "memory.gthread_worker_kib",
                             "memory.thread_kib"}) {
        INFO(name);
        CHECK(p.fit.count(name) == 1);
    }
    CHECK(p.loop_cpu_s == Approx(known_profile().loop_cpu_s).epsilon(0.05));
    CHECK(p.core_capacity[1] == Approx(known_profile().core_capacity[1]).epsilon(0.05));
}

TEST_CASE("runs without CPU work cannot determine the loop's cost and say so") {
    std::vector<RunConfig> plan;
    for (const RunConfig& c : make_plan(PlanKind::quick))
        if (c.cpu_pct == 0) plan.push_back(c);
    const auto runs = synthetic_runs(plan, known_profile(), SyntheticNoise{}, 3);
    CHECK_THROWS_WITH(fit_profile(runs, FitOptions{}), Catch::Contains("loop_cpu_s"));
}

TEST_CASE("provenance passed in is kept in the profile") {
    FitOptions options;
    options.provenance.cpu_model = "AMD EPYC";
    options.provenance.runs_file = "runs.jsonl";
    const auto runs = synthetic_runs(make_plan(PlanKind::quick), known_profile(), SyntheticNoise{}, 5);
    const Profile p = fit_profile(runs, options);
    CHECK(p.provenance.cpu_model == "AMD EPYC");
    CHECK(p.provenance.runs_file == "runs.jsonl");
}

TEST_CASE("runs measured while the host ran slower fit the profile of the host at its usual speed", "[long]") {
    SyntheticNoise noise;
    noise.slow_host_factor = 1.6;  // two runs in five, as the shared VM did for minutes at a time
    const auto runs = synthetic_runs(make_plan(PlanKind::full), known_profile(), noise, 7);
    const Profile truth = known_profile();
    const Profile p = fit_profile(runs, FitOptions{});
    CHECK(p.host_probe_ns == noise.probe_ns);  // the median run's speed: three in five are at it
    check_recovered(p, "loop_cpu_s", p.loop_cpu_s, truth.loop_cpu_s, 0.02);
    check_recovered(p, "db_backend_cpu_s", p.db_backend_cpu_s, truth.db_backend_cpu_s, 0.02);
    check_recovered(p, "loadgen_cpu_s", p.loadgen_cpu_s, truth.loadgen_cpu_s, 0.02);
    check_recovered(p, "boot_s", p.boot_s, truth.boot_s, 0.1);
    CHECK(p.core_capacity[1] == Approx(truth.core_capacity[1]).epsilon(0.03));
}

TEST_CASE("without the speed probes the slow runs bias the fitted CPU costs", "[long]") {
    SyntheticNoise noise;
    noise.slow_host_factor = 1.6;
    auto runs = synthetic_runs(make_plan(PlanKind::full), known_profile(), noise, 7);
    for (Run& r : runs) r.measured.probe_before_ns = r.measured.probe_after_ns = std::nullopt;
    const Profile p = fit_profile(runs, FitOptions{});
    CHECK(p.host_probe_ns == 0);
    // The backend's cost, pooled over every IO run, comes out between the two speeds: the
    // recovery above is not vacuous.
    CHECK(p.db_backend_cpu_s > 1.1 * known_profile().db_backend_cpu_s);
}

namespace {

// The known profile with gthread's memory terms and an accept race's wake delay.
Profile known_gthread_profile() {
    Profile p = known_profile();
    p.memory.gthread_worker_kib = 900;
    p.memory.thread_kib = 150;
    p.gthread_main_wake_s = 0.002;
    p.gthread_main_wake_order_s = 0.5e-3;
    return p;
}

const Profile& fitted_full_gthread() {
    static const Profile fitted = fit_of_full_plan(known_gthread_profile());
    return fitted;
}

}  // namespace

TEST_CASE("the fitter recovers a gthread process's and each thread's memory from synthetic gthread runs") {
    const Profile truth = known_gthread_profile();
    const Profile& p = fitted_full_gthread();
    check_recovered(p, "memory.gthread_worker_kib", p.memory.gthread_worker_kib, truth.memory.gthread_worker_kib, 0.1);
    check_recovered(p, "memory.thread_kib", p.memory.thread_kib, truth.memory.thread_kib, 0.1);
}

// One case for both (each case is a process under ctest: the fit is made once per process).
TEST_CASE("the fitter finds the accept race's wake delay and the herd's order that generated the runs", "[long]") {
    const Profile& p = fitted_full_gthread();
    REQUIRE(p.gthread_main_wake_s.has_value());
    // The grid's neighbours of 2 ms are 1.5 and 3 ms; one synthetic run per point is noisy.
    CHECK(*p.gthread_main_wake_s >= 0.0015);
    CHECK(*p.gthread_main_wake_s <= 0.003);
    // The grid's neighbours of 0.5 ms are 0.35 and 0.75 ms.
    CHECK(p.gthread_main_wake_order_s >= 0.35e-3);
    CHECK(p.gthread_main_wake_order_s <= 0.75e-3);
}

TEST_CASE("gthread runs leave the sync fit as it was") {
    const Profile sync_only = fit_profile(
        synthetic_runs(sync_runs_of(make_plan(PlanKind::full)), known_profile(), SyntheticNoise{}, 7), FitOptions{});
    const Profile& both = fitted_full();
    CHECK(both.loop_cpu_s == sync_only.loop_cpu_s);
    CHECK(both.db_connect_s == sync_only.db_connect_s);
    CHECK(both.memory.worker_private_kib == sync_only.memory.worker_private_kib);
    CHECK(both.core_capacity == sync_only.core_capacity);
}
