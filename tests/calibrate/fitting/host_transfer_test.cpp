#include <catch2/catch.hpp>

#include <stdexcept>

#include "calibrate/fitting/host_transfer.hpp"
#include "model/profile.hpp"

using namespace workersim;

namespace {

HostProbe base_probe() {
    HostProbe h;
    h.date = "2026-12-01T10:00:00Z";
    h.database = "private";
    h.loop_ns_by_core = {39.0, 41.0};
    h.loop_ns = 40.0;
    h.core_capacity = {1.0, 1.9};
    h.db_backend_cpu_s_by_cores = {0.025, 0.05};
    h.db_client_cpu_s = 0.003;
    h.db_connect_s = 0.004;
    h.boot_workers = 2;
    h.boot_s = 0.4;
    return h;
}

// A two-core profile fitted beside base_probe().
Profile fitted_profile() {
    Profile p;
    p.name = "fitted";
    p.host_cores = 2;
    p.core_capacity = {1.0, 1.8};
    p.loop_cpu_s = 0.2;
    p.request_cpu_s = 0.002;
    p.db_client_cpu_s = 0.003;
    p.db_backend_cpu_s = 0.03;
    p.db_backend_cpu_s_by_cores = {0.02, 0.04};
    p.db_connect_s = 0.005;
    p.loadgen_cpu_s = 0.001;
    p.boot_s = 0.5;
    p.host_probe_ns = 40.0;
    p.host_probe = base_probe();
    p.fit["loop_cpu_s"] = {0.004, 0.01, 10};
    p.fit["request_cpu_s"] = {0.0002, 0.001, 10};
    p.fit["db_backend_cpu_s"] = {0.003, 0.002, 8};
    p.fit["db_backend_cpu_s_1"] = {0.002, 0.001, 4};
    p.fit["db_backend_cpu_s_2"] = {0.004, 0.001, 4};
    return p;
}

// The base probe on a host whose loop runs twice as slow and nothing else changed.
HostProbe twice_as_slow() {
    HostProbe h = base_probe();
    h.date = "2026-12-02T10:00:00Z";
    h.loop_ns_by_core = {78.0, 82.0};
    h.loop_ns = 80.0;
    return h;
}

}  // namespace

TEST_CASE("a probe twice as slow doubles the loop's and the request's CPU and their standard errors",
          "[host_transfer]") {
    const Profile base = fitted_profile();
    const Profile moved = profile_for_host(base, twice_as_slow());
    CHECK(moved.loop_cpu_s == Approx(2 * 0.2));
    CHECK(moved.request_cpu_s == Approx(2 * 0.002));
    CHECK(moved.loadgen_cpu_s == Approx(2 * 0.001));
    REQUIRE(moved.fit.count("loop_cpu_s") == 1);
    REQUIRE(moved.fit.count("request_cpu_s") == 1);
    CHECK(moved.fit.at("loop_cpu_s").std_error == Approx(2 * 0.004));
    CHECK(moved.fit.at("loop_cpu_s").rms_residual == Approx(2 * 0.01));
    CHECK(moved.fit.at("request_cpu_s").std_error == Approx(2 * 0.0002));
    CHECK(moved.fit.at("loop_cpu_s").points == 10);
}

TEST_CASE("a probe whose connection figures are unchanged leaves the connection costs as fitted",
          "[host_transfer]") {
    const Profile moved = profile_for_host(fitted_profile(), twice_as_slow());
    CHECK(moved.db_client_cpu_s == Approx(0.003));
    CHECK(moved.db_connect_s == Approx(0.005));
    CHECK(moved.boot_s == Approx(0.5));
    CHECK(moved.db_backend_cpu_s_by_cores[0] == Approx(0.02));
    CHECK(moved.db_backend_cpu_s_by_cores[1] == Approx(0.04));
}

TEST_CASE("the backend CPU at each core count scales by the new probe's backend CPU over the base probe's",
          "[host_transfer]") {
    HostProbe probe = base_probe();
    probe.db_backend_cpu_s_by_cores = {0.05, 0.075};  // x2 on one core, x1.5 on two
    const Profile moved = profile_for_host(fitted_profile(), probe);
    REQUIRE(moved.db_backend_cpu_s_by_cores.size() == 2);
    CHECK(moved.db_backend_cpu_s_by_cores[0] == Approx(0.02 * 2.0));
    CHECK(moved.db_backend_cpu_s_by_cores[1] == Approx(0.04 * 1.5));
    // The pooled figure follows the host's full core count, and its error with it.
    CHECK(moved.db_backend_cpu_s == Approx(0.03 * 1.5));
    CHECK(moved.fit.at("db_backend_cpu_s").std_error == Approx(0.003 * 1.5));
}

TEST_CASE("the standard errors of the backend CPU per core count scale with their values", "[host_transfer]") {
    // The fitter names them db_backend_cpu_s_1..k; the header promises every error scales.
    HostProbe probe = base_probe();
    probe.db_backend_cpu_s_by_cores = {0.05, 0.075};
    const Profile moved = profile_for_host(fitted_profile(), probe);
    CHECK(moved.fit.at("db_backend_cpu_s_1").std_error == Approx(0.002 * 2.0));
    CHECK(moved.fit.at("db_backend_cpu_s_2").std_error == Approx(0.004 * 1.5));
}

TEST_CASE("the standard error of the core capacity scales with its value", "[host_transfer]") {
    // The fitter names it core_capacity_2 (k = 2); the header promises every error scales.
    Profile base = fitted_profile();
    base.fit["core_capacity_2"] = {0.02, 0.01, 6};
    HostProbe probe = base_probe();
    probe.core_capacity = {1.0, 1.71};
    const Profile moved = profile_for_host(base, probe);
    CHECK(moved.fit.at("core_capacity_2").std_error == Approx(0.02 * 1.71 / 1.9));
}

TEST_CASE("core capacity scales by the probe's change at each core count", "[host_transfer]") {
    HostProbe probe = base_probe();
    probe.core_capacity = {1.0, 1.71};
    const Profile moved = profile_for_host(fitted_profile(), probe);
    REQUIRE(moved.core_capacity.size() == 2);
    CHECK(moved.core_capacity[0] == Approx(1.0));
    CHECK(moved.core_capacity[1] == Approx(1.8 * 1.71 / 1.9));
    CHECK(moved.host_cores == 2);
}

TEST_CASE("scaled core capacity never exceeds the number of busy cores", "[host_transfer]") {
    Profile base = fitted_profile();
    base.core_capacity = {1.0, 1.95};
    HostProbe probe = base_probe();
    probe.core_capacity = {1.2, 2.0};  // 1.95 x 2.0 / 1.9 = 2.05 on two cores, 1.2 on one
    const Profile moved = profile_for_host(base, probe);
    REQUIRE(moved.core_capacity.size() == 2);
    CHECK(moved.core_capacity[0] == Approx(1.0));
    CHECK(moved.core_capacity[1] == Approx(2.0));
    CHECK(moved.core_capacity[1] <= 2.0);
}

TEST_CASE("a base profile without a probe of its own takes the probe's connection and capacity figures",
          "[host_transfer]") {
    Profile base = fitted_profile();
    base.host_probe.reset();
    HostProbe probe = twice_as_slow();
    probe.db_client_cpu_s = 0.007;
    probe.db_connect_s = 0.009;
    probe.core_capacity = {1.0, 1.7};
    probe.db_backend_cpu_s_by_cores = {0.03, 0.05};
    const Profile moved = profile_for_host(base, probe);
    CHECK(moved.db_client_cpu_s == Approx(0.007));
    CHECK(moved.db_connect_s == Approx(0.009));
    REQUIRE(moved.core_capacity.size() == 2);
    CHECK(moved.core_capacity[0] == Approx(1.0));
    CHECK(moved.core_capacity[1] == Approx(1.7));
    REQUIRE(moved.db_backend_cpu_s_by_cores.size() == 2);
    CHECK(moved.db_backend_cpu_s_by_cores[0] == Approx(0.03));
    CHECK(moved.db_backend_cpu_s_by_cores[1] == Approx(0.05));
    // The rest still scales by the loop's speed against base.host_probe_ns (40 -> 80).
    CHECK(moved.loop_cpu_s == Approx(2 * 0.2));
    CHECK(moved.boot_s == Approx(2 * 0.5));
}

TEST_CASE("a moved profile holds at the probe's speed and carries the probe", "[host_transfer]") {
    const HostProbe probe = twice_as_slow();
    const Profile moved = profile_for_host(fitted_profile(), probe);
    CHECK(moved.host_probe_ns == 80.0);
    REQUIRE(moved.host_probe);
    CHECK(moved.host_probe->loop_ns == 80.0);
    CHECK(moved.host_probe->loop_ns_by_core == probe.loop_ns_by_core);
    CHECK(moved.host_probe->date == probe.date);
    CHECK(moved.host_probe->core_capacity == probe.core_capacity);
    CHECK(moved.host_probe->db_backend_cpu_s_by_cores == probe.db_backend_cpu_s_by_cores);
}

TEST_CASE("a host probe without loop timings is rejected", "[host_transfer]") {
    CHECK_THROWS_AS(profile_for_host(fitted_profile(), HostProbe{}), std::invalid_argument);
    HostProbe no_mean = base_probe();
    no_mean.loop_ns = 0;
    CHECK_THROWS_AS(profile_for_host(fitted_profile(), no_mean), std::invalid_argument);
}
