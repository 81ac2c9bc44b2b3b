// A profile of a user's app (calibrate --app): its URLs survive the JSON, and a what-if on it
// serves them as request classes.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "model/profile_json.hpp"
#include "model/what_if.hpp"

using namespace workersim;

namespace {

Profile two_url_app() {
    Profile p = ideal_profile();
    p.request_cpu_s = 0.001;
    AppProfile app;
    app.callable = "shop:app";
    app.urls = {{"/orders", 7, Distribution::deterministic(0.004), Distribution::lognormal(0.02, 0.3), 3},
                {"/search", 3, Distribution::empirical({0.02, 0.03, 0.04}), Distribution::deterministic(0), 0}};
    app.urls[0].io_slowdown_per_caller = 0.25;  // its database queues
    p.app = app;
    return p;
}

}  // namespace

TEST_CASE("an app profile's URLs and their distributions survive the JSON") {
    const Profile back = profile_from_json(to_json(two_url_app()), "app.json");
    REQUIRE(back.app);
    CHECK(back.app->callable == "shop:app");
    REQUIRE(back.app->urls.size() == 2);
    CHECK(back.app->urls[0].path == "/orders");
    CHECK(back.app->urls[0].weight == 7);
    CHECK(back.app->urls[0].io.kind == DistributionKind::lognormal);
    CHECK(back.app->urls[0].io.cv == 0.3);
    CHECK(back.app->urls[1].cpu.samples_s == std::vector<double>{0.02, 0.03, 0.04});
    CHECK(back.app->urls[1].cpu.mean_s == Approx(0.03));
    CHECK(back.app->urls[0].io_slowdown_per_caller == 0.25);
    CHECK(back.app->urls[1].io_slowdown_per_caller == 0);
}

TEST_CASE("a profile without an app writes no app key") {
    CHECK_FALSE(to_json(ideal_profile()).contains("app"));
}

TEST_CASE("a what-if on an app profile serves its URLs: Gunicorn's CPU, the app's CPU, then its IO") {
    WhatIf q;
    q.workers = 2;
    q.cpu_time_factor = 2;
    const Scenario s = build_scenario(two_url_app(), q);
    REQUIRE(s.request_classes.size() == 2);
    CHECK(s.request.empty());
    const RequestClass& orders = s.request_classes[0];
    CHECK(orders.weight == 7);
    REQUIRE(orders.phases.size() == 3);
    CHECK(orders.phases[0].duration.mean_s == Approx(0.002));  // request_cpu_s, twice as slow
    CHECK(orders.phases[1].duration.mean_s == Approx(0.008));
    CHECK(orders.phases[2].kind == PhaseKind::io);
    CHECK(orders.phases[2].duration.mean_s == Approx(0.02));   // IO does not scale with the host
    CHECK(orders.phases[2].slowdown_per_caller == 0.25);        // nor does its downstream's queue
    CHECK(s.request_classes[1].phases.size() == 2);            // no IO phase for a URL without IO
}

TEST_CASE("url weights replace the measured mix, and a URL left out is not served") {
    WhatIf q;
    q.workload.url_weights = {{"/search", 1}};
    const Scenario s = build_scenario(two_url_app(), q);
    REQUIRE(s.request_classes.size() == 1);
    CHECK(s.request_classes[0].path == "/search");
}

TEST_CASE("url weights naming a path the app lacks are refused with the accepted paths") {
    WhatIf q;
    q.workload.url_weights = {{"/cart", 1}};
    CHECK_THROWS_WITH(build_scenario(two_url_app(), q),
                      Catch::Contains("/cart") && Catch::Contains("accepted: /orders, /search"));
}

TEST_CASE("demands given directly replace an app's URLs with one request") {
    WhatIf q;
    q.workload.io_s = 0.1;
    const Scenario s = build_scenario(two_url_app(), q);
    CHECK(s.request_classes.empty());
    CHECK_FALSE(s.request.empty());
}
