#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "model/json_reader.hpp"
#include "model/profile_json.hpp"

using namespace workersim;

namespace {

HostProbe measured_probe() {
    HostProbe h;
    h.date = "2026-12-01T21:41:11Z";
    h.database = "127.0.0.1:5432";
    h.loop_ns_by_core = {128.263, 130.601};
    h.loop_ns = 129.432;
    h.core_capacity = {1.0, 1.921};
    h.db_backend_cpu_s_by_cores = {0.01, 0.011};
    h.db_client_cpu_s = 0.0088595;
    h.db_connect_s = 0.0090075;
    h.boot_workers = 2;
    h.boot_s = 0.433217384;
    return h;
}

Profile probed_profile() {
    Profile p;
    p.name = "probed";
    p.host_cores = 2;
    p.core_capacity = {1.0, 1.9};
    p.loop_cpu_s = 0.2;
    p.request_cpu_s = 0.002;
    p.db_client_cpu_s = 0.003;
    p.db_backend_cpu_s = 0.035;
    p.db_connect_s = 0.004;
    p.loadgen_cpu_s = 0.001;
    p.boot_s = 0.08;
    p.host_probe_ns = 129.432;
    p.host_probe = measured_probe();
    p.fit["loop_cpu_s"] = {0.004, 0.01, 10};
    return p;
}

void check_same(const HostProbe& a, const HostProbe& b) {
    CHECK(a.date == b.date);
    CHECK(a.database == b.database);
    CHECK(a.loop_ns_by_core == b.loop_ns_by_core);
    CHECK(a.loop_ns == b.loop_ns);
    CHECK(a.core_capacity == b.core_capacity);
    CHECK(a.db_backend_cpu_s_by_cores == b.db_backend_cpu_s_by_cores);
    CHECK(a.db_client_cpu_s == b.db_client_cpu_s);
    CHECK(a.db_connect_s == b.db_connect_s);
    CHECK(a.boot_workers == b.boot_workers);
    CHECK(a.boot_s == b.boot_s);
}

}  // namespace

TEST_CASE("a host probe survives JSON field for field", "[profile_json]") {
    const HostProbe probe = measured_probe();
    check_same(host_probe_from_json(to_json(probe), "probe.json"), probe);
}

TEST_CASE("a host probe whose backend CPU could not be read survives JSON with it empty", "[profile_json]") {
    HostProbe probe = measured_probe();
    probe.db_backend_cpu_s_by_cores.clear();
    CHECK(host_probe_from_json(to_json(probe), "probe.json").db_backend_cpu_s_by_cores.empty());
}

TEST_CASE("a profile keeps its host probe through JSON", "[profile_json]") {
    const Profile p = probed_profile();
    const Profile back = profile_from_json(to_json(p), "profile.json");
    REQUIRE(back.host_probe);
    check_same(*back.host_probe, *p.host_probe);
    CHECK(back.host_probe_ns == p.host_probe_ns);
    CHECK(back.loop_cpu_s == p.loop_cpu_s);
    CHECK(back.fit.at("loop_cpu_s").std_error == 0.004);
}

TEST_CASE("a profile without a host probe reads back without one", "[profile_json]") {
    Profile p = probed_profile();
    p.host_probe.reset();
    const nlohmann::json json = to_json(p);
    CHECK_FALSE(json.contains("host_probe"));
    CHECK_FALSE(profile_from_json(json, "profile.json").host_probe);
}

TEST_CASE("an unknown key inside a profile's host probe is rejected naming it", "[profile_json]") {
    nlohmann::json json = to_json(probed_profile());
    json["host_probe"]["loop_ns_typo"] = 3;
    CHECK_THROWS_AS(profile_from_json(json, "profile.json"), JsonError);
    CHECK_THROWS_WITH(profile_from_json(json, "profile.json"),
                      Catch::Contains("profile.json") && Catch::Contains("host_probe.loop_ns_typo"));
}

TEST_CASE("an unknown key in a host probe read on its own is rejected naming it", "[profile_json]") {
    nlohmann::json json = to_json(measured_probe());
    json["extra"] = true;
    CHECK_THROWS_AS(host_probe_from_json(json, "probe.json"), JsonError);
    CHECK_THROWS_WITH(host_probe_from_json(json, "probe.json"), Catch::Contains("extra"));
}

TEST_CASE("every fit entry of the committed profiles but the reported request spread names a value of the profile") {
    for (const char* file : {"default-profile.json", "quick-profile.json", "probed-profile.json"}) {
        std::ifstream in(std::string(WORKERSIM_DATA_DIR) + "/" + file);
        REQUIRE(in);
        Profile p = profile_from_json(nlohmann::json::parse(in), file);
        REQUIRE(!p.fit.empty());
        for (const auto& [name, quality] : p.fit) {
            INFO(file << ": " << name);
            // Reported beside the fit, not a value of the profile (calibrate/fitting/fitter.cpp).
            if (name == "uncontended_request_cv") continue;
            CHECK(fitted_value(p, name).value != nullptr);
        }
    }
}

TEST_CASE("k busy cores are fitted within 1e-3..k cores; other values from 0") {
    Profile p;
    p.core_capacity = {1.0, 1.8};
    const FittedValue two = fitted_value(p, "core_capacity_2");
    CHECK(two.value == &p.core_capacity[1]);
    CHECK(two.min == 1e-3);
    CHECK(two.max == 2.0);
    CHECK(fitted_value(p, "core_capacity_3").value == nullptr);
    CHECK(fitted_value(p, "loop_cpu_s").value == &p.loop_cpu_s);
    CHECK(fitted_value(p, "loop_cpu_s").min == 0.0);
    CHECK(fitted_value(p, "no_such_value").value == nullptr);
}
