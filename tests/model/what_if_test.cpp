#include <catch2/catch.hpp>

#include "model/invalid_field.hpp"
#include "model/profile_json.hpp"
#include "model/what_if.hpp"

using namespace workersim;

namespace {

Profile measured_host() {
    Profile p;
    p.loop_cpu_s = 0.2;
    p.request_cpu_s = 0.002;
    p.db_client_cpu_s = 0.003;
    p.db_backend_cpu_s = 0.035;
    p.loadgen_cpu_s = 0.001;
    p.boot_s = 0.08;
    p.host_probe_ns = 40;
    return p;
}

WhatIf half_io_half_cpu() {
    WhatIf q;
    q.workload.io_pct = 50;
    q.workload.unit_s = 1;
    q.loadgen_shared = true;
    return q;
}

double total_cpu_s(const Scenario& s, PhaseOwner owner) {
    double total = 0;
    for (const Phase& phase : s.request)
        if (phase.kind == PhaseKind::cpu && phase.owner == owner) total += phase.duration.mean_s;
    return total;
}

}  // namespace

TEST_CASE("a slower host scales every CPU cost of the profile and nothing else") {
    WhatIf q = half_io_half_cpu();
    const Scenario usual = build_scenario(measured_host(), q);
    q.cpu_time_factor = 1.5;
    const Scenario slower = build_scenario(measured_host(), q);
    CHECK(total_cpu_s(slower, PhaseOwner::worker) == Approx(1.5 * total_cpu_s(usual, PhaseOwner::worker)));
    CHECK(total_cpu_s(slower, PhaseOwner::database) == Approx(1.5 * 0.035));
    CHECK(slower.load.loadgen_cpu_s == Approx(1.5 * 0.001));
    CHECK(slower.server.boot_s == Approx(1.5 * 0.08));
    double usual_io_s = 0, slower_io_s = 0;
    for (const Phase& p : usual.request)
        if (p.kind == PhaseKind::io) usual_io_s += p.duration.mean_s;
    for (const Phase& p : slower.request)
        if (p.kind == PhaseKind::io) slower_io_s += p.duration.mean_s;
    CHECK(slower_io_s == usual_io_s);  // pg_sleep is wall time
}

TEST_CASE("demands given directly are the user's own and are not scaled") {
    WhatIf q;
    q.workload.cpu_s = 0.1;
    q.cpu_time_factor = 2;
    const Scenario s = build_scenario(measured_host(), q);
    CHECK(total_cpu_s(s, PhaseOwner::worker) == Approx(0.1 + 2 * 0.002));
}

TEST_CASE("a CPU time factor outside 0.01..100 is rejected naming the field, its value and the range") {
    WhatIf q = half_io_half_cpu();
    for (double factor : {0.0, 1000.0}) {
        q.cpu_time_factor = factor;
        try {
            build_scenario(measured_host(), q);
            FAIL("accepted cpu_time_factor " << factor);
        } catch (const InvalidField& e) {
            CHECK(e.field == "cpu_time_factor");
            CHECK(e.value == factor);
            CHECK(e.expected == "0.01..100");
            CHECK_THAT(e.what(), Catch::Contains("cpu_time_factor") && Catch::Contains("0.01..100"));
        }
    }
}

TEST_CASE("a what-if's errors name the fields, never a command-line flag") {
    WhatIf q;
    SECTION("a percentage out of range") { q.workload.io_pct = 120; }
    SECTION("percentages that do not sum to 100") {
        q.workload.io_pct = 60;
        q.workload.cpu_pct = 60;
    }
    SECTION("a mix and demands given directly") {
        q.workload.io_pct = 50;
        q.workload.io_s = 0.005;
    }
    SECTION("too many cores") { q.cores = 5000; }
    SECTION("a negative demand") { q.workload.cpu_s = -1; }
    try {
        build_scenario(measured_host(), q);
        FAIL("accepted");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), !Catch::Contains("--"));
    }
}

TEST_CASE("a profile keeps its host speed probe through JSON, and older profiles read as unprobed") {
    const Profile p = measured_host();
    CHECK(profile_from_json(to_json(p), "x").host_probe_ns == 40);
    nlohmann::json older = to_json(p);
    older.erase("host_probe_ns");
    CHECK(profile_from_json(older, "x").host_probe_ns == 0);
}

TEST_CASE("a profile's CPU scheduler reaches the scenario and survives JSON; unknown names are refused") {
    Profile p = measured_host();
    p.cpu_scheduler = CpuScheduler::per_core_queues;
    const Profile back = profile_from_json(to_json(p), "x");
    CHECK(back.cpu_scheduler == CpuScheduler::per_core_queues);
    CHECK(build_scenario(back, half_io_half_cpu()).host.scheduler == CpuScheduler::per_core_queues);
    nlohmann::json older = to_json(p);
    older.erase("cpu_scheduler");
    CHECK(profile_from_json(older, "x").cpu_scheduler == CpuScheduler::shared_queue);
    nlohmann::json wrong = to_json(p);
    wrong["cpu_scheduler"] = "cfs";
    CHECK_THROWS_WITH(profile_from_json(wrong, "x"), Catch::Contains("per_core_queues"));
}

TEST_CASE("the reference app's libpq CPU releases the GIL, its Python holds it, the user's share applies to the loop") {
    WhatIf q = half_io_half_cpu();
    q.workload.gil_free_share = 0.25;
    const Scenario s = build_scenario(measured_host(), q);
    double python_s = 0, gil_free_s = 0;
    for (const Phase& phase : s.request) {
        if (phase.kind != PhaseKind::cpu || phase.owner != PhaseOwner::worker) continue;
        python_s += phase.duration.mean_s * (1 - phase.gil_free_share);
        gil_free_s += phase.duration.mean_s * phase.gil_free_share;
    }
    // request 2 ms + loop 0.1 s x 0.75 hold the GIL; libpq's 3 ms and the loop's quarter do not.
    CHECK(python_s == Approx(0.002 + 0.1 * 0.75));
    CHECK(gil_free_s == Approx(0.003 + 0.1 * 0.25));
}

TEST_CASE("Gunicorn's --preload takes the memory an app's profile measured with it, and needs one") {
    Profile p = ideal_profile();
    WhatIf q;
    q.workload.io_s = 0.1;
    q.preload = true;
    CHECK_THROWS_WITH(build_scenario(p, q), Catch::Contains("--preload"));
    AppProfile app;
    app.callable = "m:app";
    UrlProfile u;
    u.path = "/a";
    app.urls = {u};
    MemoryModel preloaded;
    preloaded.master_private_kib = 21000;
    preloaded.worker_private_kib = 23000;
    preloaded.shared_kib = 14000;
    app.preload_memory = preloaded;
    p.app = app;
    const Scenario s = build_scenario(p, q);
    CHECK(s.memory.worker_private_kib == 23000);
    q.preload = false;
    CHECK(build_scenario(p, q).memory.worker_private_kib == p.memory.worker_private_kib);
}
