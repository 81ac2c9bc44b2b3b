#include <catch2/catch.hpp>

#include "model/profile.hpp"

using namespace workersim;

namespace {
Profile costs() {
    Profile p;
    p.host_cores = 2;
    p.loop_cpu_s = 0.9;
    p.request_cpu_s = 0.002;
    p.db_client_cpu_s = 0.01;
    p.db_backend_cpu_s = 0.03;
    p.db_backend_cpu_s_by_cores = {0.025, 0.04};
    p.db_connect_s = 0.005;
    return p;
}
}  // namespace

TEST_CASE("a request with IO pays the connection, the database's CPU and the sleep") {
    const ReferenceRequest r = reference_request(costs(), 0.9, 0.1, 2.0, 1);
    CHECK(r.request_cpu_s == 0.002);
    CHECK(r.db_client_cpu_s == 0.01);
    CHECK(r.db_backend_cpu_s == 0.025);  // one core: the first entry by cores
    CHECK(r.io_s == Approx(0.005 + 0.9 * 2.0));
    CHECK(r.loop_cpu_s == Approx(0.1 * 2.0 * 0.9));
    CHECK(r.worker_cpu_s() == Approx(0.002 + 0.01 + 0.18));
    CHECK(r.cpu_s() == Approx(0.002 + 0.01 + 0.18 + 0.025));
}

TEST_CASE("a request without IO opens no database connection") {
    const ReferenceRequest r = reference_request(costs(), 0.0, 1.0, 0.5, 2);
    CHECK(r.db_client_cpu_s == 0);
    CHECK(r.db_backend_cpu_s == 0);
    CHECK(r.io_s == 0);
    CHECK(r.loop_cpu_s == Approx(0.5 * 0.9));
}
