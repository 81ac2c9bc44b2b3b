#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "calibrate/records/plan.hpp"

using namespace workersim;

namespace {

bool runnable_on_two_cores(const RunConfig& c) {
    if (c.cores < 1 || c.cores > 2) return false;
    if (!c.loadgen_shared && c.cores == 2) return false;  // no core left for the load generator
    if (c.load == LoadKind::closed) return c.clients >= 1 && c.requests >= c.clients;
    return c.rate_per_s > 0 && c.requests >= 1 && !c.loadgen_shared;  // httperf busy-polls a core
}

}  // namespace

TEST_CASE("every plan has unique ids and only runs a 2-core host can do") {
    for (PlanKind kind : {PlanKind::quick, PlanKind::full}) {
        INFO(plan_name(kind));
        std::set<std::string> ids;
        for (const RunConfig& c : make_plan(kind)) {
            INFO(c.id);
            CHECK(ids.insert(c.id).second);
            CHECK(runnable_on_two_cores(c));
            CHECK(c.io_pct + c.cpu_pct == Approx(100));
        }
    }
}

TEST_CASE("the same plan is produced every time") {
    const auto a = make_plan(PlanKind::full), b = make_plan(PlanKind::full);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].id == b[i].id);
        CHECK(a[i].holdout == b[i].holdout);
    }
}

TEST_CASE("the quick plan fits in three minutes") {
    CHECK(nominal_duration_s(make_plan(PlanKind::quick)) < 180);
}

TEST_CASE("the full plan takes about 35 minutes") {
    const double s = nominal_duration_s(make_plan(PlanKind::full));
    CHECK(s > 25 * 60);
    CHECK(s < 45 * 60);
}

TEST_CASE("the full plan covers the seed article's grid on both placements") {
    std::set<std::tuple<int, double, int, bool>> points;  // workers, io, cores, shared
    for (const RunConfig& c : make_plan(PlanKind::full))
        if (c.worker_class == WorkerClass::sync) points.insert({c.workers, c.io_pct, c.cores, c.loadgen_shared});
    for (double io : {100.0, 0.0, 90.0, 50.0, 75.0})
        for (int w : {1, 2, 4, 8}) {
            INFO("workers " << w << ", io " << io);
            CHECK(points.count({w, io, 2, true}) == 1);
            CHECK(points.count({w, io, 1, false}) == 1);
        }
    for (double io : {100.0, 0.0, 90.0})
        for (int w : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12}) CHECK(points.count({w, io, 2, true}) == 1);
}

TEST_CASE("the full plan has fewer clients than workers, hey's rounding and open loop") {
    int fewer = 0, rounding = 0, open = 0, one_core_shared = 0;
    for (const RunConfig& c : make_plan(PlanKind::full)) {
        if (c.load == LoadKind::open) ++open;
        else if (c.clients < c.workers) ++fewer;
        if (c.load == LoadKind::closed && c.requests % c.clients != 0) ++rounding;
        if (c.cores == 1 && c.loadgen_shared) ++one_core_shared;
    }
    CHECK(fewer >= 3);
    CHECK(rounding >= 2);
    CHECK(open >= 3);
    CHECK(one_core_shared >= 2);
}

TEST_CASE("about a third of the full plan is held out, in every workload") {
    const auto plan = make_plan(PlanKind::full);
    std::size_t held = 0;
    std::set<double> held_mixes;
    for (const RunConfig& c : plan)
        if (c.holdout) {
            ++held;
            held_mixes.insert(c.io_pct);
        }
    const double fraction = static_cast<double>(held) / static_cast<double>(plan.size());
    CHECK(fraction > 0.25);
    CHECK(fraction < 0.40);
    CHECK(held_mixes == std::set<double>{0, 50, 75, 90, 100});
}

TEST_CASE("plan names parse and bad ones name the accepted values") {
    CHECK(plan_kind_from_name("quick") == PlanKind::quick);
    CHECK(plan_kind_from_name("full") == PlanKind::full);
    CHECK(plan_kind_from_name("repeats") == PlanKind::repeats);
    CHECK_THROWS_WITH(plan_kind_from_name("fast"), Catch::Contains("quick, full, failure or repeats"));
}

TEST_CASE("the repeats plan makes each configuration kRepeats times under distinct ids, never fitted") {
    std::map<std::string, int> made;  // by configuration
    for (const RunConfig& c : make_plan(PlanKind::repeats)) {
        CHECK(c.holdout);
        CHECK(c.worker_class == WorkerClass::gthread);
        made[repeated_id(c.id)]++;
    }
    REQUIRE(made.size() == 12);
    for (const auto& [id, count] : made) CHECK(count == kRepeats);
}

TEST_CASE("the failure plan's requests outlast Gunicorn's timeout and are never fitted") {
    for (const RunConfig& c : make_plan(PlanKind::failure)) {
        CHECK(c.holdout);
        const double request_s = c.io_pct > 0 ? c.io_pct / 100 * c.unit_s : c.cpu_pct / 100 * c.unit_s * 0.15;
        CHECK(request_s > c.timeout_s);
    }
}

TEST_CASE("the full plan covers gthread's processes, threads, mixes, placements and keep-alive") {
    std::set<std::tuple<int, int, double, int, bool>> points;  // processes, threads, io, cores, keep-alive
    int threads_above_cores = 0, pool_above_clients = 0, held_out = 0, gthread = 0;
    for (const RunConfig& c : make_plan(PlanKind::full)) {
        if (c.worker_class != WorkerClass::gthread) continue;
        ++gthread;
        points.insert({c.workers, c.threads, c.io_pct, c.cores, c.client_keep_alive});
        if (c.threads > c.cores) ++threads_above_cores;
        if (c.workers * c.threads > c.clients) ++pool_above_clients;
        if (c.holdout) ++held_out;
    }
    for (int p : {1, 2, 4})
        for (int t : {1, 2, 4, 8})
            for (double io : {100.0, 0.0, 90.0})
                for (int cores : {1, 2}) {
                    INFO(p << " x " << t << ", io " << io << ", cores " << cores);
                    CHECK(points.count({p, t, io, cores, true}) == 1);
                    if (p > 1) CHECK(points.count({p, t, io, cores, false}) == 1);
                }
    CHECK(threads_above_cores > 0);
    CHECK(pool_above_clients >= 4);
    CHECK(held_out == gthread / 3);
}

TEST_CASE("the quick plan has gthread runs with and without keep-alive and one held out") {
    int keep_alive = 0, close = 0, held_out = 0;
    for (const RunConfig& c : make_plan(PlanKind::quick)) {
        if (c.worker_class != WorkerClass::gthread) continue;
        (c.client_keep_alive ? keep_alive : close) += 1;
        held_out += c.holdout ? 1 : 0;
    }
    CHECK(keep_alive >= 3);
    CHECK(close >= 1);
    CHECK(held_out == 1);
}
