#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include "model/profile.hpp"
#include "analysis/profile_uncertainty.hpp"

using namespace workersim;

namespace {

Profile fitted_profile() {
    Profile p;
    p.host_cores = 2;
    p.core_capacity = {1.0, 1.9};
    p.loop_cpu_s = 0.2;
    p.request_cpu_s = 0.002;
    p.db_client_cpu_s = 0.003;
    p.db_backend_cpu_s = 0.035;
    p.db_backend_cpu_s_by_cores = {0.02, 0.04};
    p.db_connect_s = 0.004;
    p.cpu_cv = 0.05;
    p.loadgen_cpu_s = 0.001;
    p.boot_s = 0.08;
    p.fit["loop_cpu_s"] = {0.004, 0.01, 10};
    p.fit["db_backend_cpu_s"] = {0.002, 0.001, 8};
    p.fit["db_backend_cpu_s_2"] = {0.003, 0.001, 4};
    p.fit["core_capacity_2"] = {0.02, 0.01, 6};
    p.fit["cpu_cv"] = {0.005, 0.05, 100};
    p.fit["db_client_cpu_s"] = {0.0, 0.0, 3};           // a zero error: known exactly
    p.fit["uncontended_request_cv"] = {0.01, 0.03, 5};  // no profile field of that name
    // request_cpu_s, db_connect_s, loadgen_cpu_s, boot_s: no fit entry at all
    return p;
}

}  // namespace

TEST_CASE("the same seed draws the same profile", "[profile_uncertainty]") {
    const Profile p = fitted_profile();
    const Profile a = draw_profile(p, 12345);
    const Profile b = draw_profile(p, 12345);
    CHECK(a.loop_cpu_s == b.loop_cpu_s);
    CHECK(a.db_backend_cpu_s == b.db_backend_cpu_s);
    CHECK(a.db_backend_cpu_s_by_cores == b.db_backend_cpu_s_by_cores);
    CHECK(a.core_capacity == b.core_capacity);
    CHECK(a.cpu_cv == b.cpu_cv);
}

TEST_CASE("different seeds draw different profiles", "[profile_uncertainty]") {
    const Profile p = fitted_profile();
    const Profile a = draw_profile(p, 1);
    const Profile b = draw_profile(p, 2);
    CHECK(a.loop_cpu_s != b.loop_cpu_s);
    CHECK(a.db_backend_cpu_s != b.db_backend_cpu_s);
    CHECK(a.core_capacity[1] != b.core_capacity[1]);
    CHECK(a.loop_cpu_s != p.loop_cpu_s);
}

TEST_CASE("values without a fit entry or with a zero standard error are not drawn", "[profile_uncertainty]") {
    const Profile p = fitted_profile();
    for (std::uint64_t seed : {1u, 2u, 3u, 99u}) {
        INFO("seed " << seed);
        const Profile d = draw_profile(p, seed);
        CHECK(d.request_cpu_s == p.request_cpu_s);
        CHECK(d.db_connect_s == p.db_connect_s);
        CHECK(d.loadgen_cpu_s == p.loadgen_cpu_s);
        CHECK(d.boot_s == p.boot_s);
        CHECK(d.db_client_cpu_s == p.db_client_cpu_s);
        CHECK(d.io_cv == p.io_cv);
        CHECK(d.core_capacity[0] == p.core_capacity[0]);
        CHECK(d.db_backend_cpu_s_by_cores[0] == p.db_backend_cpu_s_by_cores[0]);
        CHECK(d.fit.size() == p.fit.size());
    }
}

TEST_CASE("a drawn value is distributed about its fitted value with its standard error", "[profile_uncertainty]") {
    const Profile p = fitted_profile();
    const double se = p.fit.at("loop_cpu_s").std_error;
    constexpr int n = 4000;
    double sum = 0, sum_sq = 0;
    for (int seed = 1; seed <= n; ++seed) {
        const double x = draw_profile(p, static_cast<std::uint64_t>(seed)).loop_cpu_s;
        sum += x;
        sum_sq += x * x;
    }
    const double mean = sum / n;
    const double sd = std::sqrt((sum_sq - n * mean * mean) / (n - 1));
    INFO("mean " << mean << ", sd " << sd << " over " << n << " seeds");
    // 4 standard errors of the mean: a false failure about once in 16,000 runs. The normal's
    // tail, not Student's t: the standard error is the fit's, known, not estimated from the draws.
    CHECK(std::abs(mean - p.loop_cpu_s) <= 4 * se / std::sqrt(static_cast<double>(n)));
    // The sample sd's own relative error is about 1 / sqrt(2n) = 1.1%: 5% is over 4 of them.
    CHECK(sd == Approx(se).epsilon(0.05));
}

TEST_CASE("drawn values stay in range however large their standard errors", "[profile_uncertainty]") {
    Profile p = fitted_profile();
    p.fit["loop_cpu_s"].std_error = 1.0;          // five times the value
    p.fit["db_backend_cpu_s_2"].std_error = 1.0;
    p.fit["core_capacity_2"].std_error = 1.0;     // half the draws above 1.9, many above 2
    p.fit["cpu_cv"].std_error = 1.0;
    p.fit["memory.worker_private_kib"] = {1e6, 0, 3};
    int capped = 0, floored = 0;
    for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
        const Profile d = draw_profile(p, seed);
        INFO("seed " << seed);
        REQUIRE(d.core_capacity[1] <= 2.0);
        REQUIRE(d.core_capacity[1] >= 1e-3);
        REQUIRE(d.loop_cpu_s >= 0.0);
        REQUIRE(d.db_backend_cpu_s_by_cores[1] >= 0.0);
        REQUIRE(d.cpu_cv >= 0.0);
        REQUIRE(d.memory.worker_private_kib >= 0.0);
        capped += d.core_capacity[1] == 2.0;
        floored += d.loop_cpu_s == 0.0;
    }
    // The clamps were exercised, not just never reached.
    CHECK(capped > 0);
    CHECK(floored > 0);
}
